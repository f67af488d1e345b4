// The secrets of the identity stores: random tokens and their stored digests, from
// libsodium (initialised once, on first use, by every function here).
//
// A token handed to a client (an API token, a session id, a login state) is 32
// random bytes: 256 bits that nobody guesses, so the database keeps only its
// SHA-256 and a stolen copy of the database lets nobody sign in. A fast hash is right
// for such high-entropy secrets (there is no dictionary to try); passwords, chosen by
// people, get argon2id instead (password_hasher.hpp).
#pragma once

#include <string>
#include <string_view>

namespace mecapy::auth::accounts {

// Calls sodium_init() once per process; throws Error(internal) when it fails.
void ensure_sodium();

// The secrets handed to clients: 32 random bytes, 43 characters of base64url.
inline constexpr std::size_t kSecretBytes = 32;
inline constexpr std::size_t kSecretTextLength = 43;

// `bytes` random bytes (libsodium's CSPRNG), base64url without padding.
std::string random_secret(std::size_t bytes);
// random_secret(kSecretBytes).
inline std::string new_secret() { return random_secret(kSecretBytes); }
// False for text that new_secret() cannot have made (by its length): answered without
// a look-up.
inline bool may_be_secret(std::string_view text) { return text.size() == kSecretTextLength; }

// Lowercase hex SHA-256 of `secret`: the form secrets are stored and looked up in.
std::string secret_digest(std::string_view secret);

// Compares without leaking, through timing, where two strings of equal length differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace mecapy::auth::accounts
