#include "storage/s3/s3_client.hpp"

#include <ctime>

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "core/errors.hpp"
#include "core/utf8.hpp"
#include "storage/s3/curl_handle.hpp"

namespace mecapy::storage::s3 {
namespace {

constexpr std::size_t kPoolSize = 8;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The public detail names no bucket, endpoint or key; the operator reads them in the
// cause, which the log gets.
[[noreturn]] void unavailable(const std::string& cause) {
  throw Error(ErrorKind::unavailable, "blob-store-unavailable", "The blob store cannot be used right now; retry.",
              cause);
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

std::string xml_unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    const std::size_t semi = text.find(';', i);
    if (semi == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    const std::string_view entity = text.substr(i + 1, semi - i - 1);
    if (entity == "amp") {
      out.push_back('&');
    } else if (entity == "lt") {
      out.push_back('<');
    } else if (entity == "gt") {
      out.push_back('>');
    } else if (entity == "quot") {
      out.push_back('"');
    } else if (entity == "apos") {
      out.push_back('\'');
    } else if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      const unsigned long cp = std::strtoul(std::string(entity.substr(hex ? 2 : 1)).c_str(), nullptr, hex ? 16 : 10);
      append_utf8(out, cp > 0x10FFFF ? char32_t{0xFFFD} : static_cast<char32_t>(cp));
    } else {
      out.append(text.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

// "NoSuchKey: The specified key does not exist." from an S3 error document.
std::string error_summary(const S3Response& response) {
  std::string summary = "HTTP " + std::to_string(response.status);
  const auto codes = xml_values(response.body, "Code");
  const auto messages = xml_values(response.body, "Message");
  if (!codes.empty()) summary += " " + codes.front();
  if (!messages.empty()) summary += ": " + messages.front();
  return summary;
}

bool retryable_status(long status) { return status >= 500 || status == 429; }

std::chrono::system_clock::time_point from_utc(std::tm& tm) {
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string getenv_string(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

bool parse_bool(const std::string& name, const std::string& value) {
  if (value == "true" || value == "1") return true;
  if (value == "false" || value == "0") return false;
  throw ConfigError("MECAPY_BLOB_STORE", name + " must be true or false, got '" + value + "'");
}

bool valid_bucket_name(const std::string& bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  for (const char c : bucket)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
          c == '.'))
      return false;
  return std::isalnum(static_cast<unsigned char>(bucket.front())) &&
         std::isalnum(static_cast<unsigned char>(bucket.back()));
}

}  // namespace

std::chrono::system_clock::time_point parse_iso8601(const std::string& text) {
  std::tm tm{};
  if (!strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return {};
  return from_utc(tm);
}

std::chrono::system_clock::time_point parse_http_date(const std::string& text) {
  std::tm tm{};
  if (!strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm)) return {};
  return from_utc(tm);
}

std::vector<std::string> xml_values(std::string_view xml, std::string_view tag) {
  std::vector<std::string> values;
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  std::size_t pos = 0;
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    const std::size_t start = pos + open.size();
    const std::size_t end = xml.find(close, start);
    if (end == std::string_view::npos) break;
    values.push_back(xml_unescape(xml.substr(start, end - start)));
    pos = end + close.size();
  }
  return values;
}

std::string S3Response::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (n == name) return v;
  return {};
}

S3Config parse_s3_spec(const std::string& spec) {
  if (!spec.starts_with("s3://"))
    throw ConfigError("MECAPY_BLOB_STORE", "an S3 location starts with s3://, got '" + spec + "'");
  S3Config config;
  const std::string rest = spec.substr(5);
  const std::size_t question = rest.find('?');
  std::string bucket = rest.substr(0, question);
  if (!bucket.empty() && bucket.back() == '/') bucket.pop_back();
  if (!bucket.empty()) config.bucket = bucket;
  if (!valid_bucket_name(config.bucket))
    throw ConfigError("MECAPY_BLOB_STORE", "'" + config.bucket +
                                               "' is not a valid bucket name (3-63 lowercase letters, digits, "
                                               "dots and hyphens)");
  std::optional<bool> path_style;
  if (question != std::string::npos) {
    std::string_view query = std::string_view(rest).substr(question + 1);
    while (!query.empty()) {
      const std::size_t amp = std::min(query.find('&'), query.size());
      const std::string_view pair = query.substr(0, amp);
      query.remove_prefix(std::min(amp + 1, query.size()));
      if (pair.empty()) continue;
      const std::size_t eq = pair.find('=');
      const std::string name = uri_decode(pair.substr(0, eq));
      const std::string value = eq == std::string_view::npos ? std::string() : uri_decode(pair.substr(eq + 1));
      if (name == "endpoint") {
        config.endpoint = value;
      } else if (name == "region") {
        if (value.empty()) throw ConfigError("MECAPY_BLOB_STORE", "region is empty");
        config.region = value;
      } else if (name == "path_style") {
        path_style = parse_bool(name, value);
      } else if (name == "create_bucket") {
        config.create_bucket = parse_bool(name, value);
      } else if (name == "prefix") {
        if (value.size() > 512 || value.starts_with("/") || value.find("..") != std::string::npos)
          throw ConfigError(
              "MECAPY_BLOB_STORE",
              "prefix must be a relative key prefix such as mecapy/ (at most 512 bytes, no '..'), got '" + value + "'");
        config.prefix = value;
      } else {
        throw ConfigError("MECAPY_BLOB_STORE", "unknown S3 option '" + name +
                                                   "' (known: endpoint, region, path_style, create_bucket, prefix)");
      }
    }
  }
  if (config.endpoint.empty()) {
    config.endpoint = "https://s3." + config.region + ".amazonaws.com";
    config.path_style = path_style.value_or(false);
  } else {
    if (!config.endpoint.starts_with("http://") && !config.endpoint.starts_with("https://"))
      throw ConfigError("MECAPY_BLOB_STORE",
                        "endpoint must be an http:// or https:// URL, got '" + config.endpoint + "'");
    if (config.endpoint.find_first_of("?#@ ") != std::string::npos)
      throw ConfigError("MECAPY_BLOB_STORE",
                        "endpoint must be scheme://host[:port][/path], got '" + config.endpoint + "'");
    config.path_style = path_style.value_or(true);
  }

  // Credentials: MECAPY_S3_* first, then the standard AWS variables.
  const std::string mecapy_key = getenv_string("MECAPY_S3_ACCESS_KEY");
  if (!mecapy_key.empty()) {
    config.credentials.access_key_id = mecapy_key;
    config.credentials.secret_access_key = getenv_string("MECAPY_S3_SECRET_KEY");
    if (config.credentials.secret_access_key.empty())
      throw ConfigError("MECAPY_S3_SECRET_KEY", "is required when MECAPY_S3_ACCESS_KEY is set");
  } else {
    config.credentials.access_key_id = getenv_string("AWS_ACCESS_KEY_ID");
    config.credentials.secret_access_key = getenv_string("AWS_SECRET_ACCESS_KEY");
    config.credentials.session_token = getenv_string("AWS_SESSION_TOKEN");
    if (config.credentials.access_key_id.empty() || config.credentials.secret_access_key.empty())
      throw ConfigError("MECAPY_S3_ACCESS_KEY",
                        "the S3 blob store needs credentials: set MECAPY_S3_ACCESS_KEY and MECAPY_S3_SECRET_KEY "
                        "(or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
  }
  return config;
}

// ---------------------------------------------------------------------------
// curl handles

std::unique_ptr<S3Client::CurlHandle> S3Client::acquire_handle() {
  {
    const std::lock_guard lock(pool_mutex_);
    if (!pool_.empty()) {
      auto handle = std::move(pool_.back());
      pool_.pop_back();
      return handle;
    }
  }
  auto handle = std::make_unique<CurlHandle>();
  if (!handle->easy) throw Error(ErrorKind::internal, "blob-store-error", "curl_easy_init failed");
  return handle;
}

void S3Client::release_handle(std::unique_ptr<CurlHandle> handle) {
  curl_easy_reset(handle->easy);
  const std::lock_guard lock(pool_mutex_);
  if (pool_.size() < kPoolSize) pool_.push_back(std::move(handle));
}

S3Client::S3Client(S3Config config) : config_(std::move(config)) {
  global_init();
  if (config_.endpoint.empty()) config_.endpoint = "https://s3." + config_.region + ".amazonaws.com";
  const std::size_t sep = config_.endpoint.find("://");
  if (sep == std::string::npos) throw ConfigError("MECAPY_BLOB_STORE", "endpoint must be an http:// or https:// URL");
  scheme_ = config_.endpoint.substr(0, sep);
  std::string rest = config_.endpoint.substr(sep + 3);
  const std::size_t slash = rest.find('/');
  authority_ = rest.substr(0, slash);
  if (slash != std::string::npos) base_path_ = rest.substr(slash);
  while (!base_path_.empty() && base_path_.back() == '/') base_path_.pop_back();
  // The Host header omits the scheme's default port (as HTTP clients and botocore do).
  const std::string default_port = scheme_ == "https" ? ":443" : ":80";
  if (authority_.ends_with(default_port)) authority_.resize(authority_.size() - default_port.size());
  if (authority_.empty()) throw ConfigError("MECAPY_BLOB_STORE", "endpoint has no host: '" + config_.endpoint + "'");
}

S3Client::~S3Client() = default;

std::string S3Client::describe() const {
  return "s3://" + config_.bucket + " at " + config_.endpoint + " (" + config_.region + ", " +
         (config_.path_style ? "path-style" : "virtual-host") + ")";
}

S3Client::Target S3Client::target(const std::string& key, const std::string& query) const {
  Target t;
  if (config_.path_style) {
    t.host = authority_;
    t.path = base_path_ + "/" + config_.bucket;
    if (!key.empty()) t.path += "/" + uri_encode(key, true);
  } else {
    t.host = config_.bucket + "." + authority_;
    t.path = base_path_ + "/" + uri_encode(key, true);
  }
  t.query = query;
  t.url = scheme_ + "://" + t.host + t.path + (query.empty() ? "" : "?" + query);
  return t;
}

Headers S3Client::sign(const std::string& method, const Target& target, const Headers& headers,
                       const std::string& payload_hash) const {
  RequestToSign r{method, target.host, target.path, target.query, headers, payload_hash};
  auto signed_request = sign_request(r, config_.credentials, config_.region, std::chrono::system_clock::now());
  Headers all = headers;
  all.insert(all.end(), signed_request.headers.begin(), signed_request.headers.end());
  return all;
}

namespace {

struct Transfer {
  std::string_view upload;  // PUT body still to send
  S3Response* response = nullptr;
};

size_t collect_body(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<S3Response*>(user);
  response->body.append(data, size * count);
  return size * count;
}

size_t collect_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<S3Response*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new response (after 100 Continue or a redirect)
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    response->headers.emplace_back(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
  }
  return size * count;
}

size_t send_body(char* out, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string_view*>(user);
  const std::size_t n = std::min(size * count, body->size());
  std::memcpy(out, body->data(), n);
  body->remove_prefix(n);
  return n;
}

// Options shared by every request: timeouts, no signals, no URL normalisation.
void common_options(CURL* easy, const S3Config& config, const std::string& url) {
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, config.connect_timeout_s);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, config.low_speed_time_s);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  HeaderList() = default;
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  void add(const std::string& line) {
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (!next) throw std::bad_alloc();
    list = next;
  }
};

}  // namespace

S3Response S3Client::request(const std::string& method, const std::string& key, const std::string& query,
                             std::string_view body, const Headers& headers, std::string payload_hash) {
  if (payload_hash.empty()) payload_hash = body.empty() ? std::string(kEmptyPayloadSha256) : sha256_hex(body);
  const Target t = target(key, query);
  const auto started = std::chrono::steady_clock::now();
  auto backoff = config_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    S3Response response;
    auto handle = acquire_handle();
    CURL* easy = handle->easy;
    common_options(easy, config_, t.url);
    HeaderList list;
    list.add("Host: " + t.host);
    list.add("Expect:");
    bool has_content_type = false;
    const Headers signed_headers = sign(method, t, headers, payload_hash);
    for (const auto& [name, value] : signed_headers) {
      if (lower(name) == "content-type") has_content_type = true;
      list.add(name + ": " + value);
    }
    if (!has_content_type) list.add("Content-Type:");
    std::string_view upload = body;
    if (method == "HEAD") {
      curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else if (method == "PUT") {
      curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(easy, CURLOPT_READFUNCTION, send_body);
      curl_easy_setopt(easy, CURLOPT_READDATA, &upload);
      curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.size()));
    } else if (method == "POST") {
      curl_easy_setopt(easy, CURLOPT_POST, 1L);
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    } else if (method != "GET") {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list.list);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, collect_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &response);
    const CURLcode rc = curl_easy_perform(easy);
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
    release_handle(std::move(handle));

    std::string failure;
    if (rc != CURLE_OK)
      failure = curl_easy_strerror(rc);
    else if (retryable_status(response.status))
      failure = error_summary(response);
    else
      return response;

    const auto elapsed = std::chrono::steady_clock::now() - started;
    if (attempt >= config_.max_attempts || elapsed + backoff > config_.retry_budget)
      unavailable(describe() + ": " + method + " failed after " + std::to_string(attempt) + " attempt(s): " + failure);
    std::this_thread::sleep_for(backoff);
    backoff *= 4;
  }
}

// ---------------------------------------------------------------------------
// Operations

namespace {

[[noreturn]] void unexpected(const std::string& what, const S3Response& response) {
  if (response.status == 401 || response.status == 403)
    unavailable("S3 refused the request (" + what + "): " + error_summary(response) +
                " — check the credentials and the region");
  throw Error(ErrorKind::internal, "blob-store-error", "The blob store failed.",
              "S3 " + what + " failed: " + error_summary(response));
}

bool ok(const S3Response& response) { return response.status >= 200 && response.status < 300; }

}  // namespace

void S3Client::head_bucket() {
  const auto response = request("HEAD", "", "");
  if (ok(response)) return;
  if (response.status == 404)
    throw Error(ErrorKind::not_found, "blob-store-bucket-missing", "bucket " + config_.bucket + " does not exist");
  unexpected("HeadBucket " + config_.bucket, response);
}

void S3Client::create_bucket() {
  std::string body;
  if (config_.region != "us-east-1")
    body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>" +
           config_.region + "</LocationConstraint></CreateBucketConfiguration>";
  const auto response = request("PUT", "", "", body);
  if (ok(response)) return;
  const auto codes = xml_values(response.body, "Code");
  if (response.status == 409 && !codes.empty() && codes.front() == "BucketAlreadyOwnedByYou") return;
  unexpected("CreateBucket " + config_.bucket, response);
}

void S3Client::put_object(const std::string& key, std::string_view body, const std::string& payload_sha256) {
  const auto response = request("PUT", key, "", body, {}, payload_sha256);
  if (!ok(response)) unexpected("PutObject " + key, response);
}

std::optional<ObjectHead> S3Client::head_object(const std::string& key) {
  const auto response = request("HEAD", key, "");
  if (response.status == 404) return std::nullopt;
  if (!ok(response)) unexpected("HeadObject " + key, response);
  ObjectHead head;
  head.size = std::strtoull(response.header("content-length").c_str(), nullptr, 10);
  head.etag = response.header("etag");
  head.last_modified = parse_http_date(response.header("last-modified"));
  return head;
}

void S3Client::delete_object(const std::string& key) {
  const auto response = request("DELETE", key, "");
  if (!ok(response) && response.status != 404) unexpected("DeleteObject " + key, response);
}

std::vector<ListedObject> S3Client::list_objects(const std::string& prefix) {
  std::vector<ListedObject> objects;
  std::string token;
  for (;;) {
    std::vector<std::pair<std::string, std::string>> params{
        {"list-type", "2"}, {"encoding-type", "url"}, {"max-keys", std::to_string(config_.list_page_size)}};
    if (!prefix.empty()) params.emplace_back("prefix", prefix);
    if (!token.empty()) params.emplace_back("continuation-token", token);
    const auto response = request("GET", "", encode_query(params));
    if (!ok(response)) unexpected("ListObjectsV2 " + config_.bucket, response);
    for (const auto& entry : xml_values(response.body, "Contents")) {
      const auto key = xml_values(entry, "Key");
      if (key.empty()) continue;
      ListedObject o;
      o.key = uri_decode(key.front());
      if (const auto size = xml_values(entry, "Size"); !size.empty())
        o.size = std::strtoull(size.front().c_str(), nullptr, 10);
      if (const auto when = xml_values(entry, "LastModified"); !when.empty())
        o.last_modified = parse_iso8601(when.front());
      objects.push_back(std::move(o));
    }
    const auto truncated = xml_values(response.body, "IsTruncated");
    const auto next = xml_values(response.body, "NextContinuationToken");
    if (truncated.empty() || truncated.front() != "true" || next.empty() || next.front().empty()) break;
    token = next.front();
  }
  return objects;
}

std::string S3Client::create_multipart_upload(const std::string& key) {
  const auto response = request("POST", key, "uploads=");
  if (!ok(response)) unexpected("CreateMultipartUpload " + key, response);
  const auto ids = xml_values(response.body, "UploadId");
  if (ids.empty() || ids.front().empty())
    throw Error(ErrorKind::internal, "blob-store-error", "CreateMultipartUpload " + key + " returned no UploadId");
  return ids.front();
}

std::string S3Client::upload_part(const std::string& key, const std::string& upload_id, int part_number,
                                  std::string_view body) {
  const auto query = encode_query({{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}});
  const auto response = request("PUT", key, query, body);
  if (!ok(response)) unexpected("UploadPart " + key + " #" + std::to_string(part_number), response);
  std::string etag = response.header("etag");
  if (etag.empty()) throw Error(ErrorKind::internal, "blob-store-error", "UploadPart returned no ETag");
  return etag;
}

void S3Client::complete_multipart_upload(const std::string& key, const std::string& upload_id,
                                         const std::vector<std::string>& etags) {
  std::string body = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (std::size_t i = 0; i < etags.size(); ++i) {
    std::string etag;
    for (const char c : etags[i]) etag += c == '"' ? std::string("&quot;") : std::string(1, c);
    body += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etag + "</ETag></Part>";
  }
  body += "</CompleteMultipartUpload>";
  const auto response =
      request("POST", key, encode_query({{"uploadId", upload_id}}), body, {{"content-type", "application/xml"}});
  // CompleteMultipartUpload may answer 200 with an <Error> document.
  if (!ok(response) || response.body.find("<Error>") != std::string::npos)
    unexpected("CompleteMultipartUpload " + key, response);
}

void S3Client::abort_multipart_upload(const std::string& key, const std::string& upload_id) {
  const auto response = request("DELETE", key, encode_query({{"uploadId", upload_id}}));
  if (!ok(response) && response.status != 404) unexpected("AbortMultipartUpload " + key, response);
}

std::vector<std::string> S3Client::list_multipart_uploads() {
  const auto response = request("GET", "", encode_query({{"uploads", ""}, {"encoding-type", "url"}}));
  if (!ok(response)) unexpected("ListMultipartUploads " + config_.bucket, response);
  std::vector<std::string> keys;
  for (const auto& key : xml_values(response.body, "Key")) keys.push_back(uri_decode(key));
  return keys;
}

}  // namespace mecapy::storage::s3
