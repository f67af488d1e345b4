// Namespace pins (see namespace_pin.hpp).
#include "sandbox/namespace_pin.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>

#include "core/errors.hpp"
#include "sandbox/file_io.hpp"

namespace mecapy::sandbox {

UniqueFd open_pinned_namespace(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct statfs info {};
  if (fd && (::fstatfs(fd.get(), &info) != 0 || info.f_type != NSFS_MAGIC)) fd.reset();
  return fd;
}

void pin_namespace(int namespace_fd, const std::string& path) {
  const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (file < 0)
    throw Error(ErrorKind::unavailable, "sandbox_namespaces", "cannot create " + path + ": " + errno_text(errno));
  ::close(file);
  const std::string source = "/proc/self/fd/" + std::to_string(namespace_fd);
  if (::mount(source.c_str(), path.c_str(), nullptr, MS_BIND, nullptr) != 0)
    throw Error(ErrorKind::unavailable, "sandbox_namespaces", "cannot pin " + path + ": " + errno_text(errno));
}

void unpin_namespace(const std::string& path) {
  ::umount2(path.c_str(), MNT_DETACH);
  ::unlink(path.c_str());
}

}  // namespace mecapy::sandbox
