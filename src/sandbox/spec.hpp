// What to run in a sandbox: the command, its environment, what the filesystem shows
// and the limits. A spec is plain data; Sandbox::run() validates it and reports
// problems as a sandbox_error result, never by crashing.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/limits.hpp"

namespace mecapy::sandbox {

enum class OutputStream { stdout_stream, stderr_stream };

// A host path shown at `target` inside the sandbox. Read-only unless `writable`.
struct BindMount {
  std::string source;
  std::string target;
  bool writable = false;
};

struct SandboxSpec {
  // argv[0] is an absolute path or a name looked up in /usr/bin then /bin.
  std::vector<std::string> argv;
  // Extra "NAME=value" entries. The environment is otherwise only PATH, HOME, LANG
  // and TMPDIR: nothing of the caller's environment leaks in.
  std::vector<std::string> env;
  // Host directory shown read-write at /workspace. Empty: a private tmpfs of
  // limits.workspace_bytes (a bound directory is not size-limited by the sandbox).
  std::string workspace_dir;
  std::vector<BindMount> binds;
  // File given as standard input; empty: /dev/null.
  std::string stdin_path;
  Limits limits;
  // The sandbox user as the command sees it (inside its user namespace), mapped to
  // the host ids of the run's slot (SandboxOptions::host_ids): never the host's own
  // user of that number.
  uid_t uid = 65534;
  gid_t gid = 65534;
  std::string hostname = "sandbox";
  // Called in the launching thread once the sandbox's first process exists, with
  // its host pid (for supervision and tests). Must not throw.
  std::function<void(pid_t)> on_started;
  // Called in the launching thread with each piece of stdout or stderr as it is read
  // (what the captures keep, in order, so never more than the limits), while the
  // sandbox runs: live logs. Must be quick (the supervisor watches the clock between
  // reads) and must not throw.
  std::function<void(OutputStream, std::string_view)> on_output;
};

}  // namespace mecapy::sandbox
