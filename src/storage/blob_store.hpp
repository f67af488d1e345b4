// Blob storage: where file contents, package archives and job outputs live. This
// header is the interface every subsystem uses; drivers implement it.
#pragma once

#include <memory>
#include <string>

namespace mecapy::storage {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // A display form of the location, without credentials.
  virtual std::string describe() const = 0;
  // Checks the store can be written and read now; throws Error(unavailable) with a
  // detail naming what failed.
  virtual void check() = 0;
};

// Opens the store named by the blob_store setting: `local:PATH`. Throws ConfigError
// (setting MECAPY_BLOB_STORE) for a location this build cannot open.
std::unique_ptr<BlobStore> open_blob_store(const std::string& spec);

}  // namespace mecapy::storage
