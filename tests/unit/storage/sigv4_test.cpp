// SigV4: our signatures equal botocore's for a set of fixed requests (same
// credentials, same instant), and the AWS documentation's worked example.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "storage/s3/s3_client.hpp"
#include "storage/s3/sigv4.hpp"

namespace mecapy::storage::s3 {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

// 2024-03-05T06:07:08Z
const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1709618828));

std::string run_botocore(const std::string& input) {
  char path[] = "/tmp/mecapy-sigv4-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  ::close(fd);
  std::ofstream(path) << input;
  const std::string command =
      "python3 " + std::string(MECAPY_SOURCE_DIR) + "/tests/unit/storage/botocore_sign.py < " + path;
  FILE* p = ::popen(command.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;) out.append(buf.data(), n);
  const int status = ::pclose(p);
  std::remove(path);
  if (status != 0) throw std::runtime_error("botocore_sign.py failed: " + out);
  return out;
}

struct Case {
  std::string name;
  S3Config config;
  std::string method;
  std::string key;
  std::string query;
  Headers headers;
  std::string body;
  bool unsigned_payload = false;
};

S3Config config(std::string endpoint, bool path_style, std::string region = "us-east-1", std::string token = "") {
  S3Config c;
  c.endpoint = std::move(endpoint);
  c.path_style = path_style;
  c.region = std::move(region);
  c.bucket = "mecapy-uploads";
  c.credentials = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", std::move(token)};
  return c;
}

TEST(SigV4, MatchesBotocore) {
  const std::string odd_key = "user 1/r\xC3\xA9sultat (final)+v2!*'=&?;:@$,#[].txt";
  std::vector<Case> cases = {
      {"get-path-style-query",
       config("http://127.0.0.1:9000", true),
       "GET",
       "",
       encode_query({{"list-type", "2"},
                     {"prefix", "a b/\xC3\xA9t\xC3\xA9+x"},
                     {"continuation-token", "1/abc+def=="},
                     {"max-keys", "1000"}}),
       {},
       "",
       false},
      {"put-payload-hash",
       config("http://127.0.0.1:9000", true),
       "PUT",
       "user-1/file-1",
       "",
       {{"Content-Type", "application/octet-stream"}},
       "hello, world\n",
       false},
      {"put-odd-key", config("http://localhost:9000", true), "PUT", odd_key, "", {}, "payload", false},
      {"get-odd-key-range",
       config("https://s3.fr-par.scw.cloud", false, "fr-par"),
       "GET",
       odd_key,
       "",
       {{"Range", "bytes=100-199"}},
       "",
       true},
      {"session-token",
       config("https://s3.eu-west-3.amazonaws.com", false, "eu-west-3", "FwoGZXIvYXdzEJr//token/+="),
       "HEAD",
       "user-1/file-1",
       "",
       {},
       "",
       true},
      {"virtual-host-port", config("http://minio.internal:9000", false), "DELETE", "a/b/c", "", {}, "", false},
      {"multipart-create", config("http://127.0.0.1:9000", true), "POST", "u/f", "uploads=", {}, "", false},
      {"multipart-part",
       config("http://127.0.0.1:9000", true),
       "PUT",
       "u/f",
       encode_query({{"partNumber", "3"}, {"uploadId", "VXBsb2FkIElE+/=="}}),
       {},
       std::string(3000, 'x'),
       false},
      {"header-whitespace",
       config("https://s3.amazonaws.com", true),
       "PUT",
       "k",
       "",
       {{"x-amz-meta-note", "  two   spaces\tand tab  "}, {"Content-Type", "text/plain"}},
       "body",
       false},
      {"bucket-level", config("http://127.0.0.1:9000/base/", true), "HEAD", "", "", {}, "", false},
  };

  json::array requests;
  json::array keys;
  std::vector<SignedRequest> ours;
  std::vector<S3Client::Target> targets;
  for (const auto& c : cases) {
    const S3Client client(c.config);
    const auto target = client.target(c.key, c.query);
    const std::string payload = c.unsigned_payload ? std::string(kUnsignedPayload) : sha256_hex(c.body);
    ours.push_back(sign_request({c.method, target.host, target.path, target.query, c.headers, payload},
                                c.config.credentials, c.config.region, kNow));
    targets.push_back(target);
    json::array headers;
    for (const auto& [n, v] : c.headers) headers.push_back(json::array{json::string(n), json::string(v)});
    requests.push_back(json::object{{"access_key", c.config.credentials.access_key_id},
                                    {"secret_key", c.config.credentials.secret_access_key},
                                    {"token", c.config.credentials.session_token},
                                    {"region", c.config.region},
                                    {"method", c.method},
                                    {"url", target.url},
                                    {"headers", headers},
                                    {"body", c.body},
                                    {"unsigned", c.unsigned_payload}});
    keys.push_back(json::string(c.key));
  }
  const json::object spec{{"timestamp", amz_date(kNow)}, {"requests", requests}, {"keys", keys}};
  const auto theirs = json::parse(run_botocore(json::serialize(spec))).as_object();
  const auto& signed_requests = theirs.at("signed").as_array();
  const auto& encoded_keys = theirs.at("encoded_keys").as_array();
  ASSERT_EQ(signed_requests.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].name);
    const auto& signed_request = signed_requests.at(i).as_object();
    EXPECT_EQ(ours[i].canonical_request, json::value_to<std::string>(signed_request.at("canonical_request")));
    EXPECT_EQ(ours[i].authorization, json::value_to<std::string>(signed_request.at("authorization")));
    // The key is put in the URL the way botocore encodes it.
    const std::string encoded = json::value_to<std::string>(encoded_keys.at(i));
    if (!cases[i].key.empty()) {
      EXPECT_TRUE(targets[i].path.ends_with("/" + encoded)) << targets[i].path << " vs " << encoded;
    }
  }
}

// The worked example of the S3 SigV4 documentation ("GET Object" with a Range).
TEST(SigV4, AwsDocumentationExample) {
  const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(1369353600));  // 2013-05-24
  const auto signed_request =
      sign_request({"GET",
                    "examplebucket.s3.amazonaws.com",
                    "/test.txt",
                    "",
                    {{"Range", "bytes=0-9"}},
                    std::string(kEmptyPayloadSha256)},
                   {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""}, "us-east-1", at);
  EXPECT_EQ(signed_request.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, EncodingHelpers) {
  EXPECT_EQ(uri_encode("a b/c~d_e.f-g+h", true), "a%20b/c~d_e.f-g%2Bh");
  EXPECT_EQ(uri_encode("a/b", false), "a%2Fb");
  EXPECT_EQ(uri_decode("a%20b%2Fc%zz%4"), "a b/c%zz%4");
  EXPECT_EQ(encode_query({{"b", "2"}, {"a", "x y"}, {"uploads", ""}}), "a=x%20y&b=2&uploads=");
  EXPECT_EQ(amz_date(kNow), "20240305T060708Z");
  EXPECT_EQ(sha256_hex(""), kEmptyPayloadSha256);
}

TEST(SigV4, SessionTokenIsSentAndSigned) {
  const auto s = sign_request({"GET", "h", "/", "", {}, std::string(kEmptyPayloadSha256)}, {"AK", "SK", "TOKEN"},
                              "us-east-1", kNow);
  bool sent = false;
  for (const auto& [n, v] : s.headers) sent = sent || (n == "x-amz-security-token" && v == "TOKEN");
  EXPECT_TRUE(sent);
  EXPECT_NE(s.authorization.find("x-amz-security-token"), std::string::npos);
}

}  // namespace
}  // namespace mecapy::storage::s3
