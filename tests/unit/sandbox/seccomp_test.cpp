// The seccomp allowlist: the program built into the library is the current policy.
#include "sandbox/seccomp_filter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

namespace mecapy::sandbox {
namespace {

TEST(SandboxSeccomp, PrecompiledProgramMatchesTheCurrentPolicy) {
  const auto fresh = SeccompProgram::compile_allowlist();
  const auto& built_in = SeccompProgram::precompiled();
  ASSERT_EQ(fresh.instruction_count(), built_in.instruction_count());
  EXPECT_EQ(std::memcmp(fresh.instructions().data(), built_in.instructions().data(),
                        fresh.instruction_count() * sizeof(sock_filter)),
            0);
  EXPECT_EQ(fresh.allowed_syscall_count(), built_in.allowed_syscall_count());
}

TEST(SandboxSeccomp, DangerousCallsAreNotOnTheList) {
  const auto& names = allowed_syscall_names();
  for (const char* name : {"ptrace",
                           "mount",
                           "umount2",
                           "pivot_root",
                           "chroot",
                           "unshare",
                           "setns",
                           "keyctl",
                           "add_key",
                           "request_key",
                           "bpf",
                           "perf_event_open",
                           "userfaultfd",
                           "io_uring_setup",
                           "kexec_load",
                           "init_module",
                           "finit_module",
                           "reboot",
                           "swapon",
                           "process_vm_readv",
                           "open_by_handle_at",
                           "setuid",
                           "socket",
                           "clone",
                           "prctl",
                           "personality"})
    EXPECT_EQ(std::count(names.begin(), names.end(), name), 0) << name;
}

TEST(SandboxSeccomp, PythonEssentialsAreOnTheList) {
  const auto& names = allowed_syscall_names();
  for (const char* name : {"read", "openat", "mmap", "futex", "execve", "wait4", "getrandom", "rseq"})
    EXPECT_EQ(std::count(names.begin(), names.end(), name), 1) << name;
  EXPECT_GT(SeccompProgram::precompiled().allowed_syscall_count(), 150u);
}

}  // namespace
}  // namespace mecapy::sandbox
