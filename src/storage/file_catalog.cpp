#include "storage/file_catalog.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "storage/filename.hpp"

namespace mecapy::storage {
namespace {

FileRecord row_to_record(const db::Row& r) {
  FileRecord f;
  f.id = r.text(0);
  f.owner_id = r.text(1);
  f.filename = r.text(2);
  f.original_filename = r.text(3);
  f.content_type = r.text(4);
  f.size = static_cast<std::uint64_t>(r.int64(5));
  f.sha256 = r.text(6);
  f.blob_key = r.text(7);
  f.created_at = r.text(8);
  return f;
}

constexpr const char* kColumns =
    "id, owner_id, filename, original_filename, content_type, size, sha256, blob_key, created_at";

std::string escape_like(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string format_bytes(std::uint64_t n) { return std::to_string(n) + " bytes"; }

}  // namespace

class StreamingUpload final : public FileCatalog::Upload {
 public:
  StreamingUpload(FileCatalog& catalog, FileRecord record, std::uint64_t allowed_by_quota)
      : catalog_(catalog),
        record_(std::move(record)),
        allowed_by_quota_(allowed_by_quota),
        writer_(catalog.blobs_.create(record_.owner_id + "/" + record_.id)) {}

  void write(std::string_view chunk) override {
    const std::uint64_t next = record_.size + chunk.size();
    if (next > catalog_.limits_.max_file_size)
      throw Error(ErrorKind::too_large, "file-too-large",
                  "'" + record_.filename + "' exceeds the per-file limit of " +
                      format_bytes(catalog_.limits_.max_file_size) + " (setting max_file_size).");
    if (next > allowed_by_quota_)
      throw Error(ErrorKind::too_large, "quota-exceeded",
                  "this upload would exceed your storage quota of " + format_bytes(catalog_.limits_.user_quota) +
                      "; delete files you no longer need.");
    writer_->write(chunk);
    record_.size = next;
  }

  FileRecord stage() override {
    const BlobInfo blob = writer_->commit();
    record_.sha256 = blob.sha256;
    record_.blob_key = blob.key;
    return record_;
  }

  FileRecord commit() override { return catalog_.record({stage()}).at(0); }

 private:
  FileCatalog& catalog_;
  FileRecord record_;
  std::uint64_t allowed_by_quota_;
  std::unique_ptr<BlobWriter> writer_;
};

FileCatalog::FileCatalog(db::Database& db, BlobStore& blobs, FileLimits limits)
    : db_(db), blobs_(blobs), limits_(limits) {}

std::uint64_t FileCatalog::used_bytes(const std::string& owner_id) {
  const auto r = db_.execute("SELECT COALESCE(SUM(size), 0) FROM files WHERE owner_id = $1", {owner_id});
  return static_cast<std::uint64_t>(r.rows.at(0).int64(0));
}

std::unique_ptr<FileCatalog::Upload> FileCatalog::begin_upload(const std::string& owner_id,
                                                               const std::string& original_filename,
                                                               const std::string& content_type) {
  const std::uint64_t used = used_bytes(owner_id);
  if (used >= limits_.user_quota)
    throw Error(
        ErrorKind::too_large, "quota-exceeded",
        "your storage quota of " + format_bytes(limits_.user_quota) + " is used up; delete files you no longer need.");
  FileRecord r;
  r.id = new_uuid();
  r.owner_id = owner_id;
  r.original_filename = valid_utf8(original_filename);
  r.filename = sanitize_filename(original_filename);
  r.content_type = content_type.empty() ? "application/octet-stream" : content_type;
  return std::make_unique<StreamingUpload>(*this, std::move(r), limits_.user_quota - used);
}

std::vector<FileRecord> FileCatalog::record(std::vector<FileRecord> staged) {
  std::lock_guard lock(refcount_mutex_);
  try {
    std::uint64_t total = 0;
    for (auto& f : staged) {
      // A staged blob shared with a file deleted meanwhile may be gone: check under
      // the lock that also guards deletions.
      if (blobs_.size_of(f.blob_key) != f.size)
        throw Error(ErrorKind::unavailable, "blob-store-unavailable",
                    "the content of '" + f.filename + "' vanished from the blob store while uploading; retry.");
      f.created_at = now_rfc3339();
      total += f.size;
    }
    db_.transaction([&](db::Connection& c) {
      if (staged.empty()) return;
      const std::string& owner = staged.front().owner_id;
      // Checked inside the transaction: concurrent uploads share one quota.
      const auto used = c.execute("SELECT COALESCE(SUM(size), 0) FROM files WHERE owner_id = $1", {owner});
      if (static_cast<std::uint64_t>(used.rows.at(0).int64(0)) + total > limits_.user_quota)
        throw Error(ErrorKind::too_large, "quota-exceeded",
                    "this upload would exceed your storage quota of " + format_bytes(limits_.user_quota) + ".");
      for (const auto& f : staged) {
        c.execute(
            "INSERT INTO blobs (blob_key, sha256, size, refcount, created_at) VALUES ($1, $2, $3, 1, $4) "
            "ON CONFLICT (blob_key) DO UPDATE SET refcount = blobs.refcount + 1",
            {f.blob_key, f.sha256, static_cast<std::int64_t>(f.size), f.created_at});
        c.execute(std::string("INSERT INTO files (") + kColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                  {f.id, f.owner_id, f.filename, f.original_filename, f.content_type, static_cast<std::int64_t>(f.size),
                   f.sha256, f.blob_key, f.created_at});
      }
    });
  } catch (...) {
    for (const auto& f : staged) release_blob_if_unused(f.blob_key);
    throw;
  }
  return staged;
}

void FileCatalog::discard(const std::vector<FileRecord>& staged) noexcept {
  std::lock_guard lock(refcount_mutex_);
  for (const auto& f : staged) release_blob_if_unused(f.blob_key);
}

// Call with refcount_mutex_ held.
void FileCatalog::release_blob_if_unused(const std::string& key) noexcept {
  try {
    const auto r = db_.execute("SELECT refcount FROM blobs WHERE blob_key = $1", {key});
    if (r.rows.empty() || r.rows[0].int64(0) == 0) {
      db_.execute("DELETE FROM blobs WHERE blob_key = $1 AND refcount = 0", {key});
      blobs_.remove(key);
    }
  } catch (...) {
    // The blob stays as an orphan; collect_orphans() removes it at the next start.
  }
}

std::optional<FileRecord> FileCatalog::find(const std::string& owner_id, const std::string& id) {
  const auto r =
      db_.execute(std::string("SELECT ") + kColumns + " FROM files WHERE id = $1 AND owner_id = $2", {id, owner_id});
  if (r.rows.empty()) return std::nullopt;
  return row_to_record(r.rows[0]);
}

FilePage FileCatalog::list(const std::string& owner_id, const FileQuery& q) {
  static const std::vector<std::pair<std::string, std::string>> sorts = {{"created_at", "created_at ASC, id ASC"},
                                                                         {"-created_at", "created_at DESC, id DESC"},
                                                                         {"filename", "filename ASC, id ASC"},
                                                                         {"-filename", "filename DESC, id DESC"},
                                                                         {"size", "size ASC, id ASC"},
                                                                         {"-size", "size DESC, id DESC"}};
  const auto sort = std::find_if(sorts.begin(), sorts.end(), [&](const auto& s) { return s.first == q.sort; });
  if (sort == sorts.end())
    throw Error(ErrorKind::invalid_input, "invalid-query",
                "sort must be one of created_at, filename, size, optionally prefixed with '-'; got '" + q.sort + "'.");
  if (q.page < 1 || q.per_page < 1 || q.per_page > 100)
    throw Error(ErrorKind::invalid_input, "invalid-query", "page must be >= 1 and per_page between 1 and 100.");
  std::string where = " FROM files WHERE owner_id = $1";
  std::vector<db::Value> params{owner_id};
  if (!q.search.empty()) {
    where += " AND LOWER(filename) LIKE LOWER($2) ESCAPE '\\'";
    // Appended rather than "%" + ...: GCC 12 at -O3 warns (-Wrestrict) on the latter.
    std::string pattern = "%";
    pattern += escape_like(q.search);
    pattern += '%';
    params.emplace_back(std::move(pattern));
  }
  FilePage page;
  page.total = db_.execute("SELECT COUNT(*)" + where, params).rows.at(0).int64(0);
  const std::string limit = " LIMIT " + std::to_string(q.per_page) + " OFFSET " +
                            std::to_string(static_cast<std::int64_t>(q.page - 1) * q.per_page);
  for (const auto& row :
       db_.execute(std::string("SELECT ") + kColumns + where + " ORDER BY " + sort->second + limit, params).rows)
    page.items.push_back(row_to_record(row));
  return page;
}

void FileCatalog::remove(const std::string& owner_id, const std::string& id) {
  std::lock_guard lock(refcount_mutex_);
  std::string unused_blob;
  db_.transaction([&](db::Connection& c) {
    const auto r = c.execute("SELECT blob_key FROM files WHERE id = $1 AND owner_id = $2", {id, owner_id});
    if (r.rows.empty()) throw Error(ErrorKind::not_found, "file-not-found", "You have no file " + id + ".");
    const std::string key = r.rows[0].text(0);
    c.execute("DELETE FROM files WHERE id = $1", {id});
    c.execute("UPDATE blobs SET refcount = refcount - 1 WHERE blob_key = $1", {key});
    const auto left = c.execute("SELECT refcount FROM blobs WHERE blob_key = $1", {key});
    if (!left.rows.empty() && left.rows[0].int64(0) <= 0) {
      c.execute("DELETE FROM blobs WHERE blob_key = $1", {key});
      unused_blob = key;
    }
  });
  if (!unused_blob.empty()) {
    try {
      blobs_.remove(unused_blob);
    } catch (...) {
      // Left as an orphan for collect_orphans().
    }
  }
}

std::size_t FileCatalog::collect_orphans() {
  std::lock_guard lock(refcount_mutex_);
  std::size_t removed = 0;
  for (const auto& key : blobs_.list_keys()) {
    if (db_.execute("SELECT 1 FROM blobs WHERE blob_key = $1", {key}).rows.empty()) {
      blobs_.remove(key);
      ++removed;
    }
  }
  return removed;
}

std::size_t FileCatalog::purge_created_before(const std::string& cutoff) {
  const auto r = db_.execute("SELECT id, owner_id FROM files WHERE created_at < $1", {cutoff});
  for (const auto& row : r.rows) {
    try {
      remove(row.text(1), row.text(0));
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) throw;  // deleted meanwhile
    }
  }
  return r.rows.size();
}

}  // namespace mecapy::storage
