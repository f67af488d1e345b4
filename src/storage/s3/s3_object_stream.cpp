// GetObject streamed through a bounded buffer. The transfer runs on a curl multi
// handle driven by read(): the write callback pauses the transfer when the buffer
// holds kHighWater bytes, read() drains it and resumes. So a reader holds at most
// kHighWater plus one network chunk, whatever the object size. A transfer that
// breaks mid-way is resumed with a Range request from the first missing byte
// (If-Match on the first response's ETag, so a replaced object is not spliced).
#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "core/errors.hpp"
#include "storage/s3/curl_handle.hpp"
#include "storage/s3/s3_client.hpp"

namespace mecapy::storage::s3 {
namespace {

constexpr std::size_t kHighWater = std::size_t{256} * 1024;
constexpr std::size_t kMaxErrorBody = std::size_t{64} * 1024;

// The public detail names no bucket, endpoint or key; the operator reads them in the
// cause, which the log gets.
[[noreturn]] void unavailable(const std::string& cause) {
  throw Error(ErrorKind::unavailable, "blob-store-unavailable", "The blob store cannot be used right now; retry.",
              cause);
}

class CurlObjectStream final : public ObjectStream {
 public:
  CurlObjectStream(S3Client& client, std::string key, std::uint64_t offset, std::optional<std::uint64_t> length)
      : client_(client), key_(std::move(key)), offset_(offset), length_(length), multi_(curl_multi_init()) {
    if (!multi_) throw Error(ErrorKind::internal, "blob-store-error", "curl_multi_init failed");
  }

  ~CurlObjectStream() override {
    detach();
    curl_multi_cleanup(multi_);
  }

  CurlObjectStream(const CurlObjectStream&) = delete;
  CurlObjectStream& operator=(const CurlObjectStream&) = delete;

  // Starts the transfer and waits for the response status. Returns false when the
  // range is empty (416: the offset is at or past the end).
  bool start() {
    const auto started = std::chrono::steady_clock::now();
    auto backoff = client_.config().first_backoff;
    for (int attempt = 1;; ++attempt) {
      begin_transfer();
      while (!headers_done_ && !done_) drive();
      if (headers_done_ && status_ >= 200 && status_ < 300) return true;
      while (!done_) drive();  // collect the error document
      std::string failure;
      if (result_ != CURLE_OK && !headers_done_) {
        failure = curl_easy_strerror(result_);
      } else if (status_ == 416) {
        detach();
        return false;
      } else if (status_ >= 500 || status_ == 429) {
        failure = "HTTP " + std::to_string(status_);
      } else {
        fail_status();
      }
      detach();
      const auto elapsed = std::chrono::steady_clock::now() - started;
      if (attempt >= client_.config().max_attempts || elapsed + backoff > client_.config().retry_budget)
        unavailable(client_.describe() + ": GET " + key_ + " failed after " + std::to_string(attempt) +
                    " attempt(s): " + failure);
      std::this_thread::sleep_for(backoff);
      backoff *= 4;
    }
  }

  std::size_t read(char* out, std::size_t capacity) override {
    if (capacity == 0) return 0;
    while (available() == 0) {
      if (finished_) return 0;
      if (done_) {
        finish_or_resume();
        continue;
      }
      if (paused_) {
        paused_ = false;
        curl_easy_pause(handle_->easy, CURLPAUSE_CONT);
        if (available() > 0) break;
      }
      drive();
    }
    const std::size_t n = std::min(capacity, available());
    std::memcpy(out, buffer_.data() + read_pos_, n);
    read_pos_ += n;
    if (read_pos_ == buffer_.size()) {
      buffer_.clear();
      read_pos_ = 0;
    }
    return n;
  }

 private:
  std::size_t available() const { return buffer_.size() - read_pos_; }

  void begin_transfer() {
    detach();
    headers_done_ = false;
    done_ = false;
    paused_ = false;
    status_ = 0;
    result_ = CURLE_OK;
    error_body_.clear();
    handle_ = client_.acquire_handle();
    CURL* easy = handle_->easy;

    const std::uint64_t from = offset_ + received_;
    Headers headers;
    if (from > 0 || length_) {
      std::string range = "bytes=" + std::to_string(from) + "-";
      if (length_) range += std::to_string(offset_ + *length_ - 1);
      headers.emplace_back("range", range);
    }
    if (!etag_.empty()) headers.emplace_back("if-match", etag_);
    const auto target = client_.target(key_, "");
    list_ = nullptr;
    for (const auto& [name, value] : client_.sign("GET", target, headers, std::string(kEmptyPayloadSha256)))
      list_ = curl_slist_append(list_, (name + ": " + value).c_str());
    list_ = curl_slist_append(list_, ("Host: " + target.host).c_str());
    url_ = target.url;

    curl_easy_setopt(easy, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, client_.config().connect_timeout_s);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, client_.config().low_speed_time_s);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list_);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
    curl_multi_add_handle(multi_, easy);
  }

  // Removes the current transfer. A finished handle goes back to the pool (its
  // connection is reusable); an interrupted one is closed.
  void detach() {
    if (handle_) {
      curl_multi_remove_handle(multi_, handle_->easy);
      if (done_ && result_ == CURLE_OK)
        client_.release_handle(std::move(handle_));
      else
        handle_.reset();
    }
    curl_slist_free_all(list_);
    list_ = nullptr;
  }

  void drive() {
    int running = 0;
    curl_multi_perform(multi_, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
      if (msg->msg == CURLMSG_DONE) {
        done_ = true;
        result_ = msg->data.result;
      }
    }
    if (!done_ && !paused_ && available() == 0) curl_multi_poll(multi_, nullptr, 0, 200, nullptr);
  }

  // The transfer ended: either the range is complete, or it broke and is resumed.
  void finish_or_resume() {
    const bool complete =
        result_ == CURLE_OK && status_ >= 200 && status_ < 300 && (!expected_ || received_ >= *expected_);
    if (complete) {
      detach();
      finished_ = true;
      return;
    }
    if (result_ == CURLE_OK && !(status_ >= 200 && status_ < 300)) fail_status();
    if (++resumes_ >= client_.config().max_attempts)
      unavailable(client_.describe() + ": GET " + key_ + " broke after " + std::to_string(received_) +
                  " bytes: " + (result_ != CURLE_OK ? curl_easy_strerror(result_) : "truncated response"));
    std::this_thread::sleep_for(client_.config().first_backoff);
    begin_transfer();
    while (!headers_done_ && !done_) drive();
    if (headers_done_ && !(status_ >= 200 && status_ < 300)) {
      while (!done_) drive();
      fail_status();
    }
  }

  [[noreturn]] void fail_status() {
    S3Response response;
    response.status = status_;
    response.body = error_body_;
    const auto codes = xml_values(error_body_, "Code");
    const std::string code = codes.empty() ? std::string() : codes.front();
    const std::string what = "GET " + key_ + ": HTTP " + std::to_string(status_) + (code.empty() ? "" : " " + code);
    if (status_ == 404 && code != "NoSuchBucket")
      throw Error(ErrorKind::not_found, "blob-not-found", "no blob " + key_);
    if (status_ == 412) unavailable(what + " (the object changed while it was read)");
    if (status_ == 401 || status_ == 403 || status_ == 404)
      unavailable(client_.describe() + ": " + what + " — check the bucket, credentials and region");
    throw Error(ErrorKind::internal, "blob-store-error", client_.describe() + ": " + what);
  }

  static size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* self = static_cast<CurlObjectStream*>(user);
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
      const auto space = line.find(' ');
      self->status_ = space == std::string_view::npos ? 0 : std::strtol(line.data() + space + 1, nullptr, 10);
      self->content_length_.reset();
      self->response_etag_.clear();
    } else if (line == "\r\n" || line == "\n") {
      if (self->status_ >= 200) self->on_headers_complete();
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
      std::string name(line.substr(0, colon));
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
        value.remove_suffix(1);
      if (name == "content-length") self->content_length_ = std::strtoull(std::string(value).c_str(), nullptr, 10);
      if (name == "etag") self->response_etag_ = std::string(value);
    }
    return size * count;
  }

  void on_headers_complete() {
    headers_done_ = true;
    if (status_ < 200 || status_ >= 300) return;
    if (etag_.empty()) etag_ = response_etag_;
    if (!expected_ && content_length_) expected_ = received_ + *content_length_;
  }

  static size_t on_data(char* data, size_t size, size_t count, void* user) {
    auto* self = static_cast<CurlObjectStream*>(user);
    const std::size_t n = size * count;
    if (self->status_ < 200 || self->status_ >= 300) {
      if (self->error_body_.size() < kMaxErrorBody) self->error_body_.append(data, n);
      return n;
    }
    if (self->available() >= kHighWater) {
      self->paused_ = true;
      return CURL_WRITEFUNC_PAUSE;
    }
    if (self->read_pos_ > 0) {
      self->buffer_.erase(0, self->read_pos_);
      self->read_pos_ = 0;
    }
    self->buffer_.append(data, n);
    self->received_ += n;
    return n;
  }

  S3Client& client_;
  std::string key_;
  std::uint64_t offset_;
  std::optional<std::uint64_t> length_;
  CURLM* multi_;
  std::unique_ptr<S3Client::CurlHandle> handle_;
  curl_slist* list_ = nullptr;
  std::string url_;

  long status_ = 0;
  bool headers_done_ = false;
  bool done_ = false;
  bool paused_ = false;
  bool finished_ = false;
  CURLcode result_ = CURLE_OK;
  std::optional<std::uint64_t> content_length_;
  std::string response_etag_;
  std::string etag_;                       // of the first response, for resumption
  std::optional<std::uint64_t> expected_;  // total bytes of the range
  std::uint64_t received_ = 0;
  int resumes_ = 0;
  std::string error_body_;
  std::string buffer_;
  std::size_t read_pos_ = 0;
};

class EmptyStream final : public ObjectStream {
 public:
  std::size_t read(char*, std::size_t) override { return 0; }
};

}  // namespace

std::unique_ptr<ObjectStream> S3Client::get_object(const std::string& key, std::uint64_t offset,
                                                   std::optional<std::uint64_t> length) {
  if (length && *length == 0) {
    if (!head_object(key)) throw Error(ErrorKind::not_found, "blob-not-found", "no blob " + key);
    return std::make_unique<EmptyStream>();
  }
  auto stream = std::make_unique<CurlObjectStream>(*this, key, offset, length);
  if (!stream->start()) return std::make_unique<EmptyStream>();
  return stream;
}

}  // namespace mecapy::storage::s3
