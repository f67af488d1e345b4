#include "api/query_params.hpp"

#include <string>

#include "core/errors.hpp"

namespace mecapy::api {

int int_query(const http::Request& req, const char* name, int fallback) {
  const auto v = req.query_param(name);
  if (!v) return fallback;
  try {
    std::size_t used = 0;
    const int n = std::stoi(*v, &used);
    if (used == v->size()) return n;
  } catch (...) {
  }
  throw Error(ErrorKind::invalid_input, "invalid-query", std::string(name) + " must be an integer.");
}

bool flag_query(const http::Request& req, const char* name) {
  const auto v = req.query_param(name);
  if (!v || *v == "false" || *v == "0") return false;
  if (*v == "true" || *v == "1") return true;
  throw Error(ErrorKind::invalid_input, "invalid-query", std::string(name) + " must be true or false.");
}

}  // namespace mecapy::api
