// The HTTP request and response as handlers see them: plain values, independent of
// the network library (Boost.Beast stays inside server.cpp). Header names compare
// case-insensitively.
//
// Headers is the one place header fields are validated: add() and set() refuse a name
// that is not an RFC 9110 token and a value containing CR, LF or NUL by throwing
// InvalidHeader, and store nothing.
// Request headers, multipart part headers and response headers all go through it, so
// a line break from user data can never become a header line on the wire.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/principal.hpp"

#include "core/errors.hpp"

namespace mecapy::http {

bool iequals(std::string_view a, std::string_view b);

// RFC 9110 field-name (= token: 1*tchar).
bool is_valid_field_name(std::string_view name);
// No CR, LF or NUL: the bytes that could end a field or a header block (other control
// characters are refused by the request parser and by the media-type and filename
// rules of what is sent back).
bool is_valid_field_value(std::string_view value);

// A header field that failed validation: Error(invalid_input, "invalid-header"), a 400
// when it escapes a handler. The detail names the field when its name is valid.
class InvalidHeader : public Error {
 public:
  explicit InvalidHeader(std::string_view name);
};

// The RFC 9110 field grammar: a name is a token; a value may hold anything but CR, LF
// and NUL. constexpr, so that ConstantField can check at compile time with the same
// definition that Headers::add/set use at run time.
constexpr bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
constexpr bool is_forbidden_in_value(char c) { return c == '\r' || c == '\n' || c == '\0'; }

// A header field whose name and value are constants of the server itself
// (X-Frame-Options: DENY): checked when the program is compiled — an invalid one
// does not build — so Headers::set() need not scan it again for every response.
class ConstantField {
 public:
  consteval ConstantField(std::string_view name, std::string_view value) : name_(name), value_(value) {
    bool valid = !name.empty();
    for (char c : name) valid = valid && is_token_char(c);
    for (char c : value) valid = valid && !is_forbidden_in_value(c);
    if (!valid) invalid_constant_field();
  }
  std::string_view name() const { return name_; }
  std::string_view value() const { return value_; }

 private:
  static void invalid_constant_field();  // not constexpr: calling it is a compile error
  std::string_view name_;
  std::string_view value_;
};

class Headers {
 public:
  struct Field {
    std::string name;
    std::string value;
  };

  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  // Replaces every field called `name` by one field. set() and add() throw
  // InvalidHeader (and change nothing) for an invalid name or value.
  void set(std::string_view name, std::string_view value);
  void set(const ConstantField& field);
  void add(std::string_view name, std::string_view value);
  // A field of a request as the HTTP parser accepted it: the parser already refuses
  // what add() would (a name that is no token, CR, LF or NUL in a value), so the
  // check is not made twice for every request header. Only server.cpp calls this.
  void add_parsed(std::string_view name, std::string_view value);
  void remove(std::string_view name);
  const std::vector<Field>& fields() const { return fields_; }

 private:
  static Field checked(std::string_view name, std::string_view value);
  std::vector<Field> fields_;
};

struct Request {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // as sent, e.g. "/api/v1/files?page=2"
  std::string path;    // target without the query, still percent-encoded
  std::string query;   // after '?', without it
  Headers headers;
  std::string body;
  std::string remote_address;

  // Filled by the pipeline before the handler runs.
  std::string request_id;
  std::string trace_id;
  Principal principal;                             // who is calling (principal.hpp)
  std::map<std::string, std::string> path_params;  // percent-decoded

  std::optional<std::string> query_param(std::string_view name) const;
  const std::string& param(const std::string& name) const { return path_params.at(name); }
};

// A response body produced while it is sent (downloads); read() and the destructor
// run on the route's pool (never on the network thread); read() returns 0 at the end.
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual std::size_t read(char* out, std::size_t capacity) = 0;
};

struct Response;

// A response that is not ready when the handler returns (a synchronous execute
// waiting for its job): the server waits for it without holding a thread.
// The server calls watch() once with a wake function that any thread may call, any
// number of times, even after the exchange is over; it then calls poll() on the
// route's pool after each wake-up and at least every `recheck`, and with `last` true
// once the deadline has passed or the server is stopping.
class PendingResponse {
 public:
  virtual ~PendingResponse() = default;
  virtual void watch(std::function<void()> wake) = 0;
  // The response once it is ready, else nullopt; with `last`, always a response.
  virtual std::optional<Response> poll(bool last) = 0;

  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::now();
  std::chrono::milliseconds recheck{1'000};
};

// A body produced over time (text/event-stream): the status and headers go out at
// once, chunked, then whatever poll() returns, until it says the stream is over, the
// client goes away or the server stops. watch() and poll() as for PendingResponse;
// when nothing was sent for `keepalive`, the server sends a comment line (": \n\n"),
// which also finds out that a client went away.
class EventStream {
 public:
  virtual ~EventStream() = default;
  virtual void watch(std::function<void()> wake) = 0;
  // Runs on the route's pool: the text to send now (may be empty); sets `done` when
  // the stream ends after it.
  virtual std::string poll(bool& done) = 0;

  std::chrono::milliseconds recheck{1'000};
  std::chrono::milliseconds keepalive{15'000};
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the body is streamed from here instead of `body`; exactly
  // `stream_size` bytes are announced in Content-Length.
  std::shared_ptr<BodySource> stream;
  std::uint64_t stream_size = 0;
  // When set, the server waits for this response instead (the rest is ignored).
  std::shared_ptr<PendingResponse> pending;
  // When set, the body is this stream of events (Transfer-Encoding: chunked; the
  // connection closes when it ends).
  std::shared_ptr<EventStream> events;

  // Numbers are written exactly (shortest round-trip); a NaN or infinite number
  // throws Error(internal, "non-finite-number") rather than send invalid JSON.
  static Response json(int status, const boost::json::value& body);
  static Response text(int status, std::string body, std::string_view content_type);
  static Response empty(int status);
};

// Percent-decodes `in`; nullopt when an escape is malformed or decodes to NUL.
std::optional<std::string> percent_decode(std::string_view in);

}  // namespace mecapy::http
