// The user and network namespaces of a sandbox, created ahead of time and joined by
// the sandbox's first process with setns(2).
//
// A network namespace costs about a millisecond to create (every network subsystem
// initialises its per-namespace state), more than all the rest of a sandbox's set-up.
// An empty network namespace keeps no state once its processes are gone (they alone
// own its sockets; changing its interfaces, routes or sysctls needs capabilities the
// sandbox never has), so one pair is kept per cgroup slot and reused by the runs
// leased that slot, one at a time. A pair survives the process that made it by being
// pinned: its nsfs files are bind-mounted onto files under a runtime directory
// ("<runtime_dir>/<slot>/user-UID-GID" and ".../net-UID-GID").
#pragma once

#include <sys/types.h>

#include <string>

#include "sandbox/unique_fd.hpp"

namespace mecapy::sandbox {

struct IsolationNamespaces {
  UniqueFd user;  // maps uid and gid 1:1, nothing else
  UniqueFd net;   // owned by `user`: only a loopback interface, down, no route
};

// A fresh pair. Throws mecapy::Error(unavailable) when the kernel refuses.
IsolationNamespaces create_isolation_namespaces(uid_t uid, gid_t gid);

class PinnedNamespaces {
 public:
  explicit PinnedNamespaces(std::string runtime_dir) : dir_(std::move(runtime_dir)) {}

  // The pair pinned for `slot` and this uid/gid, created and pinned when missing.
  // The caller holds the slot's lease. Throws mecapy::Error(unavailable).
  IsolationNamespaces open(const std::string& slot, uid_t uid, gid_t gid);

  // Unpins and deletes every pair of `slot` (whose lease the caller holds).
  void remove(const std::string& slot);
  // Removes the runtime directory if nothing is left in it.
  void remove_directory_if_empty();

  const std::string& directory() const { return dir_; }

 private:
  std::string dir_;
};

}  // namespace mecapy::sandbox
