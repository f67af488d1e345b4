#include "storage/blob_store.hpp"

#include "core/errors.hpp"
#include "storage/local_blob_store.hpp"

namespace mecapy::storage {

std::unique_ptr<BlobStore> open_blob_store(const std::string& spec) {
  if (spec.starts_with("local:")) return std::make_unique<LocalBlobStore>(spec.substr(6));
  throw ConfigError("MECAPY_BLOB_STORE", "expected local:PATH or s3://BUCKET?endpoint=URL, got '" + spec + "'");
}

}  // namespace mecapy::storage
