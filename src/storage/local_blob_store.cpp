#include "storage/local_blob_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "storage/sha256.hpp"

namespace mecapy::storage {
namespace fs = std::filesystem;
namespace {

// The public detail names no path; the operator gets it through cause().
[[noreturn]] void fail(const std::string& what, int err) {
  if (err == ENOSPC || err == EDQUOT)
    throw Error(ErrorKind::insufficient_storage, "storage-full",
                "The server's storage is full; nothing was stored. Try again later or ask an operator.",
                what + ": " + std::strerror(err));
  throw Error(ErrorKind::unavailable, "blob-store-unavailable", "The blob store cannot be used right now; retry.",
              what + ": " + std::strerror(err));
}

void write_all(int fd, const char* p, std::size_t n, const std::string& what) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail(what, errno);
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

std::chrono::system_clock::time_point modified_time(const struct stat& st) {
  using namespace std::chrono;
  return system_clock::time_point(
      duration_cast<system_clock::duration>(seconds(st.st_mtim.tv_sec) + nanoseconds(st.st_mtim.tv_nsec)));
}

class LocalWriter final : public BlobWriter {
 public:
  LocalWriter(const LocalBlobStore& store, const fs::path& tmp_dir)
      : store_(store), temp_(tmp_dir / (random_hex(12) + ".part")) {
    fd_ = ::open(temp_.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd_ < 0) fail("cannot create " + temp_.string(), errno);
    // Held until the file is renamed or removed: recover() in another process
    // leaves a locked temporary file alone.
    if (::flock(fd_, LOCK_EX) != 0) {
      const int err = errno;
      abort();
      fail("cannot lock " + temp_.string(), err);
    }
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
    try {
      if (const int err = store_.sync().sync_file(fd_)) fail("cannot flush " + temp_.string(), err);
      BlobInfo info{hash_.hex_digest(), size_, ""};
      info.sha256 = info.key;
      const fs::path target = store_.path_of(info.key);
      store_.make_directories(target.parent_path());
      // Replaces an identical copy if there is one: the name then carries this
      // commit's time (see the header).
      if (::rename(temp_.c_str(), target.c_str()) != 0) fail("cannot commit " + target.string(), errno);
      temp_.clear();
      store_.sync_directory(target.parent_path());
      const int fd = std::exchange(fd_, -1);
      if (::close(fd) != 0) fail("cannot close " + target.string(), errno);
      return info;
    } catch (...) {
      abort();
      throw;
    }
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
  ~LocalReader() override { ::close(fd_); }  // read-only: nothing a close error could lose
  LocalReader(const LocalReader&) = delete;
  LocalReader& operator=(const LocalReader&) = delete;

  std::size_t read(char* out, std::size_t capacity) override {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, left_));
    if (want == 0) return 0;
    for (;;) {
      const ssize_t n = ::pread(fd_, out, want, static_cast<off_t>(offset_));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("cannot read blob", errno);
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

int FileSync::sync_file(int fd) { return ::fsync(fd) == 0 ? 0 : errno; }

int FileSync::sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  const int err = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return err;
}

bool is_sha256_key(std::string_view key) {
  if (key.size() != 64) return false;
  for (char c : key)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

LocalBlobStore::LocalBlobStore(fs::path root, FileSync* sync) : root_(std::move(root)), sync_(sync) {
  static FileSync fsync_based;
  if (!sync_) sync_ = &fsync_based;
}

fs::path LocalBlobStore::path_of(const std::string& key) const {
  return root_ / "objects" / key.substr(0, 2) / key.substr(2, 2) / key;
}

void LocalBlobStore::sync_directory(const fs::path& dir) const {
  if (const int err = sync_->sync_directory(dir)) fail("cannot sync directory " + dir.string(), err);
}

void LocalBlobStore::make_directories(const fs::path& dir) const {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return;  // the usual case
  // One component at a time, so that each new directory's entry in its parent is
  // synced: fs::create_directories would leave them to the next journal commit.
  fs::path at;
  for (const auto& part : dir) {
    at /= part;
    if (::mkdir(at.c_str(), 0700) == 0) {
      sync_directory(at.parent_path().empty() ? fs::path(".") : at.parent_path());
    } else if (errno != EEXIST) {
      fail("cannot create " + at.string(), errno);
    }
  }
}

void LocalBlobStore::check() {
  for (const char* sub : {"objects", "tmp"}) make_directories(root_ / sub);
  const auto probe = root_ / "tmp" / (".probe-" + random_hex(8));
  const int fd = ::open(probe.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) fail("cannot write in " + root_.string(), errno);
  const char byte = 'x';
  const bool wrote = ::write(fd, &byte, 1) == 1;
  const int write_errno = errno;
  ::close(fd);
  ::unlink(probe.c_str());
  if (!wrote) fail("cannot write in " + root_.string(), write_errno);
}

void LocalBlobStore::probe() {
  for (const char* sub : {"objects", "tmp"}) {
    const fs::path dir = root_ / sub;
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) fail("cannot reach " + dir.string(), errno);
    if (!S_ISDIR(st.st_mode)) fail(dir.string() + " is not a directory", ENOTDIR);
    if (::access(dir.c_str(), W_OK | X_OK) != 0) fail("cannot write in " + dir.string(), errno);
  }
}

std::unique_ptr<BlobWriter> LocalBlobStore::create(const std::string&) {
  make_directories(root_ / "tmp");
  return std::make_unique<LocalWriter>(*this, root_ / "tmp");
}

std::unique_ptr<BlobReader> LocalBlobStore::open(const std::string& key, std::uint64_t offset,
                                                 std::optional<std::uint64_t> length) {
  if (!is_sha256_key(key)) throw Error(ErrorKind::not_found, "blob-not-found", "no blob " + key);
  const auto path = path_of(key);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) throw Error(ErrorKind::not_found, "blob-not-found", "no blob " + key);
    fail("cannot open " + path.string(), errno);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    fail("cannot stat " + path.string(), err);
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const std::uint64_t start = std::min(offset, size);
  const std::uint64_t count = length ? std::min(*length, size - start) : size - start;
  return std::make_unique<LocalReader>(fd, start, count);
}

std::optional<std::uint64_t> LocalBlobStore::size_of(const std::string& key) {
  if (!is_sha256_key(key)) return std::nullopt;
  struct stat st {};
  if (::stat(path_of(key).c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    fail("cannot stat blob " + key, errno);
  }
  return static_cast<std::uint64_t>(st.st_size);
}

void LocalBlobStore::remove(const std::string& key) {
  if (!is_sha256_key(key)) return;
  if (::unlink(path_of(key).c_str()) != 0 && errno != ENOENT) fail("cannot remove blob " + key, errno);
}

bool LocalBlobStore::remove_unless(const std::string& key, std::chrono::system_clock::time_point written_since,
                                   const std::function<bool()>& still_wanted) {
  if (!is_sha256_key(key)) return false;
  const fs::path target = path_of(key);
  make_directories(root_ / "tmp");
  const fs::path taken = root_ / "tmp" / (key + ".reclaim-" + random_hex(6));
  // Out of objects/ first: a commit of the same content from now on creates a new
  // file under the key, and the one taken here can be judged on its own.
  if (::rename(target.c_str(), taken.c_str()) != 0) {
    if (errno == ENOENT) return false;
    fail("cannot take blob " + key, errno);
  }
  const int fd = ::open(taken.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) ::flock(fd, LOCK_EX);  // recover() elsewhere leaves it alone meanwhile
  struct stat st {};
  const bool stat_ok = fd >= 0 && ::fstat(fd, &st) == 0;
  bool keep = true;  // when in doubt, keep
  try {
    keep = !stat_ok || modified_time(st) >= written_since || still_wanted();
  } catch (...) {
    keep = true;
  }
  if (keep) {
    // Back under its name, unless a fresh identical copy was committed meanwhile.
    if (::renameat2(AT_FDCWD, taken.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
      if (errno != EEXIST) {
        const int err = errno;
        if (fd >= 0) ::close(fd);
        fail("cannot restore blob " + key, err);
      }
      ::unlink(taken.c_str());
    }
  } else {
    ::unlink(taken.c_str());
  }
  if (fd >= 0) ::close(fd);
  sync_directory(target.parent_path());
  return !keep;
}

void LocalBlobStore::refresh(const std::string& key) {
  if (!is_sha256_key(key)) throw Error(ErrorKind::not_found, "blob-not-found", "no blob " + key);
  if (::utimensat(AT_FDCWD, path_of(key).c_str(), nullptr, 0) != 0) {
    if (errno == ENOENT) throw Error(ErrorKind::not_found, "blob-not-found", "no blob " + key);
    fail("cannot refresh blob " + key, errno);
  }
}

std::vector<StoredBlob> LocalBlobStore::list_blobs() {
  std::vector<StoredBlob> blobs;
  std::error_code ec;
  const fs::path objects = root_ / "objects";
  if (!fs::exists(objects, ec)) return blobs;
  for (auto it = fs::recursive_directory_iterator(objects, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    struct stat st {};
    if (!is_sha256_key(name) || ::stat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    blobs.push_back({name, static_cast<std::uint64_t>(st.st_size), modified_time(st)});
  }
  if (ec) fail("cannot list " + objects.string(), ec.value());
  return blobs;
}

std::size_t LocalBlobStore::recover() {
  std::size_t removed = 0;
  std::error_code ec;
  const fs::path tmp = root_ / "tmp";
  if (!fs::exists(tmp, ec)) return 0;
  for (const auto& entry : fs::directory_iterator(tmp, ec)) {
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    // A live writer (in this process or another) holds its lock: not ours to take.
    const bool abandoned = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    if (abandoned && ::unlink(entry.path().c_str()) == 0) ++removed;
    ::close(fd);
  }
  return removed;
}

}  // namespace mecapy::storage
