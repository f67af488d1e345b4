// Pre-created user and network namespaces (see isolation_namespaces.hpp).
#include "sandbox/isolation_namespaces.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <vector>

#include "core/errors.hpp"
#include "sandbox/file_io.hpp"
#include "sandbox/namespace_pin.hpp"
#include "sandbox/namespaces.hpp"

namespace mecapy::sandbox {
namespace {

[[noreturn]] void fail(const std::string& what, int error) {
  throw Error(ErrorKind::unavailable, "sandbox_namespaces", what + ": " + errno_text(error));
}

}  // namespace

IsolationNamespaces create_isolation_namespaces(const IdMapping& ids) {
  // A holder process lives in the new namespaces until their descriptors are open,
  // then is killed: the namespaces live on through the descriptors. (It is killed
  // rather than told to exit through a pipe: children cloned concurrently by other
  // threads would inherit the pipe and keep it open.)
  const pid_t holder = static_cast<pid_t>(
      ::syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWNET | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
  if (holder < 0) fail("cannot create the user and network namespaces", errno);
  if (holder == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    for (;;) ::pause();
  }
  IsolationNamespaces namespaces;
  int error = write_id_maps(holder, ids);
  const std::string proc = "/proc/" + std::to_string(holder) + "/ns/";
  if (error == 0) {
    namespaces.user.reset(::open((proc + "user").c_str(), O_RDONLY | O_CLOEXEC));
    namespaces.net.reset(::open((proc + "net").c_str(), O_RDONLY | O_CLOEXEC));
    if (!namespaces.user || !namespaces.net) error = errno;
  }
  ::kill(holder, SIGKILL);
  int status = 0;
  while (::waitpid(holder, &status, 0) < 0 && errno == EINTR) {
  }
  if (error != 0) fail("cannot set up the user namespace", error);
  return namespaces;
}

IsolationNamespaces SlotNamespaces::open(const std::string& slot, const IdMapping& ids) {
  std::string key;
  for (const unsigned id : {ids.uid, ids.gid, ids.host_uid, ids.host_gid}) {
    if (!key.empty()) key += '-';
    key += std::to_string(id);
  }
  if (!dir_.empty()) return open_pinned(slot, key, ids);
  const std::lock_guard lock(mutex_);
  auto& kept = kept_[slot + "/" + key];
  if (!kept.user || !kept.net) kept = create_isolation_namespaces(ids);
  // The caller gets its own descriptors: the kept ones stay here.
  IsolationNamespaces copy{UniqueFd(::fcntl(kept.user.get(), F_DUPFD_CLOEXEC, 0)),
                           UniqueFd(::fcntl(kept.net.get(), F_DUPFD_CLOEXEC, 0))};
  if (!copy.user || !copy.net) fail("cannot duplicate namespace descriptors", errno);
  return copy;
}

IsolationNamespaces SlotNamespaces::open_pinned(const std::string& slot, const std::string& key, const IdMapping& ids) {
  const std::string slot_dir = dir_ + "/" + slot;
  const std::string user_pin = slot_dir + "/user-" + key;
  const std::string net_pin = slot_dir + "/net-" + key;
  IsolationNamespaces pinned{open_pinned_namespace(user_pin), open_pinned_namespace(net_pin)};
  if (pinned.user && pinned.net) return pinned;

  std::error_code error;
  std::filesystem::create_directories(slot_dir, error);
  if (error) fail("cannot create " + slot_dir, error.value());
  unpin_namespace(user_pin);
  unpin_namespace(net_pin);
  IsolationNamespaces fresh = create_isolation_namespaces(ids);
  pin_namespace(fresh.user.get(), user_pin);
  pin_namespace(fresh.net.get(), net_pin);
  return fresh;
}

void SlotNamespaces::remove(const std::string& slot) {
  {
    const std::lock_guard lock(mutex_);
    std::erase_if(kept_, [&](const auto& entry) { return entry.first.starts_with(slot + "/"); });
  }
  if (dir_.empty()) return;
  const std::string slot_dir = dir_ + "/" + slot;
  DIR* dir = ::opendir(slot_dir.c_str());
  if (!dir) return;
  std::vector<std::string> files;
  while (const dirent* entry = ::readdir(dir))
    if (entry->d_name[0] != '.') files.emplace_back(slot_dir + "/" + entry->d_name);
  ::closedir(dir);
  for (const auto& file : files) unpin_namespace(file);
  ::rmdir(slot_dir.c_str());
}

}  // namespace mecapy::sandbox
