// Where a package's source starts in an unpacked archive, and the checksum that
// identifies that source (it names function versions, so equal trees must give equal
// checksums whatever archive they came in, and the normal form below must never
// change: a change would make every stored version look different).
//
// Normal form (version 1). Entries are the files, symbolic links and directories
// under `root`, with paths relative to it, '/' between components, except ignored
// ones: anything named `__pycache__` or `.git` (and all below it), and non-directories
// named `.DS_Store` or ending in `.pyc`. A directory is listed only when something not
// ignored lies below it (empty directories are left out). Entries are sorted
// bytewise (unsigned bytes) by path, and each contributes one record whose fields
// each end with one NUL byte (no field can contain NUL):
//   file:     "file"    NUL path NUL ("x" if any exec bit is set, else "-") NUL
//             lowercase hex SHA-256 of the content NUL
//   symlink:  "symlink" NUL path NUL link target as stored NUL
//   dir:      "dir"     NUL path NUL
// The checksum is the lowercase hex SHA-256 of the concatenated records. Owners,
// times, and permission bits other than the exec bits play no part.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace mecapy::packages {

// The directory holding mecapy.yml: `unpacked` itself, or its single top-level
// directory when that is all it holds (as GitHub's archives are). Ignored names (as
// above) and macOS's `__MACOSX` folder do not count as top-level entries. Throws
// Error(invalid_input, "manifest-missing") otherwise.
std::filesystem::path package_root(const std::filesystem::path& unpacked);

// The checksum of the tree under `root` in the normal form above; `excluded`, when
// given, is one path (relative, '/'-separated) left out with everything below it: a
// function version's checksum covers the code without mecapy.yml, whose own content
// (a new version number) says nothing about the function. Throws
// Error(invalid_input, "source-tree-unsupported-entry") for a device, fifo or socket,
// and Error(internal, "source-tree-unreadable") when the tree cannot be read.
std::string source_tree_sha256(const std::filesystem::path& root, std::string_view excluded = {});

}  // namespace mecapy::packages
