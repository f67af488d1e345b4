// The cgroup slot pool (see cgroup_pool.hpp).
#include "sandbox/cgroup_pool.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "core/errors.hpp"
#include "sandbox/file_io.hpp"

namespace mecapy::sandbox {
namespace {

constexpr std::string_view kSlotPrefix = "slot-";

std::string child_path(const std::string& dir, const std::string& name) {
  std::string path = dir;
  path += '/';
  path += name;
  return path;
}

int make_dir(const std::string& path) { return ::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST ? 0 : errno; }

bool same_directory(int fd, const std::string& path) {
  struct stat by_fd {};
  struct stat by_path {};
  return ::fstat(fd, &by_fd) == 0 && ::stat(path.c_str(), &by_path) == 0 && by_fd.st_ino == by_path.st_ino &&
         by_fd.st_dev == by_path.st_dev;
}

enum class SlotState { empty, busy, unreadable };

// Kills what a dead owner left in a slot (never by a recycled pid: see kill_members).
SlotState empty_slot(CgroupSlot& slot) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const auto pids = slot.member_pids();
    if (!pids) return SlotState::unreadable;
    if (pids->empty()) return SlotState::empty;
    if (!slot.kill_members()) return SlotState::unreadable;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return SlotState::busy;
}

}  // namespace

CgroupPool::Lease::Lease(int lock_fd, std::string name, std::unique_ptr<CgroupSlot> slot, unsigned index)
    : lock_fd_(lock_fd), name_(std::move(name)), slot_(std::move(slot)), index_(index) {}

CgroupPool::Lease::Lease(Lease&& other) noexcept
    : lock_fd_(other.lock_fd_), name_(std::move(other.name_)), slot_(std::move(other.slot_)), index_(other.index_) {
  other.lock_fd_ = -1;
}

CgroupPool::Lease::~Lease() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

CgroupPool::CgroupPool(std::unique_ptr<CgroupDriver> driver, const std::string& pool_name, unsigned max_slots)
    : driver_(std::move(driver)), max_slots_(max_slots) {
  for (const auto& base : driver_->base_dirs()) pool_dirs_.push_back(child_path(base, pool_name));
}

void CgroupPool::ensure_pool_dirs() {
  for (const auto& dir : pool_dirs_)
    if (const int error = make_dir(dir))
      throw Error(ErrorKind::unavailable, "cgroup_pool", "cannot create cgroup " + dir + ": " + errno_text(error));
  for (const auto& dir : pool_dirs_) driver_->prepare_pool_dir(dir);
}

std::vector<std::string> CgroupPool::slot_dirs(const std::string& name) const {
  std::vector<std::string> dirs;
  for (const auto& pool_dir : pool_dirs_) dirs.push_back(child_path(pool_dir, name));
  return dirs;
}

CgroupPool::Lease CgroupPool::acquire() {
  std::call_once(pool_dirs_ready_, [this] { ensure_pool_dirs(); });
  for (unsigned index = 0; index < max_slots_; ++index) {
    const std::string name = std::string(kSlotPrefix) + std::to_string(index);
    if (is_quarantined(name)) continue;
    const auto dirs = slot_dirs(name);
    int fd = ::open(dirs[0].c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      for (const auto& dir : dirs) {
        int error = make_dir(dir);
        if (error == ENOENT) {  // the pool itself was cleaned up by someone else meanwhile
          ensure_pool_dirs();
          error = make_dir(dir);
        }
        if (error)
          throw Error(ErrorKind::unavailable, "cgroup_pool", "cannot create cgroup " + dir + ": " + errno_text(error));
      }
      fd = ::open(dirs[0].c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) continue;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      continue;
    }
    // Removed (and maybe re-created) between our open and our lock: try the next one.
    bool complete = same_directory(fd, dirs[0]);
    for (std::size_t i = 1; complete && i < dirs.size(); ++i) complete = make_dir(dirs[i]) == 0;
    auto slot = complete ? driver_->open_slot(dirs) : nullptr;
    const SlotState state = slot ? empty_slot(*slot) : SlotState::busy;
    if (state == SlotState::unreadable) quarantine(name);
    if (state != SlotState::empty) {
      ::close(fd);
      continue;
    }
    return Lease(fd, name, std::move(slot), index);
  }
  const auto quarantined = quarantined_slots();
  throw Error(ErrorKind::unavailable, "cgroup_pool_full",
              "all " + std::to_string(max_slots_) + " sandbox cgroups are in use" +
                  (quarantined.empty() ? "" : " or quarantined (" + std::to_string(quarantined.size()) + ")"));
}

void CgroupPool::quarantine(const std::string& name) {
  const std::lock_guard lock(quarantine_mutex_);
  quarantined_.insert(name);
}

bool CgroupPool::is_quarantined(const std::string& name) const {
  const std::lock_guard lock(quarantine_mutex_);
  return quarantined_.contains(name);
}

std::vector<std::string> CgroupPool::quarantined_slots() const {
  const std::lock_guard lock(quarantine_mutex_);
  return {quarantined_.begin(), quarantined_.end()};
}

std::vector<std::string> CgroupPool::slot_names() const {
  std::vector<std::string> names;
  DIR* dir = ::opendir(pool_dirs_.at(0).c_str());
  if (!dir) return names;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (entry->d_type == DT_DIR && name.starts_with(kSlotPrefix)) names.emplace_back(name);
  }
  ::closedir(dir);
  return names;
}

std::size_t CgroupPool::remove_idle_slots(const std::function<void(const std::string&)>& on_removed) {
  std::size_t removed = 0;
  for (const auto& name : slot_names()) {
    const auto dirs = slot_dirs(name);
    const int fd = ::open(dirs[0].c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      continue;
    }
    const auto members = driver_->open_slot(dirs)->member_pids();
    if (!members) quarantine(name);
    if (members && members->empty()) {
      bool all_removed = true;
      for (auto dir = dirs.rbegin(); dir != dirs.rend(); ++dir)
        all_removed = (::rmdir(dir->c_str()) == 0 || errno == ENOENT) && all_removed;
      if (all_removed) {
        ++removed;
        if (on_removed) on_removed(name);
      }
    }
    ::close(fd);
  }
  for (const auto& dir : pool_dirs_) ::rmdir(dir.c_str());  // only succeeds when empty
  return removed;
}

}  // namespace mecapy::sandbox
