// `mecapy run PKG FN --input NAME=VALUE ... --input-file NAME=PATH ...`: runs a
// function (POST /packages/{pkg}/functions/{fn}/execute, docs/jobs.md). Inputs are
// read by input_values.hpp (a unit after the number is sent as {value, unit}); file
// inputs are uploaded in the same request (multipart: the `request` part and one part
// per file input). The job is submitted asynchronously and followed: its log goes to
// stderr as it comes, then its outputs are printed (a table, or the job as JSON with
// --json). With --async the job's id is printed as soon as it is queued.
// Refused inputs are listed one per line at their input (exit 2); a job that does not
// complete exits 1.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>

#include "cli/context.hpp"
#include "cli/input_values.hpp"
#include "cli/job_output.hpp"
#include "cli/output.hpp"
#include "core/json.hpp"

namespace mecapy::cli {
namespace {

struct RunOptions {
  std::string package;
  std::string function;
  std::vector<std::string> inputs;
  std::vector<std::string> input_files;
  std::string version;
  int timeout_s = 0;
  bool async = false;
  bool json = false;
  bool no_cache = false;
  bool quiet = false;
};

std::string job_id_of(const boost::json::value& job, const ApiResponse& response) {
  if (auto id = member_text(job, "job_id"); !id.empty()) return id;
  if (const auto slash = response.location.rfind('/'); slash != std::string::npos)
    return response.location.substr(slash + 1);
  throw CliError(Exit::server, "the server did not say which job it queued");
}

void run(Context& context, const RunOptions& options) {
  boost::json::object inputs;
  for (const auto& assignment : options.inputs) {
    auto [name, text] = split_assignment(assignment, "--input");
    if (inputs.contains(name)) throw CliError(Exit::usage, "--input " + name + " is given twice");
    inputs[name] = input_value(text);
  }
  std::vector<FormPart> files;
  for (const auto& assignment : options.input_files) {
    auto [name, path] = split_assignment(assignment, "--input-file");
    if (name == "request") throw CliError(Exit::usage, "a file input named 'request' cannot be uploaded with the call");
    if (inputs.contains(name)) throw CliError(Exit::usage, name + " is given both as --input and --input-file");
    if (!std::filesystem::is_regular_file(path)) throw CliError(Exit::usage, path + ": no such file");
    for (const auto& part : files)
      if (part.name == name) throw CliError(Exit::usage, "--input-file " + name + " is given twice");
    files.push_back(FormPart{name, "", "", path, ""});
  }

  boost::json::object body{{"inputs", std::move(inputs)}, {"async", true}};
  if (!options.version.empty()) body["version"] = options.version;
  if (options.timeout_s > 0) body["timeout_s"] = options.timeout_s;
  if (options.no_cache) body["no_cache"] = true;

  ApiClient& api = context.signed_in_client();
  const std::string path =
      "/api/v1/packages/" + encode(options.package) + "/functions/" + encode(options.function) + "/execute";
  const std::string request = serialize_json(body);
  ApiResponse response;
  if (files.empty()) {
    response = api.request("POST", path, &request);
  } else {
    files.insert(files.begin(), FormPart{"request", request, "application/json", "", ""});
    response = api.post_form(path, files);
  }
  if (response.status >= 400) throw api_error(response);
  boost::json::value job = json_of(response);
  const std::string id = job_id_of(job, response);

  if (options.async) {
    if (options.json)
      print_json(job);
    else
      std::printf("%s\n", id.c_str());
    return;
  }
  if (!is_final(member_text(job, "status")))
    job = wait_for_job(api, id, options.quiet || options.json ? LogSink::none : LogSink::stderr_only);
  if (options.json)
    print_json(job);
  else
    print_job(job);
  throw_unless_completed(job);
}

}  // namespace

void add_run_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<RunOptions>();
  auto* run_command = app.add_subcommand("run", "Run a function and print its outputs");
  run_command->add_option("package", options->package, "owner/name or the package's id")->required();
  run_command->add_option("function", options->function, "The function's name")->required();
  run_command->add_option("--input,-i", options->inputs,
                          "NAME=VALUE: a number (12), a number with a unit (10mm, 2.5kN), JSON, or text");
  run_command->add_option("--input-file,-f", options->input_files, "NAME=PATH: a file input, uploaded with the call");
  run_command->add_option("--version", options->version, "A version of the package (default: the latest)");
  run_command->add_option("--timeout", options->timeout_s, "Stop the job after this many seconds")
      ->check(CLI::PositiveNumber);
  run_command->add_flag("--async", options->async, "Print the job's id once it is queued, without waiting");
  run_command->add_flag("--json", options->json, "Print the job as JSON");
  run_command->add_flag("--no-cache", options->no_cache, "Run even when an identical earlier job has a result");
  run_command->add_flag("--quiet", options->quiet, "Do not print the job's log while it runs");
  run_command->footer(
      "Examples:\n"
      "  mecapy run admin/bolted-joint max_preload --input d=10mm --input p=1.5mm --input mu_th=0.12\n"
      "  mecapy run admin/fixtures file_info --input-file file=./part.csv --json\n"
      "  JOB=$(mecapy run admin/fixtures sleep -i seconds=30 --async) && mecapy jobs logs -f \"$JOB\"");
  run_command->callback([&context, options] { context.action = [&context, options] { run(context, *options); }; });
}

}  // namespace mecapy::cli
