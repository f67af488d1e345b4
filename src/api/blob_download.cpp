#include "api/blob_download.hpp"

#include "api/query_params.hpp"
#include "core/errors.hpp"
#include "files/filename.hpp"
#include "http/media_type.hpp"
#include "http/problem.hpp"
#include "storage/sha256.hpp"

namespace mecapy::api {
namespace {

using http::Response;

// Blobs up to this size are checked against their SHA-256 before every download;
// larger ones when the client asks (?verify=true).
constexpr std::uint64_t kAlwaysVerifyBelow = 16ull << 20;

class BlobBodySource final : public http::BodySource {
 public:
  explicit BlobBodySource(std::unique_ptr<storage::BlobReader> reader) : reader_(std::move(reader)) {}
  std::size_t read(char* out, std::size_t capacity) override { return reader_->read(out, capacity); }

 private:
  std::unique_ptr<storage::BlobReader> reader_;
};

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

// Parses a single "bytes=" range against `size`. nullopt: no usable Range (serve the
// whole file); a range with length 0: unsatisfiable (416).
std::optional<ByteRange> parse_range(std::string_view header, std::uint64_t size) {
  if (!header.starts_with("bytes=") || header.find(',') != std::string_view::npos) return std::nullopt;
  header.remove_prefix(6);
  const auto dash = header.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view s) -> std::optional<std::uint64_t> {
    if (s.empty() || s.size() > 19) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
  };
  const auto a = number(header.substr(0, dash));
  const auto b = number(header.substr(dash + 1));
  if (!a && b) {  // suffix: the last b bytes
    if (*b == 0) return ByteRange{0, 0};
    const std::uint64_t n = std::min(*b, size);
    return ByteRange{size - n, n};
  }
  if (!a || (b && *b < *a)) return std::nullopt;
  if (*a >= size) return ByteRange{0, 0};
  const std::uint64_t last = b ? std::min(*b, size - 1) : size - 1;
  return ByteRange{*a, last - *a + 1};
}

// Reads the whole blob and compares its hash with the record; throws on mismatch.
void verify_integrity(storage::BlobStore& blobs, const DownloadTarget& f) {
  const auto stored_size = blobs.size_of(f.blob_key);
  bool ok = stored_size && *stored_size == f.size;
  if (ok) {
    storage::Sha256 hash;
    auto reader = blobs.open(f.blob_key);
    std::string buf(std::size_t{256} << 10, '\0');
    for (std::size_t n; (n = reader->read(buf.data(), buf.size())) > 0;) hash.update(std::string_view(buf.data(), n));
    ok = hash.hex_digest() == f.sha256;
  }
  if (!ok)
    throw Error(ErrorKind::corrupted, "blob-corrupted",
                "The stored content of " + f.what +
                    " no longer matches its SHA-256; it is not served. An operator must restore it.");
}

}  // namespace

Response serve_blob(storage::BlobStore& blobs, const http::Request& req, const DownloadTarget& f) {
  const bool verify = flag_query(req, "verify");
  const std::string etag = "\"" + f.sha256 + "\"";
  Response r;
  r.headers.set("ETag", etag);
  r.headers.set("Cache-Control", "private, no-cache");
  r.headers.set("Accept-Ranges", "bytes");
  if (const auto inm = req.headers.get("If-None-Match");
      inm && (inm->find(etag) != std::string_view::npos || *inm == "*")) {
    r.status = 304;
    return r;
  }
  if (f.size <= kAlwaysVerifyBelow || verify)
    verify_integrity(blobs, f);
  else if (const auto size = blobs.size_of(f.blob_key); !size || *size != f.size)
    throw Error(ErrorKind::corrupted, "blob-corrupted",
                "The stored content of " + f.what + " is missing or truncated.");

  std::optional<ByteRange> range;
  const auto if_range = req.headers.get("If-Range");
  if (const auto h = req.headers.get("Range"); h && (!if_range || *if_range == etag)) range = parse_range(*h, f.size);
  if (range && range->length == 0) {
    http::Problem p(416, "range-not-satisfiable", "Range not satisfiable",
                    "The file has " + std::to_string(f.size) + " bytes; ask for a range inside it.");
    Response bad = http::problem_response(p, req.request_id);
    bad.headers.set("Content-Range", "bytes */" + std::to_string(f.size));
    return bad;
  }
  const std::uint64_t first = range ? range->first : 0;
  const std::uint64_t length = range ? range->length : f.size;
  r.status = range ? 206 : 200;
  if (range)
    r.headers.set("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(first + length - 1) + "/" +
                                       std::to_string(f.size));
  // Records stored before content types were validated may hold anything.
  r.headers.set("Content-Type", http::is_media_type(f.content_type) ? f.content_type : "application/octet-stream");
  r.headers.set("Content-Disposition", files::content_disposition("attachment", f.filename));
  r.headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
  r.stream = std::make_shared<BlobBodySource>(blobs.open(f.blob_key, first, length));
  r.stream_size = length;
  return r;
}

}  // namespace mecapy::api
