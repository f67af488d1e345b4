// `mecapy deploy [DIR|ARCHIVE]`: publishes a package or a new version of it
// (POST /api/v1/packages, docs/packages.md). A directory is packed first
// (package_archive.hpp); an archive is sent as it is. Prints the deploy report: each
// function with its status (deployed, updated, unchanged), the removed ones, every
// warning as file:line:col: message, the test cases' results. A refused deploy lists
// the manifest's errors as file:line:col: message (exit 2).
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/package_archive.hpp"
#include "cli/progress.hpp"

namespace mecapy::cli {
namespace {

std::string position(const boost::json::value& warning) {
  std::string where = member_text(warning, "file");
  if (const auto line = member_text(warning, "line"); !line.empty()) where += ":" + line;
  std::string column = member_text(warning, "column");
  if (column.empty()) column = member_text(warning, "col");
  if (!column.empty()) where += ":" + column;
  return where;
}

void print_report(const boost::json::value& report) {
  const auto& package = report.at("package");
  std::printf("%s\n", (member_text(report, "status") + " " + member_text(package, "owner") + "/" +
                       member_text(package, "name") + " " + member_text(report.at("version"), "version"))
                          .c_str());
  Table functions({"function", "status"});
  for (const auto& f : report.at("functions").as_array())
    functions.add({member_text(f, "name"), member_text(f, "status")});
  if (const auto* removed = report.as_object().if_contains("removed_functions"); removed && removed->is_array())
    for (const auto& name : removed->get_array()) functions.add({value_text(name), "removed"});
  functions.print();
  if (const auto* warnings = report.as_object().if_contains("warnings"); warnings && warnings->is_array())
    for (const auto& w : warnings->get_array())
      std::fprintf(stderr, "%s: warning: %s\n", position(w).c_str(), member_text(w, "message").c_str());
  if (const auto* tests = report.as_object().if_contains("tests");
      tests && tests->is_object() && member_text(*tests, "ran") == "true")
    std::printf("tests: %s passed, %s failed\n", member_text(*tests, "passed").c_str(),
                member_text(*tests, "failed").c_str());
}

void deploy(Context& context, const std::string& target, bool json) {
  ApiClient& api = context.signed_in_client();
  std::optional<PackedArchive> packed;
  std::string archive = target;
  std::string filename = std::filesystem::path(target).filename().string();
  if (std::filesystem::is_directory(target)) {
    packed.emplace(pack_directory(target));
    archive = packed->path();
    const auto name = std::filesystem::absolute(target).lexically_normal().filename().string();
    filename = (name.empty() ? std::string("package") : name) + ".tar.gz";
  } else if (!std::filesystem::is_regular_file(target)) {
    throw CliError(Exit::usage, target + ": no such directory or archive");
  }
  ProgressBar bar(filename);
  const ApiResponse r = api.post_form("/api/v1/packages", {FormPart{"archive", "", "", archive, filename}}, &bar);
  if (r.status >= 400) throw api_error(r);
  const boost::json::value report = json_of(r);
  if (json)
    print_json(report);
  else
    print_report(report);
}

}  // namespace

void add_deploy_command(CLI::App& app, Context& context) {
  auto target = std::make_shared<std::string>(".");
  auto json = std::make_shared<bool>(false);
  auto* command = app.add_subcommand("deploy", "Publish a package (a directory with its mecapy.yml, or an archive)");
  command->add_option("path", *target, "The package's directory, or a .zip / .tar.gz archive")->capture_default_str();
  command->add_flag("--json", *json, "Print the deploy report as JSON");
  command->footer(
      "Examples:\n  mecapy deploy examples/bolted-joint\n  mecapy deploy                      # the current directory\n"
      "  mecapy deploy bolted-joint-1.1.0.zip --json");
  command->callback(
      [&context, target, json] { context.action = [&context, target, json] { deploy(context, *target, *json); }; });
}

}  // namespace mecapy::cli
