// Packing a package directory (see package_archive.hpp).
#include "cli/package_archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/exit_codes.hpp"

namespace mecapy::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBuiltInDirectories[] = {".git", "__pycache__", ".pytest_cache", ".venv", ".mypy_cache"};

bool matches(const std::string& pattern, const std::string& text, int flags = 0) {
  return ::fnmatch(pattern.c_str(), text.c_str(), flags) == 0;
}

std::vector<std::string> read_patterns(const fs::path& directory) {
  std::vector<std::string> patterns;
  std::ifstream in(directory / ".gitignore");
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '!')
      throw CliError(Exit::usage, (directory / ".gitignore").string() + ": negated patterns ('" + line +
                                      "') are not supported by mecapy deploy");
    patterns.push_back(line);
  }
  return patterns;
}

struct ArchiveFree {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct FdClose {
  void operator()(const int* fd) const {
    ::close(*fd);
    delete fd;
  }
};
struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

[[noreturn]] void archive_failed(archive* a, const std::string& what) {
  throw CliError(Exit::usage, what + ": " + (archive_error_string(a) ? archive_error_string(a) : "archive error"));
}

}  // namespace

PackedArchive::~PackedArchive() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

bool excluded(const std::string& relative, bool is_directory, const std::vector<std::string>& patterns) {
  const std::string name = fs::path(relative).filename().string();
  if (is_directory &&
      std::find(std::begin(kBuiltInDirectories), std::end(kBuiltInDirectories), name) != std::end(kBuiltInDirectories))
    return true;
  if (!is_directory && name.ends_with(".pyc")) return true;
  for (std::string pattern : patterns) {
    const bool directories_only = pattern.ends_with('/');
    if (directories_only) pattern.pop_back();
    if (pattern.empty() || (directories_only && !is_directory)) continue;
    if (pattern.find('/') != std::string::npos) {
      if (pattern.front() == '/') pattern.erase(0, 1);
      if (matches(pattern, relative, FNM_PATHNAME)) return true;
    } else if (matches(pattern, name)) {
      return true;
    }
  }
  return false;
}

PackedArchive pack_directory(const std::string& directory) {
  const fs::path root(directory);
  if (!fs::is_regular_file(root / "mecapy.yml"))
    throw CliError(Exit::usage, directory + ": no mecapy.yml in this directory");
  const std::vector<std::string> patterns = read_patterns(root);

  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string relative = fs::relative(it->path(), root).generic_string();
    if (it->is_symlink())
      throw CliError(Exit::usage, it->path().string() + ": a symbolic link (the server refuses them in packages)");
    const bool is_directory = it->is_directory();
    if (excluded(relative, is_directory, patterns)) {
      if (is_directory) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(relative);
  }
  if (ec) throw CliError(Exit::usage, directory + ": cannot be read: " + ec.message());
  std::sort(files.begin(), files.end());

  const char* tmpdir = std::getenv("TMPDIR");
  std::string path = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/mecapy-deploy-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) throw CliError(Exit::usage, "cannot create a temporary file in " + fs::path(path).parent_path().string());
  PackedArchive packed(path, files);
  const std::unique_ptr<int, FdClose> fd_guard(new int(fd));

  const std::unique_ptr<archive, ArchiveFree> out(archive_write_new());
  archive_write_add_filter_gzip(out.get());
  archive_write_set_format_pax_restricted(out.get());
  if (archive_write_open_fd(out.get(), fd) != ARCHIVE_OK) archive_failed(out.get(), path);
  std::vector<char> buffer(1 << 16);
  for (const auto& relative : files) {
    std::ifstream in(root / relative, std::ios::binary);
    if (!in) throw CliError(Exit::usage, (root / relative).string() + ": cannot be read");
    const std::unique_ptr<archive_entry, EntryFree> entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), relative.c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(fs::file_size(root / relative)));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    if (archive_write_header(out.get(), entry.get()) != ARCHIVE_OK) archive_failed(out.get(), relative);
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const auto n = in.gcount();
      if (n > 0 && archive_write_data(out.get(), buffer.data(), static_cast<std::size_t>(n)) < 0)
        archive_failed(out.get(), relative);
    }
  }
  if (archive_write_close(out.get()) != ARCHIVE_OK) archive_failed(out.get(), path);
  return packed;
}

}  // namespace mecapy::cli
