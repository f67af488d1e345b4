// Namespace creation and user-namespace id maps (see namespaces.hpp).
#include "sandbox/namespaces.hpp"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>

namespace mecapy::sandbox {
namespace {

constexpr unsigned long kNamespaceFlags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS;

int write_proc_file(pid_t pid, const char* name, const char* text, int length) noexcept {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/%s", static_cast<int>(pid), name);
  const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  const ssize_t written = ::write(fd, text, static_cast<std::size_t>(length));
  const int error = written == length ? 0 : (written < 0 ? errno : EIO);
  ::close(fd);
  return error;
}

}  // namespace

pid_t clone_into_new_namespaces(int* pidfd, int cgroup_fd) noexcept {
  // Raw clone without a new stack: the child continues here like after fork().
  if (cgroup_fd >= 0) {
    clone_args args{};
    args.flags = kNamespaceFlags | CLONE_PIDFD | CLONE_INTO_CGROUP;
    args.pidfd = reinterpret_cast<std::uint64_t>(pidfd);
    args.exit_signal = SIGCHLD;
    args.cgroup = static_cast<std::uint64_t>(cgroup_fd);
    return static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof args));
  }
  return static_cast<pid_t>(
      ::syscall(SYS_clone, kNamespaceFlags | CLONE_PIDFD | SIGCHLD, nullptr, pidfd, nullptr, nullptr));
}

int write_id_maps(pid_t child, uid_t uid, gid_t gid) noexcept {
  char map[64];
  int length = std::snprintf(map, sizeof map, "%u %u 1\n", uid, uid);
  if (const int error = write_proc_file(child, "uid_map", map, length)) return error;
  length = std::snprintf(map, sizeof map, "%u %u 1\n", gid, gid);
  return write_proc_file(child, "gid_map", map, length);
}

}  // namespace mecapy::sandbox
