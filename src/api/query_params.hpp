// Query parameters the resource handlers share: integers (page, per_page) and flags.
#pragma once

#include "http/message.hpp"

namespace mecapy::api {

// The integer value of ?name=, or `fallback` when absent; throws
// Error(invalid_input, "invalid-query") when it is not an integer.
int int_query(const http::Request& req, const char* name, int fallback);

// Whether ?name= is "true" or "1" (absent or anything else: false).
bool flag_query(const http::Request& req, const char* name);

}  // namespace mecapy::api
