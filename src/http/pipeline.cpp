#include "http/pipeline.hpp"

#include <algorithm>
#include <cstdio>

#include "core/ids.hpp"
#include "core/log.hpp"

namespace mecapy::http {
namespace {

constexpr std::string_view kVendorPrefix = "application/vnd.mecapy.v";
constexpr int kApiVersion = 1;
constexpr std::string_view kCorsAllowedHeaders =
    "Authorization, Content-Type, Accept, X-Request-ID, X-CSRF-Token, traceparent, If-None-Match, If-Match, Range";
constexpr std::string_view kCorsExposedHeaders = "X-Request-ID, ETag, Content-Disposition, Location, Retry-After";

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Returns the requested API version when Accept names application/vnd.mecapy.vN+json
// (or vN alone), 0 when it names none, -1 when the version is unreadable.
int requested_api_version(std::string_view accept) {
  const auto at = accept.find(kVendorPrefix);
  if (at == std::string_view::npos) return 0;
  std::size_t i = at + kVendorPrefix.size();
  int version = 0;
  bool digits = false;
  while (i < accept.size() && accept[i] >= '0' && accept[i] <= '9' && version < 100000) {
    version = version * 10 + (accept[i] - '0');
    digits = true;
    ++i;
  }
  return digits ? version : -1;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

// Methods outside this set are logged and counted as "OTHER" to bound label values.
std::string_view metric_method(std::string_view m) {
  static constexpr std::string_view known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (auto k : known)
    if (k == m) return k;
  return "OTHER";
}

}  // namespace

Pipeline::Pipeline(const Router& router, HttpPolicy policy, Metrics* metrics, const Authenticator* authenticator)
    : router_(router), policy_(std::move(policy)), metrics_(metrics), authenticator_(authenticator) {
  static const SingleUserAuthenticator single_user;
  if (!authenticator_) authenticator_ = &single_user;
}

std::optional<Response> Pipeline::authorize(Exchange& ex) const {
  Request& req = ex.request;
  if (ex.authorized) return std::nullopt;
  ex.authorized = true;
  // Routes on the network thread are open and never authenticate: authentication
  // may read the database or fetch the provider's keys.
  if (ex.route->execution == Execution::inline_on_reactor) return std::nullopt;
  try {
    req.principal = authenticator_->authenticate(req);
  } catch (...) {
    // Invalid credentials count against the address, so guessing tokens is slowed
    // down like any anonymous traffic.
    if (auto limited = rate_limited(ex, "ip:" + req.remote_address, policy_.anonymous_limit)) return limited;
    return failure_response(ex);
  }
  if (auto limited = req.principal.authenticated()
                         ? rate_limited(ex, "principal:" + req.principal.id, policy_.signed_in_limit)
                         : rate_limited(ex, "ip:" + req.remote_address, policy_.anonymous_limit))
    return limited;
  const Access& access = ex.route->access;
  if (access.authenticated && !req.principal.authenticated()) {
    if (const auto& ignored = req.principal.ignored)
      return problem_response({401, ignored->type, "Credentials not accepted", ignored->detail}, req.request_id);
    return problem_response(
        {401, "authentication-required", "Authentication required",
         "Sign in, or send an access token (Authorization: Bearer ...), to use " + ex.route_template + "."},
        req.request_id);
  }
  if (!access.scope.empty() && !req.principal.has_scope(access.scope))
    return problem_response({403, "insufficient-scope", "Insufficient scope",
                             "Your credentials do not grant '" + access.scope + "', which " + req.method + " " +
                                 ex.route_template + " requires."},
                            req.request_id);
  return std::nullopt;
}

namespace {
std::string per_second(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", rate);
  return buf;
}
}  // namespace

std::optional<Response> Pipeline::rate_limited(const Exchange& ex, const std::string& key,
                                               const RateLimit& limit) const {
  const auto wait = limiter_.take(key, limit);
  if (!wait) return std::nullopt;
  Problem p{429, "rate-limited", "Too many requests",
            "You are sending requests faster than this server allows (" + per_second(limit.rate) +
                " per second on average); retry after Retry-After seconds."};
  p.extra["retry_after_s"] = wait->count();
  Response r = problem_response(p, ex.request.request_id);
  r.headers.set("Retry-After", std::to_string(wait->count()));
  return r;
}

std::string Pipeline::trace_id_from(std::string_view tp) {
  // version "-" trace-id(32) "-" parent-id(16) "-" flags(2); version ff is invalid,
  // as are all-zero ids (W3C Trace Context, section 3.2).
  if (tp.size() < 55 || tp[2] != '-' || tp[35] != '-' || tp[52] != '-') return {};
  const auto version = tp.substr(0, 2), trace = tp.substr(3, 32), parent = tp.substr(36, 16), flags = tp.substr(53, 2);
  if (!is_lower_hex(version) || version == "ff" || !is_lower_hex(trace) || !is_lower_hex(parent) ||
      !is_lower_hex(flags))
    return {};
  if (version == "00" && tp.size() != 55) return {};
  if (trace == std::string(32, '0') || parent == std::string(16, '0')) return {};
  return std::string(trace);
}

bool Pipeline::origin_allowed(std::string_view origin) const {
  return std::find(policy_.cors_origins.begin(), policy_.cors_origins.end(), origin) != policy_.cors_origins.end();
}

void Pipeline::identify(Exchange& ex) const {
  Request& req = ex.request;
  if (!req.request_id.empty()) return;
  const auto given = req.headers.get("X-Request-ID");
  req.request_id = given && is_safe_external_id(*given) ? std::string(*given) : new_uuid();
  if (const auto tp = req.headers.get("traceparent")) req.trace_id = trace_id_from(*tp);
  if (metrics_) metrics_->request_started();
}

std::optional<Response> Pipeline::begin(Exchange& ex) const {
  identify(ex);
  Request& req = ex.request;

  if (const auto accept = req.headers.get("Accept")) {
    const int version = requested_api_version(*accept);
    if (version != 0 && version != kApiVersion) {
      Problem p{406, "unsupported-api-version", "Unsupported API version",
                "This server speaks API version " + std::to_string(kApiVersion) +
                    ": ask for application/vnd.mecapy.v1+json or application/json."};
      p.extra["supported_versions"] = boost::json::array{kApiVersion};
      return problem_response(p, req.request_id);
    }
  }

  RouteMatch m = router_.match(req.method, req.path);
  if (m.bad_encoding)
    return problem_response(
        {400, "malformed-path", "Malformed path", "The path contains an invalid percent-escape or an encoded NUL."},
        req.request_id);

  ex.route_template = m.path_template;
  const auto origin = req.headers.get("Origin");
  const bool preflight = req.method == "OPTIONS" && origin && req.headers.has("Access-Control-Request-Method");
  if (req.method == "OPTIONS" && !m.allowed_methods.empty()) {
    if (preflight && !origin_allowed(*origin))
      return problem_response({403, "cors-origin-refused", "Origin not allowed",
                               "Cross-origin requests from " + std::string(*origin) +
                                   " are not allowed; an operator can add it to cors_origins."},
                              req.request_id);
    Response r = Response::empty(204);
    r.headers.set("Allow", joined(m.allowed_methods));
    if (preflight) {
      r.headers.set("Access-Control-Allow-Methods", joined(m.allowed_methods));
      r.headers.set("Access-Control-Allow-Headers", kCorsAllowedHeaders);
      r.headers.set("Access-Control-Max-Age", "600");
    }
    return r;
  }

  if (!m.route) {
    if (m.allowed_methods.empty())
      return problem_response(
          {404, "not-found", "Not found", "No resource at " + req.path + ". The API lives under /api/v1."},
          req.request_id);
    Response r = problem_response(
        {405, "method-not-allowed", "Method not allowed",
         req.method + " is not supported on " + req.path + "; allowed: " + joined(m.allowed_methods) + "."},
        req.request_id);
    r.headers.set("Allow", joined(m.allowed_methods));
    return r;
  }
  ex.route = m.route;
  req.path_params = std::move(m.params);
  return std::nullopt;
}

Response Pipeline::invoke(Exchange& ex) const noexcept {
  if (auto refused = authorize(ex)) return std::move(*refused);
  try {
    return ex.route->handler(ex.request);
  } catch (...) {
    return failure_response(ex);
  }
}

Response Pipeline::failure_response(const Exchange& ex) const noexcept {
  try {
    const Problem p = problem_from_exception(std::current_exception());
    if (!p.internal_note.empty()) {
      LogContext c;
      c.request_id = ex.request.request_id;
      c.trace_id = ex.request.trace_id;
      c.endpoint = ex.route_template;
      c.method = ex.request.method;
      log(p.status >= 500 ? LogLevel::error : LogLevel::warning, p.internal_note, &c);
    }
    Response r = problem_response(p, ex.request.request_id);
    if (const auto* wait = p.extra.if_contains("retry_after_s"); wait && wait->is_int64())
      r.headers.set("Retry-After", std::to_string(wait->get_int64()));
    return r;
  } catch (...) {
    return Response::empty(500);
  }
}

Response Pipeline::reject(Exchange& ex, const Problem& problem) const {
  identify(ex);
  return problem_response(problem, ex.request.request_id);
}

void Pipeline::end(Exchange& ex, Response& res) const {
  const Request& req = ex.request;
  auto& h = res.headers;
  h.set("X-Request-ID", req.request_id);
  h.set({"X-Content-Type-Options", "nosniff"});
  h.set({"X-Frame-Options", "DENY"});
  h.set({"Referrer-Policy", "no-referrer"});
  h.set({"Cross-Origin-Opener-Policy", "same-origin"});
  if (!h.has("Content-Security-Policy"))
    h.set({"Content-Security-Policy",
           "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"});
  if (!h.has("Cache-Control")) h.set({"Cache-Control", "no-store"});
  // Every 401 names the scheme to authenticate with (RFC 9110 section 11.6.1), the
  // refusals of a handler (a wrong password, a used sign-in state) included.
  if (res.status == 401 && !h.has("WWW-Authenticate")) h.set("WWW-Authenticate", "Bearer realm=\"mecapy\"");
  if (policy_.send_hsts)
    h.set("Strict-Transport-Security",
          "max-age=" + std::to_string(policy_.hsts_max_age_seconds) + "; includeSubDomains");
  if (const auto origin = req.headers.get("Origin"); origin && origin_allowed(*origin)) {
    h.set("Access-Control-Allow-Origin", *origin);
    h.set("Access-Control-Allow-Credentials", "true");
    h.set("Access-Control-Expose-Headers", kCorsExposedHeaders);
  }
  if (!policy_.cors_origins.empty()) h.set("Vary", h.has("Vary") ? std::string(*h.get("Vary")) + ", Origin" : "Origin");

  const auto elapsed = std::chrono::steady_clock::now() - ex.started;
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  const std::string& route = ex.route_template;
  if (metrics_) metrics_->request_finished(route, metric_method(req.method), res.status, ms / 1000.0);
  const LogLevel level = res.status >= 500 ? LogLevel::error : LogLevel::info;
  if (log_enabled(level)) {
    LogContext c;
    c.request_id = req.request_id;
    c.trace_id = req.trace_id;
    c.user_id = req.principal.user_id();
    c.endpoint = route.empty() ? req.path.substr(0, 256) : route;
    c.method = std::string(metric_method(req.method));
    c.status_code = res.status;
    c.duration_ms = ms;
    log(level, "request", &c);
  }
}

}  // namespace mecapy::http
