#include "auth/accounts/secrets.hpp"

#include <sodium.h>

#include <vector>

#include "core/errors.hpp"

namespace mecapy::auth::accounts {

void ensure_sodium() {
  // A function-local static: initialised once even when threads race here.
  static const int status = sodium_init();
  if (status < 0) throw Error(ErrorKind::internal, "crypto-unavailable", "The server's cryptography failed to start.");
}

std::string random_secret(std::size_t bytes) {
  ensure_sodium();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), variant);
  sodium_memzero(raw.data(), raw.size());
  out.resize(out.find('\0'));  // the encoded length counts the terminating NUL
  return out;
}

std::string secret_digest(std::string_view secret) {
  ensure_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  std::string hex(sizeof digest * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest, sizeof digest);
  hex.pop_back();
  return hex;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  ensure_sodium();
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace mecapy::auth::accounts
