// AWS Signature Version 4 for S3 requests: canonical request, string to sign,
// signing key derivation and the Authorization header. Pure functions over
// OpenSSL (SHA-256, HMAC-SHA256): the clock is a parameter, so a request signed
// twice with the same inputs gives the same headers (what the tests compare with
// botocore). Follows botocore's S3 signer: the path is signed as sent (S3 does not
// normalise or double-encode it), the query is split on '&' and sorted, header
// values are trimmed with inner whitespace runs collapsed.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mecapy::storage::s3 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// x-amz-content-sha256 value for a body that is not hashed.
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
// SHA-256 of the empty string: the payload hash of requests without a body.
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// A request as it goes on the wire, before signing.
struct RequestToSign {
  std::string method;        // GET, PUT, ...
  std::string host;          // the Host header: host, plus :port when not the scheme's default
  std::string path;          // URI-encoded path exactly as sent, starting with '/'
  std::string query;         // encoded query string as sent, without '?' (may be empty)
  Headers headers;           // other headers sent (Range, Content-Type...); all are signed
  std::string payload_hash;  // lowercase hex SHA-256 of the body, or kUnsignedPayload
};

struct SignedRequest {
  std::string canonical_request;
  std::string string_to_sign;
  std::string authorization;
  // Headers to add to the request: x-amz-date, x-amz-content-sha256, the session
  // token when there is one, and Authorization.
  Headers headers;
};

SignedRequest sign_request(const RequestToSign& request, const Credentials& credentials, std::string_view region,
                           std::chrono::system_clock::time_point now, std::string_view service = "s3");

// RFC 3986 percent-encoding: unreserved characters stay, every other byte becomes
// %XX (uppercase). '/' stays when keep_slash (object key paths).
std::string uri_encode(std::string_view text, bool keep_slash);
// Decodes %XX sequences ('+' stays '+'). Malformed escapes are kept as they are.
std::string uri_decode(std::string_view text);
// A query string from raw names and values: each encoded, sorted by name then value.
std::string encode_query(std::vector<std::pair<std::string, std::string>> params);

// "20130524T000000Z" (UTC).
std::string amz_date(std::chrono::system_clock::time_point now);
std::string sha256_hex(std::string_view data);
// Raw (binary) HMAC-SHA256 of message under key.
std::string hmac_sha256(std::string_view key, std::string_view message);
std::string to_hex(std::string_view bytes);

}  // namespace mecapy::storage::s3
