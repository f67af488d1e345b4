#include "auth/accounts/password_hasher.hpp"

#include <sodium.h>

#include <charconv>

#include "auth/accounts/secrets.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

// The value of `key=` in the parameter part of an argon2 hash string
// ("$argon2id$v=19$m=65536,t=2,p=1$salt$hash"); 0 when absent.
unsigned long long hash_parameter(std::string_view hash, std::string_view key) {
  const std::string needle = "$" + std::string(key) + "=";
  std::size_t at = hash.find(needle);
  if (at == std::string_view::npos) at = hash.find("," + std::string(key) + "=");
  if (at == std::string_view::npos) return 0;
  const char* begin = hash.data() + at + key.size() + 2;
  unsigned long long value = 0;
  std::from_chars(begin, hash.data() + hash.size(), value);
  return value;
}

}  // namespace

PasswordHashing PasswordHashing::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

PasswordHashing PasswordHashing::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordHasher::PasswordHasher(PasswordHashing parameters) : parameters_(parameters) {
  ensure_sodium();
  if (parameters_.opslimit < crypto_pwhash_OPSLIMIT_MIN || parameters_.opslimit > crypto_pwhash_OPSLIMIT_MAX ||
      parameters_.memlimit < crypto_pwhash_MEMLIMIT_MIN || parameters_.memlimit > crypto_pwhash_MEMLIMIT_MAX)
    throw Error(ErrorKind::invalid_input, "invalid-password-hashing",
                "argon2id needs opslimit >= " + std::to_string(crypto_pwhash_OPSLIMIT_MIN) +
                    " and memlimit >= " + std::to_string(crypto_pwhash_MEMLIMIT_MIN) + " bytes.");
  // The hash of a random password, which the hash replaces at once: nobody knows it,
  // so verify_dummy() never succeeds.
  dummy_hash_ = random_secret(32);
  dummy_hash_ = hash(dummy_hash_);
}

std::string PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), parameters_.opslimit, parameters_.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw Error(ErrorKind::unavailable, "password-hashing-failed", "The server is short of memory; retry shortly.",
                "crypto_pwhash_str_alg failed (memlimit " + std::to_string(parameters_.memlimit) + ")");
  return out;
}

bool PasswordHasher::verify(const std::string& hash, std::string_view password) const {
  if (!hash.starts_with(crypto_pwhash_argon2id_STRPREFIX)) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(const std::string& hash) const {
  const int status = crypto_pwhash_str_needs_rehash(hash.c_str(), parameters_.opslimit, parameters_.memlimit);
  if (status == 0) return false;
  if (status < 0 || !hash.starts_with(crypto_pwhash_argon2id_STRPREFIX)) return true;
  // Parameters differ: upgrade only when the stored ones are weaker (m is in KiB).
  return hash_parameter(hash, "m") * 1024 < parameters_.memlimit || hash_parameter(hash, "t") < parameters_.opslimit;
}

void PasswordHasher::verify_dummy(std::string_view password) const {
  // Only the time it takes counts: nobody knows the dummy's password.
  [[maybe_unused]] const int status = crypto_pwhash_str_verify(dummy_hash_.c_str(), password.data(), password.size());
}

}  // namespace mecapy::auth::accounts
