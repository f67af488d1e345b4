// How a job looks through the API: the JSON of GET /jobs/{id}, and the answer of an
// execute or a result request (200 when the job is final, else 202 with Location).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "api/app.hpp"

namespace mecapy::api {

// Parses stored JSON text; `fallback` when it is empty or not JSON.
boost::json::value json_or(const std::string& text, boost::json::value fallback);

// With `with_units`, the units of the outputs (one more read of the function version).
boost::json::object job_json(AppContext& app, const jobs::JobRecord& job, bool with_units);

http::Response answer(AppContext& app, const jobs::JobRecord& job);

}  // namespace mecapy::api
