// Users' files: metadata in the metadata store (tables files, blobs), content in a
// blob store. Uploads stream: nothing is kept in memory, the per-file limit and the
// owner's quota are enforced while bytes arrive, and a file exists only once its
// blob is committed and its row written in one transaction. Blobs are reference
// counted, so identical content in a content-addressed store is kept once and
// removed with its last user. A request storing several files stages their blobs
// first and records all rows in one transaction, so a crash midway leaves only
// unreferenced blobs, which collect_orphans() removes at the next start.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "storage/blob_store.hpp"

namespace mecapy::storage {

struct FileRecord {
  std::string id;
  std::string owner_id;
  std::string filename;           // sanitised, safe to display and to send back
  std::string original_filename;  // exactly as the client sent it
  std::string content_type;
  std::uint64_t size = 0;
  std::string sha256;
  std::string blob_key;
  std::string created_at;
};

struct FileLimits {
  std::uint64_t max_file_size = 1ull << 30;  // 413 "file-too-large" above
  std::uint64_t user_quota = 10ull << 30;    // 413 "quota-exceeded" above
};

struct FileQuery {
  int page = 1;
  int per_page = 20;                 // 1..100
  std::string search;                // substring of the file name, case-insensitive
  std::string sort = "-created_at";  // [-]created_at | [-]filename | [-]size
};

struct FilePage {
  std::vector<FileRecord> items;
  std::int64_t total = 0;
};

class FileCatalog {
 public:
  // One upload in progress. Destroying it without commit() discards the bytes.
  class Upload {
   public:
    virtual ~Upload() = default;
    // Throws Error(too_large) with code "file-too-large" or "quota-exceeded".
    virtual void write(std::string_view chunk) = 0;
    // Commits the content to the blob store without creating the file yet: the
    // returned record is complete but unlisted until record() or discard().
    virtual FileRecord stage() = 0;
    // stage() then record(): the file exists when this returns.
    virtual FileRecord commit() = 0;
  };

  FileCatalog(db::Database& db, BlobStore& blobs, FileLimits limits);

  std::unique_ptr<Upload> begin_upload(const std::string& owner_id, const std::string& original_filename,
                                       const std::string& content_type);
  // Creates the staged files in one transaction (all or none), checking the quota
  // for their total. On failure their blobs are released and the error rethrown.
  std::vector<FileRecord> record(std::vector<FileRecord> staged);
  // Releases the blobs of staged files that will never be recorded.
  void discard(const std::vector<FileRecord>& staged) noexcept;

  std::optional<FileRecord> find(const std::string& owner_id, const std::string& id);
  FilePage list(const std::string& owner_id, const FileQuery& query);
  // Throws Error(not_found) when the owner has no such file.
  void remove(const std::string& owner_id, const std::string& id);
  std::uint64_t used_bytes(const std::string& owner_id);

  // Removes blobs no row refers to; returns how many.
  std::size_t collect_orphans();
  // Deletes files created before `cutoff` (RFC 3339); returns how many.
  std::size_t purge_created_before(const std::string& cutoff);

  BlobStore& blobs() { return blobs_; }
  const FileLimits& limits() const { return limits_; }

 private:
  friend class StreamingUpload;
  void release_blob_if_unused(const std::string& key) noexcept;

  db::Database& db_;
  BlobStore& blobs_;
  FileLimits limits_;
  // Serialises the steps that create or drop a blob's last reference, so a blob
  // cannot be removed between its commit and the row that references it.
  std::mutex refcount_mutex_;
};

}  // namespace mecapy::storage
