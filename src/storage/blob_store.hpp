// Blob storage: where file contents, package archives and job outputs live. This
// header is the interface every subsystem uses; two drivers implement it:
//   local  content-addressed files under a directory (the embedded default)
//   s3     an S3-compatible object store (AWS, Scaleway, MinIO, Ceph...)
// Blobs are written as a stream (memory stays flat whatever the size) and become
// visible only when committed: a crash or an abort never leaves a partial blob
// visible under its key. Reference counting lives in the metadata store (table
// blobs, blob_references.hpp), not here: a store only puts, reads, lists and removes.
//
// Several API instances may share one store (one bucket, one directory). A store
// works under its own part of it only (S3: a key prefix; local: its objects/ and
// tmp/ directories), never touches another instance's upload in progress, and
// removes content only through remove_unless(), which spares what was written
// recently — how an instance that committed a blob a moment ago, and has not yet
// written the row that references it, keeps it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mecapy::storage {

struct BlobInfo {
  std::string key;  // where the blob lives in its store
  std::uint64_t size = 0;
  std::string sha256;  // lowercase hex of the content
};

// A committed blob as a listing sees it.
struct StoredBlob {
  std::string key;
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point written;  // last commit or refresh() of this content
};

// Streams one blob into a store. Call write() any number of times, then commit().
// Destroying a writer that was not committed aborts it (nothing stays behind).
class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  virtual void write(std::string_view chunk) = 0;
  // Makes the blob durable and visible under its key; returns where it is.
  virtual BlobInfo commit() = 0;
  // Discards everything written; never throws.
  virtual void abort() noexcept = 0;
};

// Reads a range of one blob, in order.
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  // Fills up to `capacity` bytes; returns 0 at the end of the range.
  virtual std::size_t read(char* out, std::size_t capacity) = 0;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // A display form of the location, without credentials.
  virtual std::string describe() const = 0;
  // Checks the store can be written and read now (at start-up); throws
  // Error(unavailable) with a cause naming what failed.
  virtual void check() = 0;
  // A cheap check that writes nothing, for readiness probes polled often: the
  // store's location is reachable and writable. Throws like check().
  virtual void probe() = 0;
  // True when keys are the SHA-256 of the content (identical content stored once).
  virtual bool content_addressed() const = 0;

  // Starts a new blob. Stores that name objects use `suggested_key` (for example
  // "<user_id>/<file_id>"); content-addressed stores ignore it.
  virtual std::unique_ptr<BlobWriter> create(const std::string& suggested_key) = 0;
  // Opens [offset, offset + length) of a blob (to its end without length).
  // Throws Error(not_found) for an unknown key.
  virtual std::unique_ptr<BlobReader> open(const std::string& key, std::uint64_t offset = 0,
                                           std::optional<std::uint64_t> length = std::nullopt) = 0;
  // Size of a committed blob, nullopt when it does not exist.
  virtual std::optional<std::uint64_t> size_of(const std::string& key) = 0;
  // Removes a blob at once; removing a missing key is not an error. Only for content
  // that nothing else can be using (tests, tools); the platform uses remove_unless().
  virtual void remove(const std::string& key) = 0;
  // Removes `key` unless its content was written (committed or refreshed) at or
  // after `written_since`, or `still_wanted()` — asked once the blob is out of reach
  // of a concurrent commit of the same content — returns true. Returns whether it
  // was removed; a missing key gives false.
  virtual bool remove_unless(const std::string& key, std::chrono::system_clock::time_point written_since,
                             const std::function<bool()>& still_wanted) = 0;
  // Marks a committed blob as written now, which protects it from remove_unless()
  // for another grace period. Throws Error(not_found) when it is gone.
  virtual void refresh(const std::string& key) = 0;
  // Every committed blob of this store (used to collect orphans).
  virtual std::vector<StoredBlob> list_blobs() = 0;
  // The keys of list_blobs().
  std::vector<std::string> list_keys();
  // Start-up recovery: removes what an earlier crash of a writer left behind
  // (half-written local files, nothing of an upload still in progress in another
  // process); returns how many items it removed.
  virtual std::size_t recover() = 0;
};

// Opens the store named by the blob_store setting: `local:PATH` or
// `s3://BUCKET?endpoint=URL&region=R&path_style=true|false`. Throws ConfigError
// (setting MECAPY_BLOB_STORE) for a malformed location.
std::unique_ptr<BlobStore> open_blob_store(const std::string& spec);

}  // namespace mecapy::storage
