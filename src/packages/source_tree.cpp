// The package root and the source tree checksum (normal form in source_tree.hpp).
#include "packages/source_tree.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/errors.hpp"
#include "storage/sha256.hpp"

namespace mecapy::packages {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kManifest = "mecapy.yml";

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_ignored(const std::string& name, bool directory) {
  if (name == "__pycache__" || name == ".git") return true;
  return !directory && (name == ".DS_Store" || ends_with(name, ".pyc"));
}

[[noreturn]] void unreadable(const fs::path& path, const std::error_code& ec) {
  throw Error(ErrorKind::internal, "source-tree-unreadable", "the package's files could not be read on the server",
              path.string() + ": " + ec.message());
}

std::string content_sha256(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) unreadable(path, std::make_error_code(std::errc::io_error));
  storage::Sha256 hash;
  std::array<char, std::size_t{64} * 1024> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) unreadable(path, std::make_error_code(std::errc::io_error));
  return hash.hex_digest();
}

struct Record {
  std::string path;
  std::string text;  // the whole record, fields NUL-terminated
};

std::string field(std::string_view value) {
  std::string out(value);
  out.push_back('\0');
  return out;
}

// Appends the records of `dir`'s content; returns whether anything was kept.
bool describe(const fs::path& dir, const std::string& prefix, std::vector<Record>& out, std::string_view excluded) {
  std::error_code ec;
  bool kept = false;
  for (fs::directory_iterator it(dir, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    const fs::file_status status = it->symlink_status(ec);
    if (ec) unreadable(it->path(), ec);
    const std::string name = it->path().filename().string();
    const bool directory = fs::is_directory(status);
    if (is_ignored(name, directory)) continue;
    const std::string path = prefix.empty() ? name : prefix + "/" + name;
    if (path == excluded) continue;
    if (directory) {
      if (describe(it->path(), path, out, excluded)) {
        out.push_back({path, field("dir") + field(path)});
        kept = true;
      }
    } else if (fs::is_symlink(status)) {
      const fs::path target = fs::read_symlink(it->path(), ec);
      if (ec) unreadable(it->path(), ec);
      out.push_back({path, field("symlink") + field(path) + field(target.string())});
      kept = true;
    } else if (fs::is_regular_file(status)) {
      const bool exec = (status.permissions() &
                         (fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec)) != fs::perms::none;
      out.push_back({path, field("file") + field(path) + field(exec ? "x" : "-") + field(content_sha256(it->path()))});
      kept = true;
    } else {
      throw Error(ErrorKind::invalid_input, "source-tree-unsupported-entry",
                  "'" + path + "' is a device, fifo or socket; packages hold files and directories only");
    }
  }
  if (ec) unreadable(dir, ec);
  return kept;
}

bool has_manifest(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(fs::symlink_status(dir / kManifest, ec));
}

}  // namespace

fs::path package_root(const fs::path& unpacked) {
  if (has_manifest(unpacked)) return unpacked;
  std::error_code ec;
  std::vector<fs::path> top;
  bool only_directories = true;
  for (fs::directory_iterator it(unpacked, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    const bool directory = fs::is_directory(it->symlink_status(ec));
    if (is_ignored(name, directory) || name == "__MACOSX") continue;
    top.push_back(it->path());
    only_directories = only_directories && directory;
  }
  if (ec) unreadable(unpacked, ec);
  if (top.size() == 1 && only_directories && has_manifest(top.front())) return top.front();
  throw Error(ErrorKind::invalid_input, "manifest-missing",
              "no mecapy.yml found: the archive must contain mecapy.yml at its top level, or inside its only "
              "top-level directory");
}

std::string source_tree_sha256(const fs::path& root, std::string_view excluded) {
  std::vector<Record> records;
  describe(root, "", records, excluded);
  std::sort(records.begin(), records.end(), [](const Record& a, const Record& b) { return a.path < b.path; });
  storage::Sha256 hash;
  for (const Record& record : records) hash.update(record.text);
  return hash.hex_digest();
}

}  // namespace mecapy::packages
