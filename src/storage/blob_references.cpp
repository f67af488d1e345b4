#include "storage/blob_references.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"

namespace mecapy::storage {

BlobReferences::BlobReferences(db::Database& db, BlobStore& store, std::chrono::seconds grace)
    : db_(db), store_(store), grace_(grace) {}

void BlobReferences::acquire(db::Connection& c, const BlobInfo& blob) {
  // One statement: concurrent acquires and releases of one key serialise on its row.
  c.execute(
      "INSERT INTO blobs (blob_key, sha256, size, refcount, created_at) VALUES ($1, $2, $3, 1, $4) "
      "ON CONFLICT (blob_key) DO UPDATE SET refcount = blobs.refcount + 1",
      {blob.key, blob.sha256, static_cast<std::int64_t>(blob.size), now_rfc3339()});
}

bool BlobReferences::release(db::Connection& c, const std::string& key) {
  c.execute("UPDATE blobs SET refcount = refcount - 1 WHERE blob_key = $1", {key});
  // Deleted only if nobody acquired it again meanwhile (the row lock taken by the
  // UPDATE above is held until the transaction ends).
  return c.execute("DELETE FROM blobs WHERE blob_key = $1 AND refcount <= 0", {key}).affected_rows > 0;
}

void BlobReferences::protect(const std::string& key) {
  try {
    store_.refresh(key);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;
    throw Error(ErrorKind::unavailable, "blob-vanished",
                "Stored content vanished before its file was recorded; upload it again.", "blob " + key);
  }
}

bool BlobReferences::confirm(const std::string& key) { return store_.size_of(key).has_value(); }

bool BlobReferences::referenced(const std::string& key) {
  return !db_.execute("SELECT 1 FROM blobs WHERE blob_key = $1", {key}).rows.empty();
}

void BlobReferences::reclaim(const std::string& key) noexcept {
  try {
    // However recent: the blob lost its last reference just now, and the row check
    // made once the content is out of reach decides (see the header for the race
    // with an upload of the same content, which then fails instead of losing data).
    store_.remove_unless(key, std::chrono::system_clock::time_point::max(), [&] { return referenced(key); });
  } catch (...) {
    // The content stays as an orphan; collect_orphans() removes it later.
  }
}

std::optional<std::size_t> BlobReferences::collect_orphans() {
  std::size_t removed = 0;
  const bool ran = db_.run_exclusively("collect-orphaned-blobs", [&] {
    const auto written_since = cutoff_before(std::chrono::system_clock::now(), grace_);
    for (const auto& blob : store_.list_blobs()) {
      if (blob.written >= written_since || referenced(blob.key)) continue;
      if (store_.remove_unless(blob.key, written_since, [&] { return referenced(blob.key); })) ++removed;
    }
  });
  if (!ran) return std::nullopt;
  return removed;
}

}  // namespace mecapy::storage
