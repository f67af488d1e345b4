// Password hashing with argon2id (libsodium's crypto_pwhash_str): memory-hard, salted,
// its parameters stored in the hash string itself ("$argon2id$v=19$m=65536,t=2,p=1$..."),
// so raising them later leaves old hashes verifiable; needs_rehash() tells which to
// upgrade at the next successful login.
//
// A hash costs `memlimit` bytes of memory and `opslimit` passes over it: the defaults
// (libsodium's INTERACTIVE, 64 MiB and 2 passes) take tens of milliseconds per login.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mecapy::auth::accounts {

struct PasswordHashing {
  unsigned long long opslimit = 2;   // crypto_pwhash_OPSLIMIT_INTERACTIVE
  std::size_t memlimit = 64u << 20;  // crypto_pwhash_MEMLIMIT_INTERACTIVE

  // libsodium's smallest parameters: for tests only, never for real passwords.
  static PasswordHashing minimum();
  // libsodium's INTERACTIVE parameters (the defaults above).
  static PasswordHashing interactive();
};

class PasswordHasher {
 public:
  // Throws Error(invalid_input, "invalid-password-hashing") for parameters outside
  // libsodium's bounds.
  explicit PasswordHasher(PasswordHashing parameters = {});

  // A new argon2id hash string of `password` with a fresh random salt. Throws
  // Error(unavailable, "password-hashing-failed") when the memory cannot be had.
  std::string hash(std::string_view password) const;
  // True when `password` matches `hash`; false for a wrong password and for a string
  // that is no argon2id hash.
  bool verify(const std::string& hash, std::string_view password) const;
  // True when `hash` was made with weaker parameters than the current ones (less
  // memory or fewer passes), or is not an argon2id hash: hash the password again.
  bool needs_rehash(const std::string& hash) const;

  // Spends the time of one verify() against a hash of these parameters, for a login
  // that has no hash to check (an unknown user), so its answer takes as long.
  void verify_dummy(std::string_view password) const;

  const PasswordHashing& parameters() const { return parameters_; }

 private:
  PasswordHashing parameters_;
  std::string dummy_hash_;
};

}  // namespace mecapy::auth::accounts
