// A minimal S3 client over libcurl: the handful of operations a blob store needs,
// each signed with SigV4 (sigv4.hpp), bounded by timeouts and retried with
// exponential backoff on 5xx, 429, timeouts and connection errors.
//
// Failures surface as mecapy::Error:
//   unavailable  the endpoint cannot be reached, keeps answering 5xx/429, or refuses
//                the credentials (403) — code "blob-store-unavailable"
//   not_found    the object does not exist (GetObject) — code "blob-not-found"
//   internal     any other unexpected answer — code "blob-store-error"
// A client is safe to use from several threads: each request takes a curl handle
// from a small pool (handles keep their connections alive between requests).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/s3/sigv4.hpp"

namespace mecapy::storage::s3 {

struct S3Config {
  std::string endpoint;  // scheme://host[:port]; empty = https://s3.<region>.amazonaws.com
  std::string region = "us-east-1";
  std::string bucket = "mecapy-uploads";
  bool path_style = false;     // https://host/bucket/key instead of https://bucket.host/key
  bool create_bucket = false;  // check() creates a missing bucket
  // The part of the bucket this installation owns: every object the store writes,
  // lists or removes has a key starting with it (a shared bucket is left alone).
  std::string prefix = "mecapy/";
  Credentials credentials;
  std::size_t part_size = 8u << 20;  // multipart part size (S3 minimum: 5 MiB)
  int list_page_size = 1000;         // ListObjectsV2 max-keys
  int max_attempts = 3;              // per request, first try included
  std::chrono::milliseconds first_backoff{200};
  std::chrono::milliseconds retry_budget{8000};  // no new attempt once this much time has passed
  long connect_timeout_s = 5;
  long low_speed_time_s = 30;  // abort a transfer slower than 1 KiB/s for this long
};

// Parses `s3://BUCKET?endpoint=URL&region=R&path_style=true|false&create_bucket=true|false&prefix=P`
// (every part optional; BUCKET defaults to mecapy-uploads) and reads the credentials
// from the environment: MECAPY_S3_ACCESS_KEY / MECAPY_S3_SECRET_KEY, else
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; AWS_SESSION_TOKEN when set.
// Throws ConfigError naming MECAPY_BLOB_STORE (or the missing variable).
S3Config parse_s3_spec(const std::string& spec);

struct S3Response {
  long status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string header(std::string_view name) const;
};

struct ObjectHead {
  std::uint64_t size = 0;
  std::string etag;
  std::chrono::system_clock::time_point last_modified;  // the epoch when the server gave none
};

struct ListedObject {
  std::string key;
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point last_modified;
};

// Receives the bytes of a streamed GetObject.
class ObjectStream {
 public:
  virtual ~ObjectStream() = default;
  // Up to `capacity` bytes of the object; 0 at the end.
  virtual std::size_t read(char* out, std::size_t capacity) = 0;
};

class S3Client {
 public:
  explicit S3Client(S3Config config);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  const S3Config& config() const { return config_; }
  // "s3://bucket at endpoint (region, path-style|virtual-host)"; no credentials.
  std::string describe() const;

  // Bucket.
  void head_bucket();  // throws; Error(not_found) when the bucket does not exist
  void create_bucket();

  // Objects.
  void put_object(const std::string& key, std::string_view body, const std::string& payload_sha256);
  std::optional<ObjectHead> head_object(const std::string& key);
  void delete_object(const std::string& key);
  // Streams [offset, offset + length) (to the end without length). Throws
  // Error(not_found) for a missing key before returning.
  std::unique_ptr<ObjectStream> get_object(const std::string& key, std::uint64_t offset,
                                           std::optional<std::uint64_t> length);
  // Every object whose key starts with `prefix` (ListObjectsV2, all pages).
  std::vector<ListedObject> list_objects(const std::string& prefix);

  // Multipart upload.
  std::string create_multipart_upload(const std::string& key);
  // Returns the part's ETag.
  std::string upload_part(const std::string& key, const std::string& upload_id, int part_number, std::string_view body);
  void complete_multipart_upload(const std::string& key, const std::string& upload_id,
                                 const std::vector<std::string>& etags);
  void abort_multipart_upload(const std::string& key, const std::string& upload_id);
  // Keys with an upload in progress (ListMultipartUploads, first page).
  std::vector<std::string> list_multipart_uploads();

  // The pieces of a request URL (exposed for the signing tests).
  struct Target {
    std::string url;   // what curl is given
    std::string host;  // the Host header
    std::string path;  // encoded path
    std::string query;
  };
  Target target(const std::string& key, const std::string& query) const;

  // One signed request with retries; the response whatever its status (after retries
  // for retryable ones). Throws Error(unavailable) when the endpoint cannot be reached.
  S3Response request(const std::string& method, const std::string& key, const std::string& query,
                     std::string_view body = {}, const Headers& headers = {}, std::string payload_hash = {});

  // Signs a request for `target` now; returns the headers to send.
  Headers sign(const std::string& method, const Target& target, const Headers& headers,
               const std::string& payload_hash) const;

  struct CurlHandle;
  std::unique_ptr<CurlHandle> acquire_handle();
  void release_handle(std::unique_ptr<CurlHandle> handle);

 private:
  S3Config config_;
  std::string scheme_;     // "http" or "https"
  std::string authority_;  // host[:port] of the endpoint
  std::string base_path_;  // path prefix of the endpoint ("" or "/prefix")
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<CurlHandle>> pool_;
};

// Timestamps of S3 answers: ListObjectsV2's LastModified (ISO 8601, UTC) and the
// Last-Modified header (RFC 9110 IMF-fixdate); the epoch when unreadable.
std::chrono::system_clock::time_point parse_iso8601(const std::string& text);
std::chrono::system_clock::time_point parse_http_date(const std::string& text);

// Values of every <tag>...</tag> in an XML document, entities decoded.
std::vector<std::string> xml_values(std::string_view xml, std::string_view tag);

}  // namespace mecapy::storage::s3
