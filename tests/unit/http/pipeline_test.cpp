#include "http/pipeline.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <limits>

#include "core/errors.hpp"
#include "core/log.hpp"

using namespace mecapy;
using namespace mecapy::http;

namespace {

class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest() {
    router.add("GET", "/ok", [](Request& r) { return Response::json(200, {{"id", r.request_id}}); });
    router.add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("secret internals"); });
    router.add("GET", "/gone",
               [](Request&) -> Response { throw Error(ErrorKind::unavailable, "database-unavailable", "db down"); });
    router.add("GET", "/busy", [](Request&) -> Response {
      throw Error(ErrorKind::conflict, "conflict", "The file changed meanwhile; retry.",
                  "duplicate key value violates unique constraint \"files_pkey\" on host db.internal");
    });
    router.add("GET", "/missing",
               [](Request&) -> Response { throw Error(ErrorKind::not_found, "file-not-found", "no file 7"); });
  }

  Response run(Request req, HttpPolicy policy = {}, const Authenticator* authenticator = nullptr) {
    Pipeline p(router, std::move(policy), &metrics, authenticator);
    Exchange ex;
    ex.request = std::move(req);
    const auto q = ex.request.target.find('?');
    ex.request.path = ex.request.target.substr(0, q);
    Response res;
    if (auto early = p.begin(ex))
      res = std::move(*early);
    else
      res = p.invoke(ex);
    p.end(ex, res);
    return res;
  }

  static Request get(std::string target) {
    Request r;
    r.method = "GET";
    r.target = std::move(target);
    return r;
  }

  static boost::json::object body(const Response& r) { return boost::json::parse(r.body).as_object(); }

  Router router;
  Metrics metrics;
};

Principal user(std::string id, std::vector<std::string> scopes) {
  Principal p;
  p.id = std::move(id);
  p.kind = PrincipalKind::user;
  p.scopes = std::move(scopes);
  return p;
}

// An authenticator as the identity work will have: a bearer token names the caller.
class TokenAuthenticator final : public Authenticator {
 public:
  Principal authenticate(const Request& req) const override {
    const auto h = req.headers.get("Authorization");
    if (!h) return {};  // anonymous
    if (*h == "Bearer reader") return user("user-7", {"files:read"});
    throw Error(ErrorKind::unauthenticated, "invalid-token", "The access token is invalid or expired.");
  }
};

TEST_F(PipelineTest, EveryRequestCarriesItsPrincipalAndRoutesDeclareWhatTheyRequire) {
  std::string seen_owner;
  router.add(
      "GET", "/open", [](Request&) { return Response::empty(204); }, Execution::offloaded, Access::open());
  router.add("GET", "/mine", [&](Request& r) {
    seen_owner = r.principal.id;
    return Response::empty(204);
  });
  router.add(
      "POST", "/write", [](Request&) { return Response::empty(204); }, Execution::offloaded,
      Access::with_scope("files:write"));

  // Without identity configured, every caller is the single owner with every scope.
  EXPECT_EQ(run(get("/mine")).status, 204);
  EXPECT_EQ(seen_owner, "anonymous");
  Request write = get("/write");
  write.method = "POST";
  EXPECT_EQ(run(write).status, 204);

  const TokenAuthenticator tokens;
  EXPECT_EQ(run(get("/open"), {}, &tokens).status, 204);
  const auto unauthenticated = run(get("/mine"), {}, &tokens);
  EXPECT_EQ(unauthenticated.status, 401);
  EXPECT_EQ(std::string(*unauthenticated.headers.get("Content-Type")), "application/problem+json");
  EXPECT_EQ(body(unauthenticated).at("type").as_string(), "/docs/problems#authentication-required");
  EXPECT_TRUE(unauthenticated.headers.has("WWW-Authenticate"));

  Request bad = get("/mine");
  bad.headers.set("Authorization", "Bearer forged");
  const auto invalid = run(bad, {}, &tokens);
  EXPECT_EQ(invalid.status, 401);
  EXPECT_EQ(body(invalid).at("type").as_string(), "/docs/problems#invalid-token");
  EXPECT_TRUE(invalid.headers.has("WWW-Authenticate"));

  // A handler's own 401 (a wrong password at sign-in) names the scheme too.
  router.add(
      "POST", "/sign-in",
      [](Request&) -> Response {
        throw Error(ErrorKind::unauthenticated, "invalid-credentials", "Wrong username or password.");
      },
      Execution::offloaded, Access::open());
  Request sign_in = get("/sign-in");
  sign_in.method = "POST";
  const auto refused = run(sign_in, {}, &tokens);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(std::string(*refused.headers.get("WWW-Authenticate")), "Bearer realm=\"mecapy\"");

  Request reader = get("/mine");
  reader.headers.set("Authorization", "Bearer reader");
  EXPECT_EQ(run(reader, {}, &tokens).status, 204);
  EXPECT_EQ(seen_owner, "user-7");
  reader.target = "/write";
  reader.method = "POST";
  const auto forbidden = run(reader, {}, &tokens);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(body(forbidden).at("type").as_string(), "/docs/problems#insufficient-scope");
}

// Counts its calls: authentication may block, so it must never run on the network
// thread (begin()) nor for the open routes that run there.
class CountingAuthenticator final : public Authenticator {
 public:
  Principal authenticate(const Request&) const override {
    ++calls;
    return user("user-7", {});
  }
  mutable int calls = 0;
};

TEST_F(PipelineTest, AuthenticationRunsOnceOffTheNetworkThreadAndNeverForReactorRoutes) {
  router.add(
      "GET", "/health-like",
      [](Request& r) { return Response::text(200, r.principal.id.empty() ? "anon" : "who", "text/plain"); },
      Execution::inline_on_reactor, Access::open());
  router.add("GET", "/mine", [](Request& r) { return Response::text(200, r.principal.id, "text/plain"); });
  const CountingAuthenticator counting;
  Pipeline p(router, {}, &metrics, &counting);

  Exchange ex;
  ex.request = get("/mine");
  ex.request.path = "/mine";
  ASSERT_FALSE(p.begin(ex));
  EXPECT_EQ(counting.calls, 0) << "begin() runs on the network thread";
  EXPECT_FALSE(p.authorize(ex));
  EXPECT_EQ(p.invoke(ex).body, "user-7");
  EXPECT_EQ(counting.calls, 1) << "authorize() then invoke() authenticate once";

  Exchange inline_ex;
  inline_ex.request = get("/health-like");
  inline_ex.request.path = "/health-like";
  ASSERT_FALSE(p.begin(inline_ex));
  EXPECT_EQ(p.invoke(inline_ex).body, "anon");
  EXPECT_EQ(counting.calls, 1);

  EXPECT_THROW(router.add(
                   "GET", "/secret", [](Request&) { return Response::empty(204); }, Execution::inline_on_reactor),
               std::invalid_argument)
      << "a route on the network thread cannot require authentication";
}

TEST_F(PipelineTest, CallersOverTheirRateGet429WithRetryAfterAndBadCredentialsCountAgainstTheAddress) {
  router.add("GET", "/mine", [](Request&) { return Response::empty(204); });
  const TokenAuthenticator tokens;
  HttpPolicy policy;
  policy.signed_in_limit = {1, 2};
  policy.anonymous_limit = {1, 1};
  Pipeline p(router, policy, &metrics, &tokens);
  const auto call = [&](const char* authorization, const char* address) {
    Exchange ex;
    ex.request = get("/mine");
    ex.request.path = "/mine";
    ex.request.remote_address = address;
    if (authorization) ex.request.headers.set("Authorization", authorization);
    EXPECT_FALSE(p.begin(ex));
    Response r = p.invoke(ex);
    p.end(ex, r);
    return r;
  };
  EXPECT_EQ(call("Bearer reader", "10.0.0.1").status, 204);
  EXPECT_EQ(call("Bearer reader", "10.0.0.2").status, 204) << "the limit follows the caller, not the address";
  const auto limited = call("Bearer reader", "10.0.0.3");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(body(limited).at("type").as_string(), "/docs/problems#rate-limited");
  EXPECT_EQ(std::string(*limited.headers.get("Retry-After")), "1");

  EXPECT_EQ(call("Bearer forged", "10.0.0.9").status, 401);
  EXPECT_EQ(call("Bearer forged", "10.0.0.9").status, 429) << "guessing tokens is rate-limited per address";
  EXPECT_EQ(call(nullptr, "10.0.0.9").status, 429);
  EXPECT_EQ(call(nullptr, "10.0.0.8").status, 401) << "another address has its own bucket";
}

TEST_F(PipelineTest, JsonAnswersCarryExactNumbersAndNeverInvalidOnes) {
  router.add("GET", "/numbers", [](Request&) { return Response::json(200, {{"x", 0.1 + 0.2}, {"tiny", 5e-324}}); });
  router.add("GET", "/nan", [](Request&) {
    return Response::json(200, {{"x", std::numeric_limits<double>::infinity()}});
  });
  const auto ok = run(get("/numbers"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"x":3.0000000000000004E-1,"tiny":5E-324})");
  const auto bad = run(get("/nan"));
  EXPECT_EQ(bad.status, 500);  // never the text "Infinity", which no JSON parser accepts
  EXPECT_EQ(bad.body.find("Infinity"), std::string::npos);
}

TEST_F(PipelineTest, ProblemJsonForHandlerExceptions) {
  const auto r500 = run(get("/boom"));
  EXPECT_EQ(r500.status, 500);
  EXPECT_EQ(r500.headers.get("Content-Type"), "application/problem+json");
  const auto b = body(r500);
  EXPECT_EQ(b.at("type").as_string(), "/docs/problems#internal-error");
  EXPECT_EQ(b.at("status").as_int64(), 500);
  EXPECT_EQ(r500.body.find("secret internals"), std::string::npos);  // internals stay in the log
  EXPECT_EQ(b.at("request_id").as_string(), *r500.headers.get("X-Request-ID"));

  EXPECT_EQ(run(get("/gone")).status, 503);
  const auto nf = run(get("/missing"));
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(body(nf).at("type").as_string(), "/docs/problems#file-not-found");
}

// An Error's cause (a driver message, a host name) goes to the log with the request id
// and never into the answer, whatever the status.
TEST_F(PipelineTest, CauseIsLoggedNotSent) {
  std::vector<std::string> lines;
  configure_logging("test", LogLevel::info, [&](std::string_view l) { lines.emplace_back(l); });
  const auto r = run(get("/busy"));
  configure_logging("mecapyd", LogLevel::info);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(body(r).at("detail").as_string(), "The file changed meanwhile; retry.");
  EXPECT_EQ(r.body.find("files_pkey"), std::string::npos);
  EXPECT_EQ(r.body.find("db.internal"), std::string::npos);
  const std::string id = std::string(*r.headers.get("X-Request-ID"));
  const bool logged = std::any_of(lines.begin(), lines.end(), [&](const std::string& l) {
    return l.find("files_pkey") != std::string::npos && l.find(id) != std::string::npos;
  });
  EXPECT_TRUE(logged);
}

TEST_F(PipelineTest, RequestIdIsEchoedOrReplaced) {
  auto req = get("/ok");
  req.headers.set("X-Request-ID", "client-id-1");
  EXPECT_EQ(run(req).headers.get("X-Request-ID"), "client-id-1");
  req.headers.set("X-Request-ID", "bad id\" injected");
  const auto generated = run(req).headers.get("X-Request-ID");
  ASSERT_TRUE(generated);
  EXPECT_EQ(generated->size(), 36u);
}

TEST_F(PipelineTest, TraceparentParsing) {
  EXPECT_EQ(Pipeline::trace_id_from("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(Pipeline::trace_id_from("00-00000000000000000000000000000000-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(Pipeline::trace_id_from("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(Pipeline::trace_id_from("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(Pipeline::trace_id_from("garbage"), "");
}

TEST_F(PipelineTest, VersionNegotiation) {
  auto req = get("/ok");
  req.headers.set("Accept", "application/vnd.mecapy.v1+json");
  EXPECT_EQ(run(req).status, 200);
  req.headers.set("Accept", "application/json, application/vnd.mecapy.v2+json");
  const auto r = run(req);
  EXPECT_EQ(r.status, 406);
  EXPECT_EQ(body(r).at("supported_versions").as_array().at(0).as_int64(), 1);
  req.headers.set("Accept", "application/vnd.mecapy.vX+json");
  EXPECT_EQ(run(req).status, 406);
}

TEST_F(PipelineTest, NotFoundMethodNotAllowedAndBadPath) {
  EXPECT_EQ(run(get("/nothing")).status, 404);
  auto post = get("/ok");
  post.method = "POST";
  const auto r = run(post);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.get("Allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(run(get("/ok%2")).status, 400);
}

TEST_F(PipelineTest, SecurityHeadersAndHsts) {
  const auto plain = run(get("/ok"));
  EXPECT_EQ(plain.headers.get("X-Frame-Options"), "DENY");
  EXPECT_EQ(plain.headers.get("X-Content-Type-Options"), "nosniff");
  EXPECT_TRUE(plain.headers.has("Content-Security-Policy"));
  EXPECT_FALSE(plain.headers.has("Strict-Transport-Security"));
  HttpPolicy tls;
  tls.send_hsts = true;
  tls.hsts_max_age_seconds = 600;
  EXPECT_EQ(run(get("/ok"), tls).headers.get("Strict-Transport-Security"), "max-age=600; includeSubDomains");
}

TEST_F(PipelineTest, CorsAllowlistAndPreflight) {
  HttpPolicy policy;
  policy.cors_origins = {"https://app.example"};
  auto req = get("/ok");
  req.headers.set("Origin", "https://app.example");
  const auto allowed = run(req, policy);
  EXPECT_EQ(allowed.headers.get("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(allowed.headers.get("Vary"), "Origin");

  req.headers.set("Origin", "https://evil.example");
  EXPECT_FALSE(run(req, policy).headers.has("Access-Control-Allow-Origin"));

  Request pre = get("/ok");
  pre.method = "OPTIONS";
  pre.headers.set("Origin", "https://app.example");
  pre.headers.set("Access-Control-Request-Method", "GET");
  const auto ok = run(pre, policy);
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(ok.headers.get("Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(ok.headers.get("Access-Control-Allow-Origin"), "https://app.example");
  pre.headers.set("Origin", "https://evil.example");
  const auto refused = run(pre, policy);
  EXPECT_EQ(refused.status, 403);
  EXPECT_FALSE(refused.headers.has("Access-Control-Allow-Origin"));
  EXPECT_EQ(run(pre).status, 403);  // default policy: no origin is allowed
}

TEST_F(PipelineTest, MetricsCountByRouteTemplate) {
  run(get("/ok"));
  run(get("/nothing/at/all"));
  const std::string text = metrics.render();
  EXPECT_NE(text.find("mecapy_http_requests_total{method=\"GET\",route=\"/ok\",status_class=\"2xx\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"unmatched\",status_class=\"4xx\""), std::string::npos);
  EXPECT_NE(text.find("mecapy_http_requests_in_flight 0"), std::string::npos);
  EXPECT_NE(text.find("process_resident_memory_bytes"), std::string::npos);
}

}  // namespace
