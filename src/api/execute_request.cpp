#include "api/execute_request.hpp"

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
  if (const auto* t = body.if_contains("timeout_s")) {
    if (!t->is_int64() || t->get_int64() < 1)
      throw Error(ErrorKind::invalid_input, "invalid-body", "timeout_s must be a positive whole number.");
    request.timeout_s = t->get_int64();
  }
  return request;
}

}  // namespace mecapy::api
