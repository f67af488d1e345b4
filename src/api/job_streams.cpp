#include "api/job_streams.hpp"

#include "api/job_json.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::api {
namespace {

using http::Response;

constexpr std::size_t kEntriesPerPoll = 256;

jobs::JobRecord find_job(AppContext& app, const std::string& owner, const std::string& id) {
  auto job = app.jobs.find(owner, id);
  if (!job) throw Error(ErrorKind::not_found, "job-not-found", "You have no job " + id + ".");
  return *job;
}

bool final_status(const jobs::JobRecord& job) { return jobs::is_final(jobs::parse_status(job.status)); }

// Wakes `wake` on every event about job `id`.
events::Subscription watch_job(AppContext& app, const std::string& id, std::function<void()> wake) {
  return app.events.subscribe([id, wake = std::move(wake)](const events::Event& event) {
    if (event.subject == id) wake();
  });
}

class FinalJobResponse final : public http::PendingResponse {
 public:
  FinalJobResponse(AppContext& app, std::string owner, std::string id)
      : app_(app), owner_(std::move(owner)), id_(std::move(id)) {}

  void watch(std::function<void()> wake) override { subscription_ = watch_job(app_, id_, std::move(wake)); }

  std::optional<Response> poll(bool last) override {
    const auto job = find_job(app_, owner_, id_);
    if (!last && !final_status(job)) return std::nullopt;
    return answer(app_, job);
  }

 private:
  AppContext& app_;
  std::string owner_;
  std::string id_;
  events::Subscription subscription_;
};

std::string sse(std::string_view event, std::int64_t id, const boost::json::value& data) {
  return "event: " + std::string(event) + "\nid: " + std::to_string(id) + "\ndata: " + serialize_json(data) + "\n\n";
}

class JobEvents final : public http::EventStream {
 public:
  JobEvents(AppContext& app, std::string owner, std::string id, std::int64_t since)
      : app_(app), owner_(std::move(owner)), id_(std::move(id)), next_(since) {}

  void watch(std::function<void()> wake) override {
    wake_ = wake;
    subscription_ = watch_job(app_, id_, std::move(wake));
  }

  std::string poll(bool& done) override {
    // The row before the log: a job final here has its whole log written already.
    const auto job = find_job(app_, owner_, id_);
    const bool final = final_status(job);
    std::string text;
    if (!final && job.status != status_sent_) {
      text += sse("status", next_, boost::json::object{{"status", job.status}});
      status_sent_ = job.status;
    }
    const auto entries = app_.job_log.read(id_, next_, kEntriesPerPoll);
    for (const auto& entry : entries) {
      next_ = entry.index + 1;
      if (entry.kind == "progress") {
        auto line = json_or(entry.text, boost::json::object{});
        boost::json::object data = line.is_object() ? line.get_object() : boost::json::object{};
        data["index"] = entry.index;
        text += sse("progress", next_, data);
      } else {
        text +=
            sse("log", next_, boost::json::object{{"index", entry.index}, {"kind", entry.kind}, {"chunk", entry.text}});
      }
    }
    if (entries.size() == kEntriesPerPoll) {
      if (wake_) wake_();  // more to read: come back at once
    } else if (final) {
      text += sse("status", next_, job_json(app_, job, true));
      done = true;
    }
    return text;
  }

 private:
  AppContext& app_;
  std::string owner_;
  std::string id_;
  std::int64_t next_;
  std::string status_sent_;
  std::function<void()> wake_;
  events::Subscription subscription_;
};

}  // namespace

Response answer_when_final(AppContext& app, const std::string& owner, const std::string& job_id,
                           std::chrono::steady_clock::time_point deadline) {
  Response res;
  res.pending = std::make_shared<FinalJobResponse>(app, owner, job_id);
  res.pending->deadline = deadline;
  res.pending->recheck = app.config.job_poll;
  return res;
}

Response job_event_stream(AppContext& app, const std::string& owner, const std::string& job_id, std::int64_t since) {
  find_job(app, owner, job_id);  // a 404 before the stream starts
  Response res;
  res.status = 200;
  res.headers.set("Content-Type", "text/event-stream");
  res.headers.set("Cache-Control", "no-cache");
  res.events = std::make_shared<JobEvents>(app, owner, job_id, since);
  res.events->recheck = app.config.job_poll;
  return res;
}

}  // namespace mecapy::api
