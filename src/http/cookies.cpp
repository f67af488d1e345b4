#include "http/cookies.hpp"

#include <stdexcept>

namespace mecapy::http {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || std::string_view("()<>@,;:\\\"/[]?={}").find(c) != std::string_view::npos)
      return false;
  }
  return true;
}

bool is_cookie_value(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> cookie_value(const Request& request, std::string_view name) {
  for (const auto& field : request.headers.fields()) {
    if (field.name.size() != 6) continue;
    bool is_cookie = true;
    for (std::size_t i = 0; i < 6; ++i)
      if ((field.name[i] | 0x20) != "cookie"[i]) is_cookie = false;
    if (!is_cookie) continue;
    std::string_view rest = field.value;
    while (!rest.empty()) {
      const auto semicolon = rest.find(';');
      const std::string_view pair = trim(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != name) continue;
      std::string_view value = trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
  }
  return std::nullopt;
}

void set_cookie(Response& response, const SetCookie& cookie) {
  if (!is_token(cookie.name)) throw std::invalid_argument("invalid cookie name");
  if (!is_cookie_value(cookie.value)) throw std::invalid_argument("invalid cookie value for " + cookie.name);
  if (!is_cookie_value(cookie.path) || !is_token(cookie.same_site))
    throw std::invalid_argument("invalid cookie attribute for " + cookie.name);
  std::string field = cookie.name + "=" + cookie.value + "; Path=" + cookie.path +
                      "; Max-Age=" + std::to_string(cookie.max_age.count()) + "; SameSite=" + cookie.same_site;
  if (cookie.http_only) field += "; HttpOnly";
  if (cookie.secure) field += "; Secure";
  response.headers.add("Set-Cookie", field);
}

}  // namespace mecapy::http
