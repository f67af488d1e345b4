// Unpacked package sources per checksum (source_cache.hpp).
#include "jobs/source_cache.hpp"

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <system_error>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "packages/archive_unpacker.hpp"
#include "packages/source_tree.hpp"

namespace mecapy::jobs {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kTempPrefix = ".unpack-";

bool is_sha256_hex(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// A directory removed with everything in it when the object goes.
class TempDir {
 public:
  explicit TempDir(fs::path path) : path_(std::move(path)) { fs::create_directory(path_); }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void copy_blob(storage::BlobStore& blobs, const std::string& key, const fs::path& target) {
  auto reader = blobs.open(key);
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  std::string buffer(std::size_t{256} << 10, '\0');
  for (std::size_t n; (n = reader->read(buffer.data(), buffer.size())) > 0;) {
    out.write(buffer.data(), static_cast<std::streamsize>(n));
  }
  if (!out.flush())
    throw Error(ErrorKind::unavailable, "job-scratch", "The server's job scratch space is full.", target.string());
}

}  // namespace

SourceCache::SourceCache(storage::BlobStore& blobs, fs::path dir) : blobs_(blobs), dir_(std::move(dir)) {
  fs::create_directories(dir_);
  fs::permissions(dir_, fs::perms(0755));
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.path().filename().string().starts_with(kTempPrefix)) fs::remove_all(entry.path());
  }
}

fs::path SourceCache::sources(const std::string& archive_key, const std::string& source_sha256) {
  if (!is_sha256_hex(source_sha256))
    throw Error(ErrorKind::corrupted, "source-corrupted", "The package version's source checksum is malformed.",
                "source_sha256 '" + source_sha256 + "'");
  fs::path entry = dir_ / source_sha256;
  std::error_code ec;
  if (fs::is_directory(fs::symlink_status(entry, ec))) return entry;

  TempDir temp(dir_ / (std::string(kTempPrefix) + random_hex(12)));
  fs::permissions(temp.path(), fs::perms(0700));
  copy_blob(blobs_, archive_key, temp.path() / "archive");
  fs::path root;
  try {
    packages::unpack_archive(temp.path() / "archive", temp.path() / "tree");
    root = packages::package_root(temp.path() / "tree");
  } catch (const Error& e) {
    throw Error(ErrorKind::corrupted, "source-corrupted", "The package version's stored archive does not unpack.",
                archive_key + ": " + operator_message(e));
  }
  const std::string actual = packages::source_tree_sha256(root);
  if (actual != source_sha256)
    throw Error(ErrorKind::corrupted, "source-corrupted",
                "The package version's stored sources do not match their checksum.",
                archive_key + " unpacks to " + actual + ", expected " + source_sha256);
  fs::permissions(root, fs::perms(0755));
  unpacked_.fetch_add(1);
  // rename(2) of a directory onto a non-empty one fails: whoever came first wins, and
  // what they put there is the same tree (same checksum).
  if (std::rename(root.c_str(), entry.c_str()) != 0 && errno != EEXIST && errno != ENOTEMPTY)
    throw Error(ErrorKind::unavailable, "job-scratch", "The server cannot prepare the package's sources.",
                entry.string() + ": " + std::generic_category().message(errno));
  return entry;
}

}  // namespace mecapy::jobs
