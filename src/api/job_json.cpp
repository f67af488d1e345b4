#include "api/job_json.hpp"

#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::api {

using http::Response;
using jobs::JobRecord;

boost::json::value json_or(const std::string& text, boost::json::value fallback) {
  if (text.empty()) return fallback;
  try {
    return parse_json(text);
  } catch (const Error&) {
    return fallback;
  }
}

namespace {

// The units of the function's outputs, from the job's function version.
boost::json::object output_units(AppContext& app, const JobRecord& job) {
  boost::json::object units;
  const auto function = app.packages.function_version(job.function_version_id);
  if (!function) return units;
  const auto spec = json_or(function->spec, boost::json::object{});
  if (const auto* outputs = spec.as_object().if_contains("outputs"); outputs && outputs->is_array()) {
    for (const auto& port : outputs->get_array()) {
      const auto& type = port.at("type").as_object();
      if (const auto* unit = type.if_contains("unit")) units[port.at("name").as_string()] = *unit;
    }
  }
  return units;
}

// An output file's name as one path segment ("plots/a.png" -> "plots%2Fa.png").
std::string encoded_name(const std::string& name) {
  std::string out;
  for (const char c : name) out += c == '/' ? std::string("%2F") : c == '%' ? std::string("%25") : std::string(1, c);
  return out;
}

}  // namespace

boost::json::object job_json(AppContext& app, const JobRecord& j, bool with_units) {
  boost::json::array files;
  const auto stored_files = json_or(j.output_files, boost::json::array{});
  for (const auto& f : stored_files.as_array()) {
    const auto& o = f.as_object();
    files.push_back(
        {{"name", o.at("name")},
         {"size", o.at("size")},
         {"sha256", o.at("sha256")},
         {"url", "/api/v1/jobs/" + j.id + "/files/" + encoded_name(std::string(o.at("name").as_string()))}});
  }
  boost::json::array input_files;
  const auto stored_inputs = json_or(j.input_files, boost::json::array{});
  for (const auto& f : stored_inputs.as_array()) {
    const auto& o = f.as_object();
    input_files.push_back({{"var", o.at("var")}, {"file_id", o.at("file_id")}, {"sha256", o.at("sha256")}});
  }
  boost::json::object out{
      {"job_id", j.id},
      {"status", j.status},
      {"package", j.package_name},
      {"package_id", j.package_id},
      {"version", j.package_version},
      {"function", j.function_name},
      {"function_version_id", j.function_version_id},
      {"owner", j.owner_id},
      {"inputs", json_or(j.inputs, boost::json::object{})},
      {"submitted_inputs", json_or(j.submitted_inputs, boost::json::object{})},
      {"input_files", std::move(input_files)},
      {"outputs", json_or(j.outputs, boost::json::object{})},
      {"output_files", std::move(files)},
      {"error", json_or(j.error, nullptr)},
      {"exit_reason", j.exit_reason},
      {"duration_ms", j.duration_ms},
      {"cpu_ms", j.cpu_ms},
      {"memory_peak_mb", j.memory_peak_mb},
      {"cached", !j.cached_from.empty()},
      {"cached_from", j.cached_from.empty() ? boost::json::value(nullptr) : boost::json::value(j.cached_from)},
      {"attempts", j.attempts},
      {"worker_id", j.worker_id},
      {"created_at", j.created_at},
      {"started_at", j.started_at},
      {"finished_at", j.finished_at},
      {"provenance",
       {{"package", j.package_name},
        {"version", j.package_version},
        {"function_checksum", j.function_checksum},
        {"interpreter", j.interpreter},
        {"platform", j.platform_version}}},
  };
  if (with_units) out["units"] = output_units(app, j);
  return out;
}

Response answer(AppContext& app, const JobRecord& job) {
  const bool final = jobs::is_final(jobs::parse_status(job.status));
  Response r = Response::json(final ? 200 : 202, job_json(app, job, true));
  if (!final) r.headers.set("Location", "/api/v1/jobs/" + job.id);
  return r;
}

}  // namespace mecapy::api
