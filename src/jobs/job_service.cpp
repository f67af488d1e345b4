#include "jobs/job_service.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "packages/function_inputs.hpp"
#include "packages/port_json.hpp"
#include "storage/sha256.hpp"

namespace mecapy::jobs {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string extension_of(const std::string& filename) {
  const auto dot = filename.rfind('.');
  return dot == std::string::npos || dot + 1 == filename.size() ? std::string() : lower(filename.substr(dot + 1));
}

[[noreturn]] void invalid(std::vector<packages::ValueProblem> problems) {
  boost::json::array errors;
  for (const auto& p : problems) errors.push_back({{"pointer", p.pointer}, {"message", p.message}});
  const auto& first = problems.front();
  throw DetailedError(ErrorKind::unprocessable, "invalid-inputs",
                      std::to_string(problems.size()) + " input problem(s); the first: " +
                          (first.pointer.empty() ? "" : first.pointer + ": ") + first.message,
                      {{"errors", std::move(errors)}});
}

// What is wrong with giving a file for each of `vars`.
std::vector<packages::ValueProblem> file_var_problems(const std::vector<packages::Port>& ports,
                                                      const std::vector<std::string>& vars) {
  std::vector<packages::ValueProblem> problems;
  for (const auto& var : vars) {
    const auto port = std::find_if(ports.begin(), ports.end(), [&](const auto& p) { return p.name == var; });
    if (port == ports.end()) {
      problems.push_back({"/" + var, "the function has no input " + var});
    } else if (port->type.kind != packages::TypeKind::file) {
      problems.push_back({"/" + var, var + " is not a file input: give its value in inputs"});
    }
  }
  return problems;
}

std::vector<packages::Port> input_ports(const boost::json::object& spec) {
  return packages::ports_from_json(spec.at("inputs"));
}

bool cache_allowed(const boost::json::object& spec, const SubmitOptions& options) {
  const auto* cache = spec.if_contains("cache");
  return !options.no_cache && (!cache || !cache->is_bool() || cache->get_bool());
}

}  // namespace

JobService::JobService(JobQueue& queue, files::FileCatalog& files) : queue_(queue), files_(files) {}

std::string JobService::cache_key(const std::string& checksum, const boost::json::object& inputs,
                                  const boost::json::array& input_files) {
  // A file input counts by its content: its value (the id of one upload of it) is left out.
  boost::json::object values = inputs;
  std::vector<std::string> files;
  for (const auto& f : input_files) {
    const auto& o = f.as_object();
    values.erase(o.at("var").as_string());
    files.push_back(std::string(o.at("var").as_string()) + "=" + std::string(o.at("sha256").as_string()));
  }
  std::sort(files.begin(), files.end());
  storage::Sha256 hash;
  hash.update(checksum);
  hash.update("\n");
  hash.update(serialize_json(values));
  for (const auto& f : files) hash.update("\n" + f);
  return hash.hex_digest();
}

void JobService::check_file_vars(const packages::FunctionVersionRecord& function,
                                 const std::vector<std::string>& vars) {
  auto problems = file_var_problems(input_ports(parse_json(function.spec).as_object()), vars);
  if (!problems.empty()) invalid(std::move(problems));
}

JobRecord JobService::submit(const std::string& owner, const Submission& s) {
  const auto spec_value = parse_json(s.function.spec);
  const auto& spec = spec_value.as_object();
  const auto ports = input_ports(spec);

  // File inputs: ids of the caller's files, given in `files` or as the input's value.
  boost::json::object given = s.inputs;
  for (const auto& [var, id] : s.files) given[var] = id;
  std::vector<packages::ValueProblem> problems;
  boost::json::array input_files;
  for (const auto& port : ports) {
    if (port.type.kind != packages::TypeKind::file || !given.contains(port.name)) continue;
    const auto& value = given.at(port.name);
    const std::string pointer = "/" + port.name;
    if (!value.is_string()) {
      problems.push_back({pointer, port.name + " is a file: give the id of one of your files"});
      continue;
    }
    const auto file = files_.find(owner, std::string(value.get_string()));
    if (!file) {
      problems.push_back({pointer, "you have no file " + std::string(value.get_string())});
      continue;
    }
    const std::string extension = extension_of(file->filename);
    const auto& allowed = port.type.extensions;
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), extension) == allowed.end()) {
      std::string list;
      for (const auto& e : allowed) list += (list.empty() ? "" : ", ") + e;
      problems.push_back(
          {pointer, "'" + file->filename + "' is not one of the file types " + port.name + " accepts (" + list + ")"});
      continue;
    }
    input_files.push_back({{"var", port.name},
                           {"file_id", file->id},
                           {"filename", file->filename},
                           {"extension", extension},
                           {"size", file->size},
                           {"sha256", file->sha256},
                           {"blob_key", file->blob_key}});
  }
  std::vector<std::string> file_vars;
  for (const auto& member : s.files) file_vars.emplace_back(member.key());
  for (auto& problem : file_var_problems(ports, file_vars)) problems.push_back(std::move(problem));
  if (!problems.empty()) invalid(std::move(problems));
  auto checked = packages::check_inputs(s.function, given);
  if (!checked.problems.empty()) invalid(std::move(checked.problems));

  JobRecord job;
  job.owner_id = owner;
  job.package_id = s.package.id;
  job.package_name = s.package.owner_id + "/" + s.package.name;
  job.package_version = s.version.version;
  job.function_version_id = s.function.id;
  job.function_name = s.function.name;
  job.function_checksum = s.function.checksum;
  if (const auto* interpreter = spec.if_contains("interpreter"); interpreter && interpreter->is_object()) {
    job.interpreter = std::string(interpreter->get_object().at("version").as_string());
  }
  job.platform_version = MECAPY_VERSION;
  job.inputs = serialize_json(checked.inputs);
  job.submitted_inputs = serialize_json(s.inputs);
  job.input_files = serialize_json(input_files);
  job.cache_key = cache_key(s.function.checksum, checked.inputs, input_files);
  job.priority = s.options.priority;
  job.timeout_s = s.options.timeout_s;

  if (cache_allowed(spec, s.options)) {
    if (const auto hit = queue_.cached_result(job.cache_key)) {
      job.status = "completed";
      job.outputs = hit->outputs;
      job.output_files = hit->output_files;
      job.exit_reason = hit->exit_reason;
      job.cached_from = hit->id;
      job = queue_.record_final(std::move(job));
      if (bus_) bus_->publish({"job.finished", job.id, job.owner_id});
      return job;
    }
  }
  job = queue_.enqueue(std::move(job));
  if (bus_) bus_->publish({"job.queued", job.id, job.owner_id});
  return job;
}

}  // namespace mecapy::jobs
