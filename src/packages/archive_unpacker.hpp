// Unpacks an uploaded package archive (.zip, .tar, .tar.gz, .tar.bz2, .tar.xz) into a
// new directory, refusing everything that could write outside it, exhaust the disk or
// leave something other than plain files and directories behind.
//
// Promises:
// - The format and the compression are recognised from the content (libarchive's
//   bidders), never from the file name. Anything else is refused as
//   "archive-unsupported".
// - `dest_dir` must not exist; it is created, and on ANY failure it is removed with
//   everything written into it before the error propagates (std::filesystem's
//   remove_all, which removes a link and never what it points to).
// - Every file is created with openat(parent, name, O_CREAT|O_EXCL|O_NOFOLLOW) after
//   walking each parent component with openat(O_DIRECTORY|O_NOFOLLOW) from the
//   destination's own descriptor (itself opened with O_NOFOLLOW): no path below the
//   destination is resolved by the kernel as a string, so nothing can be written
//   through a link, whatever the archive holds or whoever swaps a directory meanwhile.
// - Sizes are counted from the bytes actually decompressed, never from headers; the
//   check happens before each block is written, so a bomb stops with at most the
//   limit on disk.
// - Permissions are normalised (files 0644, or 0755 when the archive gives any exec
//   bit; directories 0755; never setuid, setgid or sticky); owners and timestamps are
//   not restored, so the same archive always gives the same tree.
//
// Decisions (documented because callers rely on them):
// - Entry names are normalised: "." components and repeated or trailing '/' are
//   dropped ("./a//b/" is "a/b"); an entry that normalises to the top itself (a tar's
//   "./") is skipped. Names must be UTF-8 without control characters.
// - In a zip, a backslash is a Windows separator: every one becomes '/' before any
//   other check (so "..\\x" is refused as a parent reference, and "a\\b" and "a/b"
//   are duplicates). libarchive already does this for some zips; doing it for all
//   makes the rule ours. In a tar, where it would be part of a file name, a backslash
//   is refused ("archive-entry-backslash").
// - Symbolic links are all refused: a package is Python source and needs none, and
//   deciding whether a chain of relative links stays inside cannot be done lexically.
// - Hard links are kept only when they name a regular file unpacked earlier from the
//   same archive; they are created with linkat without following anything.
// - A file or directory named twice is refused, including a file and a directory of
//   the same path and a file used as a parent directory. A directory entry for a
//   directory already created implicitly (as the parent of an earlier file) is fine.
// - Sparse entries are refused (a package holds no holes).
// - NUL and other control characters are refused in names. libarchive hands names out
//   as C strings, cutting a zip name at its first NUL, so zips are also checked for
//   such names directly (zip_entry_names.hpp).
//
// Error codes (ErrorKind::invalid_input unless said otherwise):
//   archive-too-large (too_large), archive-unsupported, archive-corrupt,
//   archive-too-many-entries, archive-total-size-limit, archive-file-size-limit,
//   archive-compression-ratio, archive-entry-empty-name, archive-entry-absolute-path,
//   archive-entry-parent-reference, archive-entry-control-character,
//   archive-entry-backslash, archive-entry-name-encoding, archive-entry-path-too-long,
//   archive-entry-too-deep, archive-entry-duplicate, archive-entry-symlink,
//   archive-entry-hardlink, archive-entry-special-file, archive-entry-sparse,
//   archive-disk-full (insufficient_storage); archive-destination-exists,
//   archive-write-failed and archive-library are internal (the server chose the path
//   and built the library).
#pragma once

#include <cstdint>
#include <filesystem>

namespace mecapy::packages {

struct UnpackLimits {
  std::uint64_t max_archive_bytes = 50ULL << 20;
  std::uint64_t max_entries = 10'000;
  std::uint64_t max_total_bytes = 256ULL << 20;
  std::uint64_t max_file_bytes = 64ULL << 20;
  // Total uncompressed bytes over archive bytes; only checked once more than
  // `ratio_threshold_bytes` have been unpacked, so tiny archives of text are fine.
  std::uint64_t max_compression_ratio = 200;
  std::uint64_t ratio_threshold_bytes = 1ULL << 20;
  std::size_t max_path_bytes = 1024;
  std::size_t max_depth = 32;  // path components, the file's own name included
};

struct UnpackSummary {
  std::uint64_t entries = 0;      // archive entries read (the skipped "./" included)
  std::uint64_t files = 0;        // regular files created, hard links included
  std::uint64_t total_bytes = 0;  // bytes written to disk
};

// How far an unpacking went, updated while it runs, so that a caller (or a test) can
// see what was written even when it failed: `bytes_written` never passes the limit
// that stopped it.
struct UnpackProgress {
  std::uint64_t entries = 0;
  std::uint64_t bytes_written = 0;
};

// Unpacks `archive_path` into `dest_dir` (whose parent must exist). Throws
// mecapy::Error with one of the codes above; the detail names the entry (control
// characters escaped) and says what to change.
UnpackSummary unpack_archive(const std::filesystem::path& archive_path, const std::filesystem::path& dest_dir,
                             const UnpackLimits& limits = {}, UnpackProgress* progress = nullptr);

}  // namespace mecapy::packages
