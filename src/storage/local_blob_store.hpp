// The embedded blob store: content-addressed files under a directory.
//
//   <root>/objects/ab/cd/<sha256>   committed blobs, named by the SHA-256 of their content
//   <root>/tmp/<random>.part        blobs being written
//
// A blob is written to tmp/, fsynced, then renamed into objects/ (and the directory
// fsynced), so a crash never leaves a partial blob under its name; identical content
// is stored once. recover() removes what a crash left in tmp/. Keys are validated
// (64 lowercase hex digits) before touching the disk: no key reaches outside objects/.
#pragma once

#include <filesystem>

#include "storage/blob_store.hpp"

namespace mecapy::storage {

class LocalBlobStore final : public BlobStore {
 public:
  explicit LocalBlobStore(std::filesystem::path root);

  std::string describe() const override { return "local:" + root_.string(); }
  // Creates the directories if needed and writes, reads back and removes a probe file.
  void check() override;
  bool content_addressed() const override { return true; }
  std::unique_ptr<BlobWriter> create(const std::string& suggested_key) override;
  std::unique_ptr<BlobReader> open(const std::string& key, std::uint64_t offset = 0,
                                   std::optional<std::uint64_t> length = std::nullopt) override;
  std::optional<std::uint64_t> size_of(const std::string& key) override;
  void remove(const std::string& key) override;
  std::vector<std::string> list_keys() override;

  // Removes blobs left half-written by a crash. Call before serving.
  std::size_t recover();
  std::filesystem::path path_of(const std::string& key) const;

 private:
  std::filesystem::path root_;
};

bool is_sha256_key(std::string_view key);

}  // namespace mecapy::storage
