// `mecapy files upload|ls|download|rm`: your files on the server (docs/files.md).
// Uploads are one multipart request per file, streamed from disk; downloads are
// written next to their target and renamed into place when complete. Both draw a
// progress bar when stderr is a terminal.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>

#include "cli/context.hpp"
#include "cli/list_options.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"

namespace mecapy::cli {
namespace {

std::vector<std::string> file_row(const boost::json::value& file) {
  std::string size = member_text(file, "size");
  return {member_text(file, "id"), member_text(file, "filename"), size, member_text(file, "created_at")};
}

void upload(Context& context, const std::vector<std::string>& paths, bool json) {
  ApiClient& api = context.signed_in_client();
  for (const auto& path : paths)
    if (!std::filesystem::is_regular_file(path)) throw CliError(Exit::usage, path + ": no such file");
  boost::json::array uploaded;
  Table table({"id", "filename", "size", "created_at"});
  for (const auto& path : paths) {
    ProgressBar bar(std::filesystem::path(path).filename().string());
    const ApiResponse r = api.post_form("/api/v1/files", {FormPart{"file", "", "", path, ""}}, &bar);
    if (r.status >= 400) throw api_error(r);
    const boost::json::value file = json_of(r);
    table.add(file_row(file));
    uploaded.push_back(file);
  }
  if (json)
    print_json(paths.size() == 1 ? uploaded.front() : boost::json::value(boost::json::object{{"files", uploaded}}));
  else
    table.print();
}

struct FileListOptions : ListOptions {
  std::string search;
  std::string sort = "-created_at";
};

void list(Context& context, const FileListOptions& options) {
  ApiClient& api = context.signed_in_client();
  const boost::json::value answer =
      api.get_json("/api/v1/files" + list_query(options, {{"sort", options.sort}, {"q", options.search}}));
  if (options.json) return print_json(answer);
  Table table({"id", "filename", "size", "created_at"});
  for (const auto& file : answer.at("items").as_array()) table.add(file_row(file));
  table.print();
  print_list_footer(answer, "files");
}

void download(Context& context, const std::string& id, std::string output) {
  ApiClient& api = context.signed_in_client();
  const std::string path = "/api/v1/files/" + encode(id);
  if (output.empty() || std::filesystem::is_directory(output)) {
    const boost::json::value file = api.get_json(path);
    const std::string name = std::filesystem::path(member_text(file, "filename")).filename().string();
    if (name.empty() || name == "." || name == "..") throw CliError(Exit::usage, "give the file's name with -o");
    output = output.empty() ? name : (std::filesystem::path(output) / name).string();
  }
  ProgressBar bar(std::filesystem::path(output).filename().string());
  const ApiResponse r = api.download(path + "/content", output, &bar);
  if (r.status >= 400) throw api_error(r);
  std::printf("%s\n", output.c_str());
}

void remove(Context& context, const std::vector<std::string>& ids) {
  ApiClient& api = context.signed_in_client();
  for (const auto& id : ids) {
    const ApiResponse r = api.request("DELETE", "/api/v1/files/" + encode(id));
    if (r.status >= 400) throw api_error(r);
    std::printf("deleted %s\n", id.c_str());
  }
}

}  // namespace

void add_files_commands(CLI::App& app, Context& context) {
  auto* files = app.add_subcommand("files", "Upload, list, download and delete your files");
  files->require_subcommand(1);
  files->footer(
      "Examples:\n  mecapy files upload load_cases.csv part.step\n  mecapy files ls --search bolt\n"
      "  mecapy files download FILE_ID -o ./copy.csv\n  mecapy files rm FILE_ID");

  auto upload_paths = std::make_shared<std::vector<std::string>>();
  auto upload_json = std::make_shared<bool>(false);
  auto* up = files->add_subcommand("upload", "Upload files (a progress bar on a terminal)");
  up->add_option("paths", *upload_paths, "The files to upload")->required();
  up->add_flag("--json", *upload_json, "Print the stored files as JSON");
  up->footer("Examples:\n  mecapy files upload beam.csv\n  mecapy files upload --json a.csv b.csv");
  up->callback([&context, upload_paths, upload_json] {
    context.action = [&context, upload_paths, upload_json] { upload(context, *upload_paths, *upload_json); };
  });

  auto list_options = std::make_shared<FileListOptions>();
  auto* ls = files->add_subcommand("ls", "List your files, newest first");
  ls->add_option("--search,-q", list_options->search, "Only files whose name contains this");
  ls->add_option("--sort", list_options->sort, "created_at, filename or size; '-' first for descending")
      ->capture_default_str();
  add_list_options(ls, *list_options, "files");
  ls->footer("Examples:\n  mecapy files ls\n  mecapy files ls --sort filename --json");
  ls->callback(
      [&context, list_options] { context.action = [&context, list_options] { list(context, *list_options); }; });

  auto download_id = std::make_shared<std::string>();
  auto download_output = std::make_shared<std::string>();
  auto* down = files->add_subcommand("download", "Download a file (a progress bar on a terminal)");
  down->add_option("id", *download_id, "The file's id")->required();
  down->add_option("--output,-o", *download_output, "Where to write it (a file or a directory; default: its name)");
  down->footer("Examples:\n  mecapy files download FILE_ID\n  mecapy files download FILE_ID -o out/");
  down->callback([&context, download_id, download_output] {
    context.action = [&context, download_id, download_output] { download(context, *download_id, *download_output); };
  });

  auto rm_ids = std::make_shared<std::vector<std::string>>();
  auto* rm = files->add_subcommand("rm", "Delete files");
  rm->add_option("ids", *rm_ids, "The files' ids")->required();
  rm->footer("Examples:\n  mecapy files rm FILE_ID OTHER_ID");
  rm->callback([&context, rm_ids] { context.action = [&context, rm_ids] { remove(context, *rm_ids); }; });
}

}  // namespace mecapy::cli
