// `mecapy jobs ls|show|logs [-f]|download|cancel`: your calculation history
// (docs/jobs.md). `jobs download` writes a job's output files into a directory.
// `jobs show` prints a job whatever its status (exit 0); `jobs logs -f` follows the
// log until the job is final; `jobs cancel` asks the server to stop a job and prints
// the status it answered.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>

#include "cli/context.hpp"
#include "cli/job_output.hpp"
#include "cli/list_options.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"

namespace mecapy::cli {
namespace {

std::string job_path(const std::string& id) { return "/api/v1/jobs/" + encode(id); }

struct JobListOptions : ListOptions {
  std::string status, package, function;
};

void list(Context& context, const JobListOptions& options) {
  ApiClient& api = context.signed_in_client();
  const boost::json::value answer = api.get_json(
      "/api/v1/jobs" +
      list_query(options, {{"status", options.status}, {"package", options.package}, {"function", options.function}}));
  if (options.json) return print_json(answer);
  Table table({"job", "status", "package", "function", "created_at"});
  for (const auto& job : answer.at("items").as_array())
    table.add({member_text(job, "job_id"), member_text(job, "status"), member_text(job, "package"),
               member_text(job, "function"), member_text(job, "created_at")});
  table.print();
  print_list_footer(answer, "jobs");
}

// Writes each output file of job `id` into `directory` (created if needed) under its
// own name, and prints each path written.
void download_outputs(Context& context, const std::string& id, const std::string& directory) {
  ApiClient& api = context.signed_in_client();
  const boost::json::value job = api.get_json(job_path(id));
  const auto* files = job.as_object().if_contains("output_files");
  if (!files || !files->is_array() || files->get_array().empty()) {
    std::printf("job %s has no output files\n", id.c_str());
    return;
  }
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) throw CliError(Exit::usage, directory + ": cannot be created: " + ec.message());
  for (const auto& file : files->get_array()) {
    const std::string name = std::filesystem::path(member_text(file, "name")).filename().string();
    if (name.empty() || name == "." || name == "..") continue;
    const std::string target = (std::filesystem::path(directory) / name).string();
    ProgressBar bar(name);
    const ApiResponse r = api.download(job_path(id) + "/files/" + encode(name), target, &bar);
    if (r.status >= 400) throw api_error(r);
    std::printf("%s\n", target.c_str());
  }
}

}  // namespace

void add_jobs_commands(CLI::App& app, Context& context) {
  auto* jobs = app.add_subcommand("jobs", "Your jobs: list, show, follow logs, download outputs, cancel");
  jobs->require_subcommand(1);
  jobs->footer(
      "Examples:\n  mecapy jobs ls --status failed\n  mecapy jobs show JOB_ID\n"
      "  mecapy jobs logs -f JOB_ID\n  mecapy jobs cancel JOB_ID");

  auto list_options = std::make_shared<JobListOptions>();
  auto* ls = jobs->add_subcommand("ls", "Your jobs, newest first");
  ls->add_option("--status", list_options->status, "pending, running, completed, failed, timeout or cancelled");
  ls->add_option("--package", list_options->package, "Only jobs of this package (owner/name)");
  ls->add_option("--function", list_options->function, "Only jobs of this function");
  add_list_options(ls, *list_options, "jobs");
  ls->footer("Examples:\n  mecapy jobs ls\n  mecapy jobs ls --package admin/bolted-joint --json");
  ls->callback(
      [&context, list_options] { context.action = [&context, list_options] { list(context, *list_options); }; });

  struct JobOptions {
    std::string id;
    bool json = false;
    bool follow = false;
  };
  auto show_options = std::make_shared<JobOptions>();
  auto* show = jobs->add_subcommand("show", "One job: status, outputs with units, error");
  show->add_option("id", show_options->id, "The job's id")->required();
  show->add_flag("--json", show_options->json, "Print the job as JSON");
  show->footer("Examples:\n  mecapy jobs show JOB_ID\n  mecapy jobs show JOB_ID --json");
  show->callback([&context, show_options] {
    context.action = [&context, show_options] {
      const boost::json::value job = context.signed_in_client().get_json(job_path(show_options->id));
      if (show_options->json)
        print_json(job);
      else
        print_job(job);
    };
  });

  auto logs_options = std::make_shared<JobOptions>();
  auto* logs = jobs->add_subcommand("logs", "What a job wrote on stdout and stderr");
  logs->add_option("id", logs_options->id, "The job's id")->required();
  logs->add_flag("--follow,-f", logs_options->follow, "Keep printing until the job is finished");
  logs->add_flag("--json", logs_options->json, "One JSON entry {index, kind, chunk} a line");
  logs->footer("Examples:\n  mecapy jobs logs JOB_ID\n  mecapy jobs logs -f JOB_ID");
  logs->callback([&context, logs_options] {
    context.action = [&context, logs_options] {
      ApiClient& api = context.signed_in_client();
      (void)print_logs(api, logs_options->id, 0, logs_options->follow,
                       logs_options->json ? LogSink::json_lines : LogSink::own_streams);
    };
  });

  struct DownloadOptions {
    std::string id;
    std::string directory = ".";
  };
  auto download_options = std::make_shared<DownloadOptions>();
  auto* download = jobs->add_subcommand("download", "Download a job's output files");
  download->add_option("id", download_options->id, "The job's id")->required();
  download->add_option("--output,-o", download_options->directory, "The directory to write them into")
      ->capture_default_str();
  download->footer("Examples:\n  mecapy jobs download JOB_ID -o results/");
  download->callback([&context, download_options] {
    context.action = [&context, download_options] {
      download_outputs(context, download_options->id, download_options->directory);
    };
  });

  auto cancel_options = std::make_shared<JobOptions>();
  auto* cancel = jobs->add_subcommand("cancel", "Stop a pending or running job");
  cancel->add_option("id", cancel_options->id, "The job's id")->required();
  cancel->add_flag("--json", cancel_options->json, "Print the server's answer as JSON");
  cancel->footer("Examples:\n  mecapy jobs cancel JOB_ID");
  cancel->callback([&context, cancel_options] {
    context.action = [&context, cancel_options] {
      const boost::json::value answer =
          context.signed_in_client().send_json("POST", job_path(cancel_options->id) + "/cancel", boost::json::object{});
      if (cancel_options->json)
        print_json(answer);
      else
        std::printf("%s\n", ("job " + cancel_options->id + " " + member_text(answer, "status")).c_str());
    };
  });
}

}  // namespace mecapy::cli
