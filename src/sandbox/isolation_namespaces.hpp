// The user and network namespaces of a sandbox, created ahead of time and joined by
// the sandbox's first process with setns(2).
//
// A network namespace costs about a millisecond to create (every network subsystem
// initialises its per-namespace state), more than all the rest of a sandbox's set-up.
// An empty network namespace keeps no state once its processes are gone (they alone
// own its sockets; changing its interfaces, routes or sysctls needs capabilities the
// sandbox never has), so one pair is kept per cgroup slot and reused by the runs
// leased that slot, one at a time. A long-running process keeps its pairs as open
// descriptors; short-lived ones (the mecapy-sandbox command) pin them so that they
// outlive the process (namespace_pin.hpp), under a runtime directory
// ("<dir>/<slot>/user-UID-GID-HOSTUID-HOSTGID" and ".../net-...").
#pragma once

#include <sys/types.h>

#include <map>
#include <mutex>
#include <string>

#include "sandbox/namespaces.hpp"
#include "sandbox/unique_fd.hpp"

namespace mecapy::sandbox {

struct IsolationNamespaces {
  UniqueFd user;  // maps the sandbox uid and gid to their host ids, nothing else
  UniqueFd net;   // owned by `user`: only a loopback interface, down, no route
};

// A fresh pair. Throws mecapy::Error(unavailable) when the kernel refuses.
IsolationNamespaces create_isolation_namespaces(const IdMapping& ids);

class SlotNamespaces {
 public:
  // `pin_dir` empty: pairs are kept by this process only; else pinned under it.
  explicit SlotNamespaces(std::string pin_dir) : dir_(std::move(pin_dir)) {}

  // The pair of `slot` for these ids, created (and pinned) when missing. The caller
  // holds the slot's lease. Thread-safe. Throws mecapy::Error(unavailable).
  IsolationNamespaces open(const std::string& slot, const IdMapping& ids);

  // Forgets (unpins) every pair of `slot`, whose lease the caller holds.
  void remove(const std::string& slot);

  const std::string& pin_directory() const { return dir_; }

 private:
  IsolationNamespaces open_pinned(const std::string& slot, const std::string& key, const IdMapping& ids);

  std::string dir_;
  std::mutex mutex_;
  std::map<std::string, IsolationNamespaces> kept_;  // "<slot>/<uid>-<gid>-<host ids>" -> pair
};

}  // namespace mecapy::sandbox
