// Incremental SHA-256 (OpenSSL EVP), for hashing blobs while they stream through.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace mecapy::storage {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  // Lowercase hex digest; the hasher cannot be updated afterwards.
  std::string hex_digest();

  static std::string of(std::string_view data);

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

}  // namespace mecapy::storage
