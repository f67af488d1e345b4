// The mount plan of a sandbox (see mounts.hpp).
#include "sandbox/mounts.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/errors.hpp"
#include "sandbox/file_io.hpp"
#include "sandbox/mount_point.hpp"

namespace mecapy::sandbox {
namespace {

constexpr const char* kOldRoot = "/.oldroot";
// Host files copied into the image: the dynamic loader's cache, and the Debian
// alternatives (a directory of symlinks) that shared libraries such as libblas resolve
// through. Copies rather than binds: every mount of the image is copied by each run.
constexpr std::array<const char*, 2> kImageHostFiles = {"/etc/ld.so.cache", "/etc/alternatives"};
constexpr const char* kDevices[] = {"/dev/null", "/dev/zero", "/dev/random", "/dev/urandom"};

int write_whole_file(const char* path, const char* content) noexcept {
  const int fd = ::open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  const std::size_t size = std::strlen(content);
  const ssize_t written = size == 0 ? 0 : ::write(fd, content, size);
  const int error = written < 0 ? errno : 0;
  ::close(fd);
  return error;
}

// Copies `source` to a new file `target` (mode 0644) with a fixed buffer: the builder
// does not allocate.
int copy_file(const char* source, const char* target) noexcept {
  const int in = ::open(source, O_RDONLY | O_CLOEXEC);
  if (in < 0) return errno;
  const int out = ::open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  int error = out < 0 ? errno : 0;
  char buffer[16384];
  while (error == 0) {
    const ssize_t got = ::read(in, buffer, sizeof buffer);
    if (got < 0) error = errno;
    if (got <= 0) break;
    for (ssize_t done = 0; error == 0 && done < got;) {
      const ssize_t put = ::write(out, buffer + done, static_cast<std::size_t>(got - done));
      if (put < 0) error = errno;
      done += put > 0 ? put : 0;
    }
  }
  if (out >= 0) ::close(out);
  ::close(in);
  return error;
}

int make_readonly_recursively(const char* target) noexcept {
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
  return ::syscall(SYS_mount_setattr, AT_FDCWD, target, AT_RECURSIVE, &attr, sizeof attr) == 0 ? 0 : errno;
}

}  // namespace

std::span<const char* const> image_host_files() { return kImageHostFiles; }

namespace {

// Absolute, not "/", and made of non-empty components other than "." and "..".
const char* target_problem(const std::string& target) {
  if (target.size() < 2 || target[0] != '/' || target.back() == '/') return "must be an absolute path";
  for (std::size_t start = 1; start <= target.size();) {
    const std::size_t end = std::min(target.find('/', start), target.size());
    const std::string_view part(target.data() + start, end - start);
    if (part.empty()) return "must be an absolute path";
    if (part == "." || part == "..") return "must be an absolute path without '.' or '..' components";
    start = end + 1;
  }
  if (target == "/proc" || target.starts_with("/proc/")) return "may not lie under /proc";
  return nullptr;
}

bool lies_under(const std::string& path, std::string_view dir) {
  return path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/';
}

}  // namespace

ResolvedBind resolve_bind(const BindMount& bind) {
  if (const char* problem = target_problem(bind.target))
    throw Error(ErrorKind::invalid_input, "bind_target",
                "bind target " + std::string(problem) + ": '" + bind.target + "'");
  char resolved[PATH_MAX];
  struct stat info {};
  if (bind.source.empty() || bind.source[0] != '/' || !::realpath(bind.source.c_str(), resolved) ||
      ::stat(resolved, &info) != 0)
    throw Error(ErrorKind::invalid_input, "bind_source",
                "bind source " + bind.source + " must be an existing absolute path (" + std::strerror(errno) + ")");
  return ResolvedBind{resolved, bind.target, bind.writable, S_ISDIR(info.st_mode)};
}

bool mount_point_in_image(const ResolvedBind& bind, const std::vector<ResolvedBind>& binds) {
  if (lies_under(bind.target, "/tmp") || lies_under(bind.target, "/workspace")) return false;
  return std::none_of(binds.begin(), binds.end(),
                      [&](const ResolvedBind& other) { return lies_under(bind.target, other.target); });
}

const char* MountPlan::keep(std::string text) { return strings_.emplace_back(std::move(text)).c_str(); }

void MountPlan::add(Op op, const char* source, const char* target, const char* fstype, unsigned long flags,
                    const char* data) {
  steps_.push_back(Step{op, source, target, fstype, flags, data});
}

void MountPlan::add_parents(const std::string& path) {
  for (std::size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1))
    add(Op::make_dir, nullptr, keep(path.substr(0, slash)));
}

void MountPlan::add_mount_point(const std::string& path, bool directory) {
  add_parents(path);
  if (directory)
    add(Op::make_dir, nullptr, keep(path));
  else
    add(Op::write_file, "", keep(path));
}

void MountPlan::add_host_bind(const std::string& path) {
  // The builder reaches the host's files through the old root it pivoted away from.
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    throw Error(ErrorKind::unavailable, "sandbox_image", "host path " + path + " is missing: " + errno_text(errno));
  add_mount_point(path, S_ISDIR(info.st_mode));
  const char* target = steps_.back().target;
  add(Op::mount, keep(std::string(kOldRoot) + path), target, nullptr, MS_BIND | MS_REC);
  add(Op::remount_readonly, nullptr, target);
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
      add_host_bind(dir);
    }
  }
}

void MountPlan::add_etc(const ImageLayout& layout) {
  add(Op::make_dir, nullptr, "/etc");
  const std::string uid = std::to_string(layout.uid);
  const std::string gid = std::to_string(layout.gid);
  add(Op::write_file,
      keep("root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:" + uid + ":" + gid +
           ":sandbox:/workspace:/usr/sbin/nologin\n"),
      "/etc/passwd");
  add(Op::write_file, keep("root:x:0:\nsandbox:x:" + gid + ":\n"), "/etc/group");
  add(Op::write_file, keep("127.0.0.1 localhost\n::1 localhost\n127.0.1.1 " + layout.hostname + "\n"), "/etc/hosts");
  if (::access("/etc/ld.so.cache", R_OK) == 0)
    add(Op::copy_file, keep(std::string(kOldRoot) + "/etc/ld.so.cache"), "/etc/ld.so.cache");
  add(Op::make_dir, nullptr, "/etc/alternatives");
  DIR* alternatives = ::opendir("/etc/alternatives");
  while (const dirent* entry = alternatives ? ::readdir(alternatives) : nullptr) {
    char target[PATH_MAX];
    const std::string path = std::string("/etc/alternatives/") + entry->d_name;
    const ssize_t length = ::readlink(path.c_str(), target, sizeof target - 1);
    if (length > 0) add(Op::symlink, keep(std::string(target, static_cast<std::size_t>(length))), keep(path));
  }
  if (alternatives) ::closedir(alternatives);
}

void MountPlan::add_dev() {
  add(Op::make_dir, nullptr, "/dev");
  for (const char* device : kDevices) {
    struct stat info {};
    if (::stat(device, &info) != 0 || !S_ISCHR(info.st_mode))
      throw Error(ErrorKind::unavailable, "sandbox_image", std::string("host device ") + device + " is missing");
    add(Op::make_device, nullptr, device, nullptr, info.st_rdev);
  }
  add(Op::symlink, "/proc/self/fd", "/dev/fd");
  add(Op::symlink, "/proc/self/fd/0", "/dev/stdin");
  add(Op::symlink, "/proc/self/fd/1", "/dev/stdout");
  add(Op::symlink, "/proc/self/fd/2", "/dev/stderr");
}

void MountPlan::add_tmpfs(const std::string& target, std::uint64_t bytes, const char* mode, const std::string& owner) {
  add(Op::mount, "tmpfs", keep(target), "tmpfs", MS_NOSUID | MS_NODEV,
      keep("size=" + std::to_string(bytes) + ",mode=" + mode + owner));
}

void MountPlan::add_tree(const ResolvedBind& bind, const RunOwner* make_mount_point) {
  UniqueFd tree(static_cast<int>(
      ::syscall(SYS_open_tree, AT_FDCWD, bind.source.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE)));
  if (!tree)
    throw Error(ErrorKind::unavailable, "sandbox_bind", "cannot copy " + bind.source + ": " + errno_text(errno));
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (bind.writable ? 0 : MOUNT_ATTR_RDONLY);
  if (::syscall(SYS_mount_setattr, tree.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0)
    throw Error(ErrorKind::unavailable, "sandbox_bind", "cannot restrict " + bind.source + ": " + errno_text(errno));
  add(Op::attach_tree, keep(bind.source), keep(bind.target));
  steps_.back().fd = tree.get();
  if (make_mount_point) {
    steps_.back().flags = kMakeMountPoint | (bind.directory ? 0 : kFileMountPoint);
    steps_.back().owner = *make_mount_point;
  }
  trees_.push_back(std::move(tree));
}

void MountPlan::add_workspace_tree(const ResolvedBind& workspace, RunOwner owner) {
  // The directory itself, not what it holds: the slot's host uid differs from run to
  // run, and the job must be able to write there.
  if (::lchown(workspace.source.c_str(), owner.uid, owner.gid) != 0)
    throw Error(ErrorKind::unavailable, "sandbox_workspace",
                "cannot give " + workspace.source + " to the sandbox user: " + errno_text(errno));
  add_tree(workspace);
}

MountPlan MountPlan::for_image(const ImageLayout& layout, const std::string& staging_dir) {
  MountPlan plan;
  // Nothing done here may propagate back to the host.
  plan.add(Op::mount, nullptr, "/", nullptr, MS_REC | MS_PRIVATE);
  const char* staging = plan.keep(staging_dir);
  // Not nodev: the image's /dev holds the four device nodes made below. Nothing else
  // can create one there: the root is read-only, and the sandbox has no CAP_MKNOD.
  plan.add(Op::mount, "tmpfs", staging, "tmpfs", MS_NOSUID, "size=4m,mode=0755");
  plan.add(Op::chdir, nullptr, staging);
  plan.add(Op::make_dir, nullptr, ".oldroot");
  plan.add(Op::pivot_root, ".", ".oldroot");
  plan.add(Op::chdir, nullptr, "/");
  plan.add_system_dirs();
  plan.add_etc(layout);
  plan.add_dev();
  for (const char* point : {"/proc", "/tmp", "/workspace"}) plan.add_mount_point(point, true);
  for (const auto& bind : layout.extra_mount_points) plan.add_mount_point(bind.target, bind.directory);
  plan.add(Op::detach, nullptr, kOldRoot);
  plan.add(Op::remove_dir, nullptr, kOldRoot);
  plan.add(Op::remount_readonly, nullptr, "/", nullptr, 0, "root");
  return plan;
}

MountPlan MountPlan::for_run(const SandboxSpec& spec, const std::vector<ResolvedBind>& binds, int image_fd,
                             RunOwner owner) {
  MountPlan plan;
  plan.add(Op::enter_namespace, nullptr, "the root image");
  plan.steps_.back().fd = image_fd;
  plan.add(Op::private_copy, nullptr, "the root image");
  plan.add(Op::mount, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
  plan.add_tmpfs("/tmp", spec.limits.tmp_bytes, "1777");
  if (spec.workspace_dir.empty())
    plan.add_tmpfs("/workspace", spec.limits.workspace_bytes, "0755",
                   ",uid=" + std::to_string(owner.uid) + ",gid=" + std::to_string(owner.gid));
  else
    plan.add_workspace_tree(resolve_bind(BindMount{spec.workspace_dir, "/workspace", true}), owner);
  // A bind inside another one's target comes after it, whatever the spec's order.
  std::vector<const ResolvedBind*> in_order;
  in_order.reserve(binds.size());
  for (const auto& bind : binds) in_order.push_back(&bind);
  std::stable_sort(in_order.begin(), in_order.end(),
                   [](const ResolvedBind* a, const ResolvedBind* b) { return a->target < b->target; });
  for (const auto* bind : in_order) plan.add_tree(*bind, mount_point_in_image(*bind, binds) ? nullptr : &owner);
  plan.add(Op::chdir, nullptr, "/workspace");
  return plan;
}

int MountPlan::attach_tree(const Step& step) noexcept {
  if (!(step.flags & kMakeMountPoint))
    return ::syscall(SYS_move_mount, step.fd, "", AT_FDCWD, step.target, MOVE_MOUNT_F_EMPTY_PATH) == 0 ? 0 : errno;
  const int target = open_mount_point(step.target, !(step.flags & kFileMountPoint), step.owner);
  if (target < 0) return -target;
  const int rc =
      ::syscall(SYS_move_mount, step.fd, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) == 0
          ? 0
          : errno;
  ::close(target);
  return rc;
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
        // The new root is our own tmpfs: a plain read-only remount (devices stay usable:
        // its /dev holds the sandbox's device nodes). Binds: recursive.
        rc = step.data
                 ? (::mount(nullptr, step.target, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, nullptr) == 0
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
      case Op::copy_file:
        rc = copy_file(step.source, step.target);
        break;
      case Op::make_device:
        rc = ::mknod(step.target, S_IFCHR | 0666, static_cast<dev_t>(step.flags)) == 0 ? 0 : errno;
        if (rc == 0) rc = ::chmod(step.target, 0666) == 0 ? 0 : errno;  // past the umask
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
      case Op::enter_namespace:
        rc = ::setns(step.fd, CLONE_NEWNS) == 0 ? 0 : errno;
        break;
      case Op::private_copy:
        rc = ::unshare(CLONE_NEWNS) == 0 ? 0 : errno;
        break;
      case Op::attach_tree:
        rc = attach_tree(step);
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
    case Op::copy_file:
      return "copy " + std::string(s.source ? s.source : "") + " to " + target;
    case Op::make_device:
      return "make device " + target;
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
    case Op::enter_namespace:
      return "enter " + target;
    case Op::private_copy:
      return "copy " + target;
    case Op::attach_tree:
      return std::string("bind ") + (s.source ? s.source : "(none)") + " on " + target;
  }
  return "mount setup";
}

}  // namespace mecapy::sandbox
