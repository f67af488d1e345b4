#include "packages/deployer.hpp"

#include <sys/stat.h>

#include <boost/json/array.hpp>
#include <chrono>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "packages/introspection.hpp"
#include "packages/port_json.hpp"
#include "packages/semver.hpp"
#include "packages/source_tree.hpp"
#include "packages/test_cases.hpp"
#include "storage/sha256.hpp"

namespace mecapy::packages {
namespace {

namespace fs = std::filesystem;
constexpr std::uintmax_t kMaxManifestBytes = 1u << 20;
constexpr std::size_t kMaxTracebackBytes = 16u << 10;

// A private directory removed, with everything in it, when the deploy ends.
class ScratchDir {
 public:
  explicit ScratchDir(const fs::path& parent) : path_(parent / ("deploy-" + random_hex(12))) {
    fs::create_directories(path_);
    fs::permissions(path_, fs::perms(0700));
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_json(const fs::path& path, const boost::json::value& value) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << serialize_json(value);
  if (!out.flush()) throw Error(ErrorKind::unavailable, "deploy-scratch", "The server's scratch space is full.");
}

// A sandbox workspace: `in/` readable by the sandbox user, `out/` for it to write.
fs::path make_workspace(const fs::path& parent, const std::string& name) {
  fs::path ws = parent / name;
  fs::create_directories(ws / "in");
  fs::create_directories(ws / "out");
  fs::permissions(ws / "in", fs::perms(0755));
  fs::permissions(ws / "out", fs::perms(0777));
  return ws;
}

boost::json::array problems_json(const std::vector<ManifestProblem>& problems) {
  boost::json::array out;
  for (const auto& p : problems) {
    out.push_back({{"file", p.file}, {"line", p.at.line}, {"column", p.at.column}, {"message", p.message}});
  }
  return out;
}

[[noreturn]] void refuse_manifest(const std::vector<ManifestProblem>& errors,
                                  const std::vector<ManifestProblem>& warnings) {
  std::string detail = errors.size() == 1
                           ? "The manifest has 1 error: "
                           : "The manifest has " + std::to_string(errors.size()) + " errors; the first: ";
  detail += errors.front().to_string();
  throw DetailedError(ErrorKind::unprocessable, "invalid-manifest", detail,
                      {{"errors", problems_json(errors)}, {"warnings", problems_json(warnings)}});
}

std::string tail(std::string text, std::size_t bytes) {
  if (text.size() > bytes) text = "..." + text.substr(text.size() - bytes);
  return text;
}

// Reads a JSON document the runner wrote; throws a 422 naming the step when the
// run did not end well or left nothing readable.
boost::json::value runner_output(const sandbox::RunResult& run, const fs::path& file, const std::string& step,
                                 const std::string& code) {
  if (run.reason == sandbox::Reason::sandbox_error)
    throw Error(ErrorKind::unavailable, "sandbox-unavailable",
                "The sandbox could not run the package's code; an operator must check the server (see /ready).",
                run.message);
  std::error_code ec;
  if (run.reason == sandbox::Reason::ok && fs::is_regular_file(file, ec)) {
    try {
      return parse_json(read_file(file));
    } catch (const Error&) {
    }
  }
  std::string why = std::string(sandbox::to_string(run.reason));
  if (!run.message.empty()) why += " (" + run.message + ")";
  throw DetailedError(
      ErrorKind::unprocessable, code, "The package's " + step + " did not complete in the sandbox: " + why + ".",
      {{"reason", sandbox::to_string(run.reason)}, {"stderr", tail(run.stderr_output.text, kMaxTracebackBytes)}});
}

// The largest resources any function asks for: what the deploy-time steps get.
Resources deploy_resources(const Manifest& manifest) {
  Resources r = resolve_resources(manifest.resources, {});
  for (const auto& f : manifest.functions) {
    r.cpus = std::max(r.cpus, f.resources.cpus);
    r.memory_mb = std::max(r.memory_mb, f.resources.memory_mb);
    r.timeout_s = std::max(r.timeout_s, f.resources.timeout_s);
  }
  return r;
}

boost::json::object resources_json(const Resources& r) {
  return {{"cpu", r.cpus}, {"memory_mb", r.memory_mb}, {"timeout_s", r.timeout_s}};
}

boost::json::object function_spec_json(const FunctionSpec& f, const PythonInterpreter& python) {
  boost::json::array entrypoint;
  for (const auto& a : f.entrypoint) entrypoint.emplace_back(a);
  boost::json::object spec{{"name", f.name},
                           {"description", f.description},
                           {"inputs", ports_to_json(f.inputs)},
                           {"outputs", ports_to_json(f.outputs)},
                           {"input_schema", ports_schema(f.inputs)},
                           {"output_schema", ports_schema(f.outputs)},
                           {"resources", resources_json(f.resources)},
                           {"cache", f.cache},
                           {"interpreter", {{"path", python.path}, {"version", python.version}}}};
  if (!f.handler.empty()) spec["handler"] = f.handler;
  if (!f.entrypoint.empty()) spec["entrypoint"] = std::move(entrypoint);
  if (!f.outputs_declared) spec["outputs_declared"] = false;
  return spec;
}

// The function version's identity: the code (the source tree without mecapy.yml) and
// everything the manifest and the signature say about the function (the interpreter
// too: another Python may compute another result).
std::string function_checksum(const std::string& tree_sha256, const boost::json::object& spec) {
  storage::Sha256 hash;
  hash.update(tree_sha256);
  hash.update("\n");
  hash.update(serialize_json(spec));
  return hash.hex_digest();
}

boost::json::array tags_json(const std::vector<std::string>& tags) {
  boost::json::array out;
  for (const auto& t : tags) out.emplace_back(t);
  return out;
}

// Stores the archive file in the blob store.
storage::BlobInfo store_archive(storage::BlobStore& blobs, const fs::path& archive, const std::string& key) {
  auto writer = blobs.create(key);
  std::ifstream in(archive, std::ios::binary);
  std::string buffer(std::size_t{256} << 10, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (const auto n = in.gcount(); n > 0) writer->write(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
  }
  return writer->commit();
}

}  // namespace

Deployer::Deployer(PackageCatalog& catalog, storage::BlobStore& blobs, storage::BlobReferences& references,
                   SandboxedRunner& runner, DeployOptions options)
    : catalog_(catalog), blobs_(blobs), references_(references), runner_(runner), options_(std::move(options)) {}

boost::json::object Deployer::deploy(const DeployRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  const auto archive_size = fs::file_size(request.archive, ec);
  if (!ec && archive_size > options_.archive_limits.max_archive_bytes)
    throw Error(ErrorKind::too_large, "archive-too-large",
                "The archive exceeds " + std::to_string(options_.archive_limits.max_archive_bytes >> 20) +
                    " MiB (setting max_archive_size); leave data files out of the package.");

  ScratchDir scratch(options_.work_dir);
  const fs::path tree = scratch.path() / "tree";
  unpack_archive(request.archive, tree, options_.archive_limits);
  const fs::path root = package_root(tree);
  fs::permissions(scratch.path(), fs::perms(0755));

  // 2. The manifest.
  const fs::path manifest_path = root / "mecapy.yml";
  if (fs::file_size(manifest_path, ec) > kMaxManifestBytes)
    throw Error(ErrorKind::unprocessable, "manifest-too-large", "mecapy.yml exceeds 1 MiB.");
  const std::string manifest_text = read_file(manifest_path);
  ManifestOptions manifest_options;
  manifest_options.resource_cap = options_.resource_cap;
  auto parsed = parse_manifest(manifest_text, manifest_options);
  if (!parsed.errors.empty()) refuse_manifest(parsed.errors, parsed.warnings);
  Manifest manifest = std::move(*parsed.manifest);
  std::vector<ManifestProblem> warnings = std::move(parsed.warnings);
  std::vector<std::string> notes;

  // 3. The package and the version.
  std::optional<PackageRecord> existing = request.package;
  if (existing && existing->name != manifest.name)
    throw Error(ErrorKind::unprocessable, "package-name-mismatch",
                "This archive's mecapy.yml names package '" + manifest.name + "', not '" + existing->name +
                    "': upload it to POST /api/v1/packages, or fix package.name.");
  if (!existing) existing = catalog_.find_by_name(request.owner, manifest.name);
  const auto version = Semver::parse(manifest.version);
  std::optional<PackageVersionRecord> previous;
  if (existing) {
    for (const auto& v : catalog_.versions(existing->id, true)) {
      const auto other = Semver::parse(v.version);
      if (!other) continue;
      if (*other == *version)
        throw Error(ErrorKind::conflict, "version-exists",
                    "Version " + v.version + " of " + manifest.name +
                        " already exists and versions are immutable: raise package.version in mecapy.yml.");
      if (*version < *other)
        throw Error(ErrorKind::conflict, "version-not-increasing",
                    "Version " + manifest.version + " is below the existing " + v.version + " of " + manifest.name +
                        ": versions only go up; use a version above the highest one.");
      if (!previous) previous = v;  // versions() is newest first
    }
  }

  // The interpreter.
  const PythonInterpreter* python = runner_.interpreter_for(manifest.runtime_version);
  if (!python) {
    python = &runner_.default_interpreter();
    warnings.push_back({"mecapy.yml",
                        {},
                        "the manifest asks for Python " + manifest.runtime_version +
                            "; this server does not have it and runs the package on Python " + python->version});
  }
  if (manifest.requirements) {
    notes.emplace_back(
        "runtime.requirements is true: this is recorded, but this server does not install requirements yet; the "
        "functions run with the interpreter's installed modules only (numpy is available)");
  }
  const Resources step_resources = deploy_resources(manifest);
  // One deploy-time run of the runner in the sandbox, with the package's sources.
  const auto step = [&](std::string mode, std::vector<std::string> args, const fs::path& workspace) {
    RunnerCall call;
    call.mode = std::move(mode);
    call.args = std::move(args);
    call.workspace = workspace;
    call.sources = root;
    call.interpreter = python;
    call.resources = step_resources;
    return call;
  };

  // 4. Introspection of the Python handlers.
  boost::json::object handlers;
  for (const auto& f : manifest.functions) {
    if (!f.handler.empty()) handlers[f.name] = f.handler;
  }
  std::vector<ManifestProblem> errors;
  if (!handlers.empty()) {
    const fs::path ws = make_workspace(scratch.path(), "introspect");
    const auto run = runner_.run(step("introspect", {"--handlers", serialize_json(handlers)}, ws));
    const auto output = runner_output(run, ws / "out" / "introspection.json", "introspection", "introspection-failed");
    const auto* functions = output.is_object() ? output.get_object().if_contains("functions") : nullptr;
    boost::json::array import_errors;
    for (auto& f : manifest.functions) {
      if (f.handler.empty()) continue;
      const auto* info = functions && functions->is_object() ? functions->get_object().if_contains(f.name) : nullptr;
      if (!info || !info->is_object()) {
        errors.push_back({"mecapy.yml", f.at, "the runner did not describe function '" + f.name + "'"});
        continue;
      }
      const auto& o = info->get_object();
      if (const auto* ok = o.if_contains("ok"); !ok || !ok->is_bool() || !ok->get_bool()) {
        boost::json::object failure{{"function", f.name}, {"handler", f.handler}};
        if (const auto* error = o.if_contains("error")) failure["error"] = *error;
        import_errors.push_back(std::move(failure));
        continue;
      }
      merge_signature(f, *info, "mecapy.yml", errors);
    }
    if (!import_errors.empty()) {
      const auto& first = import_errors.front().get_object();
      std::string detail = "Importing handler " + std::string(first.at("handler").get_string()) + " failed";
      if (const auto* error = first.if_contains("error"); error && error->is_object()) {
        const auto& e = error->get_object();
        if (const auto* type = e.if_contains("type"); type && type->is_string())
          detail += ": " + std::string(type->get_string());
        if (const auto* message = e.if_contains("message"); message && message->is_string()) {
          detail += ": " + std::string(message->get_string());
        }
        if (const auto* traceback = e.if_contains("traceback"); traceback && traceback->is_string()) {
          detail += "\n" + tail(std::string(traceback->get_string()), kMaxTracebackBytes);
        }
      }
      throw DetailedError(ErrorKind::unprocessable, "import-error", detail, {{"import_errors", import_errors}});
    }
    if (const auto* info = output.is_object() ? output.get_object().if_contains("python") : nullptr;
        info && info->is_object()) {
      if (const auto* v = info->get_object().if_contains("version");
          v && v->is_string() && v->get_string() != python->version) {
        notes.push_back("the interpreter reported version " + std::string(v->get_string()));
      }
    }
  }
  if (!errors.empty()) refuse_manifest(errors, warnings);

  // 5. The source scan.
  boost::json::array scan_findings;
  {
    const fs::path ws = make_workspace(scratch.path(), "scan");
    const auto run = runner_.run(step("scan", {}, ws));
    const auto output = runner_output(run, ws / "out" / "scan.json", "source scan", "scan-failed");
    if (const auto* found = output.is_object() ? output.get_object().if_contains("warnings") : nullptr;
        found && found->is_array()) {
      scan_findings = found->get_array();
    }
  }
  if (options_.refuse_scan_findings && !scan_findings.empty()) {
    throw DetailedError(ErrorKind::unprocessable, "unsafe-source",
                        "The sources use " + std::to_string(scan_findings.size()) +
                            " thing(s) this server does not allow in packages (see findings).",
                        {{"findings", scan_findings}});
  }

  // 6. Test cases.
  std::map<std::string, boost::json::array> test_results;
  std::size_t passed = 0, failed = 0;
  if (manifest.tests_on_deployment) {
    struct Pending {
      const FunctionSpec* function;
      PreparedCases cases;
    };
    std::vector<Pending> pending;
    boost::json::array all;
    for (const auto& f : manifest.functions) {
      if (f.testcases.empty()) continue;
      if (f.handler.empty()) {
        warnings.push_back({"mecapy.yml", f.testcases_at,
                            "test cases of entrypoint function '" + f.name + "' are not run at deploy yet"});
        continue;
      }
      pending.push_back({&f, prepare_test_cases(f, root, "mecapy.yml", errors)});
      for (const auto& c : pending.back().cases.runnable) all.push_back(c);
    }
    if (!errors.empty()) refuse_manifest(errors, warnings);
    boost::json::array runner_results;
    if (!all.empty()) {
      const fs::path ws = make_workspace(scratch.path(), "testcases");
      write_json(ws / "in" / "testcases.json", all);
      const auto run = runner_.run(step("testcases", {}, ws));
      const auto output = runner_output(run, ws / "out" / "testcases.json", "test run", "test-run-failed");
      if (output.is_array()) runner_results = output.get_array();
    }
    std::size_t offset = 0;
    for (const auto& p : pending) {
      const auto count = p.cases.runnable.size();
      boost::json::array slice;
      for (std::size_t i = offset; i < offset + count && i < runner_results.size(); ++i) {
        slice.push_back(runner_results[i]);
      }
      offset += count;
      auto results = results_of(p.cases.runnable, slice, p.cases.invalid);
      for (const auto& r : results) {
        const auto* ok = r.get_object().if_contains("passed");
        (ok && ok->is_bool() && ok->get_bool()) ? ++passed : ++failed;
      }
      test_results[p.function->name] = std::move(results);
    }
    if (failed > 0 && manifest.tests_fail_on_error) {
      boost::json::object by_function;
      for (const auto& [name, results] : test_results) by_function[name] = results;
      throw DetailedError(ErrorKind::unprocessable, "testcases-failed",
                          std::to_string(failed) + " of " + std::to_string(passed + failed) +
                              " test case(s) failed and the manifest sets fail_on_error: the version is refused.",
                          {{"test_results", by_function}, {"passed", passed}, {"failed", failed}});
    }
  } else if (std::any_of(manifest.functions.begin(), manifest.functions.end(),
                         [](const FunctionSpec& f) { return !f.testcases.empty(); })) {
    notes.emplace_back("test cases are declared but not run: set quality.validation_testcases.on_deployment");
  }

  // 7. Store and publish.
  const std::string tree_sha256 = source_tree_sha256(root);
  const std::string code_sha256 = source_tree_sha256(root, "mecapy.yml");
  NewVersion v;
  v.new_package = !existing;
  if (existing) {
    v.package = *existing;
  } else {
    v.package.id = new_uuid();
    v.package.owner_id = request.owner;
    v.package.owner_kind = request.owner_kind;
    v.package.name = manifest.name;
    v.package.visibility = std::string(to_string(manifest.visibility));
  }
  v.version.id = new_uuid();
  v.package.description = manifest.description;
  v.package.tags = serialize_json(tags_json(manifest.tags));
  std::map<std::string, std::string> previous_checksums;
  if (previous) {
    for (const auto& f : catalog_.functions_of(previous->id)) previous_checksums[f.name] = f.checksum;
  }
  boost::json::array functions_report;
  for (const auto& f : manifest.functions) {
    const auto spec = function_spec_json(f, *python);
    FunctionVersionRecord record;
    record.id = new_uuid();
    record.package_id = v.package.id;
    record.package_version_id = v.version.id;
    record.owner_id = request.owner;
    record.name = f.name;
    record.checksum = function_checksum(code_sha256, spec);
    record.spec = serialize_json(spec);
    record.test_results = serialize_json(test_results.contains(f.name) ? test_results[f.name] : boost::json::array{});
    const auto before = previous_checksums.find(f.name);
    const char* status = before == previous_checksums.end()  ? "deployed"
                         : before->second == record.checksum ? "unchanged"
                                                             : "updated";
    functions_report.push_back(
        {{"name", f.name}, {"status", status}, {"id", record.id}, {"checksum", record.checksum}});
    if (before != previous_checksums.end()) previous_checksums.erase(before);
    v.functions.push_back(std::move(record));
  }
  boost::json::array removed;
  for (const auto& [name, checksum] : previous_checksums) removed.emplace_back(name);

  v.source_blob = store_archive(blobs_, request.archive, "packages/" + v.package.id + "/" + manifest.version);
  v.version.package_id = v.package.id;
  v.version.owner_id = request.owner;
  v.version.version = manifest.version;
  v.version.manifest = manifest_text;
  v.version.source_blob_key = v.source_blob.key;
  v.version.source_sha256 = tree_sha256;
  v.version.archive_sha256 = v.source_blob.sha256;  // the store hashed it while writing
  v.version.archive_size = v.source_blob.size;
  v.version.runtime = serialize_json(boost::json::object{{"kind", manifest.runtime_kind},
                                                         {"requested", manifest.runtime_version},
                                                         {"python", python->version},
                                                         {"interpreter", python->path},
                                                         {"requirements", manifest.requirements}});
  boost::json::array all_warnings = problems_json(warnings);
  for (const auto& finding : scan_findings) all_warnings.push_back(finding);
  boost::json::array notes_json;
  for (const auto& n : notes) notes_json.emplace_back(n);
  boost::json::object report{
      {"status", v.new_package ? "created" : "new-version"},
      {"functions", functions_report},
      {"removed_functions", removed},
      {"warnings", all_warnings},
      {"notes", notes_json},
      {"tests", {{"ran", manifest.tests_on_deployment}, {"passed", passed}, {"failed", failed}}},
      {"interpreter", {{"requested", manifest.runtime_version}, {"version", python->version}, {"path", python->path}}},
  };
  v.version.report = serialize_json(report);
  try {
    catalog_.publish(v);
  } catch (...) {
    references_.reclaim(v.source_blob.key);
    throw;
  }
  report["package"] = package_json(*catalog_.find(Viewer{request.owner, {}}, v.package.id));
  report["version"] = version_json(v.version);
  report["duration_ms"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return report;
}

boost::json::object package_json(const PackageRecord& p) {
  boost::json::value tags = boost::json::array{};
  try {
    tags = parse_json(p.tags);
  } catch (const Error&) {
  }
  return {{"id", p.id},
          {"owner", p.owner_id},
          {"owner_kind", p.owner_kind},
          {"name", p.name},
          {"full_name", p.owner_id + "/" + p.name},
          {"description", p.description},
          {"visibility", p.visibility},
          {"tags", tags},
          {"archived", p.archived != 0},
          {"latest_version", p.latest_version},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

boost::json::object version_json(const PackageVersionRecord& v) {
  boost::json::object o{{"id", v.id},
                        {"package_id", v.package_id},
                        {"version", v.version},
                        {"yanked", v.yanked != 0},
                        {"source_sha256", v.source_sha256},
                        {"archive_sha256", v.archive_sha256},
                        {"archive_size", v.archive_size},
                        {"created_at", v.created_at}};
  try {
    o["runtime"] = parse_json(v.runtime);
    o["report"] = parse_json(v.report);
  } catch (const Error&) {
  }
  return o;
}

boost::json::object function_version_json(const FunctionVersionRecord& f, bool full) {
  boost::json::object o{{"id", f.id},
                        {"name", f.name},
                        {"package_id", f.package_id},
                        {"package_version_id", f.package_version_id},
                        {"checksum", f.checksum},
                        {"created_at", f.created_at}};
  const auto spec = parse_json(f.spec);
  const auto& s = spec.get_object();
  o["description"] = s.at("description");
  for (const char* key : {"handler", "entrypoint"}) {
    if (const auto* v = s.if_contains(key)) o[key] = *v;
  }
  o["inputs"] = s.at("inputs");
  o["outputs"] = s.at("outputs");
  o["resources"] = s.at("resources");
  o["interpreter"] = s.at("interpreter");
  if (full) {
    o["input_schema"] = s.at("input_schema");
    o["output_schema"] = s.at("output_schema");
    o["cache"] = s.at("cache");
    o["test_results"] = parse_json(f.test_results);
  }
  return o;
}

}  // namespace mecapy::packages
