// Tiny, exception-free file helpers for kernel interface files (procfs, cgroupfs):
// whole-file reads and single-write writes, as the kernel expects them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mecapy::sandbox {

// The whole content of a small file; nullopt when it cannot be opened or read.
std::optional<std::string> read_small_file(const std::string& path);

// Writes `value` with one write(2) (creating a regular file if missing).
// Returns 0 or the errno of the failure.
int write_small_file(const std::string& path, std::string_view value);

// The number at the start of a file ("max" and unreadable files give nullopt).
std::optional<std::uint64_t> read_number_file(const std::string& path);

// The value of `key` in a "key value" per line file (memory.events, cpu.stat, ...).
std::optional<std::uint64_t> read_keyed_value(const std::string& path, std::string_view key);

// strerror-like text that names the errno ("EPERM: Operation not permitted").
std::string errno_text(int error);

}  // namespace mecapy::sandbox
