// The filesystem a sandboxed process sees, as plans of mount steps built by the
// parent and replayed by a child process without allocating. There are two plans.
//
// The image plan is replayed once per layout by a builder process in a new mount
// namespace, which is then kept (root_image.hpp). It mounts a fresh tmpfs,
// pivot_root()s into it and builds there:
//   /usr /bin /lib* /sbin   read-only binds of the host's (symlinks stay symlinks)
//   /etc                    passwd, group, hosts written for the sandbox, copies of
//                           ld.so.cache and of the alternatives symlinks
//   /dev                    null, zero, random, urandom (device nodes) and the fd links
//   /proc /tmp /workspace   empty mount points, and one for each extra bind
// then detaches the host's root and makes its own root read-only.
//
// The run plan is replayed by each sandbox's first process while still privileged:
// it enters the image's namespace and takes a private copy of it (unshare), then
// mounts on the image's mount points
//   /proc                   a new procfs of the sandbox's PID namespace
//   /tmp                    a size-limited tmpfs
//   /workspace              a size-limited tmpfs, or the job's directory (read-write;
//                           the directory itself is given to the sandbox user's host ids)
//   + the spec's extra binds (read-only unless writable)
// The binds are detached copies of the host paths made by the parent (open_tree)
// that the child moves into place (move_mount): their sources are checked, and
// symlinks resolved, before anything starts. Read-only binds are read-only
// recursively (mount_setattr); every bind is nosuid and nodev.
//
// A bind's mount point is in the image, unless its target lies under /tmp,
// /workspace or another bind's target, which the run's own mounts cover: then the
// child makes it, with its parents, in the run's filesystem once that is mounted
// (binds are mounted parents first), following no symlink on the way
// (mount_point.hpp). Targets are absolute paths without "." or ".." components,
// and never /proc or anything under it (the sandbox's own procfs is no place for a
// host file): resolve_bind refuses the others.
#pragma once

#include <sys/types.h>

#include <deque>
#include <span>
#include <string>
#include <vector>

#include "sandbox/mount_point.hpp"
#include "sandbox/spec.hpp"
#include "sandbox/unique_fd.hpp"

namespace mecapy::sandbox {

// A bind of the spec with its source checked: absolute, existing, symlinks resolved.
struct ResolvedBind {
  std::string source;
  std::string target;
  bool writable = false;
  bool directory = true;
};

// Throws mecapy::Error(invalid_input) naming a source that does not exist or a target
// that is not an absolute path (without "." and ".." components) or lies under /proc.
ResolvedBind resolve_bind(const BindMount& bind);

// Whether the bind's mount point belongs in the image (else the run makes it): not
// when it lies under /tmp, /workspace or another of the run's `binds`.
bool mount_point_in_image(const ResolvedBind& bind, const std::vector<ResolvedBind>& binds);

// The host files the image holds copies of: when the host changes them (ldconfig
// writes a new cache), the image must be rebuilt.
std::span<const char* const> image_host_files();

// What an image depends on: the sandbox user, the host name and the mount points the
// runs need besides /proc, /tmp and /workspace.
struct ImageLayout {
  uid_t uid = 65534;
  gid_t gid = 65534;
  std::string hostname = "sandbox";
  // Only target and directory matter; only those whose mount_point_in_image().
  std::vector<ResolvedBind> extra_mount_points;
};

class MountPlan {
 public:
  // The image's plan; `staging_dir` is the host directory the new root is mounted
  // over (in the builder's namespace only).
  static MountPlan for_image(const ImageLayout& layout, const std::string& staging_dir = "/tmp");
  // A run's plan over the image whose mount namespace is `image_fd` (which must stay
  // open until the child has replayed the plan). `binds` were resolved from
  // spec.binds; the workspace directory, if any, is resolved here. Throws
  // mecapy::Error(invalid_input) for a bad workspace directory, (unavailable) when
  // the kernel refuses to copy a bind.
  static MountPlan for_run(const SandboxSpec& spec, const std::vector<ResolvedBind>& binds, int image_fd,
                           RunOwner owner);

  // Child side. Returns -1 on success, else the index of the failed step with its
  // errno in *error.
  int apply(int* error) const noexcept;

  // "mount proc on /proc" and so on, for error messages.
  std::string describe(int step) const;
  std::size_t step_count() const { return steps_.size(); }

 private:
  MountPlan() = default;
  enum class Op {
    mount,
    remount_readonly,
    make_dir,
    write_file,
    copy_file,
    make_device,
    symlink,
    chdir,
    pivot_root,
    detach,
    remove_dir,
    enter_namespace,
    private_copy,
    attach_tree,
  };
  struct Step {
    Op op;
    const char* source = nullptr;  // or the file content, or the symlink target
    const char* target = nullptr;
    const char* fstype = nullptr;
    unsigned long flags = 0;  // mount flags, or the device number for make_device
    const char* data = nullptr;
    int fd = -1;       // enter_namespace, attach_tree
    RunOwner owner{};  // attach_tree with kMakeMountPoint
  };
  // attach_tree flags: the child makes the mount point (a directory unless kFile).
  static constexpr unsigned long kMakeMountPoint = 1;
  static constexpr unsigned long kFileMountPoint = 2;
  static int attach_tree(const Step& step) noexcept;
  const char* keep(std::string text);
  void add(Op op, const char* source, const char* target, const char* fstype = nullptr, unsigned long flags = 0,
           const char* data = nullptr);
  void add_host_bind(const std::string& path);  // read-only
  void add_mount_point(const std::string& path, bool directory);
  void add_parents(const std::string& path);
  void add_system_dirs();
  void add_etc(const ImageLayout& layout);
  void add_dev();
  void add_tmpfs(const std::string& target, std::uint64_t bytes, const char* mode, const std::string& owner = "");
  void add_tree(const ResolvedBind& bind, const RunOwner* make_mount_point = nullptr);
  void add_workspace_tree(const ResolvedBind& workspace, RunOwner owner);

  std::deque<std::string> strings_;  // stable storage for the steps' C strings
  std::vector<Step> steps_;
  std::vector<UniqueFd> trees_;  // detached copies of the run's binds
};

}  // namespace mecapy::sandbox
