// The S3 blob store: one object per blob, named by the key the caller suggests
// ("<user_id>/<file_id>"), in one bucket of an S3-compatible service, under the
// configured prefix (S3Config::prefix, "mecapy/" by default): the object of key K is
// "<prefix>K", and listing, collecting and removing never look outside the prefix,
// so a bucket shared with other applications or installations is safe. Keys are
// unique per blob (no two writers commit the same key), so remove_unless() needs no
// more than the object's Last-Modified time.
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
  // HeadBucket, as check(): reachable, credentials accepted, the bucket exists
  // (created again with create_bucket=true).
  void probe() override;
  bool content_addressed() const override { return false; }
  std::unique_ptr<BlobWriter> create(const std::string& suggested_key) override;
  std::unique_ptr<BlobReader> open(const std::string& key, std::uint64_t offset = 0,
                                   std::optional<std::uint64_t> length = std::nullopt) override;
  std::optional<std::uint64_t> size_of(const std::string& key) override;
  void remove(const std::string& key) override;
  bool remove_unless(const std::string& key, std::chrono::system_clock::time_point written_since,
                     const std::function<bool()>& still_wanted) override;
  // Checks the object exists (an S3 object's time cannot be changed in place, and
  // nothing else writes its unique key).
  void refresh(const std::string& key) override;
  std::vector<StoredBlob> list_blobs() override;
  // Nothing to do: an interrupted multipart upload is aborted by its writer, and a
  // crashed one by the bucket's lifecycle rule (docs/storage-s3.md).
  std::size_t recover() override { return 0; }

  S3Client& client() { return client_; }

 private:
  std::string object_name(const std::string& key) const { return client_.config().prefix + key; }
  S3Client client_;
};

}  // namespace mecapy::storage::s3
