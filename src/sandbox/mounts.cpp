// The mount plan of a sandbox (see mounts.hpp).
#include "sandbox/mounts.hpp"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "core/errors.hpp"

namespace mecapy::sandbox {
namespace {

constexpr const char* kOldRoot = "/.oldroot";

int write_whole_file(const char* path, const char* content) noexcept {
  const int fd = ::open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  const std::size_t size = std::strlen(content);
  const ssize_t written = size == 0 ? 0 : ::write(fd, content, size);
  const int error = written < 0 ? errno : 0;
  ::close(fd);
  return error;
}

int make_readonly_recursively(const char* target) noexcept {
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
  return ::syscall(SYS_mount_setattr, AT_FDCWD, target, AT_RECURSIVE, &attr, sizeof attr) == 0 ? 0 : errno;
}

}  // namespace

const char* MountPlan::keep(std::string text) { return strings_.emplace_back(std::move(text)).c_str(); }

void MountPlan::add(Op op, const char* source, const char* target, const char* fstype, unsigned long flags,
                    const char* data) {
  steps_.push_back(Step{op, source, target, fstype, flags, data});
}

void MountPlan::add_parents(const std::string& path) {
  for (std::size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1))
    add(Op::make_dir, nullptr, keep(path.substr(0, slash)));
}

void MountPlan::add_bind(const std::string& source, const std::string& target, bool writable) {
  // The child reaches the host's files through the old root it pivoted away from.
  char resolved[PATH_MAX];
  struct stat info {};
  if (source.empty() || source[0] != '/' || !::realpath(source.c_str(), resolved) || ::stat(resolved, &info) != 0)
    throw Error(ErrorKind::invalid_input, "bind_source",
                "bind source " + source + " must be an existing absolute path (" + std::strerror(errno) + ")");
  add_parents(target);
  const char* target_c = keep(target);
  if (S_ISDIR(info.st_mode))
    add(Op::make_dir, nullptr, target_c);
  else
    add(Op::write_file, "", target_c);
  add(Op::mount, keep(std::string(kOldRoot) + resolved), target_c, nullptr, MS_BIND | MS_REC);
  if (!writable) add(Op::remount_readonly, nullptr, target_c);
}

void MountPlan::add_system_dirs() {
  for (const char* dir : {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    struct stat info {};
    if (::lstat(dir, &info) != 0) continue;
    if (S_ISLNK(info.st_mode)) {
      char target[4096];
      const ssize_t n = ::readlink(dir, target, sizeof target - 1);
      if (n <= 0) continue;
      add(Op::symlink, keep(std::string(target, static_cast<std::size_t>(n))), keep(dir));
    } else if (S_ISDIR(info.st_mode)) {
      add_bind(dir, dir, false);
    }
  }
}

void MountPlan::add_etc(const SandboxSpec& spec) {
  add(Op::make_dir, nullptr, "/etc");
  const std::string uid = std::to_string(spec.uid);
  const std::string gid = std::to_string(spec.gid);
  add(Op::write_file,
      keep("root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:" + uid + ":" + gid +
           ":sandbox:/workspace:/usr/sbin/nologin\n"),
      "/etc/passwd");
  add(Op::write_file, keep("root:x:0:\nsandbox:x:" + gid + ":\n"), "/etc/group");
  add(Op::write_file, keep("127.0.0.1 localhost\n::1 localhost\n127.0.1.1 " + spec.hostname + "\n"), "/etc/hosts");
  // The dynamic loader's cache, and the Debian alternatives that shared libraries such
  // as libblas resolve through.
  for (const char* path : {"/etc/ld.so.cache", "/etc/alternatives"})
    if (::access(path, R_OK) == 0) add_bind(path, path, false);
}

void MountPlan::add_dev() {
  add(Op::make_dir, nullptr, "/dev");
  for (const char* device : {"/dev/null", "/dev/zero", "/dev/random", "/dev/urandom"}) add_bind(device, device, true);
  add(Op::symlink, "/proc/self/fd", "/dev/fd");
  add(Op::symlink, "/proc/self/fd/0", "/dev/stdin");
  add(Op::symlink, "/proc/self/fd/1", "/dev/stdout");
  add(Op::symlink, "/proc/self/fd/2", "/dev/stderr");
}

void MountPlan::add_tmpfs(const std::string& target, std::uint64_t bytes, const char* mode, const std::string& owner) {
  const char* target_c = keep(target);
  add(Op::make_dir, nullptr, target_c);
  add(Op::mount, "tmpfs", target_c, "tmpfs", MS_NOSUID | MS_NODEV,
      keep("size=" + std::to_string(bytes) + ",mode=" + mode + owner));
}

MountPlan MountPlan::build(const SandboxSpec& spec, const std::string& staging_dir) {
  MountPlan plan;
  // Nothing done here may propagate back to the host.
  plan.add(Op::mount, nullptr, "/", nullptr, MS_REC | MS_PRIVATE);
  const char* staging = plan.keep(staging_dir);
  plan.add(Op::mount, "tmpfs", staging, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=0755");
  plan.add(Op::chdir, nullptr, staging);
  plan.add(Op::make_dir, nullptr, ".oldroot");
  plan.add(Op::pivot_root, ".", ".oldroot");
  plan.add(Op::chdir, nullptr, "/");
  plan.add(Op::make_dir, nullptr, "/proc");
  plan.add(Op::mount, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
  plan.add_system_dirs();
  plan.add_etc(spec);
  plan.add_dev();
  plan.add_tmpfs("/tmp", spec.limits.tmp_bytes, "1777");
  if (spec.workspace_dir.empty())
    plan.add_tmpfs("/workspace", spec.limits.workspace_bytes, "0755",
                   ",uid=" + std::to_string(spec.uid) + ",gid=" + std::to_string(spec.gid));
  else
    plan.add_bind(spec.workspace_dir, "/workspace", true);
  for (const auto& bind : spec.binds) {
    if (bind.target.empty() || bind.target[0] != '/' || bind.target == "/" ||
        bind.target.find("..") != std::string::npos)
      throw Error(ErrorKind::invalid_input, "bind_target",
                  "bind target must be an absolute path: '" + bind.target + "'");
    plan.add_bind(bind.source, bind.target, bind.writable);
  }
  plan.add(Op::detach, nullptr, kOldRoot);
  plan.add(Op::remove_dir, nullptr, kOldRoot);
  plan.add(Op::remount_readonly, nullptr, "/", nullptr, 0, "root");
  plan.add(Op::chdir, nullptr, "/workspace");
  return plan;
}

int MountPlan::apply(int* error) const noexcept {
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    const Step& step = steps_[i];
    int rc = 0;
    switch (step.op) {
      case Op::mount:
        rc = ::mount(step.source, step.target, step.fstype, step.flags, step.data) == 0 ? 0 : errno;
        break;
      case Op::remount_readonly:
        // The new root is our own tmpfs: a plain read-only remount. Binds: recursive.
        rc = step.data ? (::mount(nullptr, step.target, nullptr,
                                  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) == 0
                              ? 0
                              : errno)
                       : make_readonly_recursively(step.target);
        break;
      case Op::make_dir:
        rc = ::mkdir(step.target, 0755) == 0 || errno == EEXIST ? 0 : errno;
        break;
      case Op::write_file:
        rc = write_whole_file(step.target, step.source);
        break;
      case Op::symlink:
        rc = ::symlink(step.source, step.target) == 0 ? 0 : errno;
        break;
      case Op::chdir:
        rc = ::chdir(step.target) == 0 ? 0 : errno;
        break;
      case Op::pivot_root:
        rc = ::syscall(SYS_pivot_root, step.source, step.target) == 0 ? 0 : errno;
        break;
      case Op::detach:
        rc = ::umount2(step.target, MNT_DETACH) == 0 ? 0 : errno;
        break;
      case Op::remove_dir:
        rc = ::rmdir(step.target) == 0 ? 0 : errno;
        break;
    }
    if (rc != 0) {
      *error = rc;
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::string MountPlan::describe(int step) const {
  if (step < 0 || static_cast<std::size_t>(step) >= steps_.size()) return "mount setup";
  const Step& s = steps_[static_cast<std::size_t>(step)];
  const std::string target = s.target ? s.target : "";
  switch (s.op) {
    case Op::mount:
      return std::string("mount ") + (s.source ? s.source : "(none)") + " on " + target;
    case Op::remount_readonly:
      return "make " + target + " read-only";
    case Op::make_dir:
      return "mkdir " + target;
    case Op::write_file:
      return "create " + target;
    case Op::symlink:
      return "symlink " + target;
    case Op::chdir:
      return "chdir " + target;
    case Op::pivot_root:
      return "pivot_root";
    case Op::detach:
      return "detach " + target;
    case Op::remove_dir:
      return "rmdir " + target;
  }
  return "mount setup";
}

}  // namespace mecapy::sandbox
