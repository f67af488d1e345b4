#include "api/execute_request.hpp"

#include <cmath>
#include <limits>

#include "core/errors.hpp"

namespace mecapy::api {
namespace {

bool flag(const boost::json::object& body, const char* key) {
  const auto* v = body.if_contains(key);
  if (!v) return false;
  if (!v->is_bool())
    throw Error(ErrorKind::invalid_input, "invalid-body", std::string(key) + " must be true or false.");
  return v->get_bool();
}

// timeout_s: any JSON integer of at least 1, as JSON Schema counts them (30.0 is one).
// It can only shorten the function's own limit, so one beyond int64 is the largest.
std::int64_t timeout_seconds(const boost::json::value& v) {
  constexpr auto kLargest = std::numeric_limits<std::int64_t>::max();
  if (v.is_int64() && v.get_int64() >= 1) return v.get_int64();
  if (v.is_uint64()) return kLargest;
  if (v.is_double() && v.get_double() >= 1 && std::trunc(v.get_double()) == v.get_double())
    return v.get_double() < 0x1p63 ? static_cast<std::int64_t>(v.get_double()) : kLargest;
  throw Error(ErrorKind::invalid_input, "invalid-body", "timeout_s must be a positive whole number.");
}

}  // namespace

ExecuteRequest parse_execute_request(const boost::json::object& body) {
  ExecuteRequest request;
  if (const auto* v = body.if_contains("version"); v && !v->is_null()) {
    if (!v->is_string()) throw Error(ErrorKind::invalid_input, "invalid-body", "version must be a string.");
    request.version = std::string(v->get_string());
  }
  if (const auto* inputs = body.if_contains("inputs")) {
    if (!inputs->is_object())
      throw Error(ErrorKind::invalid_input, "invalid-body", "inputs must be an object {name: value}.");
    request.inputs = inputs->get_object();
  }
  if (const auto* files = body.if_contains("files")) {
    if (!files->is_object())
      throw Error(ErrorKind::invalid_input, "invalid-body", "files must be an object {input: file_id}.");
    request.files = files->get_object();
  }
  request.no_cache = flag(body, "no_cache");
  request.async = flag(body, "async");
  if (const auto* t = body.if_contains("timeout_s")) request.timeout_s = timeout_seconds(*t);
  return request;
}

}  // namespace mecapy::api
