// The S3 blob store: one object per blob, named by the key the caller suggests
// ("<user_id>/<file_id>"), in one bucket of an S3-compatible service.
//
// Writing streams: the writer holds at most one part (S3Config::part_size, 8 MiB by
// default) in memory. A blob that fits in one part is sent with one PutObject at
// commit(); a larger one becomes a multipart upload whose parts go out as they fill
// and which is completed at commit(). Either way the object appears atomically at
// commit(); abort(), a failed part or a writer destroyed without commit() aborts the
// multipart upload, so nothing is left behind (no object, no pending upload).
// The SHA-256 of the content is computed on the fly and returned by commit().
//
// check() sends HeadBucket. A missing bucket is an error unless the location says
// create_bucket=true, in which case check() creates it.
#pragma once

#include "storage/blob_store.hpp"
#include "storage/s3/s3_client.hpp"

namespace mecapy::storage::s3 {

class S3BlobStore final : public BlobStore {
 public:
  explicit S3BlobStore(S3Config config);

  std::string describe() const override { return client_.describe(); }
  void check() override;
  bool content_addressed() const override { return false; }
  std::unique_ptr<BlobWriter> create(const std::string& suggested_key) override;
  std::unique_ptr<BlobReader> open(const std::string& key, std::uint64_t offset = 0,
                                   std::optional<std::uint64_t> length = std::nullopt) override;
  std::optional<std::uint64_t> size_of(const std::string& key) override;
  void remove(const std::string& key) override;
  std::vector<std::string> list_keys() override;

  S3Client& client() { return client_; }

 private:
  S3Client client_;
};

}  // namespace mecapy::storage::s3
