// Packs a directory into a .zip or .tar.gz that archive_unpacker accepts, the same
// bytes every time for the same tree (the CLI's `deploy` uploads it; tests build
// archives with it).
//
// Promises: entries are sorted bytewise by their relative path ('/' separators);
// directories come as entries of their own ("dir/"); every entry has the same fixed
// modification time (1980-01-01T00:00:00Z, the earliest a zip can store), owner 0,
// no owner names, mode 0755 for directories and executable files and 0644 for other
// files; the gzip header carries no time stamp. Symbolic links and special files are
// refused (the unpacker would refuse them), naming the path.
#pragma once

#include <filesystem>

namespace mecapy::packages {

enum class ArchiveFormat { zip, tar_gz };

// Writes `archive_path` (replaced if it exists) with the content of `dir`. Throws
// mecapy::Error: invalid_input "pack-unsupported-entry" for a link or special file,
// internal "pack-failed" when reading or writing fails.
void pack_directory(const std::filesystem::path& dir, const std::filesystem::path& archive_path, ArchiveFormat format);

}  // namespace mecapy::packages
