#include "storage/blob_store.hpp"

#include "core/errors.hpp"
#include "storage/local_blob_store.hpp"
#include "storage/s3/s3_blob_store.hpp"

namespace mecapy::storage {

std::vector<std::string> BlobStore::list_keys() {
  std::vector<std::string> keys;
  for (auto& b : list_blobs()) keys.push_back(std::move(b.key));
  return keys;
}

std::unique_ptr<BlobStore> open_blob_store(const std::string& spec) {
  if (spec.starts_with("local:")) return std::make_unique<LocalBlobStore>(spec.substr(6));
  if (spec.starts_with("s3://")) return std::make_unique<s3::S3BlobStore>(s3::parse_s3_spec(spec));
  throw ConfigError("MECAPY_BLOB_STORE", "expected local:PATH or s3://BUCKET?endpoint=URL, got '" + spec + "'");
}

}  // namespace mecapy::storage
