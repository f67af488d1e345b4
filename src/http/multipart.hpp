// An incremental multipart/form-data parser (RFC 7578 on RFC 2046): bytes go in as
// they arrive, events come out, and memory stays bounded whatever the part sizes
// (the body of a part is never accumulated). Part headers are capped at 16 KiB.
// Malformed input throws Error(invalid_input, "malformed-multipart"); a part header
// with a control character (bare CR or LF, NUL) throws InvalidHeader
// ("invalid-header"), a Content-Type that is not a media type "invalid-content-type".
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mecapy::http {

struct PartHeaders {
  std::string name;                     // form field name
  std::optional<std::string> filename;  // set for file fields (filename* preferred)
  std::string content_type;             // a valid media type, or empty when the part has none
};

class MultipartParser {
 public:
  struct Events {
    std::function<void(const PartHeaders&)> on_part_begin;
    std::function<void(std::string_view)> on_part_data;
    std::function<void()> on_part_end;
  };

  MultipartParser(const std::string& boundary, Events events);

  void feed(std::string_view data);
  // Call at the end of the body: throws unless the closing delimiter was seen.
  void finish() const;
  bool done() const { return state_ == State::done; }

  // The boundary parameter of a multipart/form-data Content-Type, if any.
  static std::optional<std::string> boundary_of(std::string_view content_type);
  // Parses one Content-Disposition value (exposed for tests).
  static PartHeaders parse_disposition(std::string_view value);

 private:
  enum class State { preamble, after_delimiter, headers, body, done };
  void parse_headers(std::string_view block);
  [[noreturn]] static void malformed(const std::string& why);

  std::string delimiter_;  // "\r\n--" + boundary
  Events events_;
  State state_ = State::preamble;
  std::string buffer_;
};

}  // namespace mecapy::http
