#include "storage/local_blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "storage/sha256.hpp"

namespace mecapy::storage {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void unavailable(const std::string& what, int err) {
  throw Error(ErrorKind::unavailable, "blob-store-unavailable", what + ": " + std::strerror(err));
}

void write_all(int fd, const char* p, std::size_t n, const std::string& what) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOSPC || errno == EDQUOT)
        throw Error(ErrorKind::insufficient_storage, "storage-full",
                    "The server's storage is full; nothing was stored. Try again later or ask an operator.");
      unavailable(what, errno);
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

void fsync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

class LocalWriter final : public BlobWriter {
 public:
  LocalWriter(const LocalBlobStore& store, const fs::path& tmp_dir)
      : store_(store), temp_(tmp_dir / (random_hex(12) + ".part")) {
    fd_ = ::open(temp_.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd_ < 0) unavailable("cannot create " + temp_.string(), errno);
  }
  ~LocalWriter() override { abort(); }
  LocalWriter(const LocalWriter&) = delete;
  LocalWriter& operator=(const LocalWriter&) = delete;

  void write(std::string_view chunk) override {
    write_all(fd_, chunk.data(), chunk.size(), "cannot write " + temp_.string());
    hash_.update(chunk);
    size_ += chunk.size();
  }

  BlobInfo commit() override {
    if (::fsync(fd_) != 0) unavailable("cannot flush " + temp_.string(), errno);
    ::close(fd_);
    fd_ = -1;
    BlobInfo info{hash_.hex_digest(), size_, ""};
    info.sha256 = info.key;
    const fs::path target = store_.path_of(info.key);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) unavailable("cannot create " + target.parent_path().string(), ec.value());
    if (fs::exists(target, ec)) {
      ::unlink(temp_.c_str());  // identical content is already stored
    } else {
      if (::rename(temp_.c_str(), target.c_str()) != 0) unavailable("cannot commit " + target.string(), errno);
      fsync_directory(target.parent_path());
    }
    temp_.clear();
    return info;
  }

  void abort() noexcept override {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!temp_.empty()) ::unlink(temp_.c_str());
    temp_.clear();
  }

 private:
  const LocalBlobStore& store_;
  fs::path temp_;
  int fd_ = -1;
  Sha256 hash_;
  std::uint64_t size_ = 0;
};

class LocalReader final : public BlobReader {
 public:
  LocalReader(int fd, std::uint64_t offset, std::uint64_t length) : fd_(fd), offset_(offset), left_(length) {}
  ~LocalReader() override { ::close(fd_); }
  LocalReader(const LocalReader&) = delete;
  LocalReader& operator=(const LocalReader&) = delete;

  std::size_t read(char* out, std::size_t capacity) override {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, left_));
    if (want == 0) return 0;
    for (;;) {
      const ssize_t n = ::pread(fd_, out, want, static_cast<off_t>(offset_));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) unavailable("cannot read blob", errno);
      offset_ += static_cast<std::uint64_t>(n);
      left_ -= static_cast<std::uint64_t>(n);
      if (n == 0) left_ = 0;  // the file is shorter than its record says
      return static_cast<std::size_t>(n);
    }
  }

 private:
  int fd_;
  std::uint64_t offset_;
  std::uint64_t left_;
};

}  // namespace

bool is_sha256_key(std::string_view key) {
  if (key.size() != 64) return false;
  for (char c : key)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

LocalBlobStore::LocalBlobStore(fs::path root) : root_(std::move(root)) {}

fs::path LocalBlobStore::path_of(const std::string& key) const {
  return root_ / "objects" / key.substr(0, 2) / key.substr(2, 2) / key;
}

void LocalBlobStore::check() {
  std::error_code ec;
  for (const char* sub : {"objects", "tmp"}) {
    fs::create_directories(root_ / sub, ec);
    if (ec) unavailable("cannot create " + (root_ / sub).string(), ec.value());
  }
  const auto probe = root_ / "tmp" / (".probe-" + random_hex(8));
  const int fd = ::open(probe.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) unavailable("cannot write in " + root_.string(), errno);
  const char byte = 'x';
  const bool wrote = ::write(fd, &byte, 1) == 1;
  const int write_errno = errno;
  ::close(fd);
  ::unlink(probe.c_str());
  if (!wrote) unavailable("cannot write in " + root_.string(), write_errno);
}

std::unique_ptr<BlobWriter> LocalBlobStore::create(const std::string&) {
  std::error_code ec;
  fs::create_directories(root_ / "tmp", ec);
  if (ec) unavailable("cannot create " + (root_ / "tmp").string(), ec.value());
  return std::make_unique<LocalWriter>(*this, root_ / "tmp");
}

std::unique_ptr<BlobReader> LocalBlobStore::open(const std::string& key, std::uint64_t offset,
                                                 std::optional<std::uint64_t> length) {
  if (!is_sha256_key(key)) throw Error(ErrorKind::not_found, "blob-not-found", "no blob " + key);
  const auto path = path_of(key);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) throw Error(ErrorKind::not_found, "blob-not-found", "no blob " + key);
    unavailable("cannot open " + path.string(), errno);
  }
  struct stat st {};
  ::fstat(fd, &st);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const std::uint64_t start = std::min(offset, size);
  const std::uint64_t count = length ? std::min(*length, size - start) : size - start;
  return std::make_unique<LocalReader>(fd, start, count);
}

std::optional<std::uint64_t> LocalBlobStore::size_of(const std::string& key) {
  if (!is_sha256_key(key)) return std::nullopt;
  std::error_code ec;
  const auto size = fs::file_size(path_of(key), ec);
  if (ec) return std::nullopt;
  return size;
}

void LocalBlobStore::remove(const std::string& key) {
  if (!is_sha256_key(key)) return;
  if (::unlink(path_of(key).c_str()) != 0 && errno != ENOENT) unavailable("cannot remove blob " + key, errno);
}

std::vector<std::string> LocalBlobStore::list_keys() {
  std::vector<std::string> keys;
  std::error_code ec;
  const fs::path objects = root_ / "objects";
  if (!fs::exists(objects, ec)) return keys;
  for (auto it = fs::recursive_directory_iterator(objects, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string name = it->path().filename().string();
    if (is_sha256_key(name)) keys.push_back(name);
  }
  return keys;
}

std::size_t LocalBlobStore::recover() {
  std::size_t removed = 0;
  std::error_code ec;
  const fs::path tmp = root_ / "tmp";
  if (!fs::exists(tmp, ec)) return 0;
  for (const auto& entry : fs::directory_iterator(tmp, ec)) {
    if (fs::remove(entry.path(), ec)) ++removed;
  }
  return removed;
}

}  // namespace mecapy::storage
