// Root images (see root_image.hpp).
#include "sandbox/root_image.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <vector>

#include "core/errors.hpp"
#include "sandbox/file_io.hpp"
#include "sandbox/namespace_pin.hpp"

namespace mecapy::sandbox {
namespace {

// Bump when the image plan changes, so that pins left by older builds are not reused.
constexpr const char* kImageFormat = "image-format-2";  // 2: device nodes and copied /etc files
constexpr const char* kPinPrefix = "image-";
constexpr const char* kOrderFile = "images.order";

// Replaces `path` with `text` (a temporary file renamed over it).
int replace_file(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".new";
  UniqueFd file(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!file) return errno;
  if (::write(file.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) return errno ? errno : EIO;
  return ::rename(temporary.c_str(), path.c_str()) == 0 ? 0 : errno;
}

[[noreturn]] void fail(const std::string& what, int error) {
  throw Error(ErrorKind::unavailable, "sandbox_image", what + ": " + errno_text(error));
}

// 64-bit FNV-1a, as 16 hex digits: a short stable name, not a security boundary.
std::string short_hash(const std::string& text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

std::string layout_key(const ImageLayout& layout) {
  std::string text = kImageFormat;
  text += '\n' + std::to_string(layout.uid) + ':' + std::to_string(layout.gid) + '\n' + layout.hostname + '\n';
  for (const auto& point : layout.extra_mount_points) text += point.target + (point.directory ? "/\n" : "\n");
  return short_hash(text);
}

std::string host_files_key() {
  std::string text;
  for (const char* path : image_host_files()) {
    struct stat info {};
    if (::stat(path, &info) != 0) {
      text += "-\n";
      continue;
    }
    text += std::to_string(info.st_dev) + ':' + std::to_string(info.st_ino) + ':' +
            std::to_string(info.st_mtim.tv_sec) + '.' + std::to_string(info.st_mtim.tv_nsec) + '\n';
  }
  return short_hash(text);
}

UniqueFd duplicate(const UniqueFd& fd) {
  UniqueFd copy(::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0));
  if (!copy) fail("cannot duplicate an image descriptor", errno);
  return copy;
}

std::vector<std::string> pins_in(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> found;
  DIR* listing = ::opendir(dir.c_str());
  if (!listing) return found;
  while (const dirent* entry = ::readdir(listing)) {
    const std::string name = entry->d_name;
    if (name.starts_with(prefix)) found.push_back(dir + "/" + name);
  }
  ::closedir(listing);
  return found;
}

// What the builder reports: the failed step and its errno, or step -1 when the image
// is ready.
struct BuildReport {
  std::int32_t step = -1;
  std::int32_t error = 0;
};

}  // namespace

UniqueFd build_root_image(const ImageLayout& layout, const std::string& staging_dir) {
  const MountPlan plan = MountPlan::for_image(layout, staging_dir);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) fail("cannot create a pipe", errno);
  UniqueFd report_reader(report[0]), report_writer(report[1]);
  // The builder replays the plan in a new mount namespace, reports, then waits to be
  // killed: the namespace lives on through the descriptor opened meanwhile. Between
  // fork and exit it only makes system calls (the caller may have other threads).
  const pid_t builder =
      static_cast<pid_t>(::syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
  if (builder < 0) fail("cannot create a mount namespace", errno);
  if (builder == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    BuildReport outcome;
    int error = 0;
    outcome.step = plan.apply(&error);
    outcome.error = error;
    const ssize_t written = ::write(report[1], &outcome, sizeof outcome);
    static_cast<void>(written);
    if (outcome.step >= 0) ::_exit(1);
    for (;;) ::pause();
  }
  report_writer.reset();
  BuildReport outcome;
  ssize_t got = 0;
  do {
    got = ::read(report_reader.get(), &outcome, sizeof outcome);
  } while (got < 0 && errno == EINTR);
  UniqueFd image;
  int open_error = 0;
  if (got == static_cast<ssize_t>(sizeof outcome) && outcome.step < 0) {
    image.reset(::open(("/proc/" + std::to_string(builder) + "/ns/mnt").c_str(), O_RDONLY | O_CLOEXEC));
    if (!image) open_error = errno;
  }
  ::kill(builder, SIGKILL);
  int status = 0;
  while (::waitpid(builder, &status, 0) < 0 && errno == EINTR) {
  }
  if (got != static_cast<ssize_t>(sizeof outcome)) fail("the image builder died", ECHILD);
  if (outcome.step >= 0) fail("building the root image: " + plan.describe(outcome.step), outcome.error);
  if (!image) fail("cannot open the image's namespace", open_error);
  return image;
}

UniqueFd RootImages::open(const ImageLayout& layout) {
  const std::string layout_id = layout_key(layout);
  const std::string files_id = host_files_key();
  const std::lock_guard lock(mutex_);
  if (!pin_dir_.empty()) return open_pinned(layout_id, files_id, layout);
  auto& kept = kept_[layout_id];
  if (!kept.image || kept.files_key != files_id) {
    kept.image = build_root_image(layout, staging_dir_);
    kept.files_key = files_id;
  }
  kept.last_used = ++tick_;
  UniqueFd image = duplicate(kept.image);
  evict_least_recently_used(layout_id);
  return image;
}

void RootImages::evict_least_recently_used(const std::string& keep) {
  while (kept_.size() > std::max<std::size_t>(max_images_, 1)) {
    auto oldest = kept_.end();
    for (auto entry = kept_.begin(); entry != kept_.end(); ++entry)
      if (entry->first != keep && (oldest == kept_.end() || entry->second.last_used < oldest->second.last_used))
        oldest = entry;
    kept_.erase(oldest);
  }
}

void RootImages::evict_oldest_pins(const std::string& newest) {
  // The pins in the order they were made, oldest first, as the order file lists them
  // (written under the images lock, at builds only); pins it does not list are older.
  const std::string order_file = pin_dir_ + "/" + kOrderFile;
  std::vector<std::string> listed;
  std::istringstream lines(read_small_file(order_file).value_or(""));
  for (std::string line; std::getline(lines, line);) listed.push_back(pin_dir_ + "/" + line);
  std::vector<std::string> order;
  for (const auto& pin : pins_in(pin_dir_, kPinPrefix))
    if (pin != newest && std::find(listed.begin(), listed.end(), pin) == listed.end()) order.push_back(pin);
  for (const auto& pin : listed)
    if (::access(pin.c_str(), F_OK) == 0 && pin != newest) order.push_back(pin);
  const std::size_t most = std::max<std::size_t>(max_images_, 1);
  std::size_t evicted = 0;
  while (order.size() - evicted + 1 > most) unpin_namespace(order[evicted++]);
  std::string text;
  for (std::size_t i = evicted; i < order.size(); ++i) text += order[i].substr(pin_dir_.size() + 1) + "\n";
  text += newest.substr(pin_dir_.size() + 1) + "\n";
  if (const int error = replace_file(order_file, text)) fail("cannot write " + order_file, error);
}

UniqueFd RootImages::open_pinned(const std::string& layout_id, const std::string& files_id, const ImageLayout& layout) {
  const std::string layout_prefix = std::string(kPinPrefix) + layout_id + "-";
  const std::string pin = pin_dir_ + "/" + layout_prefix + files_id;
  if (UniqueFd image = open_pinned_namespace(pin)) return image;

  // Other processes may be building the same image: one at a time, and look again.
  std::error_code error;
  std::filesystem::create_directories(pin_dir_, error);
  if (error) fail("cannot create " + pin_dir_, error.value());
  UniqueFd lock_file(::open((pin_dir_ + "/images.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!lock_file || ::flock(lock_file.get(), LOCK_EX) != 0) fail("cannot lock " + pin_dir_ + "/images.lock", errno);
  if (UniqueFd image = open_pinned_namespace(pin)) return image;
  for (const auto& stale : pins_in(pin_dir_, layout_prefix)) unpin_namespace(stale);
  UniqueFd image = build_root_image(layout, staging_dir_);
  evict_oldest_pins(pin);
  pin_namespace(image.get(), pin);
  return image;
}

void RootImages::remove_all() {
  const std::lock_guard lock(mutex_);
  kept_.clear();
  if (pin_dir_.empty()) return;
  for (const auto& pin : pins_in(pin_dir_, kPinPrefix)) unpin_namespace(pin);
  ::unlink((pin_dir_ + "/" + kOrderFile).c_str());
  ::unlink((pin_dir_ + "/images.lock").c_str());
}

}  // namespace mecapy::sandbox
