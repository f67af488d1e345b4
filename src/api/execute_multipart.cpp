#include "api/execute_multipart.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "api/execute_request.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "files/upload_batch.hpp"
#include "http/multipart.hpp"

namespace mecapy::api {
namespace {

using http::Request;
using http::Response;

constexpr const char* kRequestPart = "request";

[[noreturn]] void refuse(const std::string& code, const std::string& detail) {
  throw Error(ErrorKind::invalid_input, code, detail);
}

boost::json::object request_object(const std::string& text) {
  boost::json::value value;
  try {
    value = parse_json(text);
  } catch (const Error& e) {
    refuse(e.code(), std::string("The part 'request' is not valid JSON: ") + e.what());
  }
  if (!value.is_object()) refuse("invalid-body", "The part 'request' must be a JSON object.");
  return std::move(value.get_object());
}

class MultipartExecutionSink final : public http::BodySink {
 public:
  MultipartExecutionSink(AppContext& app, const Request& req, const std::string& boundary)
      : app_(app),
        req_(req),
        batch_(app.files, owner_of(req)),
        parser_(boundary, {[this](const http::PartHeaders& h) { begin_part(h); },
                           [this](std::string_view d) { part_data(d); }, [this] { end_part(); }}) {}

  void write(std::string_view chunk) override { parser_.feed(chunk); }

  Response finish() override {
    parser_.finish();
    if (!request_text_)
      refuse("missing-request",
             "The form has no part named 'request': send the JSON body of the call there ({\"inputs\": ...}), "
             "and each file in a part named after its input.");
    auto request = parse_execute_request(request_object(*request_text_));
    for (const auto& var : vars_)
      if (request.files.contains(var))
        refuse("conflicting-file", "The input " + var + " is given twice: in files and as a part. Keep one.");
    const auto chosen = chosen_function(app_, req_, request.version);
    jobs::JobService::check_file_vars(chosen.function, vars_);

    const auto recorded = batch_.record();
    for (std::size_t i = 0; i < recorded.size(); ++i) request.files[vars_[i]] = recorded[i].id;
    jobs::JobRecord job;
    try {
      job = submit_execution(app_, req_, chosen, request);
    } catch (...) {
      remove(recorded);
      throw;
    }
    return execution_answer(app_, req_, request, job);
  }

 private:
  void begin_part(const http::PartHeaders& h) {
    in_request_ = false;
    if (h.name == kRequestPart) {
      if (request_text_) refuse("duplicate-part", "The form has two parts named 'request'; send one.");
      request_text_.emplace();
      in_request_ = true;
      return;
    }
    if (h.name.empty() || !h.filename)
      refuse("unexpected-part",
             "Every part but 'request' is a file for the input of its name, with a filename; part '" + h.name +
                 "' is not.");
    if (std::find(vars_.begin(), vars_.end(), h.name) != vars_.end())
      refuse("duplicate-part", "The form has two files for the input " + h.name + "; send one.");
    vars_.push_back(h.name);
    batch_.begin(*h.filename, h.content_type);
  }

  void part_data(std::string_view d) {
    if (!in_request_) return batch_.write(d);
    if (request_text_->size() + d.size() > app_.config.max_body_size)
      throw Error(ErrorKind::too_large, "body-too-large",
                  "The part 'request' exceeds the limit of " + std::to_string(app_.config.max_body_size) +
                      " bytes (setting max_body_size).");
    request_text_->append(d);
  }

  void end_part() {
    if (!in_request_) batch_.end();
    in_request_ = false;
  }

  // Deletes files recorded for a submission that was then refused.
  void remove(const std::vector<files::FileRecord>& recorded) noexcept {
    for (const auto& f : recorded) {
      try {
        app_.files.remove(f.owner_id, f.id);
      } catch (const std::exception& e) {
        log_warning("execute: file " + f.id + " uploaded for a refused call stays: " + operator_message(e));
      }
    }
  }

  AppContext& app_;
  Request req_;  // a copy: the path parameters and the caller, for the steps of finish()
  files::UploadBatch batch_;
  http::MultipartParser parser_;
  std::optional<std::string> request_text_;
  std::vector<std::string> vars_;  // the input of each file part, in the batch's order
  bool in_request_ = false;
};

}  // namespace

std::unique_ptr<http::BodySink> open_multipart_execution(AppContext& app, const Request& req) {
  const auto type = req.headers.get("Content-Type");
  const auto boundary = type ? http::MultipartParser::boundary_of(*type) : std::nullopt;
  if (!boundary)
    refuse("malformed-multipart", "Content-Type multipart/form-data needs a boundary parameter (1 to 70 characters).");
  return std::make_unique<MultipartExecutionSink>(app, req, *boundary);
}

}  // namespace mecapy::api
