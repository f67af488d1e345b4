// Renders the OpenAPI document as readable HTML pages (/docs and /docs/problems):
// plain server-side HTML with one inline stylesheet and no script, served with a
// Content-Security-Policy that allows nothing else.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace mecapy::api {

std::string render_reference_page(const boost::json::value& openapi);
std::string render_problem_types_page(const boost::json::value& openapi);

// The OpenAPI document compiled into the binary.
const boost::json::value& openapi_document();

}  // namespace mecapy::api
