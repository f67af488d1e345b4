// Cookies (RFC 6265): reading a request's Cookie fields, writing Set-Cookie.
//
// The platform's cookies carry random base64url values it made itself, so the
// writer accepts only cookie-octets without spaces, quotes, commas, semicolons or
// backslashes (RFC 6265 section 4.1.1) and refuses anything else rather than
// escaping it: a value from elsewhere never reaches a header.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace mecapy::http {

// The value of the first cookie called `name` among the request's Cookie fields.
std::optional<std::string> cookie_value(const Request& request, std::string_view name);

struct SetCookie {
  std::string name;
  std::string value;
  std::chrono::seconds max_age{0};  // 0 with an empty value: delete the cookie
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";
  std::string path = "/";
};

// Adds a Set-Cookie field to `response`. Throws std::invalid_argument for a name
// that is no token or a value outside the cookie-octets above.
void set_cookie(Response& response, const SetCookie& cookie);

}  // namespace mecapy::http
