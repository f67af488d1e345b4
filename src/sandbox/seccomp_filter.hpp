// The system-call allowlist of sandboxed processes, compiled to a BPF program with
// libseccomp at build time (seccomp_compile_main.cpp writes it into the library, so no
// run ever pays the ~1 ms of compiling it) and installed per run with one seccomp(2).
//
// Policy: every system call not listed fails with EPERM. Listed are those a Python,
// numpy or scipy workload needs; a few are allowed only with safe arguments: clone
// without namespace flags (clone3, whose flags cannot be inspected, fails with ENOSYS
// so that libc falls back to clone), socket/socketpair for AF_UNIX only, prctl for a
// handful of harmless options, personality for queries only, prlimit64 on the calling
// process only, ioctl for a short list of requests (no TIOCSTI). Calls from another
// ABI (i386, x32) kill the process.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include <string>
#include <utility>
#include <vector>

namespace mecapy::sandbox {

class SeccompProgram {
 public:
  SeccompProgram(std::vector<sock_filter> instructions, std::size_t allowed_syscalls)
      : instructions_(std::move(instructions)), allowed_syscalls_(allowed_syscalls) {}

  // Compiles the allowlist now. Throws mecapy::Error if libseccomp refuses it.
  static SeccompProgram compile_allowlist();

  // The program compiled at build time.
  static const SeccompProgram& precompiled();

  // Installs the program on the calling thread (no_new_privs must be set).
  // Async-signal-safe: meant for a freshly cloned child. Returns 0 or an errno.
  int install() const noexcept {
    const sock_fprog program{static_cast<unsigned short>(instructions_.size()),
                             const_cast<sock_filter*>(instructions_.data())};  // the kernel API is not const
    return ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) == 0 ? 0 : errno;
  }

  std::size_t instruction_count() const { return instructions_.size(); }
  std::size_t allowed_syscall_count() const { return allowed_syscalls_; }
  const std::vector<sock_filter>& instructions() const { return instructions_; }

 private:
  std::vector<sock_filter> instructions_;
  std::size_t allowed_syscalls_ = 0;
};

// The names of the system calls allowed without argument checks (for --info and docs).
const std::vector<std::string>& allowed_syscall_names();

}  // namespace mecapy::sandbox
