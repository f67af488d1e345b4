// Pins: a namespace kept alive after every process in it is gone, by bind-mounting its
// nsfs file onto a regular file (as `ip netns` does). Short-lived processes (the
// mecapy-sandbox command) pin what they prepare ahead of time so that the next
// invocation finds it. Pins are mounts of the host: keep few of them.
#pragma once

#include <string>

#include "sandbox/unique_fd.hpp"

namespace mecapy::sandbox {

// The namespace pinned at `path`; an empty UniqueFd when nothing (or something that is
// not a namespace) is there.
UniqueFd open_pinned_namespace(const std::string& path);

// Pins the namespace of `namespace_fd` at `path` (created). Throws mecapy::Error.
void pin_namespace(int namespace_fd, const std::string& path);

// Removes the pin at `path`, if any. Holders of the namespace keep it.
void unpin_namespace(const std::string& path);

}  // namespace mecapy::sandbox
