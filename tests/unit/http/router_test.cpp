#include "http/router.hpp"

#include <gtest/gtest.h>

using namespace mecapy::http;

namespace {
Handler named(std::string name) {
  return [name](Request&) { return Response::text(200, name, "text/plain"); };
}
std::string call(const RouteMatch& m) {
  Request r;
  return m.route ? m.route->handler(r).body : "<none>";
}
}  // namespace

TEST(Router, LiteralBeatsParameterAndParamsAreDecoded) {
  Router router;
  router.add("GET", "/api/v1/files/{id}", named("by-id"));
  router.add("GET", "/api/v1/files/search", named("search"));
  router.add("DELETE", "/api/v1/files/{id}", named("delete"));
  EXPECT_EQ(call(router.match("GET", "/api/v1/files/search")), "search");
  const auto m = router.match("GET", "/api/v1/files/a%20b");
  EXPECT_EQ(call(m), "by-id");
  EXPECT_EQ(m.params.at("id"), "a b");
  EXPECT_EQ(call(router.match("DELETE", "/api/v1/files/x")), "delete");
}

TEST(Router, MethodsOfAPathFor405AndHead) {
  Router router;
  router.add("GET", "/things/{id}", named("get"));
  router.add("PUT", "/things/{id}", named("put"));
  const auto m = router.match("POST", "/things/1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "PUT", "HEAD", "OPTIONS"}));
  EXPECT_EQ(call(router.match("HEAD", "/things/1")), "get");
}

TEST(Router, NoMatchAndEdgeCases) {
  Router router;
  router.add("GET", "/a/{x}", named("a"));
  EXPECT_TRUE(router.match("GET", "/a").allowed_methods.empty());
  EXPECT_TRUE(router.match("GET", "/a/1/2").allowed_methods.empty());
  EXPECT_TRUE(router.match("GET", "/a/1/").allowed_methods.empty());  // trailing slash is another resource
  EXPECT_TRUE(router.match("GET", "/a/%zz").bad_encoding);
  EXPECT_TRUE(router.match("GET", "/a/%00").bad_encoding);
  EXPECT_THROW(router.add("GET", "/a/{x}", named("again")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "relative", named("r")), std::invalid_argument);
}

TEST(Router, ARouteThatBothBuffersAndStreamsPicksByRequest) {
  Router router;
  router.add("POST", "/buffered", named("b"));
  router.add_streamed(
      "POST", "/streamed", [](Request&) { return std::unique_ptr<BodySink>(); }, 0);
  router.add_with_streamed("POST", "/either", named("e"), Execution::offloaded,
                           {[](const Request& r) { return r.headers.has("X-Upload"); },
                            [](Request&) { return std::unique_ptr<BodySink>(); }, 0, Execution::blob_io});
  Request plain, upload;
  upload.headers.set("X-Upload", "1");
  EXPECT_FALSE(router.match("POST", "/buffered").route->streams(upload));
  EXPECT_TRUE(router.match("POST", "/streamed").route->streams(plain));
  const Route& either = *router.match("POST", "/either").route;
  EXPECT_FALSE(either.streams(plain));
  EXPECT_TRUE(either.streams(upload));
  EXPECT_EQ(either.execution, Execution::offloaded);
  EXPECT_EQ(either.stream_execution, Execution::blob_io);
  EXPECT_THROW(router.add_with_streamed("POST", "/half", named("h"), Execution::offloaded, {}), std::invalid_argument);
}

TEST(Router, QueryParameters) {
  Request r;
  r.query = "page=2&q=bolt+M10&empty&name=%C3%A9";
  EXPECT_EQ(r.query_param("page"), "2");
  EXPECT_EQ(r.query_param("q"), "bolt M10");
  EXPECT_EQ(r.query_param("empty"), "");
  EXPECT_EQ(r.query_param("name"), "\xC3\xA9");
  EXPECT_FALSE(r.query_param("missing"));
}

TEST(Router, TheFallbackTakesOnlyUnroutedGetsOutsideTheApi) {
  Router router;
  router.add("GET", "/health", named("health"));
  router.add("POST", "/api/v1/files", named("upload"));
  router.set_fallback("/{site}", named("site"));
  EXPECT_EQ(call(router.match("GET", "/health")), "health");
  EXPECT_EQ(call(router.match("GET", "/files/")), "site");
  EXPECT_EQ(call(router.match("HEAD", "/")), "site");
  EXPECT_EQ(router.match("GET", "/files/").path_template, "/{site}");
  // The API's unknown paths stay 404 problems, and a routed path keeps its 405.
  EXPECT_EQ(router.match("GET", "/api/v1/nothing").route, nullptr);
  EXPECT_EQ(router.match("GET", "/api").route, nullptr);
  EXPECT_EQ(router.match("GET", "/api/v1/files").route, nullptr);
  EXPECT_EQ(router.match("POST", "/index.html").route, nullptr);
  EXPECT_EQ(router.match("DELETE", "/").route, nullptr);
}
