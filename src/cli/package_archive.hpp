// Packing a package directory for `mecapy deploy`: a .tar.gz (libarchive) of every
// regular file below the directory, in sorted order, paths relative to it, except
//   - .git, __pycache__, .pytest_cache, .venv, .mypy_cache directories and *.pyc files;
//   - what the directory's own .gitignore excludes, read with these rules: blank lines
//     and '#' comments are skipped; a pattern ending in '/' matches directories only;
//     a pattern with another '/' is anchored at the directory and matched against the
//     whole relative path; any other pattern is matched against each name; '*', '?'
//     and [...] are as in fnmatch(3). Negations ('!') are refused (CliError usage)
//     rather than half-applied.
// Symbolic links are refused (the server refuses them too). The archive is written to
// a temporary file that ~PackedArchive removes.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mecapy::cli {

class PackedArchive {
 public:
  PackedArchive(std::string path, std::vector<std::string> files) : path_(std::move(path)), files_(std::move(files)) {}
  PackedArchive(PackedArchive&& other) noexcept
      : path_(std::exchange(other.path_, std::string())), files_(std::move(other.files_)) {}
  PackedArchive(const PackedArchive&) = delete;
  PackedArchive& operator=(const PackedArchive&) = delete;
  ~PackedArchive();

  const std::string& path() const { return path_; }
  const std::vector<std::string>& files() const { return files_; }  // as packed, relative

 private:
  std::string path_;
  std::vector<std::string> files_;
};

// Throws CliError(usage) when `directory` has no mecapy.yml, or for a link or an
// unreadable file.
PackedArchive pack_directory(const std::string& directory);

// Whether `relative` (a path below the directory, '/'-separated; `is_directory` for
// a directory) is excluded by `patterns` (lines of a .gitignore) or the built-in list.
bool excluded(const std::string& relative, bool is_directory, const std::vector<std::string>& patterns);

}  // namespace mecapy::cli
