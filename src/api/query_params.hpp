// Query parameters the resource handlers share: integers (page, per_page) and flags.
#pragma once

#include "http/message.hpp"

namespace mecapy::api {

// The integer value of ?name=, or `fallback` when absent; throws
// Error(invalid_input, "invalid-query") when it is not an integer.
int int_query(const http::Request& req, const char* name, int fallback);

// Whether ?name= is set: "true" or "1" yes, "false" or "0" no, absent no. Anything else
// throws Error(invalid_input, "invalid-query"): a misspelt flag is not silently "no".
bool flag_query(const http::Request& req, const char* name);

}  // namespace mecapy::api
