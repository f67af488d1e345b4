// The request of POST /api/v1/packages/{id}/functions/{name}/execute, whichever media
// type carried it: an application/json body, or the `request` part of a
// multipart/form-data body whose file parts, once stored, add their file ids to
// `files` (execute_multipart.hpp). Both then take the same two steps (jobs.cpp):
// submit the job (validation, the cache, the queue), then answer with it.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/app.hpp"
#include "api/package_lookup.hpp"

namespace mecapy::api {

struct ExecuteRequest {
  std::optional<std::string> version;  // none: the latest that is not yanked
  boost::json::object inputs;          // {input: value}
  boost::json::object files;           // {input: file_id}
  bool async = false;
  bool no_cache = false;
  std::int64_t timeout_s = 0;  // 0: the function's own
};

// Reads the JSON form; throws Error(invalid_input, "invalid-body") naming the member
// that is wrong.
ExecuteRequest parse_execute_request(const boost::json::object& body);

// Queues the job (or records the cache hit) of `request` for `chosen`; throws 422
// invalid-inputs with every problem, having queued nothing.
jobs::JobRecord submit_execution(AppContext& app, const http::Request& req, const ChosenFunction& chosen,
                                 const ExecuteRequest& request);
// The answer once `job` is submitted: waits for it when the request is synchronous.
http::Response execution_answer(AppContext& app, const http::Request& req, const ExecuteRequest& request,
                                const jobs::JobRecord& job);

}  // namespace mecapy::api
