// Shared by the sandbox tests: one Sandbox per test binary with a cgroup pool of its
// own (so concurrent test binaries never share slots), drained when the binary ends,
// and a temp directory helper.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "sandbox/launcher.hpp"

namespace mecapy::sandbox::testing {

inline Sandbox& test_sandbox() {
  struct Holder {
    std::unique_ptr<Sandbox> sandbox;
    Holder() {
      SandboxOptions options;
      options.pool_name = "mecapy-test-" + std::to_string(::getpid());
      sandbox = std::make_unique<Sandbox>(options);
    }
    ~Holder() { sandbox->remove_idle_slots(); }
  };
  static Holder holder;
  return *holder.sandbox;
}

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "mecapy-sandbox-test") {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// True when some host process has `marker` among its command-line arguments.
inline bool host_process_with_argument(const std::string& marker) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::FILE* file = std::fopen((entry.path() / "cmdline").c_str(), "rb");
    if (!file) continue;
    std::string cmdline(4096, '\0');
    cmdline.resize(std::fread(cmdline.data(), 1, cmdline.size(), file));
    std::fclose(file);
    std::size_t start = 0;
    for (std::size_t i = 0; i <= cmdline.size(); ++i) {
      if (i == cmdline.size() || cmdline[i] == '\0') {
        if (cmdline.compare(start, i - start, marker) == 0 && i > start) return true;
        start = i + 1;
      }
    }
  }
  return false;
}

}  // namespace mecapy::sandbox::testing
