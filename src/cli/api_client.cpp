// The REST client of the CLI (see api_client.hpp).
#include "cli/api_client.hpp"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "cli/progress.hpp"
#include "core/json.hpp"

namespace mecapy::cli {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool safe_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct MimeFree {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};
struct FileClose {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

// Where the body goes: to `file` when the status is 2xx and a file was asked for,
// else into `body`.
struct Sink {
  CURL* easy = nullptr;
  std::string body;
  std::FILE* file = nullptr;
  bool write_failed = false;
  bool decided = false;
  bool to_file = false;
  std::string location;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t n = size * count;
  if (!sink->decided) {
    long status = 0;
    curl_easy_getinfo(sink->easy, CURLINFO_RESPONSE_CODE, &status);
    sink->to_file = sink->file && status >= 200 && status < 300;
    sink->decided = true;
  }
  if (sink->to_file) {
    if (std::fwrite(data, 1, n, sink->file) != n) {
      sink->write_failed = true;
      return 0;
    }
    return n;
  }
  sink->body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t n = size * count;
  std::string_view line(data, n);
  constexpr std::string_view name = "location:";
  if (line.size() > name.size()) {
    std::string lowered(line.substr(0, name.size()));
    for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered == name) {
      std::string_view value = line.substr(name.size());
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
        value.remove_suffix(1);
      sink->location = std::string(value);
    }
  }
  return n;
}

int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
  auto* bar = static_cast<ProgressBar*>(user);
  if (ultotal > 0)
    bar->update(static_cast<std::uint64_t>(ulnow), static_cast<std::uint64_t>(ultotal));
  else if (dlnow > 0 || dltotal > 0)
    bar->update(static_cast<std::uint64_t>(dlnow), static_cast<std::uint64_t>(dltotal));
  return 0;
}

std::string string_member(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string number_text(const boost::json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  return {};
}

// One line for an entry of a problem's `errors`.
std::string error_line(const boost::json::value& entry) {
  if (!entry.is_object()) return serialize_json(entry);
  const auto& e = entry.get_object();
  const std::string message = string_member(e, "message");
  if (const auto* pointer = e.if_contains("pointer"); pointer && pointer->is_string()) {
    std::string where(pointer->get_string());
    if (where.starts_with("/")) where.erase(0, 1);
    if (where.empty()) where = "(request)";
    // Some messages already start with the input's name.
    return message.starts_with(where + ": ") ? message : where + ": " + message;
  }
  const std::string file = string_member(e, "file");
  if (!file.empty()) {
    std::string where = file;
    if (const auto* line = e.if_contains("line")) where += ":" + number_text(*line);
    const auto* column = e.if_contains("column");
    if (!column) column = e.if_contains("col");
    if (column) where += ":" + number_text(*column);
    return where + ": " + message;
  }
  return message.empty() ? serialize_json(entry) : message;
}

Exit exit_for_status(long status) {
  if (status == 401 || status == 403) return Exit::auth;
  if (status == 404) return Exit::not_found;
  if (status >= 400 && status < 500 && status != 429) return Exit::usage;
  return Exit::server;
}

}  // namespace

struct ApiClient::Handle {
  CURL* easy = nullptr;
  ~Handle() {
    if (easy) curl_easy_cleanup(easy);
  }
};

ApiClient::ApiClient(std::string api_url, std::string token)
    : api_url_(std::move(api_url)), token_(std::move(token)), handle_(std::make_unique<Handle>()) {
  global_init();
  handle_->easy = curl_easy_init();
  if (!handle_->easy) throw std::bad_alloc();
}

ApiClient::~ApiClient() = default;

void ApiClient::set_header(const std::string& name, const std::string& value) {
  if (!safe_header_value(value)) throw CliError(Exit::server, "the server sent an unusable " + name);
  headers_.push_back(name + ": " + value);
}

ApiResponse ApiClient::request(const std::string& method, const std::string& path, const std::string* json_body) {
  return perform(method, path, json_body, nullptr, nullptr, nullptr);
}

ApiResponse ApiClient::post_form(const std::string& path, const std::vector<FormPart>& parts, ProgressBar* progress) {
  return perform("POST", path, nullptr, &parts, nullptr, progress);
}

ApiResponse ApiClient::download(const std::string& path, const std::string& out_path, ProgressBar* progress) {
  return perform("GET", path, nullptr, nullptr, &out_path, progress);
}

ApiResponse ApiClient::perform(const std::string& method, const std::string& path, const std::string* json_body,
                               const std::vector<FormPart>* parts, const std::string* out_path, ProgressBar* progress) {
  CURL* easy = handle_->easy;
  curl_easy_reset(easy);  // keeps the connection and the cookies
  const std::string url = api_url_ + path;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_COOKIEFILE, "");  // cookies in memory, for this run only
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "mecapy-cli/" MECAPY_VERSION);
  curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());

  std::unique_ptr<curl_slist, SlistFree> headers;
  auto add = [&](const std::string& line) {
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (!next) throw std::bad_alloc();
    (void)headers.release();
    headers.reset(next);
  };
  add("Accept: application/json");
  if (!token_.empty()) {
    if (!safe_header_value(token_)) throw CliError(Exit::usage, "the token contains a line break");
    add("Authorization: Bearer " + token_);
  }
  for (const auto& line : headers_) add(line);

  std::unique_ptr<curl_mime, MimeFree> mime;
  if (json_body) {
    add("Content-Type: application/json");
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, json_body->data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json_body->size()));
  } else if (parts) {
    mime.reset(curl_mime_init(easy));
    for (const auto& part : *parts) {
      curl_mimepart* p = curl_mime_addpart(mime.get());
      curl_mime_name(p, part.name.c_str());
      if (!part.file_path.empty()) {
        if (curl_mime_filedata(p, part.file_path.c_str()) != CURLE_OK)
          throw CliError(Exit::usage, part.file_path + ": cannot be read");
        const std::string filename =
            part.filename.empty() ? std::filesystem::path(part.file_path).filename().string() : part.filename;
        if (!safe_header_value(filename)) throw CliError(Exit::usage, "a file name contains a line break");
        curl_mime_filename(p, filename.c_str());
      } else {
        curl_mime_data(p, part.text.data(), part.text.size());
      }
      if (!part.content_type.empty()) curl_mime_type(p, part.content_type.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_MIMEPOST, mime.get());
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());

  Sink sink;
  sink.easy = easy;
  std::unique_ptr<std::FILE, FileClose> file;
  std::string partial;
  if (out_path) {
    partial = *out_path + ".part";
    file.reset(std::fopen(partial.c_str(), "wb"));
    if (!file) throw CliError(Exit::usage, partial + ": cannot be written");
    sink.file = file.get();
  }
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &sink);
  if (progress && progress->enabled()) {
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, progress);
  }

  const CURLcode rc = curl_easy_perform(easy);
  if (progress) progress->finish();
  const bool flushed = !file || std::fflush(file.get()) == 0;
  file.reset();
  if (rc != CURLE_OK || sink.write_failed || !flushed) {
    if (out_path) std::remove(partial.c_str());
    if (sink.write_failed || !flushed) throw CliError(Exit::usage, *out_path + ": cannot be written");
    throw CliError(Exit::server, "cannot reach " + url + ": " + curl_easy_strerror(rc));
  }
  ApiResponse response;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  const char* content_type = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type)
    response.content_type = content_type;
  response.body = std::move(sink.body);
  response.location = std::move(sink.location);
  if (out_path) {
    std::error_code ec;
    if (response.status >= 200 && response.status < 300) {
      std::filesystem::rename(partial, *out_path, ec);
      if (ec) throw CliError(Exit::usage, *out_path + ": cannot be written: " + ec.message());
    } else {
      std::filesystem::remove(partial, ec);
    }
  }
  return response;
}

boost::json::value ApiClient::get_json(const std::string& path) {
  const ApiResponse response = request("GET", path);
  if (response.status >= 400) throw api_error(response);
  return json_of(response);
}

boost::json::value ApiClient::send_json(const std::string& method, const std::string& path,
                                        const boost::json::value& body) {
  const std::string text = serialize_json(body);
  const ApiResponse response = request(method, path, &text);
  if (response.status >= 400) throw api_error(response);
  if (response.body.empty()) return nullptr;
  return json_of(response);
}

CliError api_error(const ApiResponse& response) {
  const Exit exit = exit_for_status(response.status);
  std::string message = "the server answered " + std::to_string(response.status);
  try {
    const boost::json::value problem = parse_json(response.body);
    if (problem.is_object()) {
      const auto& o = problem.get_object();
      const std::string detail = string_member(o, "detail");
      const std::string title = string_member(o, "title");
      std::string type = string_member(o, "type");
      if (const auto cut = type.find_last_of("/#"); cut != std::string::npos) type.erase(0, cut + 1);
      const auto* errors = o.if_contains("errors");
      const bool listed = errors && errors->is_array() && !errors->get_array().empty();
      message = !detail.empty() ? detail : !title.empty() ? title : message;
      // With the list, the detail's "the first: ..." would say one of its lines twice.
      if (const auto first = message.find("; the first"); listed && first != std::string::npos) message.resize(first);
      if (!type.empty()) message += " (" + std::to_string(response.status) + " " + type + ")";
      if (listed)
        for (const auto& entry : errors->get_array()) message += "\n  " + error_line(entry);
    }
  } catch (const std::exception&) {
    // Not a problem document (a proxy's page): the status says enough.
  }
  if (response.status == 401 && message.find("invalid-credentials") == std::string::npos)
    message += "\n  sign in with: mecapy login";
  return CliError(exit, message);
}

boost::json::value json_of(const ApiResponse& response) {
  try {
    return parse_json(response.body);
  } catch (const std::exception&) {
    throw CliError(Exit::server, "the server's answer (" + std::to_string(response.status) + ") is not JSON");
  }
}

std::string encode(std::string_view text) {
  char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  if (!escaped) throw std::bad_alloc();
  std::string out(escaped);
  curl_free(escaped);
  return out;
}

}  // namespace mecapy::cli
