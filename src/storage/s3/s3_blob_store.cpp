#include "storage/s3/s3_blob_store.hpp"

#include "core/errors.hpp"
#include "storage/sha256.hpp"

namespace mecapy::storage::s3 {
namespace {

class S3BlobWriter final : public BlobWriter {
 public:
  S3BlobWriter(S3Client& client, std::string key, std::string object)
      : client_(client), key_(std::move(key)), object_(std::move(object)) {}
  ~S3BlobWriter() override {
    if (!finished_) abort();
  }
  S3BlobWriter(const S3BlobWriter&) = delete;
  S3BlobWriter& operator=(const S3BlobWriter&) = delete;

  void write(std::string_view chunk) override {
    if (finished_) throw Error(ErrorKind::internal, "blob-store-error", "write after commit or abort");
    hash_.update(chunk);
    size_ += chunk.size();
    const std::size_t part_size = client_.config().part_size;
    while (!chunk.empty()) {
      if (buffer_.capacity() < part_size) buffer_.reserve(part_size);
      const std::size_t n = std::min(chunk.size(), part_size - buffer_.size());
      buffer_.append(chunk.substr(0, n));
      chunk.remove_prefix(n);
      if (buffer_.size() == part_size) guarded([this] { send_part(); });
    }
  }

  BlobInfo commit() override {
    if (finished_) throw Error(ErrorKind::internal, "blob-store-error", "commit after commit or abort");
    BlobInfo info{key_, size_, hash_.hex_digest()};
    guarded([&] {
      if (upload_id_.empty()) {
        // The whole blob is in the buffer: its hash is the payload hash.
        client_.put_object(object_, buffer_, info.sha256);
      } else {
        if (!buffer_.empty()) send_part();
        client_.complete_multipart_upload(object_, upload_id_, etags_);
      }
    });
    finished_ = true;
    release_buffer();
    return info;
  }

  void abort() noexcept override {
    finished_ = true;
    release_buffer();
    if (upload_id_.empty()) return;
    try {
      client_.abort_multipart_upload(object_, upload_id_);
    } catch (...) {
      // The server is unreachable: the bucket's lifecycle rule for incomplete
      // multipart uploads is the backstop (docs/storage-s3.md).
    }
    upload_id_.clear();
  }

 private:
  void send_part() {
    if (upload_id_.empty()) upload_id_ = client_.create_multipart_upload(object_);
    etags_.push_back(client_.upload_part(object_, upload_id_, static_cast<int>(etags_.size()) + 1, buffer_));
    buffer_.clear();
  }

  // Runs a step; on failure aborts the upload and rethrows.
  template <typename Step>
  void guarded(Step step) {
    try {
      step();
    } catch (...) {
      abort();
      throw;
    }
  }

  void release_buffer() { std::string().swap(buffer_); }

  S3Client& client_;
  std::string key_;     // what the caller knows the blob by
  std::string object_;  // its object name in the bucket (prefix + key)
  Sha256 hash_;
  std::uint64_t size_ = 0;
  std::string buffer_;
  std::string upload_id_;
  std::vector<std::string> etags_;
  bool finished_ = false;
};

class S3BlobReader final : public BlobReader {
 public:
  explicit S3BlobReader(std::unique_ptr<ObjectStream> stream) : stream_(std::move(stream)) {}
  std::size_t read(char* out, std::size_t capacity) override { return stream_->read(out, capacity); }

 private:
  std::unique_ptr<ObjectStream> stream_;
};

void check_key(const std::string& key) {
  if (key.empty() || key.size() > 1024)
    throw Error(ErrorKind::invalid_input, "blob-key-invalid", "an S3 key has 1 to 1024 bytes");
}

}  // namespace

S3BlobStore::S3BlobStore(S3Config config) : client_(std::move(config)) {}

void S3BlobStore::check() {
  try {
    client_.head_bucket();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) {
      if (e.kind() == ErrorKind::unavailable) throw;
      throw Error(ErrorKind::unavailable, "blob-store-unavailable", "The blob store cannot be used right now; retry.",
                  e.cause().empty() ? e.what() : e.cause());
    }
    if (!client_.config().create_bucket)
      throw Error(ErrorKind::unavailable, "blob-store-unavailable", "The blob store cannot be used right now; retry.",
                  describe() + ": the bucket does not exist (create it, or add create_bucket=true to the location)");
    client_.create_bucket();
  }
}

void S3BlobStore::probe() {
  // The same HeadBucket as check(): it writes only when the bucket is missing and
  // the location asks for it to be created (a server that came back empty).
  check();
}

std::unique_ptr<BlobWriter> S3BlobStore::create(const std::string& suggested_key) {
  check_key(suggested_key);
  return std::make_unique<S3BlobWriter>(client_, suggested_key, object_name(suggested_key));
}

std::unique_ptr<BlobReader> S3BlobStore::open(const std::string& key, std::uint64_t offset,
                                              std::optional<std::uint64_t> length) {
  if (key.empty() || key.size() > 1024) throw Error(ErrorKind::not_found, "blob-not-found", "no blob " + key);
  return std::make_unique<S3BlobReader>(client_.get_object(object_name(key), offset, length));
}

std::optional<std::uint64_t> S3BlobStore::size_of(const std::string& key) {
  if (key.empty() || key.size() > 1024) return std::nullopt;
  const auto head = client_.head_object(object_name(key));
  if (!head) return std::nullopt;
  return head->size;
}

void S3BlobStore::remove(const std::string& key) {
  if (key.empty() || key.size() > 1024) return;
  client_.delete_object(object_name(key));
}

bool S3BlobStore::remove_unless(const std::string& key, std::chrono::system_clock::time_point written_since,
                                const std::function<bool()>& still_wanted) {
  if (key.empty() || key.size() > 1024) return false;
  const auto head = client_.head_object(object_name(key));
  if (!head || head->last_modified >= written_since || still_wanted()) return false;
  client_.delete_object(object_name(key));
  return true;
}

void S3BlobStore::refresh(const std::string& key) {
  if (!size_of(key)) throw Error(ErrorKind::not_found, "blob-not-found", "no blob " + key);
}

std::vector<StoredBlob> S3BlobStore::list_blobs() {
  const std::string& prefix = client_.config().prefix;
  std::vector<StoredBlob> out;
  for (auto& o : client_.list_objects(prefix))
    if (o.key.starts_with(prefix) && o.key.size() > prefix.size())
      out.push_back({o.key.substr(prefix.size()), o.size, o.last_modified});
  return out;
}

}  // namespace mecapy::storage::s3
