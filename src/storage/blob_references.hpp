// Who uses which blob: the one reference-counting service that files, package
// sources and job outputs share. Counts live in the metadata store (table blobs);
// every change is an atomic statement inside the caller's own transaction, so
// several API instances on one database keep exact counts without any process-wide
// lock, and a blob's row exists exactly while something references it.
//
// Content is removed from the store only when no row refers to it, through
// BlobStore::remove_unless(), which asks for the row once the content is out of
// reach of a concurrent commit:
//   - reclaim(), right after a blob lost its last reference, removes it at once;
//   - collect_orphans(), for blobs that never got a row (a crash between the commit
//     and the row), spares anything younger than the grace period — another
//     instance's upload staged a moment ago — and runs in one instance at a time
//     (a database-wide lock).
// Content-addressed stores share one blob between uploads of the same bytes: if an
// upload stages content at the moment the last file holding it is deleted, reclaim()
// may take it; that upload then fails with blob-vanished (503, retry) at protect()
// or confirm() — it never records a file without content.
//
// The protocol for a new reference:
//   1. commit the blob to the store (BlobWriter::commit);
//   2. protect(key) just before the referencing transaction (it may have been
//      committed long ago: a request that stages several files);
//   3. in the transaction: acquire(connection, blob);
//   4. after the commit: confirm(key) — the content is still there.
// And to drop one: release() in the transaction, reclaim() after the commit.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "db/database.hpp"
#include "storage/blob_store.hpp"

namespace mecapy::storage {

class BlobReferences {
 public:
  BlobReferences(db::Database& db, BlobStore& store, std::chrono::seconds grace);

  // One more user of `blob` (its row is created on first use). Call inside the
  // transaction that records the user.
  void acquire(db::Connection& c, const BlobInfo& blob);
  // One user fewer; true when it was the last (the row is gone): call reclaim()
  // once the transaction has committed.
  bool release(db::Connection& c, const std::string& key);

  // Marks a committed blob as freshly written, so no collector takes it before the
  // reference is recorded. Throws Error(unavailable, "blob-vanished") when it is gone.
  void protect(const std::string& key);
  // After the referencing transaction committed: whether the content is still there.
  bool confirm(const std::string& key);

  // Removes the content of a blob that has no references (any more, or never had:
  // a staged upload discarded). Never throws: what stays is an orphan for
  // collect_orphans().
  void reclaim(const std::string& key) noexcept;

  // Removes every blob of the store that no row refers to and that is older than the
  // grace period. Runs in one instance at a time; nullopt when another one is
  // running it. Returns how many blobs were removed.
  std::optional<std::size_t> collect_orphans();

 private:
  bool referenced(const std::string& key);

  db::Database& db_;
  BlobStore& store_;
  std::chrono::seconds grace_;
};

}  // namespace mecapy::storage
