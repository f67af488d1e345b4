// Packages and functions: deploying archives (a new package, or a new version of
// one), listing and reading packages, versions, functions and function versions,
// and the owner's changes (visibility, archive, yank). Also the public type catalogue.
#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>

#include "api/app.hpp"
#include "api/package_lookup.hpp"
#include "api/query_params.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "http/multipart.hpp"
#include "packages/deployer.hpp"
#include "packages/function_inputs.hpp"
#include "packages/port.hpp"

namespace mecapy::api {
namespace {

namespace fs = std::filesystem;
using http::Request;
using http::Response;
using packages::PackageRecord;

constexpr std::size_t kMaxFormFieldBytes = std::size_t{64} << 10;
constexpr std::uint64_t kMaxFormOverheadBytes = 1u << 20;

// The uploaded archive, spooled to a private file while it arrives (the unpacker
// needs random access for zip), removed when the request ends.
class SpooledArchive {
 public:
  SpooledArchive(const fs::path& dir, std::uint64_t limit) : limit_(limit) {
    fs::create_directories(dir);
    path_ = dir / ("upload-" + random_hex(12));
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) throw Error(ErrorKind::unavailable, "deploy-scratch", "The server cannot stage the upload now.");
  }
  ~SpooledArchive() {
    if (fd_ >= 0) ::close(fd_);
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  SpooledArchive(const SpooledArchive&) = delete;
  SpooledArchive& operator=(const SpooledArchive&) = delete;

  void write(std::string_view data) {
    size_ += data.size();
    if (size_ > limit_)
      throw Error(ErrorKind::too_large, "archive-too-large",
                  "The archive exceeds " + std::to_string(limit_ >> 20) +
                      " MiB (setting max_archive_size); leave data files out of the package.");
    while (!data.empty()) {
      const auto n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw Error(errno == ENOSPC ? ErrorKind::insufficient_storage : ErrorKind::unavailable, "deploy-scratch",
                    "The server cannot stage the upload: its scratch space is full or failing.");
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  std::uint64_t size() const { return size_; }
  const fs::path& path() const { return path_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  std::uint64_t limit_;
  fs::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

Response deployed(const boost::json::object& report, bool new_package) {
  Response r = Response::json(201, report);
  const auto& package = report.at("package").get_object();
  const std::string id(package.at("id").get_string());
  r.headers.set("Location", "/api/v1/packages/" + id + (new_package ? "" : "/versions"));
  return r;
}

// Who publishes into which namespace: the caller, or an organisation they belong to.
struct Owner {
  std::string id;
  std::string kind;  // user | organisation
};

// Who asked, for the audit log.
struct Actor {
  std::string id, ip, request_id;
};

// multipart/form-data with the archive in field `archive` (any other file field is
// refused), or a raw body (application/zip, application/gzip, ...).
class ArchiveUploadSink final : public http::BodySink {
 public:
  ArchiveUploadSink(AppContext& app, const Request& req, Owner owner, std::optional<PackageRecord> package,
                    std::optional<std::string> boundary)
      : app_(app),
        owner_(std::move(owner)),
        actor_{req.principal.id, req.remote_address, req.request_id},
        package_(std::move(package)),
        archive_(app.config.data_dir + "/tmp/deploy", app.config.max_archive_size) {
    if (boundary) {
      parser_.emplace(*boundary, http::MultipartParser::Events{[this](const http::PartHeaders& h) { begin_part(h); },
                                                               [this](std::string_view d) { part_data(d); },
                                                               [this] { in_archive_ = false; }});
    }
  }

  void write(std::string_view chunk) override {
    // The form's own bytes beyond the archive: a little, never a second archive.
    if ((body_bytes_ += chunk.size()) > app_.config.max_archive_size + kMaxFormOverheadBytes)
      throw Error(ErrorKind::too_large, "archive-too-large",
                  "The request exceeds the archive limit of " + std::to_string(app_.config.max_archive_size >> 20) +
                      " MiB (setting max_archive_size); leave data files out of the package.");
    if (parser_) {
      parser_->feed(chunk);
    } else {
      archive_.write(chunk);
      seen_archive_ = true;
    }
  }

  Response finish() override {
    if (parser_) parser_->finish();
    if (!seen_archive_ || archive_.size() == 0)
      throw Error(ErrorKind::invalid_input, "no-archive",
                  "Send the package archive (.zip or .tar.gz) in the multipart field 'archive'.");
    archive_.close();
    const bool new_package = !package_;
    packages::DeployRequest request;
    request.owner = owner_.id;
    request.owner_kind = owner_.kind;
    request.archive = archive_.path();
    request.package = package_;
    const auto report = app_.deployer.deploy(request);
    audit_deploy(report);
    return deployed(report, new_package && report.at("status") == "created");
  }

 private:
  void audit_deploy(const boost::json::object& report) {
    auth::accounts::AuditEvent event;
    event.actor = actor_.id;
    event.action = std::string(auth::accounts::audit_action::deploy);
    const auto& package = report.at("package").as_object();
    event.target = "package:" + std::string(package.at("full_name").as_string());
    event.ip = actor_.ip;
    event.request_id = actor_.request_id;
    event.detail = {{"status", report.at("status")}};
    if (const auto* version = report.if_contains("version")) event.detail["version"] = *version;
    app_.identity.audit().record(std::move(event));
  }

  void begin_part(const http::PartHeaders& h) {
    field_bytes_ = 0;
    in_archive_ = false;
    if (h.name == "archive" && h.filename) {
      if (seen_archive_) throw Error(ErrorKind::invalid_input, "duplicate-archive", "Send one archive per request.");
      in_archive_ = seen_archive_ = true;
    } else if (h.filename) {
      throw Error(ErrorKind::invalid_input, "unexpected-file",
                  "Only the field 'archive' may hold a file; '" + h.name + "' does too.");
    }
  }
  void part_data(std::string_view d) {
    if (in_archive_) {
      archive_.write(d);
    } else if ((field_bytes_ += d.size()) > kMaxFormFieldBytes) {
      throw Error(ErrorKind::invalid_input, "malformed-multipart", "a form field without a filename exceeds 64 KiB");
    }
  }

  AppContext& app_;
  Owner owner_;
  Actor actor_;
  std::optional<PackageRecord> package_;
  SpooledArchive archive_;
  std::optional<http::MultipartParser> parser_;
  bool in_archive_ = false;
  bool seen_archive_ = false;
  std::size_t field_bytes_ = 0;
  std::uint64_t body_bytes_ = 0;
};

std::unique_ptr<http::BodySink> open_upload(AppContext& app, Request& req, std::optional<PackageRecord> package) {
  const auto type = req.headers.get("Content-Type");
  std::optional<std::string> boundary;
  if (type && type->starts_with("multipart/")) {
    boundary = http::MultipartParser::boundary_of(*type);
    if (!boundary)
      throw Error(ErrorKind::invalid_input, "malformed-multipart",
                  "Content-Type multipart/form-data needs a boundary parameter (1 to 70 characters).");
  }
  // A new version of a package belongs to the package's owner (an organisation the
  // caller acts for, possibly); a new package to the caller, or to the organisation
  // named by ?owner= if the caller is one of its members.
  Owner owner{owner_of(req), "user"};
  if (package) {
    owner = {package->owner_id, package->owner_kind};
  } else if (const auto wanted = req.query_param("owner"); wanted && *wanted != owner.id) {
    if (!app.identity.organizations().role_of(*wanted, req.principal.id))
      throw Error(ErrorKind::not_found, "organisation-not-found",
                  "No organisation " + *wanted +
                      " that you belong to: you can publish as yourself or into an "
                      "organisation of yours.");
    owner = {*wanted, "organisation"};
  }
  return std::make_unique<ArchiveUploadSink>(app, req, std::move(owner), std::move(package), boundary);
}

}  // namespace

void register_packages_routes(http::Router& router, AppContext& app) {
  // Public packages may be read without signing in; what else a caller sees follows
  // their identity (viewer_of).
  const auto kRead = http::Access::open();
  const auto kWrite = http::Access::with_scope(http::scope::deploy);
  // The sink bounds the body itself, so that an oversize archive gets archive-too-large.
  constexpr std::uint64_t body_limit = 0;

  router.add_streamed(
      "POST", "/api/v1/packages", [&app](Request& req) { return open_upload(app, req, std::nullopt); }, body_limit,
      http::Execution::blob_io, kWrite);

  router.add_streamed(
      "POST", "/api/v1/packages/{id}/versions",
      [&app](Request& req) { return open_upload(app, req, require_own_package(app, req)); }, body_limit,
      http::Execution::blob_io, kWrite);

  router.add(
      "GET", "/api/v1/packages",
      [&app](Request& req) {
        packages::PackageQuery q;
        q.page = int_query(req, "page", 1);
        q.per_page = int_query(req, "per_page", 20);
        q.owner = req.query_param("owner").value_or("");
        q.search = req.query_param("search").value_or(req.query_param("q").value_or(""));
        q.tag = req.query_param("tag").value_or("");
        q.visibility = req.query_param("visibility").value_or("");
        q.include_archived = flag_query(req, "archived");
        const auto page = app.packages.list(viewer_of(app, req), q);
        boost::json::array items;
        for (const auto& p : page.items) items.push_back(packages::package_json(p));
        return Response::json(200,
                              {{"items", items}, {"page", q.page}, {"per_page", q.per_page}, {"total", page.total}});
      },
      http::Execution::offloaded, kRead);

  router.add(
      "GET", "/api/v1/packages/{id}",
      [&app](Request& req) {
        const auto package = require_package(app, req);
        auto body = packages::package_json(package);
        boost::json::array versions;
        for (const auto& v : app.packages.versions(package.id, viewer_of(app, req).acts_for(package.owner_id))) {
          versions.push_back({{"version", v.version}, {"yanked", v.yanked != 0}, {"created_at", v.created_at}});
        }
        body["versions"] = std::move(versions);
        return Response::json(200, body);
      },
      http::Execution::offloaded, kRead);

  router.add(
      "PATCH", "/api/v1/packages/{id}",
      [&app](Request& req) {
        auto package = require_own_package(app, req);
        const auto body = object_body(req);
        for (const auto& [key, value] : body) {
          if (key != "visibility" && key != "archived")
            throw Error(ErrorKind::unprocessable, "invalid-body",
                        "Unknown member '" + std::string(key) + "': you may change visibility and archived.");
        }
        if (const auto* visibility = body.if_contains("visibility")) {
          if (!visibility->is_string() || !packages::parse_visibility(visibility->get_string()))
            throw Error(ErrorKind::unprocessable, "invalid-visibility",
                        "visibility must be one of: private, internal, public.");
          const std::string before = package.visibility;
          package = app.packages.set_visibility(package.owner_id, package.id, std::string(visibility->get_string()));
          if (package.visibility != before)
            audit(app, req, auth::accounts::audit_action::visibility_changed,
                  "package:" + package.owner_id + "/" + package.name, {{"from", before}, {"to", package.visibility}});
        }
        if (const auto* archived = body.if_contains("archived")) {
          if (!archived->is_bool())
            throw Error(ErrorKind::unprocessable, "invalid-body", "archived must be true or false.");
          package = app.packages.set_archived(package.owner_id, package.id, archived->get_bool());
        }
        return Response::json(200, packages::package_json(package));
      },
      http::Execution::offloaded, kWrite);

  router.add(
      "GET", "/api/v1/packages/{id}/versions",
      [&app](Request& req) {
        const auto package = require_package(app, req);
        boost::json::array items;
        for (const auto& v : app.packages.versions(package.id, flag_query(req, "include_yanked"))) {
          items.push_back(packages::version_json(v));
        }
        return Response::json(200, {{"items", items}, {"total", items.size()}});
      },
      http::Execution::offloaded, kRead);

  router.add(
      "PATCH", "/api/v1/packages/{id}/versions/{version}",
      [&app](Request& req) {
        const auto package = require_own_package(app, req);
        const auto body = object_body(req);
        const auto* yanked = body.if_contains("yanked");
        if (!yanked || !yanked->is_bool() || body.size() != 1)
          throw Error(ErrorKind::unprocessable, "invalid-body", "Send {\"yanked\": true} or {\"yanked\": false}.");
        const auto v = app.packages.set_yanked(package.owner_id, package.id, req.param("version"), yanked->get_bool());
        return Response::json(200, packages::version_json(v));
      },
      http::Execution::offloaded, kWrite);

  router.add(
      "GET", "/api/v1/packages/{id}/functions",
      [&app](Request& req) {
        const auto package = require_package(app, req);
        const auto version = chosen_version(app, package, req.query_param("version"));
        boost::json::array items;
        for (const auto& f : app.packages.functions_of(version.id)) {
          items.push_back(packages::function_version_json(f, false));
        }
        return Response::json(200, {{"items", items}, {"version", version.version}, {"total", items.size()}});
      },
      http::Execution::offloaded, kRead);

  router.add(
      "GET", "/api/v1/packages/{id}/functions/{name}",
      [&app](Request& req) {
        const auto [package, version, function] = chosen_function(app, req, req.query_param("version"));
        auto body = packages::function_version_json(function, true);
        body["version"] = version.version;
        return Response::json(200, body);
      },
      http::Execution::offloaded, kRead);

  router.add(
      "POST", "/api/v1/packages/{id}/functions/{name}/validate",
      [&app](Request& req) {
        const auto [package, version, function] = chosen_function(app, req, req.query_param("version"));
        const auto body = object_body(req);
        const auto* inputs = body.if_contains("inputs");
        if (!inputs || !inputs->is_object())
          throw Error(ErrorKind::invalid_input, "invalid-body", "Send {\"inputs\": {name: value, ...}}.");
        auto checked = packages::check_inputs(function, inputs->get_object());
        if (!checked.problems.empty()) {
          boost::json::array errors;
          for (const auto& p : checked.problems) errors.push_back({{"pointer", p.pointer}, {"message", p.message}});
          const auto& first = checked.problems.front();
          throw DetailedError(ErrorKind::unprocessable, "invalid-inputs",
                              std::to_string(checked.problems.size()) + " input problem(s); the first: " +
                                  (first.pointer.empty() ? "" : first.pointer + ": ") + first.message,
                              {{"errors", std::move(errors)}});
        }
        return Response::json(200, {{"function_version_id", function.id},
                                    {"version", version.version},
                                    {"inputs", std::move(checked.inputs)}});
      },
      http::Execution::offloaded, kRead);

  router.add(
      "GET", "/api/v1/function-versions/{id}",
      [&app](Request& req) {
        const auto f = app.packages.function_version(req.param("id"));
        const auto package = f ? app.packages.find(viewer_of(app, req), f->package_id) : std::nullopt;
        if (!f || !package)
          throw Error(ErrorKind::not_found, "function-version-not-found",
                      "No function version " + req.param("id") + " that you may see.");
        return Response::json(200, packages::function_version_json(*f, true));
      },
      http::Execution::offloaded, kRead);
}

}  // namespace mecapy::api
