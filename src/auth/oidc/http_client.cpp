#include "auth/oidc/http_client.hpp"

#include <openssl/evp.h>

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "core/errors.hpp"

namespace mecapy::auth::oidc {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

[[noreturn]] void unreachable(const std::string& cause) {
  throw Error(ErrorKind::unavailable, "identity-provider-unavailable",
              "The identity provider cannot be reached; retry later.", cause);
}

struct EasyFree {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistFree>;

void add_header(HeaderList& list, const std::string& line) {
  curl_slist* next = curl_slist_append(list.get(), line.c_str());
  if (!next) throw std::bad_alloc();
  (void)list.release();  // `next` is the same list, extended
  list.reset(next);
}

struct Collector {
  std::string body;
  std::size_t limit = 0;
  bool too_large = false;
};

size_t collect(char* data, size_t size, size_t count, void* user) {
  auto* collector = static_cast<Collector*>(user);
  const std::size_t n = size * count;
  if (collector->body.size() + n > collector->limit) {
    collector->too_large = true;
    return 0;  // curl aborts the transfer with CURLE_WRITE_ERROR
  }
  collector->body.append(data, n);
  return n;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int size =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(size));
  return out;
}

bool http_url(const std::string& url) { return url.starts_with("http://") || url.starts_with("https://"); }

}  // namespace

std::string url_encode(std::string_view text) {
  // libcurl's escaping keeps exactly RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~).
  char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  if (!escaped) throw std::bad_alloc();
  std::string out(escaped);
  curl_free(escaped);
  return out;
}

std::string form_encode(const FormFields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    out += url_encode(name) + "=" + url_encode(value);
  }
  return out;
}

HttpClient::HttpClient(HttpClientOptions options) : options_(options) { global_init(); }

HttpResponse HttpClient::get(const std::string& url) const { return perform("GET", url, nullptr, std::nullopt); }

HttpResponse HttpClient::post_form(const std::string& url, const FormFields& fields,
                                   const std::optional<BasicAuth>& auth) const {
  const std::string body = form_encode(fields);
  return perform("POST", url, &body, auth);
}

HttpResponse HttpClient::perform(const std::string& method, const std::string& url, const std::string* body,
                                 const std::optional<BasicAuth>& auth) const {
  if (!http_url(url)) unreachable(method + " " + url + ": not an http:// or https:// URL");
  const std::unique_ptr<CURL, EasyFree> handle(curl_easy_init());
  if (!handle) throw std::bad_alloc();
  CURL* easy = handle.get();
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeouts.connect.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeouts.total.count()));
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_size));
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "mecapy/" MECAPY_VERSION);

  HeaderList headers;
  add_header(headers, "Accept: application/json");
  if (auth)
    add_header(headers, "Authorization: Basic " + base64(url_encode(auth->user) + ":" + url_encode(auth->password)));
  if (body) {
    add_header(headers, "Content-Type: application/x-www-form-urlencoded");
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());

  Collector collector;
  collector.limit = options_.max_response_size;
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &collector);

  const CURLcode rc = curl_easy_perform(easy);
  if (collector.too_large || rc == CURLE_FILESIZE_EXCEEDED)
    unreachable(method + " " + url + ": the response is larger than " + std::to_string(options_.max_response_size) +
                " bytes");
  if (rc != CURLE_OK) unreachable(method + " " + url + ": " + curl_easy_strerror(rc));

  HttpResponse response;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  const char* content_type = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type)
    response.content_type = content_type;
  response.body = std::move(collector.body);
  return response;
}

}  // namespace mecapy::auth::oidc
