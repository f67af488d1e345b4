// base64url without padding (RFC 4648 section 5, as JWS uses it: RFC 7515 section 2).
//
// Decoding is strict, so one byte string has exactly one accepted text: only the
// characters A-Z a-z 0-9 '-' '_', no '=' padding, no white space, no length that
// leaves a lone character (length % 4 == 1), and the unused low bits of the last
// character must be zero. Anything else, or a text longer than `max_text_size`,
// decodes to nullopt; nothing is allocated for a text that is too long.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mecapy::auth::jwt {

inline constexpr std::size_t kDefaultMaxBase64urlText = std::size_t{64} * 1024;

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text,
                                            std::size_t max_text_size = kDefaultMaxBase64urlText);

}  // namespace mecapy::auth::jwt
