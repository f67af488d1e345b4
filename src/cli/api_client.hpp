// The CLI's client of the REST API, on libcurl: one connection (and its cookies, for
// the built-in sign-in's session) reused for every request of one `mecapy` run.
//
// Promises:
//   - every request goes to `api_url` + path, with `Authorization: Bearer TOKEN` when a
//     token is set, and `Accept: application/json`;
//   - redirects are never followed; only http:// and https:// are spoken; TLS peers
//     are verified (libcurl's defaults);
//   - a transport failure (refused, DNS, TLS, cut) throws CliError(server) naming the
//     URL; any HTTP status is returned, and the *_json helpers turn a status >= 400
//     into api_error();
//   - uploads are streamed from the file, downloads to `out_path`.part and renamed over
//     `out_path` only when the whole body arrived with a 2xx status;
//   - header values built from user data are refused if they carry CR, LF or NUL.
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/exit_codes.hpp"

namespace mecapy::cli {

struct ApiResponse {
  long status = 0;
  std::string body;
  std::string content_type;
  std::string location;  // the Location header, when sent
};

// One part of a multipart/form-data body: a file streamed from `file_path` (named
// `filename` in the part, its base name by default), or the text `text`.
struct FormPart {
  std::string name;
  std::string text;
  std::string content_type;
  std::string file_path;
  std::string filename;
};

class ProgressBar;

class ApiClient {
 public:
  ApiClient(std::string api_url, std::string token);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  const std::string& api_url() const { return api_url_; }
  bool has_token() const { return !token_.empty(); }
  void set_token(std::string token) { token_ = std::move(token); }
  // A header sent with every later request ("X-CSRF-Token", ...).
  void set_header(const std::string& name, const std::string& value);

  ApiResponse request(const std::string& method, const std::string& path, const std::string* json_body = nullptr);
  ApiResponse post_form(const std::string& path, const std::vector<FormPart>& parts, ProgressBar* progress = nullptr);
  ApiResponse download(const std::string& path, const std::string& out_path, ProgressBar* progress = nullptr);

  // The JSON answer of a request; throws api_error() for a status >= 400 and
  // CliError(server) for a body that is not JSON.
  boost::json::value get_json(const std::string& path);
  boost::json::value send_json(const std::string& method, const std::string& path, const boost::json::value& body);

 private:
  struct Handle;
  ApiResponse perform(const std::string& method, const std::string& path, const std::string* json_body,
                      const std::vector<FormPart>* parts, const std::string* out_path, ProgressBar* progress);

  std::string api_url_;
  std::string token_;
  std::vector<std::string> headers_;
  std::unique_ptr<Handle> handle_;
};

// The error for a refused request: the problem's title and detail, and each entry of
// its `errors` (inputs at their JSON pointer, manifest errors at file:line:col), one a
// line. The exit code follows the status: 401/403 auth, 404 not found, other 4xx usage,
// 5xx (and anything else) server.
CliError api_error(const ApiResponse& response);

// The body of a 2xx answer as JSON (exact numbers); CliError(server) when it is not.
boost::json::value json_of(const ApiResponse& response);

// RFC 3986 percent-encoding of everything but the unreserved characters: one path
// segment ("admin/bolted-joint" becomes "admin%2Fbolted-joint") or one query value.
std::string encode(std::string_view text);

}  // namespace mecapy::cli
