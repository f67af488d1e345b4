#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace mecapy::http {
namespace {

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const auto next = path.find('/', i);
    out.emplace_back(path.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i));
    i = next == std::string_view::npos ? path.size() : next;
  }
  return out;
}

void Router::add(std::string method, std::string path_template, Handler handler, Execution execution, Access access) {
  if (execution == Execution::inline_on_reactor && access.authenticated)
    throw std::invalid_argument("a route on the network thread never authenticates, so it must be open: " +
                                path_template);
  Route r;
  r.method = std::move(method);
  r.path_template = std::move(path_template);
  r.handler = std::move(handler);
  r.execution = execution;
  r.access = std::move(access);
  insert(std::move(r));
}

void Router::set_fallback(std::string path_template, Handler handler) {
  Route r;
  r.method = "GET";
  r.path_template = std::move(path_template);
  r.handler = std::move(handler);
  r.execution = Execution::inline_on_reactor;
  r.access = Access::open();
  fallback_ = std::move(r);
}

void Router::add_streamed(std::string method, std::string path_template, StreamHandler open,
                          std::uint64_t max_body_size, Execution execution, Access access) {
  Route r;
  r.method = std::move(method);
  r.path_template = std::move(path_template);
  r.stream_handler = std::move(open);
  r.max_body_size = max_body_size;
  r.execution = execution == Execution::inline_on_reactor ? Execution::offloaded : execution;
  r.stream_execution = r.execution;
  r.access = std::move(access);
  insert(std::move(r));
}

void Router::add_with_streamed(std::string method, std::string path_template, Handler handler, Execution execution,
                               StreamedVariant streamed, Access access) {
  if (!streamed.when || !streamed.open)
    throw std::invalid_argument("a streamed variant needs `when` and `open`: " + path_template);
  Route r;
  r.method = std::move(method);
  r.path_template = std::move(path_template);
  r.handler = std::move(handler);
  r.execution = execution;
  r.stream_handler = std::move(streamed.open);
  r.streams_when = std::move(streamed.when);
  r.max_body_size = streamed.max_body_size;
  r.stream_execution = streamed.execution == Execution::inline_on_reactor ? Execution::offloaded : streamed.execution;
  r.access = std::move(access);
  insert(std::move(r));
}

void Router::insert(Route route) {
  if (route.path_template.empty() || route.path_template.front() != '/')
    throw std::invalid_argument("route template must start with '/': " + route.path_template);
  for (const auto& r : routes_)
    if (r.method == route.method && r.path_template == route.path_template)
      throw std::invalid_argument("duplicate route " + route.method + ' ' + route.path_template);
  Compiled c;
  c.segments = split_path(route.path_template);
  c.route_index = routes_.size();
  c.literal_count = static_cast<int>(
      std::count_if(c.segments.begin(), c.segments.end(), [](const std::string& s) { return !is_param(s); }));
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
  // Most specific first: more literal segments win over parameters.
  std::stable_sort(compiled_.begin(), compiled_.end(),
                   [](const Compiled& a, const Compiled& b) { return a.literal_count > b.literal_count; });
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  const auto segments = split_path(path);
  // A trailing slash is a different resource, except for the root.
  const bool trailing_slash = path.size() > 1 && path.back() == '/';
  std::vector<std::optional<std::string>> decoded(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i) {
    decoded[i] = percent_decode(segments[i]);
    if (!decoded[i]) {
      result.bad_encoding = true;
      return result;
    }
  }
  std::vector<std::string> matched_templates;
  for (const auto& c : compiled_) {
    if (trailing_slash || c.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      if (is_param(c.segments[i]))
        params[c.segments[i].substr(1, c.segments[i].size() - 2)] = *decoded[i];
      else
        ok = c.segments[i] == *decoded[i];
    }
    if (!ok) continue;
    const Route& r = routes_[c.route_index];
    // Only routes of the most specific matching template count (so /a/me does not
    // also report the methods of /a/{id}).
    if (!matched_templates.empty() && matched_templates.front() != r.path_template) continue;
    matched_templates.push_back(r.path_template);
    result.path_template = r.path_template;
    if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), r.method) ==
        result.allowed_methods.end())
      result.allowed_methods.push_back(r.method);
    const bool head_on_get = method == "HEAD" && r.method == "GET";
    if (!result.route && (r.method == method || head_on_get)) {
      result.route = &r;
      result.params = std::move(params);
    }
  }
  if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), "GET") != result.allowed_methods.end())
    result.allowed_methods.push_back("HEAD");
  if (!result.allowed_methods.empty()) result.allowed_methods.push_back("OPTIONS");
  if (result.allowed_methods.empty() && fallback_ && (method == "GET" || method == "HEAD") &&
      !path.starts_with("/api/") && path != "/api") {
    result.route = &*fallback_;
    result.path_template = fallback_->path_template;
  }
  return result;
}

}  // namespace mecapy::http
