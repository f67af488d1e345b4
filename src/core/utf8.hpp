// UTF-8 encoding and decoding of code points (RFC 3629).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mecapy {

// Appends the UTF-8 form of `cp` (a Unicode scalar value) to `out`.
void append_utf8(std::string& out, char32_t cp);

// Decodes `in`; each malformed sequence (bad lead or continuation byte, overlong
// form, surrogate, value past U+10FFFF, truncation) becomes U+FFFD.
std::vector<char32_t> decode_utf8(std::string_view in);

// How many bytes at the end of `in` begin a multi-byte sequence that more bytes could
// still complete (0 to 3): text cut between two reads.
std::size_t incomplete_utf8_tail(std::string_view in);

}  // namespace mecapy
