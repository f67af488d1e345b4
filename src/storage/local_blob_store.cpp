#include "storage/local_blob_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/errors.hpp"
#include "core/ids.hpp"

namespace mecapy::storage {
namespace {

[[noreturn]] void unavailable(const std::string& what, int err) {
  throw Error(ErrorKind::unavailable, "blob-store-unavailable", what + ": " + std::strerror(err));
}

}  // namespace

LocalBlobStore::LocalBlobStore(std::filesystem::path root) : root_(std::move(root)) {}

void LocalBlobStore::check() {
  std::error_code ec;
  std::filesystem::create_directories(root_, ec);
  if (ec) unavailable("cannot create " + root_.string(), ec.value());
  const auto probe = root_ / (".probe-" + random_hex(8));
  const int fd = ::open(probe.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) unavailable("cannot write in " + root_.string(), errno);
  const char byte = 'x';
  const bool wrote = ::write(fd, &byte, 1) == 1;
  const int write_errno = errno;
  ::close(fd);
  ::unlink(probe.c_str());
  if (!wrote) unavailable("cannot write in " + root_.string(), write_errno);
}

}  // namespace mecapy::storage
