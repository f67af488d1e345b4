// Routes requests to handlers by method and path template. Templates are literal
// segments and `{name}` parameters ("/api/v1/files/{id}"); a parameter matches one
// non-empty segment and is percent-decoded. Literal segments win over parameters when
// both match. The router also answers which methods a path supports (for 405 Allow
// and CORS preflight) and lists its routes (for the OpenAPI sync test).
// A fallback route may take the GET and HEAD requests that no route's path matches,
// outside /api/ (the web UI's files).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace mecapy::http {

using Handler = std::function<Response(Request&)>;

// Receives a request body as it arrives (uploads), so memory stays flat whatever
// its size. write() is called for each chunk, in order, then finish() once; all
// calls run on the route's pool. A sink destroyed before finish() must discard what
// it received (the client went away, or a chunk was refused by throwing).
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual void write(std::string_view chunk) = 0;
  virtual Response finish() = 0;
};

// Opens the sink of a streamed route once the request headers are in; throwing
// refuses the request before its body is read.
using StreamHandler = std::function<std::unique_ptr<BodySink>(Request&)>;

// Judges from the request line and headers alone (the body is not read yet).
using RequestPredicate = std::function<bool(const Request&)>;

enum class Execution {
  inline_on_reactor,  // cheap, never blocks: runs on the network thread (open routes only)
  offloaded,          // may block on the database or disk: runs on the offload pool
  blob_io,            // touches the blob store (which may hang): runs on the blob I/O pool
};

// A route is buffered (handler), streamed (stream_handler), or both: then the
// requests `streams_when` holds for are streamed and the others buffered.
struct Route {
  std::string method;
  std::string path_template;
  Handler handler;  // set for buffered routes
  Execution execution = Execution::offloaded;
  StreamHandler stream_handler;                       // set for streamed routes (body never buffered)
  std::uint64_t max_body_size = 0;                    // streamed requests: body limit, 0 = unlimited
  Execution stream_execution = Execution::offloaded;  // the pool of streamed requests
  RequestPredicate streams_when;                      // set for routes that are both
  Access access;                                      // what the caller must be (checked by the pipeline)

  // Whether `req`'s body goes to stream_handler rather than being buffered for handler.
  bool streams(const Request& req) const { return stream_handler && (!handler || (streams_when && streams_when(req))); }
};

// The streamed side of a route that also buffers (Router::add_with_streamed).
struct StreamedVariant {
  RequestPredicate when;  // which requests stream
  StreamHandler open;
  std::uint64_t max_body_size = 0;  // 0 = unlimited (the sink bounds what it keeps)
  Execution execution = Execution::blob_io;
};

struct RouteMatch {
  const Route* route = nullptr;               // null when nothing matched
  std::map<std::string, std::string> params;  // decoded path parameters
  std::vector<std::string> allowed_methods;   // methods of routes matching the path
  std::string path_template;                  // template matching the path, whatever the method
  bool bad_encoding = false;                  // a segment had a malformed %-escape
};

class Router {
 public:
  void add(std::string method, std::string path_template, Handler handler, Execution execution = Execution::offloaded,
           Access access = {});

  // A route whose body is streamed to a sink instead of buffered; the sink's calls run
  // on the pool of `execution` (never inline).
  void add_streamed(std::string method, std::string path_template, StreamHandler open, std::uint64_t max_body_size,
                    Execution execution = Execution::offloaded, Access access = {});

  // A buffered route (as add()) whose requests chosen by `streamed.when` are streamed
  // instead (as add_streamed()'s): one resource that takes either a small body or an
  // upload, e.g. JSON or multipart/form-data.
  void add_with_streamed(std::string method, std::string path_template, Handler handler, Execution execution,
                         StreamedVariant streamed, Access access = {});

  // The handler of GET and HEAD requests whose path matches no route and does not
  // start with /api/ (those stay 404 problems). It runs on the network thread, so it
  // must be cheap and never block, and it is open (never authenticates). Its
  // template, for logs and metrics, is `path_template`.
  void set_fallback(std::string path_template, Handler handler);

  RouteMatch match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{x}" for parameters
    std::size_t route_index;
    int literal_count;
  };
  void insert(Route route);
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
  std::optional<Route> fallback_;
};

std::vector<std::string> split_path(std::string_view path);

}  // namespace mecapy::http
