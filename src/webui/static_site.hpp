// The built web UI — a static export such as web/out — served at `/` from memory.
//
// load() reads every regular file under the root once, at start-up. Requests never
// touch the file system: a request path is only looked up among the loaded files, so
// no path a client sends (`..`, encoded or not, a symbolic link) can reach anything
// outside the root. Symbolic links and names starting with '.' are not loaded.
//
// serve() answers GET and HEAD:
//   - `/dir/` is `/dir/index.html`; `/dir` when that exists is a 308 to `/dir/` (the
//     export uses trailing slashes), keeping the query; an unknown path is 404 with the
//     export's 404.html.
//   - ETag (a hash of the content) and If-None-Match (304).
//   - Cache-Control: files under /_next/static/ have content hashes in their names and
//     are cached for a year, immutable; every other file is revalidated (no-cache).
//   - Compression: text files are gzip-compressed once at load and sent compressed to
//     clients that accept gzip (Vary: Accept-Encoding).
//   - HTML pages get a Content-Security-Policy allowing exactly their own inline
//     scripts (by SHA-256 hash, computed at load), and no other inline or foreign code.
//
// Why our own: serving a few hundred prebuilt files needs a map and zlib; a separate
// web server in front would be a second process to install and configure for what
// `mecapyd serve` alone must do on a fresh machine.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace mecapy::webui {

struct SiteFile {
  std::string body;
  std::string gzip;  // empty when compression does not pay
  std::string content_type;
  std::string etag;                     // quoted
  std::string content_security_policy;  // HTML pages only
  bool immutable = false;
};

// What load() accepts: a directory beyond these is not a built UI.
struct SiteLimits {
  std::uint64_t max_total_bytes = 512ull << 20;  // the sum of the files' sizes
  std::size_t max_files = 20'000;
};

class StaticSite {
 public:
  // Reads the site under `root`. Throws Error(invalid_input, "web-dir-unreadable") when `root` is not a readable
  // directory or holds more than `limits` allow.
  static StaticSite load(const std::filesystem::path& root, SiteLimits limits = {});

  // The answer to a GET or HEAD of `req.path` (still percent-encoded) and its query.
  http::Response serve(const http::Request& req) const;

  std::size_t file_count() const { return files_.size(); }
  std::uint64_t total_bytes() const { return total_bytes_; }
  // The loaded file at a site path ("/index.html"), or null.
  const SiteFile* find(std::string_view site_path) const;

 private:
  std::map<std::string, SiteFile, std::less<>> files_;  // keyed by "/a/b.js"
  std::uint64_t total_bytes_ = 0;
};

// Whether an Accept-Encoding value accepts gzip (a `gzip` or `*` coding whose q is not 0).
bool accepts_gzip(std::string_view accept_encoding);

// The CSP hash sources ('sha256-…') of the inline <script> elements of an HTML page:
// every <script> without a src attribute, its text exactly as between the tags.
std::string inline_script_hashes(std::string_view html);

}  // namespace mecapy::webui
