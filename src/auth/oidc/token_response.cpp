#include "auth/oidc/token_response.hpp"

#include <boost/json/value.hpp>

#include "core/json.hpp"

namespace mecapy::auth::oidc {
namespace {

constexpr std::size_t kMaxDescription = 200;

[[noreturn]] void unusable(const std::string& cause) {
  throw Error(ErrorKind::unavailable, "identity-provider-unavailable",
              "The identity provider failed to answer; retry later.", cause);
}

std::string printable(std::string_view text, std::size_t limit) {
  std::string out;
  for (const char c : text) {
    if (out.size() >= limit) break;
    if (c >= 0x20 && c < 0x7F) out.push_back(c);  // printable ASCII: no control, no cut UTF-8
  }
  return out;
}

std::string describe(const std::string& error, const std::string& description) {
  std::string detail = "The identity provider refused the request: " + error;
  if (!description.empty()) detail += " (" + description + ")";
  return detail + ".";
}

std::optional<boost::json::object> json_object(const HttpResponse& response) {
  try {
    boost::json::value value = parse_json(response.body);
    if (auto* object = value.if_object()) return std::move(*object);
  } catch (const Error&) {
  }
  return std::nullopt;
}

std::string string_member(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

long integer_member(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value && value->is_int64() ? static_cast<long>(value->get_int64()) : 0;
}

}  // namespace

OidcError::OidcError(long status, std::string error, std::string description)
    : DetailedError(
          ErrorKind::unauthenticated, "identity-provider-refused", describe(error, description),
          boost::json::object{
              {"provider_error", error}, {"provider_error_description", description}, {"provider_status", status}}),
      status_(status),
      error_(std::move(error)),
      description_(std::move(description)) {}

void check_oauth_answer(const HttpResponse& response, const std::string& what) {
  if (response.status >= 200 && response.status < 300) return;
  if (response.status >= 400 && response.status < 500) {
    if (const auto object = json_object(response)) {
      const std::string error = printable(string_member(*object, "error"), 64);
      if (!error.empty())
        throw OidcError(response.status, error,
                        printable(string_member(*object, "error_description"), kMaxDescription));
    }
  }
  unusable(what + ": HTTP " + std::to_string(response.status) + " " + printable(response.body, 200));
}

TokenSet parse_token_response(const HttpResponse& response, const std::string& what) {
  check_oauth_answer(response, what);
  const auto object = json_object(response);
  if (!object) unusable(what + ": the answer is not a JSON object");
  TokenSet tokens;
  tokens.access_token = string_member(*object, "access_token");
  if (tokens.access_token.empty()) unusable(what + ": the answer has no access_token");
  tokens.id_token = string_member(*object, "id_token");
  tokens.refresh_token = string_member(*object, "refresh_token");
  tokens.expires_in = integer_member(*object, "expires_in");
  tokens.refresh_expires_in = integer_member(*object, "refresh_expires_in");
  tokens.token_type = string_member(*object, "token_type");
  tokens.scope = string_member(*object, "scope");
  return tokens;
}

}  // namespace mecapy::auth::oidc
