// The embedded blob store: content-addressed files under a directory.
//
//   <root>/objects/ab/cd/<sha256>   committed blobs, named by the SHA-256 of their content
//   <root>/tmp/<random>.part        blobs being written (each locked by its writer)
//
// A blob is written to tmp/, fsynced, then renamed into objects/, and every directory
// the commit created or changed is fsynced too, so a blob answered as committed
// survives a power loss and a crash never leaves a partial blob under its name. A
// commit always renames its own copy into place, even when identical content is
// already there: the file under a key is then always as recent as its latest commit,
// which is what remove_unless() relies on. Any failure to write or sync is reported
// (a full disk as Error(insufficient_storage, "storage-full")), never ignored.
//
// Several processes may share the directory: a writer holds an flock on its
// temporary file, so recover() removes only what a dead writer left; remove_unless()
// first renames the blob out of objects/ (a concurrent commit then puts a fresh copy
// back), inspects the file it took, and restores it when it is recent or wanted.
// Keys are validated (64 lowercase hex digits) before touching the disk: no key
// reaches outside objects/.
#pragma once

#include <filesystem>

#include "storage/blob_store.hpp"

namespace mecapy::storage {

// How the local store makes bytes and names durable. The default calls fsync(2);
// tests substitute one that records what was synced, or fails.
class FileSync {
 public:
  virtual ~FileSync() = default;
  // Each returns 0 or an errno value.
  virtual int sync_file(int fd);
  virtual int sync_directory(const std::filesystem::path& dir);
};

class LocalBlobStore final : public BlobStore {
 public:
  // `sync` must outlive the store; null uses fsync(2).
  explicit LocalBlobStore(std::filesystem::path root, FileSync* sync = nullptr);

  std::string describe() const override { return "local:" + root_.string(); }
  // Creates the directories if needed and writes, reads back and removes a probe file.
  void check() override;
  // Its directories exist and this process may create files in them.
  void probe() override;
  bool content_addressed() const override { return true; }
  std::unique_ptr<BlobWriter> create(const std::string& suggested_key) override;
  std::unique_ptr<BlobReader> open(const std::string& key, std::uint64_t offset = 0,
                                   std::optional<std::uint64_t> length = std::nullopt) override;
  std::optional<std::uint64_t> size_of(const std::string& key) override;
  void remove(const std::string& key) override;
  bool remove_unless(const std::string& key, std::chrono::system_clock::time_point written_since,
                     const std::function<bool()>& still_wanted) override;
  void refresh(const std::string& key) override;
  std::vector<StoredBlob> list_blobs() override;
  // Removes the temporary files no live writer holds (a crashed process's).
  std::size_t recover() override;

  std::filesystem::path path_of(const std::string& key) const;

  // Creates `dir` and its missing parents below the root, syncing each parent whose
  // entries changed; throws Error(unavailable or insufficient_storage).
  void make_directories(const std::filesystem::path& dir) const;
  // Syncs a directory; throws on failure.
  void sync_directory(const std::filesystem::path& dir) const;
  FileSync& sync() const { return *sync_; }

 private:
  std::filesystem::path root_;
  FileSync* sync_;
};

bool is_sha256_key(std::string_view key);

}  // namespace mecapy::storage
