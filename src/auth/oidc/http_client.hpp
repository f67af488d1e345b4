// A small blocking HTTP(S) client for talking to the identity provider (discovery,
// JWKS, token and end-session endpoints), on libcurl. One request per call, from any
// thread (each call has its own curl handle).
//
// Promises:
//   - only http:// and https:// URLs, for the request and anything it leads to;
//   - redirects are never followed: a 3xx comes back as the response it is;
//   - bounded: connect and total timeouts, and a response body cap (the transfer is
//     cut as soon as the body passes it, whether the size was announced or not);
//   - TLS peers are verified (libcurl's defaults, never turned off here).
// Transport failures (refused, timed out, TLS, too large, not http(s)) throw
// Error(unavailable, "identity-provider-unavailable") whose cause, for the log, says
// what and where; any HTTP status is a response, for the caller to judge.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mecapy::auth::oidc {

struct HttpTimeouts {
  std::chrono::milliseconds connect{3000};
  std::chrono::milliseconds total{10000};
};

struct HttpClientOptions {
  HttpTimeouts timeouts;
  std::size_t max_response_size = 1 << 20;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string content_type;  // as sent, e.g. "application/json;charset=UTF-8"; empty when none
};

// HTTP Basic client authentication (RFC 6749 section 2.3.1): the id and the secret
// are form-encoded before they are joined and base64-encoded, as the RFC requires.
struct BasicAuth {
  std::string user;
  std::string password;
};

using FormFields = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 percent-encoding of every byte but the unreserved characters.
std::string url_encode(std::string_view text);
// "name=value&name=value", each name and value url_encode'd: a valid
// application/x-www-form-urlencoded body and query string.
std::string form_encode(const FormFields& fields);

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});

  HttpResponse get(const std::string& url) const;
  // POST with an application/x-www-form-urlencoded body.
  HttpResponse post_form(const std::string& url, const FormFields& fields,
                         const std::optional<BasicAuth>& auth = std::nullopt) const;

  const HttpClientOptions& options() const { return options_; }

 private:
  HttpResponse perform(const std::string& method, const std::string& url, const std::string* body,
                       const std::optional<BasicAuth>& auth) const;

  HttpClientOptions options_;
};

}  // namespace mecapy::auth::oidc
