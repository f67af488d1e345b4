#include "files/file_catalog.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "db/record_map.hpp"
#include "files/filename.hpp"

namespace mecapy::files {
namespace {

const db::RecordMap<FileRecord>& file_map() {
  static const auto map = db::RecordMap<FileRecord>()
                              .text("id", &FileRecord::id)
                              .text("owner_id", &FileRecord::owner_id)
                              .text("filename", &FileRecord::filename)
                              .text("original_filename", &FileRecord::original_filename)
                              .text("content_type", &FileRecord::content_type)
                              .count("size", &FileRecord::size)
                              .text("sha256", &FileRecord::sha256)
                              .text("blob_key", &FileRecord::blob_key)
                              .text("created_at", &FileRecord::created_at);
  return map;
}

std::string format_bytes(std::uint64_t n) { return std::to_string(n) + " bytes"; }

[[noreturn]] void quota_exceeded(std::uint64_t quota) {
  throw Error(
      ErrorKind::too_large, "quota-exceeded",
      "this upload would exceed your storage quota of " + format_bytes(quota) + "; delete files you no longer need.");
}

class StreamingUpload final : public FileCatalog::Upload {
 public:
  StreamingUpload(FileCatalog& catalog, FileRecord record, std::shared_ptr<FileCatalog::Budget> budget)
      : catalog_(catalog),
        record_(std::move(record)),
        budget_(std::move(budget)),
        writer_(catalog.blobs().create(record_.owner_id + "/" + record_.id)) {}

  void write(std::string_view chunk) override {
    const std::uint64_t next = record_.size + chunk.size();
    if (next > catalog_.limits().max_file_size)
      throw Error(ErrorKind::too_large, "file-too-large",
                  "'" + record_.filename + "' exceeds the per-file limit of " +
                      format_bytes(catalog_.limits().max_file_size) + " (setting max_file_size).");
    budget_->take(chunk.size());
    writer_->write(chunk);
    record_.size = next;
  }

  FileRecord stage() override {
    const storage::BlobInfo blob = writer_->commit();
    record_.sha256 = blob.sha256;
    record_.blob_key = blob.key;
    return record_;
  }

  FileRecord commit() override { return catalog_.record({stage()}).at(0); }

 private:
  FileCatalog& catalog_;
  FileRecord record_;
  std::shared_ptr<FileCatalog::Budget> budget_;
  std::unique_ptr<storage::BlobWriter> writer_;
};

}  // namespace

void FileCatalog::Budget::take(std::uint64_t bytes) {
  if (bytes > remaining_) quota_exceeded(quota_);
  remaining_ -= bytes;
}

FileCatalog::FileCatalog(db::Database& db, storage::BlobStore& blobs, storage::BlobReferences& references,
                         FileLimits limits)
    : db_(db), blobs_(blobs), references_(references), limits_(limits) {}

std::uint64_t FileCatalog::used_bytes(const std::string& owner_id) {
  const auto r = db_.execute("SELECT used_bytes FROM storage_usage WHERE owner_id = $1", {owner_id});
  return r.rows.empty() ? 0 : static_cast<std::uint64_t>(r.rows[0].int64(0));
}

std::shared_ptr<FileCatalog::Budget> FileCatalog::request_budget(const std::string& owner_id) {
  const std::uint64_t used = used_bytes(owner_id);
  if (used >= limits_.user_quota)
    throw Error(
        ErrorKind::too_large, "quota-exceeded",
        "your storage quota of " + format_bytes(limits_.user_quota) + " is used up; delete files you no longer need.");
  return std::make_shared<Budget>(limits_.user_quota - used, limits_.user_quota);
}

std::unique_ptr<FileCatalog::Upload> FileCatalog::begin_upload(const std::string& owner_id,
                                                               const std::string& original_filename,
                                                               const std::string& content_type,
                                                               std::shared_ptr<Budget> budget) {
  if (!budget) budget = request_budget(owner_id);
  FileRecord r;
  r.id = new_uuid();
  r.owner_id = owner_id;
  r.original_filename = valid_utf8(original_filename);
  r.filename = sanitize_filename(original_filename);
  r.content_type = content_type.empty() ? "application/octet-stream" : content_type;
  return std::make_unique<StreamingUpload>(*this, std::move(r), std::move(budget));
}

std::vector<FileRecord> FileCatalog::record(std::vector<FileRecord> staged) {
  if (staged.empty()) return staged;
  try {
    std::uint64_t total = 0;
    for (auto& f : staged) {
      references_.protect(f.blob_key);  // staged long ago, perhaps: not collectable now
      f.created_at = now_rfc3339();
      total += f.size;
    }
    db_.transaction([&](db::Connection& c) {
      const std::string& owner = staged.front().owner_id;
      c.execute("INSERT INTO storage_usage (owner_id, used_bytes) VALUES ($1, 0) ON CONFLICT (owner_id) DO NOTHING",
                {owner});
      // One conditional update: concurrent requests, on any instance, share one quota.
      const auto grown = c.execute(
          "UPDATE storage_usage SET used_bytes = used_bytes + $2 WHERE owner_id = $1 AND used_bytes + $2 <= $3",
          {owner, static_cast<std::int64_t>(total), static_cast<std::int64_t>(limits_.user_quota)});
      if (grown.affected_rows == 0) quota_exceeded(limits_.user_quota);
      for (const auto& f : staged) {
        references_.acquire(c, {f.blob_key, f.size, f.sha256});
        c.execute("INSERT INTO files (" + file_map().columns() + ") VALUES (" + file_map().placeholders() + ")",
                  file_map().values(f));
      }
    });
  } catch (...) {
    discard(staged);
    throw;
  }
  // The rows protect the content from now on; check it did not vanish just before.
  for (const auto& f : staged) {
    if (references_.confirm(f.blob_key)) continue;
    for (const auto& g : staged) {
      try {
        remove(g.owner_id, g.id);
      } catch (...) {
        // Already gone, or the database failed: nothing better to do than report.
      }
    }
    throw Error(ErrorKind::unavailable, "blob-vanished",
                "Stored content vanished while your files were recorded; nothing was kept. Upload them again.",
                "blob " + f.blob_key);
  }
  return staged;
}

void FileCatalog::discard(const std::vector<FileRecord>& staged) noexcept {
  for (const auto& f : staged) references_.reclaim(f.blob_key);
}

std::optional<FileRecord> FileCatalog::find(const std::string& owner_id, const std::string& id) {
  const auto r =
      db_.execute("SELECT " + file_map().columns() + " FROM files WHERE id = $1 AND owner_id = $2", {id, owner_id});
  if (r.rows.empty()) return std::nullopt;
  return file_map().read(r, r.rows[0]);
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
    pattern += db::escape_like(q.search);
    pattern += '%';
    params.emplace_back(std::move(pattern));
  }
  FilePage page;
  page.total = db_.execute("SELECT COUNT(*)" + where, params).rows.at(0).int64(0);
  const std::string limit = " LIMIT " + std::to_string(q.per_page) + " OFFSET " +
                            std::to_string(static_cast<std::int64_t>(q.page - 1) * q.per_page);
  const auto rows = db_.execute("SELECT " + file_map().columns() + where + " ORDER BY " + sort->second + limit, params);
  page.items = file_map().read_all(rows);
  return page;
}

void FileCatalog::remove(const std::string& owner_id, const std::string& id) {
  std::string unused_blob;
  db_.transaction([&](db::Connection& c) {
    const auto r = c.execute("SELECT blob_key, size FROM files WHERE id = $1 AND owner_id = $2", {id, owner_id});
    if (r.rows.empty()) throw Error(ErrorKind::not_found, "file-not-found", "You have no file " + id + ".");
    const std::string key = r.rows[0].text(0);
    c.execute("DELETE FROM files WHERE id = $1", {id});
    c.execute("UPDATE storage_usage SET used_bytes = used_bytes - $2 WHERE owner_id = $1",
              {owner_id, r.rows[0].int64(1)});
    if (references_.release(c, key)) unused_blob = key;
  });
  if (!unused_blob.empty()) references_.reclaim(unused_blob);
}

std::size_t FileCatalog::purge_created_before(const std::string& cutoff) {
  const auto r = db_.execute("SELECT id, owner_id FROM files WHERE created_at < $1", {cutoff});
  std::size_t removed = 0;
  for (const auto& row : r.rows) {
    try {
      remove(row.text(1), row.text(0));
      ++removed;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) throw;  // deleted meanwhile
    }
  }
  return removed;
}

}  // namespace mecapy::files
