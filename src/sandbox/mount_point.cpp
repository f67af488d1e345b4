// Run-time mount points (see mount_point.hpp).
#include "sandbox/mount_point.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace mecapy::sandbox {
namespace {

// One component below `dir`, never through a symlink (nor a /proc magic link).
int open_component(int dir, const char* name, bool directory) noexcept {
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC | (directory ? O_DIRECTORY : 0);
  how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  const long fd = ::syscall(SYS_openat2, dir, name, &how, sizeof how);
  return fd >= 0 ? static_cast<int>(fd) : -errno;
}

// Opens, or makes then opens, one component.
int open_or_make(int dir, const char* name, bool directory, RunOwner owner) noexcept {
  int fd = open_component(dir, name, directory);
  if (fd != -ENOENT) return fd;
  if (directory) {
    if (::mkdirat(dir, name, 0755) != 0 && errno != EEXIST) return -errno;
    if (::fchownat(dir, name, owner.uid, owner.gid, AT_SYMLINK_NOFOLLOW) != 0) return -errno;
  } else {
    const int file = ::openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (file < 0 && errno != EEXIST) return -errno;
    if (file >= 0) ::close(file);
  }
  fd = open_component(dir, name, directory);
  return fd;
}

}  // namespace

int open_mount_point(const char* path, bool directory, RunOwner owner) noexcept {
  char copy[PATH_MAX];
  const std::size_t length = std::strlen(path);
  if (path[0] != '/' || length >= sizeof copy) return -EINVAL;
  std::memcpy(copy, path, length + 1);
  int dir = ::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return -errno;
  char* name = copy + 1;
  for (;;) {
    char* slash = std::strchr(name, '/');
    const bool last = slash == nullptr;
    if (!last) *slash = '\0';
    const int next = open_or_make(dir, name, last ? directory : true, owner);
    ::close(dir);
    if (next < 0 || last) return next;
    dir = next;
    name = slash + 1;
  }
}

}  // namespace mecapy::sandbox
