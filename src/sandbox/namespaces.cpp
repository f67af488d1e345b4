// Namespace creation and user-namespace id maps (see namespaces.hpp).
#include "sandbox/namespaces.hpp"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>

namespace mecapy::sandbox {
namespace {

constexpr unsigned long kNamespaceFlags = CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;
// The child's stack. It only runs the set-up before execve (system calls and a few
// frames), far less than this; the lowest page is left inaccessible as a guard.
constexpr std::size_t kChildStackBytes = std::size_t{256} * 1024;
constexpr std::size_t kGuardBytes = 4096;

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

// clone3(2) with a new stack, calling entry(argument) in the child. The C library has
// no public wrapper for it: the child must not return through the caller's frames,
// which it shares, so the switch to the new stack and the call happen in assembly.
// Returns the child's pid in the parent, or -errno.
long clone3_calling(clone_args* args, int (*entry)(void*), void* argument) noexcept {
#if defined(__x86_64__)
  long result;
  register int (*entry_register)(void*) asm("r8") = entry;
  register void* argument_register asm("r9") = argument;
  // The child starts on the new stack with the caller's registers (r8, r9 included)
  // and rax = 0. The stack top is page-aligned, as the call's ABI requires.
  asm volatile(
      "syscall\n\t"
      "test %%rax, %%rax\n\t"
      "jnz 1f\n\t"
      "xor %%ebp, %%ebp\n\t"
      "mov %%r9, %%rdi\n\t"
      "call *%%r8\n\t"
      "mov %%eax, %%edi\n\t"
      "mov $60, %%eax\n\t"  // exit(2), should entry ever return
      "syscall\n\t"
      "hlt\n\t"
      "1:\n\t"
      : "=a"(result)
      : "a"(static_cast<long>(SYS_clone3)), "D"(args), "S"(sizeof *args), "r"(entry_register), "r"(argument_register)
      : "rcx", "r11", "memory");
  return result;
#elif defined(__aarch64__)
  // cppcheck-suppress constStatement ; a register variable, misread by cppcheck
  register long x0 asm("x0") = reinterpret_cast<long>(args);
  // cppcheck-suppress constStatement
  register long x1 asm("x1") = static_cast<long>(sizeof *args);
  register int (*x2)(void*) asm("x2") = entry;
  register void* x3 asm("x3") = argument;
  register long x8 asm("x8") = SYS_clone3;
  asm volatile(
      "svc #0\n\t"
      "cbnz x0, 1f\n\t"
      "mov x29, xzr\n\t"
      "mov x30, xzr\n\t"
      "mov x0, x3\n\t"
      "blr x2\n\t"
      "mov x8, #93\n\t"  // exit(2), should entry ever return
      "svc #0\n\t"
      "1:\n\t"
      : "+r"(x0)
      : "r"(x1), "r"(x2), "r"(x3), "r"(x8)
      : "memory");
  return x0;
#else
  // Elsewhere: a fork-like clone (the child gets a copy of the memory instead).
  args->flags &= ~static_cast<std::uint64_t>(CLONE_VM | CLONE_VFORK);
  args->stack = 0;
  args->stack_size = 0;
  const long pid = ::syscall(SYS_clone3, args, sizeof *args);
  if (pid == 0) ::_exit(entry(argument));
  return pid < 0 ? -errno : pid;
#endif
}

}  // namespace

pid_t spawn_in_new_namespaces(int (*entry)(void*), void* argument, int* pidfd, int cgroup_fd) noexcept {
  void* stack =
      ::mmap(nullptr, kChildStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return -1;
  ::mprotect(stack, kGuardBytes, PROT_NONE);
  clone_args args{};
  args.flags = kNamespaceFlags | CLONE_VM | CLONE_VFORK | CLONE_CLEAR_SIGHAND | CLONE_PIDFD;
  args.pidfd = reinterpret_cast<std::uint64_t>(pidfd);
  args.exit_signal = SIGCHLD;
  args.stack = reinterpret_cast<std::uint64_t>(stack);
  args.stack_size = kChildStackBytes;
  if (cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<std::uint64_t>(cgroup_fd);
  }
  const long result = clone3_calling(&args, entry, argument);
  // Here the child has exec'd or exited: its stack is no longer in use.
  ::munmap(stack, kChildStackBytes);
  if (result < 0) {
    errno = static_cast<int>(-result);
    return -1;
  }
  return static_cast<pid_t>(result);
}

int write_id_maps(pid_t child, const IdMapping& ids) noexcept {
  char map[64];
  int length = std::snprintf(map, sizeof map, "%u %u 1\n", ids.uid, ids.host_uid);
  if (const int error = write_proc_file(child, "uid_map", map, length)) return error;
  length = std::snprintf(map, sizeof map, "%u %u 1\n", ids.gid, ids.host_gid);
  return write_proc_file(child, "gid_map", map, length);
}

}  // namespace mecapy::sandbox
