// The filesystem a sandboxed process sees, as a plan of mount steps built by the
// parent and replayed by the child in its new mount namespace (without allocating).
//
// The child mounts a fresh tmpfs, pivot_root()s into it and builds there:
//   /usr /bin /lib* /sbin   read-only binds of the host's (symlinks stay symlinks)
//   /etc                    passwd, group, hosts written for the sandbox, ld.so.cache
//                           and alternatives (read-only binds)
//   /proc                   a new procfs of the sandbox's PID namespace
//   /dev                    null, zero, random, urandom (binds) and the fd symlinks
//   /tmp                    a size-limited tmpfs
//   /workspace              a size-limited tmpfs, or the job's directory (read-write)
//   + the spec's extra binds (read-only unless writable)
// then detaches the host's root and makes its own root read-only. The child builds
// it while still privileged (before joining the sandbox's user namespace); bind
// sources are checked (and symlinks resolved) by the parent, so a missing source is
// reported before anything starts. Read-only binds are read-only recursively
// (mount_setattr), nosuid and nodev.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "sandbox/spec.hpp"

namespace mecapy::sandbox {

class MountPlan {
 public:
  // Throws mecapy::Error(invalid_input) naming a bind source that does not exist or a
  // target that is not an absolute path.
  static MountPlan build(const SandboxSpec& spec, const std::string& staging_dir = "/tmp");

  // Child side. Returns -1 on success, else the index of the failed step with its
  // errno in *error.
  int apply(int* error) const noexcept;

  // "mount proc on /proc" and so on, for error messages.
  std::string describe(int step) const;
  std::size_t step_count() const { return steps_.size(); }

 private:
  MountPlan() = default;
  enum class Op { mount, remount_readonly, make_dir, write_file, symlink, chdir, pivot_root, detach, remove_dir };
  struct Step {
    Op op;
    const char* source = nullptr;  // or the file content, or the symlink target
    const char* target = nullptr;
    const char* fstype = nullptr;
    unsigned long flags = 0;
    const char* data = nullptr;
  };
  const char* keep(std::string text);
  void add(Op op, const char* source, const char* target, const char* fstype = nullptr, unsigned long flags = 0,
           const char* data = nullptr);
  void add_bind(const std::string& source, const std::string& target, bool writable);
  void add_parents(const std::string& path);
  void add_system_dirs();
  void add_etc(const SandboxSpec& spec);
  void add_dev();
  void add_tmpfs(const std::string& target, std::uint64_t bytes, const char* mode, const std::string& owner = "");

  std::deque<std::string> strings_;  // stable storage for the steps' C strings
  std::vector<Step> steps_;
};

}  // namespace mecapy::sandbox
