// Unpacked package sources, kept per source-tree checksum under one directory, so the
// second job of a package version does not unpack its archive again.
//
// Promises:
// - An entry is complete or absent: the archive is copied from the blob store to a
//   private temporary file, unpacked (archive_unpacker: no link followed, sizes
//   bounded) into a private directory, its checksum checked, and the package root
//   renamed into place as `<dir>/<source_sha256>`. Two callers asking at once both get a
//   whole tree; the loser of the rename discards its own copy.
// - Entries are never changed once in place. They are readable by everyone (0755
//   directories, 0644/0755 files, as the unpacker normalises them) because the sandbox
//   user reads them through a read-only bind, and writable by nobody but this process.
// - One cache owns its directory: nothing else writes there, and what an interrupted
//   unpack left (a `.unpack-*` directory) is removed when the cache is created.
// - The checksum names a directory, so only 64 lowercase hex digits are accepted.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>

#include "storage/blob_store.hpp"

namespace mecapy::jobs {

class SourceCache {
 public:
  // Creates `dir` (0755) when missing and removes what an interrupted unpack left there.
  SourceCache(storage::BlobStore& blobs, std::filesystem::path dir);

  // The package root (the directory holding mecapy.yml) of the version whose archive is
  // blob `archive_key` and whose normalised tree checksum is `source_sha256`. Throws
  // Error(corrupted, "source-corrupted") when the unpacked tree has another checksum or
  // the archive does not unpack, Error(not_found) from the store for a missing blob.
  std::filesystem::path sources(const std::string& archive_key, const std::string& source_sha256);

  // How many archives this cache has unpacked (a hit unpacks nothing).
  std::uint64_t unpacked() const { return unpacked_.load(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  storage::BlobStore& blobs_;
  std::filesystem::path dir_;
  std::atomic<std::uint64_t> unpacked_{0};
};

}  // namespace mecapy::jobs
