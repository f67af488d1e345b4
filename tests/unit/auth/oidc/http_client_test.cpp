#include "auth/oidc/http_client.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "loopback_http.hpp"

namespace mecapy::auth::oidc {
namespace {

using std::chrono::milliseconds;
using testing::http_response;
using testing::LoopbackHttp;
using testing::RecordedRequest;

Error unavailable_error(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return Error(ErrorKind::internal, "", "");
}

TEST(FormEncoding, KeepsUnreservedCharactersAndEscapesTheRest) {
  EXPECT_EQ(url_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(url_encode("a b&c=d/e?f+g%h"), "a%20b%26c%3Dd%2Fe%3Ff%2Bg%25h");
  EXPECT_EQ(url_encode("\xc3\xa9"), "%C3%A9");
  EXPECT_EQ(form_encode({{"grant_type", "authorization_code"}, {"redirect_uri", "http://x/cb?a=1"}}),
            "grant_type=authorization_code&redirect_uri=http%3A%2F%2Fx%2Fcb%3Fa%3D1");
  EXPECT_EQ(form_encode({}), "");
}

TEST(HttpClient, GetsStatusBodyAndContentType) {
  LoopbackHttp server(
      [](const RecordedRequest&) { return http_response(200, R"({"ok":true})", "application/json;charset=UTF-8"); });
  const HttpResponse response = HttpClient().get(server.url("/.well-known/openid-configuration"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"ok":true})");
  EXPECT_EQ(response.content_type, "application/json;charset=UTF-8");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/.well-known/openid-configuration");
  EXPECT_EQ(requests[0].header("accept"), "application/json");
}

TEST(HttpClient, PostsAFormWithBasicClientAuthentication) {
  LoopbackHttp server([](const RecordedRequest&) { return http_response(200, "{}"); });
  HttpClient().post_form(server.url("/token"), {{"grant_type", "client_credentials"}, {"scope", "a b"}},
                         BasicAuth{"mecapy api", "s3cr:t"});
  const auto request = server.requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(request.body, "grant_type=client_credentials&scope=a%20b");
  // RFC 6749 2.3.1: base64("mecapy%20api:s3cr%3At").
  EXPECT_EQ(request.header("authorization"), "Basic bWVjYXB5JTIwYXBpOnMzY3IlM0F0");
}

TEST(HttpClient, ReturnsErrorStatusesAsResponses) {
  LoopbackHttp server([](const RecordedRequest&) { return http_response(503, "down", "text/plain"); });
  const HttpResponse response = HttpClient().get(server.url("/x"));
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "down");
}

TEST(HttpClient, DoesNotFollowRedirects) {
  LoopbackHttp target([](const RecordedRequest&) { return http_response(200, "{}"); });
  LoopbackHttp server([&target](const RecordedRequest&) {
    return http_response(302, "", "", "Location: " + target.url("/elsewhere") + "\r\n");
  });
  const HttpResponse response = HttpClient().get(server.url("/certs"));
  EXPECT_EQ(response.status, 302);
  EXPECT_TRUE(target.requests().empty());
}

TEST(HttpClient, RefusesAnOversizedResponse) {
  const std::string big((1 << 20) + 1, 'x');
  LoopbackHttp announced([&big](const RecordedRequest&) { return http_response(200, big); });
  const Error e = unavailable_error([&] { HttpClient().get(announced.url("/big")); });
  EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  EXPECT_EQ(e.code(), "identity-provider-unavailable");
  EXPECT_NE(e.cause().find("larger than 1048576 bytes"), std::string::npos) << e.cause();

  // Without a Content-Length (closed-delimited body): cut while it arrives.
  LoopbackHttp streamed([&big](const RecordedRequest&) {
    return std::optional<std::string>("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + big);
  });
  const Error s = unavailable_error([&] { HttpClient().get(streamed.url("/big")); });
  EXPECT_NE(s.cause().find("larger than"), std::string::npos) << s.cause();

  HttpClientOptions small;
  small.max_response_size = 10;
  LoopbackHttp eleven([](const RecordedRequest&) { return http_response(200, "12345678901"); });
  EXPECT_THROW(HttpClient(small).get(eleven.url("/")), Error);
  LoopbackHttp ten([](const RecordedRequest&) { return http_response(200, "1234567890"); });
  EXPECT_EQ(HttpClient(small).get(ten.url("/")).body, "1234567890");
}

TEST(HttpClient, GivesUpOnAProviderThatDoesNotAnswer) {
  LoopbackHttp silent([](const RecordedRequest&) { return std::optional<std::string>(); });
  HttpClientOptions options;
  options.timeouts.total = milliseconds(300);
  const Error e = unavailable_error([&] { HttpClient(options).get(silent.url("/slow")); });
  EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  EXPECT_NE(e.cause().find("GET " + silent.url("/slow")), std::string::npos) << e.cause();
}

TEST(HttpClient, RefusesUrlsThatAreNotHttp) {
  for (const char* url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/", "127.0.0.1:80"}) {
    const Error e = unavailable_error([&] { HttpClient().get(url); });
    EXPECT_EQ(e.kind(), ErrorKind::unavailable) << url;
  }
}

TEST(HttpClient, AConnectionRefusedIsUnavailable) {
  std::string url;
  {
    LoopbackHttp gone([](const RecordedRequest&) { return http_response(200, "{}"); });
    url = gone.url("/x");
  }
  const Error e = unavailable_error([&] { HttpClient().get(url); });
  EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  EXPECT_EQ(std::string(e.what()).find("127.0.0.1"), std::string::npos) << "the client's detail names no endpoint";
}

}  // namespace
}  // namespace mecapy::auth::oidc
