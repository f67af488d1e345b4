// What happens to every request around its handler, independent of the transport:
//   begin():  request id (X-Request-ID accepted when safe, else generated), W3C
//             traceparent -> trace_id, API version negotiation (406), routing
//             (404/405), CORS preflight, and answers that need no handler. It runs
//             on the network thread, so it never blocks.
//   authorize(): authentication (the request's principal), the caller's rate limit
//             (429) and the route's access check (401/403). It may block (a session lookup, the provider's keys),
//             so it runs on the route's pool; routes on the network thread are open
//             and see every caller as anonymous.
//   invoke(): authorizes if not done yet, then runs the handler; any exception
//             becomes a problem+json response.
//   end():    security headers, CORS headers, X-Request-ID echo, HEAD handling,
//             one structured log line and the metrics of the request.
// The server calls begin -> (invoke on the reactor or the offload pool) -> end, and
// reject -> end for requests refused before routing (malformed, too large).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/problem.hpp"
#include "http/rate_limiter.hpp"
#include "http/router.hpp"

namespace mecapy::http {

struct HttpPolicy {
  std::vector<std::string> cors_origins;  // exact origins allowed; empty = none
  bool send_hsts = false;
  long long hsts_max_age_seconds = 31'536'000;
  RateLimit signed_in_limit;  // per principal
  RateLimit anonymous_limit;  // per client address, for callers without (valid) credentials
};

// State the pipeline keeps for one request between begin() and end().
struct Exchange {
  Request request;
  const Route* route = nullptr;
  std::string route_template;  // for logs and metrics; set for 405s and preflights too
  bool authorized = false;     // authorize() ran (it runs once per exchange)
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

class Pipeline {
 public:
  // `authenticator` must outlive the pipeline; null: identity is not configured
  // (SingleUserAuthenticator).
  Pipeline(const Router& router, HttpPolicy policy, Metrics* metrics, const Authenticator* authenticator = nullptr);

  // Returns the response when the request is answered without a handler.
  std::optional<Response> begin(Exchange& ex) const;
  // Sets the request's principal and checks the route's Access; returns the 401/403
  // answer when the caller may not go on. Call it after begin() found a route,
  // on the route's pool; it does its work once per exchange.
  std::optional<Response> authorize(Exchange& ex) const;
  Response invoke(Exchange& ex) const noexcept;
  // The problem+json answer for the exception being handled; call it only inside a
  // catch block around handler code (streamed routes run their handler in steps).
  Response failure_response(const Exchange& ex) const noexcept;
  // Answers a request refused by the transport (status 400/408/413/431).
  Response reject(Exchange& ex, const Problem& problem) const;
  void end(Exchange& ex, Response& res) const;

  // Parses a W3C traceparent header; returns the 32-hex trace id or empty.
  static std::string trace_id_from(std::string_view traceparent);

 private:
  void identify(Exchange& ex) const;
  bool origin_allowed(std::string_view origin) const;
  // The 429 answer when `key`'s bucket is empty.
  std::optional<Response> rate_limited(const Exchange& ex, const std::string& key, const RateLimit& limit) const;

  const Router& router_;
  HttpPolicy policy_;
  Metrics* metrics_;
  const Authenticator* authenticator_;
  mutable RateLimiter limiter_;
};

}  // namespace mecapy::http
