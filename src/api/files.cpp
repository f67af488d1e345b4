// Files: streamed uploads (multipart/form-data or a raw body), listing, metadata,
// downloads with ETag / If-None-Match / Range, and deletion. Every route acts on the
// caller's own files only.
#include <boost/json.hpp>

#include "api/app.hpp"
#include "api/blob_download.hpp"
#include "api/query_params.hpp"
#include "core/errors.hpp"
#include "files/file_catalog.hpp"
#include "files/filename.hpp"
#include "files/upload_batch.hpp"
#include "http/media_type.hpp"
#include "http/multipart.hpp"
#include "http/problem.hpp"

namespace mecapy::api {
namespace {

using files::FileCatalog;
using files::FileRecord;
using http::Request;
using http::Response;

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

// multipart/form-data: every part with a filename becomes a file, all or none (an
// UploadBatch: parts staged as they end, recorded together at the end, one quota
// budget for all).
class MultipartUploadSink final : public http::BodySink {
 public:
  MultipartUploadSink(FileCatalog& catalog, std::string owner, const std::string& boundary)
      : batch_(catalog, std::move(owner)),
        parser_(boundary, {[this](const http::PartHeaders& h) { begin_part(h); },
                           [this](std::string_view d) { part_data(d); }, [this] { end_part(); }}) {}

  void write(std::string_view chunk) override { parser_.feed(chunk); }

  Response finish() override {
    parser_.finish();
    if (batch_.staged().empty())
      throw Error(ErrorKind::invalid_input, "no-file",
                  "The form contains no file: send each file in a part with a filename, e.g. field 'file'.");
    return created(batch_.record());
  }

 private:
  void begin_part(const http::PartHeaders& h) {
    field_bytes_ = 0;
    if (h.filename) batch_.begin(*h.filename, h.content_type);
  }
  void part_data(std::string_view d) {
    if (batch_.in_file()) {
      batch_.write(d);
    } else if ((field_bytes_ += d.size()) > kMaxFormFieldBytes) {
      throw Error(ErrorKind::invalid_input, "malformed-multipart", "a form field without a filename exceeds 64 KiB");
    }
  }
  void end_part() {
    if (batch_.in_file()) batch_.end();
  }

  files::UploadBatch batch_;
  http::MultipartParser parser_;
  std::size_t field_bytes_ = 0;
};

FileRecord require_file(AppContext& app, const Request& req) {
  auto f = app.files.find(owner_of(req), req.param("id"));
  if (!f) throw Error(ErrorKind::not_found, "file-not-found", "You have no file " + req.param("id") + ".");
  return *f;
}

Response download(AppContext& app, Request& req) {
  const FileRecord f = require_file(app, req);
  return serve_blob(app.blobs, req, {f.blob_key, f.size, f.sha256, f.filename, f.content_type, "file " + f.id});
}

}  // namespace

void register_files_routes(http::Router& router, AppContext& app) {
  // What the identity work maps roles and token scopes onto.
  const auto kRead = http::Access::with_scope(http::scope::read);
  const auto kWrite = http::Access::with_scope(http::scope::run);

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
