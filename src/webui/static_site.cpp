#include "webui/static_site.hpp"

#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>

#include "core/errors.hpp"

namespace mecapy::webui {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kImmutablePrefix = "/_next/static/";
constexpr std::size_t kMinCompressedSize = 512;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

struct TypeOf {
  std::string_view extension;
  std::string_view content_type;
  bool compressible;
};

constexpr std::array<TypeOf, 17> kTypes{{
    {".html", "text/html; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".mjs", "text/javascript; charset=utf-8", true},
    {".css", "text/css; charset=utf-8", true},
    {".json", "application/json", true},
    {".map", "application/json", true},
    {".txt", "text/plain; charset=utf-8", true},
    {".svg", "image/svg+xml", true},
    {".xml", "application/xml", true},
    {".webmanifest", "application/manifest+json", true},
    {".ico", "image/x-icon", true},
    {".png", "image/png", false},
    {".jpg", "image/jpeg", false},
    {".webp", "image/webp", false},
    {".woff2", "font/woff2", false},
    {".woff", "font/woff", false},
    {".ttf", "font/ttf", true},
}};

const TypeOf& type_of(const std::string& path) {
  static constexpr TypeOf kUnknown{"", "application/octet-stream", false};
  const auto dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return kUnknown;
  const std::string ext = lower(std::string_view(path).substr(dot));
  for (const auto& t : kTypes)
    if (t.extension == ext) return t;
  return kUnknown;
}

std::string sha256(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md.data(), &size, EVP_sha256(), nullptr) != 1)
    throw Error(ErrorKind::internal, "digest-failed", "SHA-256 failed");
  return std::string(reinterpret_cast<const char*>(md.data()), size);
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// gzip (RFC 1952) at the best compression; empty when zlib fails.
std::string gzip(std::string_view in) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string{};
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::invalid_input, "web-dir-unreadable", "Cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The pages call only their own origin: a UI served here talks to this API.
std::string policy_for(std::string_view html) {
  std::string script_src = "'self'";
  if (const auto hashes = inline_script_hashes(html); !hashes.empty()) script_src += " " + hashes;
  // Inline styles stay allowed: the UI's components set style attributes (positions of
  // popovers, chart sizes), which carry no code.
  return "default-src 'self'; script-src " + script_src +
         "; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
         "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
}

bool hidden(const fs::path& relative) {
  return std::any_of(relative.begin(), relative.end(),
                     [](const fs::path& part) { return part.native().starts_with('.'); });
}

http::Response redirect(const std::string& location) {
  http::Response r = http::Response::text(308, "Moved to " + location + "\n", "text/plain; charset=utf-8");
  r.headers.set("Location", location);
  r.headers.set({"Cache-Control", "no-cache"});
  return r;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  std::size_t i = 0;
  while (i < if_none_match.size()) {
    auto next = if_none_match.find(',', i);
    if (next == std::string_view::npos) next = if_none_match.size();
    std::string_view tag = if_none_match.substr(i, next - i);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    i = next + 1;
  }
  return false;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  std::size_t i = 0;
  while (i <= accept_encoding.size()) {
    auto next = accept_encoding.find(',', i);
    if (next == std::string_view::npos) next = accept_encoding.size();
    const std::string item = lower(accept_encoding.substr(i, next - i));
    i = next + 1;
    const auto semi = item.find(';');
    std::string coding = item.substr(0, semi);
    coding.erase(std::remove(coding.begin(), coding.end(), ' '), coding.end());
    if (coding != "gzip" && coding != "*") continue;
    if (semi == std::string::npos) return true;
    std::string params = item.substr(semi + 1);
    params.erase(std::remove(params.begin(), params.end(), ' '), params.end());
    // q=0, q=0.0, q=0.00…: refused; any other weight accepts.
    if (!params.starts_with("q=")) return true;
    const std::string q = params.substr(2);
    if (q.find_first_not_of("0.") != std::string::npos) return true;
  }
  return false;
}

std::string inline_script_hashes(std::string_view html) {
  std::string out;
  std::size_t pos = 0;
  const std::string text = lower(html);
  while ((pos = text.find("<script", pos)) != std::string::npos) {
    const auto tag_end = text.find('>', pos);
    if (tag_end == std::string::npos) break;
    const std::string_view tag = std::string_view(text).substr(pos, tag_end - pos);
    const auto close = text.find("</script", tag_end);
    if (close == std::string::npos) break;
    const bool external = tag.find(" src=") != std::string_view::npos || tag.find("\tsrc=") != std::string_view::npos ||
                          tag.find("\nsrc=") != std::string_view::npos;
    if (!external) {
      if (!out.empty()) out += ' ';
      out += "'sha256-" + base64(sha256(html.substr(tag_end + 1, close - tag_end - 1))) + "'";
    }
    pos = close;
  }
  return out;
}

StaticSite StaticSite::load(const fs::path& root, SiteLimits limits) {
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw Error(ErrorKind::invalid_input, "web-dir-unreadable",
                "The web UI directory " + root.string() + " does not exist or is not a directory.");
  StaticSite site;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec)
    throw Error(ErrorKind::invalid_input, "web-dir-unreadable", "Cannot list " + root.string() + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec)
      throw Error(ErrorKind::invalid_input, "web-dir-unreadable", "Cannot list " + root.string() + ": " + ec.message());
    const fs::path relative = it->path().lexically_relative(root);
    if (hidden(relative)) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    // symlink_status: a link is never followed, to a file or a directory.
    if (!fs::is_regular_file(it->symlink_status(ec))) continue;
    SiteFile file;
    file.body = read_file(it->path());
    site.total_bytes_ += file.body.size();
    if (site.total_bytes_ > limits.max_total_bytes || site.files_.size() >= limits.max_files)
      throw Error(ErrorKind::invalid_input, "web-dir-unreadable",
                  "The web UI directory " + root.string() + " holds more than " + std::to_string(limits.max_files) +
                      " files or " + std::to_string(limits.max_total_bytes) + " bytes: is it the built UI?");
    const std::string key = "/" + relative.generic_string();
    const TypeOf& type = type_of(key);
    file.content_type = type.content_type;
    file.etag = "\"" + hex(sha256(file.body).substr(0, 16)) + "\"";
    file.immutable = key.starts_with(kImmutablePrefix);
    if (type.compressible && file.body.size() >= kMinCompressedSize) {
      std::string compressed = gzip(file.body);
      if (!compressed.empty() && compressed.size() < file.body.size() - file.body.size() / 10)
        file.gzip = std::move(compressed);
    }
    if (key.ends_with(".html")) file.content_security_policy = policy_for(file.body);
    site.files_.emplace(key, std::move(file));
  }
  return site;
}

const SiteFile* StaticSite::find(std::string_view site_path) const {
  const auto it = files_.find(site_path);
  return it == files_.end() ? nullptr : &it->second;
}

http::Response StaticSite::serve(const http::Request& req) const {
  const auto decoded = http::percent_decode(req.path);
  std::string path = decoded.value_or("/");
  if (path.empty() || path.front() != '/') path = "/" + path;
  const std::string query = req.query.empty() ? "" : "?" + req.query;

  const SiteFile* file = nullptr;
  int status = 200;
  if (path.back() == '/') {
    file = find(path + "index.html");
  } else if ((file = find(path)) == nullptr) {
    // A directory asked for without its slash: send the browser where relative links work.
    // The path is the request's own (still encoded), so no user text enters Location
    // beyond what the client sent.
    if (find(path + "/index.html")) return redirect(req.path + "/" + query);
    file = find(path + ".html");
  }
  if (!file) {
    status = 404;
    file = find("/404.html");
    if (!file) {
      http::Response r = http::Response::text(404, "Not found\n", "text/plain; charset=utf-8");
      r.headers.set({"Cache-Control", "no-cache"});
      return r;
    }
  }

  http::Response r;
  r.status = status;
  r.headers.set("ETag", file->etag);
  r.headers.set("Cache-Control", file->immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (!file->gzip.empty()) r.headers.set({"Vary", "Accept-Encoding"});
  // A 304 carries the policy too: a browser replaces the stored response's headers by
  // those of the 304, so one without it would leave the page under the API's policy.
  if (!file->content_security_policy.empty()) r.headers.set("Content-Security-Policy", file->content_security_policy);
  if (status == 200) {
    if (const auto inm = req.headers.get("If-None-Match"); inm && etag_matches(*inm, file->etag)) {
      r.status = 304;
      return r;
    }
  }
  r.headers.set("Content-Type", file->content_type);
  const auto accept = req.headers.get("Accept-Encoding");
  if (!file->gzip.empty() && accept && accepts_gzip(*accept)) {
    r.headers.set({"Content-Encoding", "gzip"});
    r.body = file->gzip;
  } else {
    r.body = file->body;
  }
  return r;
}

}  // namespace mecapy::webui
