// Files: streamed uploads (multipart/form-data or a raw body), listing, metadata,
// downloads with ETag / If-None-Match / Range, and deletion. Every route acts on the
// caller's own files only.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "api/query_params.hpp"
#include "core/errors.hpp"
#include "files/file_catalog.hpp"
#include "files/filename.hpp"
#include "http/media_type.hpp"
#include "http/multipart.hpp"
#include "http/problem.hpp"
#include "storage/sha256.hpp"

namespace mecapy::api {
namespace {

using files::FileCatalog;
using files::FileRecord;
using http::Request;
using http::Response;

// Files up to this size are checked against their SHA-256 before every download;
// larger ones when the client asks (?verify=true).
constexpr std::uint64_t kAlwaysVerifyBelow = 16ull << 20;
constexpr std::size_t kMaxFormFieldBytes = std::size_t{64} << 10;

boost::json::object file_json(const FileRecord& f) {
  return {{"id", f.id},
          {"filename", f.filename},
          {"original_filename", f.original_filename},
          {"size", f.size},
          {"sha256", f.sha256},
          {"content_type", f.content_type},
          {"created_at", f.created_at}};
}

Response created(const std::vector<FileRecord>& files) {
  Response r = files.size() == 1 ? Response::json(201, file_json(files[0])) : [&] {
    boost::json::array items;
    for (const auto& f : files) items.push_back(file_json(f));
    return Response::json(201, {{"files", items}});
  }();
  if (files.size() == 1) r.headers.set("Location", "/api/v1/files/" + files[0].id);
  return r;
}

std::string content_type_of(const Request& req) {
  const auto ct = req.headers.get("Content-Type");
  return ct ? std::string(*ct) : std::string();
}

// A raw body: the whole body is one file named by ?filename=.
class RawUploadSink final : public http::BodySink {
 public:
  explicit RawUploadSink(std::unique_ptr<FileCatalog::Upload> upload) : upload_(std::move(upload)) {}
  void write(std::string_view chunk) override { upload_->write(chunk); }
  Response finish() override { return created({upload_->commit()}); }

 private:
  std::unique_ptr<FileCatalog::Upload> upload_;
};

// multipart/form-data: every part with a filename becomes a file. The request is
// all or nothing: parts are staged as they end and recorded together at the end;
// their total is held within the quota while bytes arrive (one budget for all).
class MultipartUploadSink final : public http::BodySink {
 public:
  MultipartUploadSink(FileCatalog& catalog, std::string owner, const std::string& boundary)
      : catalog_(catalog),
        owner_(std::move(owner)),
        budget_(catalog.request_budget(owner_)),
        parser_(boundary, {[this](const http::PartHeaders& h) { begin_part(h); },
                           [this](std::string_view d) { part_data(d); }, [this] { end_part(); }}) {}

  ~MultipartUploadSink() override {
    current_.reset();
    if (!finished_) catalog_.discard(staged_);
  }

  void write(std::string_view chunk) override { parser_.feed(chunk); }

  Response finish() override {
    parser_.finish();
    if (staged_.empty())
      throw Error(ErrorKind::invalid_input, "no-file",
                  "The form contains no file: send each file in a part with a filename, e.g. field 'file'.");
    finished_ = true;  // record() releases the blobs itself when it fails
    return created(catalog_.record(std::move(staged_)));
  }

 private:
  void begin_part(const http::PartHeaders& h) {
    field_bytes_ = 0;
    if (h.filename) current_ = catalog_.begin_upload(owner_, *h.filename, h.content_type, budget_);
  }
  void part_data(std::string_view d) {
    if (current_) {
      current_->write(d);
    } else if ((field_bytes_ += d.size()) > kMaxFormFieldBytes) {
      throw Error(ErrorKind::invalid_input, "malformed-multipart", "a form field without a filename exceeds 64 KiB");
    }
  }
  void end_part() {
    if (current_) staged_.push_back(current_->stage());
    current_.reset();
  }

  FileCatalog& catalog_;
  std::string owner_;
  std::shared_ptr<FileCatalog::Budget> budget_;  // shared by every file of the request
  http::MultipartParser parser_;
  std::unique_ptr<FileCatalog::Upload> current_;
  std::vector<FileRecord> staged_;  // blobs committed, rows written at finish()
  std::size_t field_bytes_ = 0;
  bool finished_ = false;
};

class BlobBodySource final : public http::BodySource {
 public:
  explicit BlobBodySource(std::unique_ptr<storage::BlobReader> reader) : reader_(std::move(reader)) {}
  std::size_t read(char* out, std::size_t capacity) override { return reader_->read(out, capacity); }

 private:
  std::unique_ptr<storage::BlobReader> reader_;
};

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

// Parses a single "bytes=" range against `size`. nullopt: no usable Range (serve the
// whole file); a range with length 0: unsatisfiable (416).
std::optional<ByteRange> parse_range(std::string_view header, std::uint64_t size) {
  if (!header.starts_with("bytes=") || header.find(',') != std::string_view::npos) return std::nullopt;
  header.remove_prefix(6);
  const auto dash = header.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view s) -> std::optional<std::uint64_t> {
    if (s.empty() || s.size() > 19) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
  };
  const auto a = number(header.substr(0, dash));
  const auto b = number(header.substr(dash + 1));
  if (!a && b) {  // suffix: the last b bytes
    if (*b == 0) return ByteRange{0, 0};
    const std::uint64_t n = std::min(*b, size);
    return ByteRange{size - n, n};
  }
  if (!a || (b && *b < *a)) return std::nullopt;
  if (*a >= size) return ByteRange{0, 0};
  const std::uint64_t last = b ? std::min(*b, size - 1) : size - 1;
  return ByteRange{*a, last - *a + 1};
}

// Reads the whole blob and compares its hash with the record; throws on mismatch.
void verify_integrity(storage::BlobStore& blobs, const FileRecord& f) {
  const auto stored_size = blobs.size_of(f.blob_key);
  bool ok = stored_size && *stored_size == f.size;
  if (ok) {
    storage::Sha256 hash;
    auto reader = blobs.open(f.blob_key);
    std::string buf(std::size_t{256} << 10, '\0');
    for (std::size_t n; (n = reader->read(buf.data(), buf.size())) > 0;) hash.update(std::string_view(buf.data(), n));
    ok = hash.hex_digest() == f.sha256;
  }
  if (!ok)
    throw Error(ErrorKind::corrupted, "blob-corrupted",
                "The stored content of file " + f.id +
                    " no longer matches its SHA-256; it is not served. An operator must restore it.");
}

FileRecord require_file(AppContext& app, const Request& req) {
  auto f = app.files.find(owner_of(req), req.param("id"));
  if (!f) throw Error(ErrorKind::not_found, "file-not-found", "You have no file " + req.param("id") + ".");
  return *f;
}

Response download(AppContext& app, Request& req) {
  const FileRecord f = require_file(app, req);
  const std::string etag = "\"" + f.sha256 + "\"";
  Response r;
  r.headers.set("ETag", etag);
  r.headers.set("Cache-Control", "private, no-cache");
  r.headers.set("Accept-Ranges", "bytes");
  if (const auto inm = req.headers.get("If-None-Match");
      inm && (inm->find(etag) != std::string_view::npos || *inm == "*")) {
    r.status = 304;
    return r;
  }
  const auto verify = req.query_param("verify");
  if (f.size <= kAlwaysVerifyBelow || (verify && *verify != "false" && *verify != "0"))
    verify_integrity(app.blobs, f);
  else if (const auto size = app.blobs.size_of(f.blob_key); !size || *size != f.size)
    throw Error(ErrorKind::corrupted, "blob-corrupted",
                "The stored content of file " + f.id + " is missing or truncated.");

  std::optional<ByteRange> range;
  const auto if_range = req.headers.get("If-Range");
  if (const auto h = req.headers.get("Range"); h && (!if_range || *if_range == etag)) range = parse_range(*h, f.size);
  if (range && range->length == 0) {
    http::Problem p(416, "range-not-satisfiable", "Range not satisfiable",
                    "The file has " + std::to_string(f.size) + " bytes; ask for a range inside it.");
    Response bad = http::problem_response(p, req.request_id);
    bad.headers.set("Content-Range", "bytes */" + std::to_string(f.size));
    return bad;
  }
  const std::uint64_t first = range ? range->first : 0;
  const std::uint64_t length = range ? range->length : f.size;
  r.status = range ? 206 : 200;
  if (range)
    r.headers.set("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(first + length - 1) + "/" +
                                       std::to_string(f.size));
  // Records stored before content types were validated may hold anything.
  r.headers.set("Content-Type", http::is_media_type(f.content_type) ? f.content_type : "application/octet-stream");
  r.headers.set("Content-Disposition", files::content_disposition("attachment", f.filename));
  r.headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
  r.stream = std::make_shared<BlobBodySource>(app.blobs.open(f.blob_key, first, length));
  r.stream_size = length;
  return r;
}

}  // namespace

std::string owner_of(const Request& req) { return req.principal.id; }

void register_files_routes(http::Router& router, AppContext& app) {
  // What the identity work maps roles and token scopes onto.
  const auto kRead = http::Access::with_scope("files:read");
  const auto kWrite = http::Access::with_scope("files:write");

  router.add_streamed(
      "POST", "/api/v1/files",
      [&app](Request& req) -> std::unique_ptr<http::BodySink> {
        const std::string type = content_type_of(req);
        if (type.starts_with("multipart/")) {
          const auto boundary = http::MultipartParser::boundary_of(type);
          if (!boundary)
            throw Error(ErrorKind::invalid_input, "malformed-multipart",
                        "Content-Type multipart/form-data needs a boundary parameter (1 to 70 characters).");
          return std::make_unique<MultipartUploadSink>(app.files, owner_of(req), *boundary);
        }
        const auto name = req.query_param("filename");
        if (!name || name->empty())
          throw Error(ErrorKind::invalid_input, "missing-filename",
                      "Send the file as multipart/form-data, or as a raw body with ?filename=NAME "
                      "(percent-encoded UTF-8 without NUL).");
        const auto semi = type.find(';');
        const std::string media_type = type.empty() ? type : http::require_media_type(type).substr(0, semi);
        return std::make_unique<RawUploadSink>(app.files.begin_upload(owner_of(req), *name, media_type));
      },
      0 /* per-file limits and quotas are enforced by the catalog while bytes arrive */, http::Execution::blob_io,
      kWrite);

  router.add(
      "GET", "/api/v1/files",
      [&app](Request& req) {
        files::FileQuery q;
        q.page = int_query(req, "page", 1);
        q.per_page = int_query(req, "per_page", 20);
        q.search = req.query_param("q").value_or("");
        q.sort = req.query_param("sort").value_or("-created_at");
        const auto page = app.files.list(owner_of(req), q);
        boost::json::array items;
        for (const auto& f : page.items) items.push_back(file_json(f));
        return Response::json(200,
                              {{"items", items}, {"page", q.page}, {"per_page", q.per_page}, {"total", page.total}});
      },
      http::Execution::offloaded, kRead);

  router.add(
      "GET", "/api/v1/files/{id}",
      [&app](Request& req) { return Response::json(200, file_json(require_file(app, req))); },
      http::Execution::offloaded, kRead);

  // Routes that touch the blob store run on its own pool: a hanging store cannot
  // hold the threads of database-only routes.
  router.add(
      "GET", "/api/v1/files/{id}/content", [&app](Request& req) { return download(app, req); },
      http::Execution::blob_io, kRead);

  router.add(
      "DELETE", "/api/v1/files/{id}",
      [&app](Request& req) {
        app.files.remove(owner_of(req), req.param("id"));
        return Response::empty(204);
      },
      http::Execution::blob_io, kWrite);
}

}  // namespace mecapy::api
