#include "webui/static_site.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/errors.hpp"

namespace fs = std::filesystem;
using mecapy::webui::StaticSite;

namespace {

class TempSite {
 public:
  TempSite() {
    std::random_device rd;
    root_ = fs::temp_directory_path() / ("mecapy-site-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(root_ / "site");
  }
  ~TempSite() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  fs::path site() const { return root_ / "site"; }
  fs::path outside() const { return root_; }
  void write(const fs::path& relative, const std::string& text) const {
    const fs::path p = site() / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }

 private:
  fs::path root_;
};

mecapy::http::Response get(const StaticSite& site, std::string target,
                           std::vector<std::pair<std::string, std::string>> headers = {}) {
  mecapy::http::Request req;
  req.method = "GET";
  req.target = target;
  const auto q = target.find('?');
  req.path = target.substr(0, q);
  req.query = q == std::string::npos ? "" : target.substr(q + 1);
  for (const auto& [name, value] : headers) req.headers.add(name, value);
  return site.serve(req);
}

std::string header(const mecapy::http::Response& r, std::string_view name) {
  return std::string(r.headers.get(name).value_or(""));
}

std::string gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

// The CSP source of a script, computed here independently: base64 of its SHA-256.
std::string csp_hash(const std::string& script) {
  unsigned char md[32];
  unsigned int n = 0;
  EVP_Digest(script.data(), script.size(), md, &n, EVP_sha256(), nullptr);
  unsigned char b64[64] = {};
  EVP_EncodeBlock(b64, md, 32);
  return "'sha256-" + std::string(reinterpret_cast<char*>(b64)) + "'";
}

const std::string kPageScript = "self.__next_f.push([1,\"a\"])";
const std::string kThemeScript = "document.documentElement.dataset.theme='dark'";

std::string index_html() {
  return "<!DOCTYPE html><html><head><script src=\"/_next/static/chunks/main.js\" async></script>"
         "<script>" +
         kThemeScript + "</script></head><body>" + std::string(2000, 'x') + "<SCRIPT>" + kPageScript +
         "</SCRIPT></body></html>";
}

}  // namespace

TEST(StaticSite, ServesPagesWithTheirOwnInlineScriptsAllowedByHash) {
  TempSite t;
  t.write("index.html", index_html());
  const auto site = StaticSite::load(t.site());
  const auto r = get(site, "/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, index_html());
  EXPECT_EQ(header(r, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(header(r, "Cache-Control"), "no-cache");
  const std::string csp = header(r, "Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self' " + csp_hash(kThemeScript) + " " + csp_hash(kPageScript) + ";"),
            std::string::npos)
      << csp;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
}

TEST(StaticSite, HashedAssetsAreImmutableAndTextIsGzippedForClientsThatAcceptIt) {
  TempSite t;
  const std::string js = "console.log('" + std::string(4000, 'a') + "');";
  t.write("_next/static/chunks/main-abc123.js", js);
  t.write("icon.png", std::string(4000, '\x7f'));
  const auto site = StaticSite::load(t.site());

  const auto plain = get(site, "/_next/static/chunks/main-abc123.js");
  EXPECT_EQ(plain.body, js);
  EXPECT_EQ(header(plain, "Content-Encoding"), "");
  EXPECT_EQ(header(plain, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(plain, "Vary"), "Accept-Encoding");
  EXPECT_EQ(header(plain, "Content-Type"), "text/javascript; charset=utf-8");

  const auto zipped = get(site, "/_next/static/chunks/main-abc123.js", {{"Accept-Encoding", "br, gzip;q=0.8"}});
  EXPECT_EQ(header(zipped, "Content-Encoding"), "gzip");
  EXPECT_LT(zipped.body.size(), js.size() / 10);
  EXPECT_EQ(gunzip(zipped.body), js);

  const auto refused = get(site, "/_next/static/chunks/main-abc123.js", {{"Accept-Encoding", "gzip;q=0, br"}});
  EXPECT_EQ(header(refused, "Content-Encoding"), "");
  // Images are not compressed again.
  const auto png = get(site, "/icon.png", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(header(png, "Content-Encoding"), "");
  EXPECT_EQ(header(png, "Content-Type"), "image/png");
  EXPECT_EQ(header(png, "Cache-Control"), "no-cache");
}

TEST(StaticSite, AcceptEncodingParsing) {
  using mecapy::webui::accepts_gzip;
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, GZIP"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("gzip; q=0.5"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("xgzip"));
  EXPECT_FALSE(accepts_gzip(""));
}

TEST(StaticSite, ETagsRevalidate) {
  TempSite t;
  t.write("files/index.html", "<html>files</html>");
  const auto site = StaticSite::load(t.site());
  const auto first = get(site, "/files/");
  const std::string etag = header(first, "ETag");
  ASSERT_EQ(etag.size(), 34u);
  const auto not_modified = get(site, "/files/", {{"If-None-Match", etag}});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.body, "");
  // The browser keeps the 304's headers: the page's own policy must be among them.
  EXPECT_EQ(header(not_modified, "Content-Security-Policy"), header(first, "Content-Security-Policy"));
  EXPECT_NE(header(first, "Content-Security-Policy"), "");
  EXPECT_EQ(get(site, "/files/", {{"If-None-Match", "\"other\", W/" + etag}}).status, 304);
  const auto changed = get(site, "/files/", {{"If-None-Match", "\"0000\""}});
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, "<html>files</html>");
}

TEST(StaticSite, DirectoriesWithoutTheirSlashAreRedirectedAndUnknownPathsGetThe404Page) {
  TempSite t;
  t.write("jobs/view/index.html", "<html>job</html>");
  t.write("404.html", "<html>lost</html>");
  t.write("about.html", "<html>about</html>");
  const auto site = StaticSite::load(t.site());
  const auto moved = get(site, "/jobs/view?id=42");
  EXPECT_EQ(moved.status, 308);
  EXPECT_EQ(header(moved, "Location"), "/jobs/view/?id=42");
  EXPECT_EQ(get(site, "/jobs/view/?id=42").body, "<html>job</html>");
  EXPECT_EQ(get(site, "/about").body, "<html>about</html>");
  const auto lost = get(site, "/nothing/here/");
  EXPECT_EQ(lost.status, 404);
  EXPECT_EQ(lost.body, "<html>lost</html>");
  // A 404 page is never a 304, whatever the client holds.
  EXPECT_EQ(get(site, "/nothing", {{"If-None-Match", "*"}}).status, 404);
}

TEST(StaticSite, NoRequestPathReachesOutsideTheRoot) {
  TempSite t;
  t.write("index.html", "<html>home</html>");
  t.write("404.html", "<html>lost</html>");
  t.write(".env", "SECRET=1");
  t.write(".git/config", "secret");
  std::ofstream(t.outside() / "secret.txt") << "outside";
  fs::create_symlink(t.outside() / "secret.txt", t.site() / "link.txt");
  fs::create_directory_symlink(t.outside(), t.site() / "up");
  const auto site = StaticSite::load(t.site());
  EXPECT_EQ(site.file_count(), 2u);
  for (const std::string attack : {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt",
                                   "/link.txt", "/up/secret.txt", "/up/site/index.html", "/.env", "/.git/config",
                                   "//secret.txt", "/index.html/..", "/%252e%252e/secret.txt"}) {
    const auto r = get(site, attack);
    EXPECT_EQ(r.status, 404) << attack;
    EXPECT_EQ(r.body, "<html>lost</html>") << attack;
  }
}

TEST(StaticSite, RefusesAMissingDirectoryAndOneTooLarge) {
  TempSite t;
  try {
    StaticSite::load(t.site() / "missing");
    FAIL() << "a missing directory was loaded";
  } catch (const mecapy::Error& e) {
    EXPECT_EQ(e.code(), "web-dir-unreadable");
  }
  t.write("a.js", std::string(100, 'a'));
  t.write("b.js", std::string(100, 'b'));
  EXPECT_THROW(StaticSite::load(t.site(), {.max_total_bytes = 150, .max_files = 10}), mecapy::Error);
  EXPECT_THROW(StaticSite::load(t.site(), {.max_total_bytes = 1000, .max_files = 1}), mecapy::Error);
  EXPECT_EQ(StaticSite::load(t.site(), {.max_total_bytes = 200, .max_files = 2}).file_count(), 2u);
}
