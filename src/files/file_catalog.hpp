// Users' files: metadata in the metadata store (tables files, storage_usage), content
// in a blob store, references counted by storage::BlobReferences. Uploads stream:
// nothing is kept in memory, and the per-file limit and the owner's quota are
// enforced while bytes arrive — all the files of one request draw from one Budget,
// so a request cannot store more than the quota leaves, whatever its number of
// parts. A file exists only once its blob is committed and its row written in one
// transaction, which also adds its size to the owner's usage with an atomic
// conditional update: the quota holds across concurrent requests and across API
// instances sharing the database. A request storing several files stages their
// blobs first and records all rows in one transaction at the end, so a crash midway
// leaves only unreferenced blobs, which BlobReferences::collect_orphans() removes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "storage/blob_references.hpp"
#include "storage/blob_store.hpp"

namespace mecapy::files {

struct FileRecord {
  std::string id;
  std::string owner_id;
  std::string filename;           // sanitised, safe to display and to send back
  std::string original_filename;  // exactly as the client sent it (valid UTF-8)
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
  // What one request may still store. take() throws Error(too_large,
  // "quota-exceeded") as soon as the request's bytes would exceed it.
  class Budget {
   public:
    Budget(std::uint64_t remaining, std::uint64_t quota) : remaining_(remaining), quota_(quota) {}
    void take(std::uint64_t bytes);

   private:
    std::uint64_t remaining_;
    std::uint64_t quota_;
  };

  // One upload in progress. Destroying it without stage()/commit() discards the bytes.
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

  FileCatalog(db::Database& db, storage::BlobStore& blobs, storage::BlobReferences& references, FileLimits limits);

  // The budget of one request of `owner_id`: what their quota leaves now. Throws
  // quota-exceeded when nothing is left.
  std::shared_ptr<Budget> request_budget(const std::string& owner_id);
  // Starts one file; files of one request pass the same budget (none: a budget of
  // its own).
  std::unique_ptr<Upload> begin_upload(const std::string& owner_id, const std::string& original_filename,
                                       const std::string& content_type, std::shared_ptr<Budget> budget = nullptr);
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

  // Deletes files created before `cutoff` (RFC 3339); returns how many.
  std::size_t purge_created_before(const std::string& cutoff);

  storage::BlobStore& blobs() { return blobs_; }
  const FileLimits& limits() const { return limits_; }

 private:
  db::Database& db_;
  storage::BlobStore& blobs_;
  storage::BlobReferences& references_;
  FileLimits limits_;
};

}  // namespace mecapy::files
