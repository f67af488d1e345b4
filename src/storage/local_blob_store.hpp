// The embedded blob store: a directory on the local disk.
#pragma once

#include <filesystem>

#include "storage/blob_store.hpp"

namespace mecapy::storage {

class LocalBlobStore final : public BlobStore {
 public:
  explicit LocalBlobStore(std::filesystem::path root);
  std::string describe() const override { return "local:" + root_.string(); }
  // Creates the directory if needed and writes, reads back and removes a probe file.
  void check() override;

 private:
  std::filesystem::path root_;
};

}  // namespace mecapy::storage
