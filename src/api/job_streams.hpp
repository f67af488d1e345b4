// Watching a job without holding a server thread (http::PendingResponse and
// http::EventStream): both wake on the job's events on the bus and recheck the job
// row every second besides (an event may be lost).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "api/app.hpp"

namespace mecapy::api {

// The answer of a synchronous execute: the job once it is final (200), or as it is
// at `deadline` (202 with Location).
http::Response answer_when_final(AppContext& app, const std::string& owner, const std::string& job_id,
                                 std::chrono::steady_clock::time_point deadline);

// GET /jobs/{id}/events: server-sent events of the job, from log entry `since` on.
//   event: status    data: {"status": ...} when it changes; the whole job once final
//   event: log       data: {"index", "kind": stdout|stderr, "chunk"}
//   event: progress  data: {"index", ...the progress line's members}
// Each event's id is the next log index, so Last-Event-ID resumes after what the
// client saw (the current status is sent again first). The stream ends after the
// final status.
http::Response job_event_stream(AppContext& app, const std::string& owner, const std::string& job_id,
                                std::int64_t since);

}  // namespace mecapy::api
