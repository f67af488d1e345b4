// The only translation unit that includes Boost.Beast (it is slow to compile).
#include "http/server.hpp"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <list>
#include <set>

#include "core/errors.hpp"
#include "core/log.hpp"

namespace mecapy::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kStreamChunk = std::size_t{256} << 10;  // bytes read per step of a streamed body

// A thread pool and the number of its tasks not finished yet (running or waiting for
// a thread); tasks beyond `threads` are the queue that max_queued_requests bounds.
struct WorkPool {
  explicit WorkPool(int n) : threads(static_cast<std::size_t>(std::max(1, n))), pool(threads) {}
  std::size_t waiting() const {
    const std::size_t n = pending.load();
    return n > threads ? n - threads : 0;
  }
  const std::size_t threads;
  asio::thread_pool pool;
  std::atomic<std::size_t> pending{0};
};

// One accepted connection, as the shutdown logic sees it.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = true;  // waiting for the first byte of a request
};

// The request parser of every read. Beast (1.81) keeps a field's name and value
// lengths in 16 bits and throws std::length_error for a longer one from inside the
// read operation, where no coroutine can catch it: a single request with a 64 KiB
// field (a huge bearer token) under a larger max_header_size would end the process.
// This parser refuses such a field with header_limit instead — 431 in the header, 400
// in a chunked body's trailer — as later Beast versions do.
template <class Body>
class RequestParser final : public bhttp::request_parser<Body> {
 public:
  // The largest name or value a field may have (Beast's bound, less its ": " and CRLF).
  static constexpr std::size_t kMaxFieldPart = std::numeric_limits<std::uint16_t>::max() - 2;

  RequestParser() = default;
  // Continues reading the message `head` has begun (its header, its limits).
  template <class OtherBody>
  explicit RequestParser(RequestParser<OtherBody>&& head)
      : bhttp::request_parser<Body>(static_cast<bhttp::request_parser<OtherBody>&&>(head)) {}

  bool field_too_large() const { return field_too_large_; }

 private:
  void on_field_impl(bhttp::field name, beast::string_view name_string, beast::string_view value,
                     beast::error_code& ec) override {
    if (name_string.size() > kMaxFieldPart || value.size() > kMaxFieldPart) {
      field_too_large_ = true;
      ec = bhttp::error::header_limit;
      return;
    }
    this->get().insert(name, name_string, value);
  }

  bool field_too_large_ = false;
};

template <class Body>
void copy_headers(const Response& res, bhttp::response<Body>& out) {
  for (const auto& f : res.headers.fields()) out.insert(f.name, f.value);
}

// Lets another thread wake a coroutine of the reactor that waits on it: wake() sets a
// flag and posts a cancel of the timer the coroutine waits on, so a wake-up that comes
// before the wait starts is not lost.
class Waker : public std::enable_shared_from_this<Waker> {
 public:
  explicit Waker(asio::io_context& ioc) : timer_(ioc) {}
  void wake() {
    woken_.store(true);
    asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
  }
  // Returns at `until` or at a wake-up, whichever is first.
  awaitable<void> wait_until(std::chrono::steady_clock::time_point until) {
    if (woken_.exchange(false)) co_return;
    timer_.expires_at(until);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    woken_.store(false);
  }
  std::function<void()> wake_function() {
    return [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->wake();
    };
  }

 private:
  asio::steady_timer timer_;
  std::atomic<bool> woken_{false};
};

Problem transport_problem(int status, std::string slug, std::string title, std::string detail) {
  return Problem{status, std::move(slug), std::move(title), std::move(detail)};
}

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions o, const Pipeline& p)
      : opt(std::move(o)), pipeline(p), offload(opt.offload_threads), blob_io(opt.blob_io_threads) {
    const tcp::endpoint endpoint(asio::ip::make_address(opt.host), opt.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
  }

  ServerOptions opt;
  const Pipeline& pipeline;
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  WorkPool offload;                    // Execution::offloaded
  WorkPool blob_io;                    // Execution::blob_io, and streamed bodies of such routes
  std::list<Connection*> connections;  // touched on the reactor thread only
  std::set<Waker*> waiting;            // pending responses and event streams (reactor thread only)
  std::atomic<std::size_t> open_connections{0};
  bool stopping = false;
  bool drained = true;

  awaitable<void> accept_loop() {
    asio::steady_timer backoff(ioc);
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(as_result);
      if (stopping) co_return;
      if (ec) {
        // Out of descriptors or a transient network error: do not spin.
        log_warning("accept failed: " + ec.message());
        backoff.expires_after(std::chrono::milliseconds(50));
        co_await backoff.async_wait(as_result);
        continue;
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (connections.size() >= opt.max_connections)
        asio::co_spawn(ioc, refuse_connection(std::move(socket)), asio::detached);
      else
        asio::co_spawn(ioc, serve_connection(std::move(socket)), asio::detached);
    }
  }

  awaitable<void> serve_connection(tcp::socket socket) {
    std::string remote;
    beast::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    if (!ec) remote = peer.address().to_string();
    Connection conn(std::move(socket));
    connections.push_back(&conn);
    open_connections.store(connections.size());
    const auto self = std::prev(connections.end());
    beast::flat_buffer buffer;
    try {
      for (;;) {
        if (buffer.size() == 0) {
          conn.idle = true;
          if (stopping) break;
          conn.stream.expires_after(opt.idle_timeout);
          auto [read_ec, n] = co_await conn.stream.async_read_some(buffer.prepare(8192), as_result);
          if (read_ec) break;
          buffer.commit(n);
        }
        conn.idle = false;
        if (!co_await serve_request(conn, buffer, remote) || stopping) break;
      }
    } catch (const std::exception& e) {
      log_error(std::string("connection aborted: ") + e.what());
    }
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn.stream.close();
    connections.erase(self);
    open_connections.store(connections.size());
  }

  // Beyond max_connections: a 503 server-busy answer, then the connection is closed
  // (it never holds a slot or a handler).
  awaitable<void> refuse_connection(tcp::socket socket) {
    Connection conn(std::move(socket));
    Exchange ex;
    co_await refuse(conn, ex,
                    busy("The server has reached its limit of " + std::to_string(opt.max_connections) +
                         " open connections (max_connections); retry in a moment."));
    conn.stream.close();
  }

  static Problem busy(std::string detail) {
    return transport_problem(503, "server-busy", "Server busy", std::move(detail));
  }

  WorkPool* pool_for(Execution execution) {
    if (execution == Execution::blob_io) return &blob_io;
    if (execution == Execution::offloaded) return &offload;
    return nullptr;  // inline (never a streamed route: add_streamed picks a pool)
  }

  // Reads one request from the connection and answers it. Returns whether the
  // connection may carry another request.
  //
  // The header is read first and routed; then the body is either buffered (normal
  // routes, up to max_body_size) or streamed chunk by chunk into the route's sink.
  awaitable<bool> serve_request(Connection& conn, beast::flat_buffer& buffer, const std::string& remote) {
    RequestParser<bhttp::empty_body> head;
    head.header_limit(opt.max_header_size);
    head.body_limit(boost::none);  // checked below, once the route is known
    Exchange ex;
    ex.request.remote_address = remote;

    conn.stream.expires_after(opt.header_timeout);
    auto [header_ec, header_bytes] = co_await bhttp::async_read_header(conn.stream, buffer, head, as_result);
    if (header_ec == bhttp::error::header_limit) {
      // Built before the co_await: GCC 12 freed a string temporary of a conditional
      // expression inside this co_await twice.
      std::string detail =
          "The request header block exceeds the server's limit of " + std::to_string(opt.max_header_size) + " bytes.";
      if (head.field_too_large())
        detail = "A request header field exceeds " + std::to_string(head.kMaxFieldPart) + " bytes.";
      co_return co_await refuse(conn, ex,
                                transport_problem(431, "header-too-large", "Request header too large", detail));
    }
    if (header_ec == beast::error::timeout || header_ec == asio::error::eof ||
        header_ec == asio::error::connection_reset || header_ec == asio::error::operation_aborted ||
        header_ec == bhttp::error::end_of_stream)
      co_return false;  // the client went away or stalled: nobody to answer
    if (header_ec)
      co_return co_await refuse(
          conn, ex,
          transport_problem(400, "malformed-request", "Malformed HTTP request",
                            "The request could not be parsed as HTTP/1.1 (" + header_ec.message() + ")."));

    const auto& header = head.get();
    Request& req = ex.request;
    req.method = std::string(header.method_string());
    req.target = std::string(header.target());
    const auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    if (q != std::string::npos) req.query = req.target.substr(q + 1);
    // Beast's parser has refused a request whose fields carry CR, LF, NUL or a name
    // that is no token (400 malformed-request above; tests/integration prove it).
    for (const auto& field : header) req.headers.add_parsed(field.name_string(), field.value());
    const bool wants_keep_alive = header.keep_alive();
    const unsigned version = header.version();
    const bool expects_continue = iequals(header[bhttp::field::expect], "100-continue");

    if (req.target.empty() || req.target.front() != '/')
      co_return co_await refuse(conn, ex,
                                transport_problem(400, "malformed-request", "Malformed request target",
                                                  "The request target must be an absolute path such as /health."));

    Response res;
    bool reusable = true;  // false when part of the body was left unread
    std::optional<Response> early = pipeline.begin(ex);
    const bool streamed = !early && ex.route->streams(req);
    WorkPool* pool = early ? nullptr : pool_for(streamed ? ex.route->stream_execution : ex.route->execution);
    if (pool && pool->pending.load() >= pool->threads + opt.max_queued_requests)
      co_return co_await refuse(conn, ex,
                                busy("Too many requests are waiting for a worker thread (max_queued_requests = " +
                                     std::to_string(opt.max_queued_requests) + "); retry after Retry-After seconds."));
    const std::uint64_t limit = streamed ? ex.route->max_body_size : opt.max_body_size;
    if (limit != 0 && head.content_length() && *head.content_length() > limit)
      co_return co_await refuse(conn, ex, too_large(limit));

    if (streamed) {
      std::unique_ptr<BodySink> sink;
      co_await on_pool(*pool, [&] {
        if (auto refused = pipeline.authorize(ex)) {
          res = std::move(*refused);
          return;
        }
        try {
          sink = ex.route->stream_handler(req);
        } catch (...) {
          res = pipeline.failure_response(ex);
        }
      });
      if (!sink) {
        reusable = head.is_done();  // refused before reading: the body stays unread
      } else {
        if (expects_continue && !co_await send_continue(conn, version)) co_return false;
        StreamOutcome outcome = co_await stream_body(conn, buffer, std::move(head), ex, *sink, *pool, limit, res);
        if (outcome == StreamOutcome::connection_lost) co_return false;
        if (outcome == StreamOutcome::completed) {
          co_await on_pool(*pool, [&] {
            try {
              res = sink->finish();
            } catch (...) {
              res = pipeline.failure_response(ex);
            }
          });
        } else {
          reusable = false;
        }
        co_await on_pool(*pool, [&] { sink.reset(); });  // an unfinished sink discards on the pool
      }
    } else {
      if (!head.is_done()) {
        if (expects_continue && !co_await send_continue(conn, version)) co_return false;
        RequestParser<bhttp::string_body> body_parser(std::move(head));
        body_parser.body_limit(opt.max_body_size);
        conn.stream.expires_after(opt.body_timeout);
        auto [body_ec, body_bytes] = co_await bhttp::async_read(conn.stream, buffer, body_parser, as_result);
        if (body_ec == bhttp::error::body_limit) co_return co_await refuse(conn, ex, too_large(opt.max_body_size));
        if (is_disconnect(body_ec)) co_return false;
        if (body_ec)
          co_return co_await refuse(
              conn, ex,
              transport_problem(400, "malformed-request", "Malformed request body",
                                "The request body could not be read (" + body_ec.message() + ")."));
        req.body = std::move(body_parser.get().body());
      }
      if (early)
        res = std::move(*early);
      else if (!pool)
        res = pipeline.invoke(ex);
      else
        co_await on_pool(*pool, [&] { res = pipeline.invoke(ex); });
    }
    if (res.pending) co_await await_pending(ex, res, pool ? *pool : offload);
    pipeline.end(ex, res);
    if (res.events && req.method != "HEAD") {
      co_await write_event_stream(conn, res, version, pool ? *pool : offload);
      co_return false;
    }
    const bool keep_alive = wants_keep_alive && reusable && !stopping;
    const bool written =
        co_await write(conn, std::move(res), req.method == "HEAD", keep_alive, version, pool ? *pool : offload);
    if (written && !reusable) co_await linger(conn);
    co_return written&& keep_alive;
  }

  // A waiting exchange, known to begin_shutdown() so that it wakes at once.
  struct Waiting {
    Waiting(std::set<Waker*>& set, Waker* waker) : set_(set), waker_(waker) { set_.insert(waker_); }
    ~Waiting() { set_.erase(waker_); }
    Waiting(const Waiting&) = delete;
    Waiting& operator=(const Waiting&) = delete;

   private:
    std::set<Waker*>& set_;
    Waker* waker_;
  };

  // Waits for a pending response (message.hpp): each poll on `pool`, the waits on the
  // reactor, no thread held in between.
  awaitable<void> await_pending(Exchange& ex, Response& res, WorkPool& pool) {
    const std::shared_ptr<PendingResponse> pending = std::move(res.pending);
    res.pending.reset();
    auto waker = std::make_shared<Waker>(ioc);
    const Waiting registered(waiting, waker.get());
    pending->watch(waker->wake_function());
    for (;;) {
      const auto now = std::chrono::steady_clock::now();
      const bool last = stopping || now >= pending->deadline;
      std::optional<Response> ready;
      co_await on_pool(pool, [&] {
        try {
          ready = pending->poll(last);
          if (!ready && last) throw Error(ErrorKind::internal, "pending-response", "no response at the deadline");
        } catch (...) {
          ready = pipeline.failure_response(ex);
        }
      });
      if (ready) {
        res = std::move(*ready);
        co_return;
      }
      co_await waker->wait_until(std::min(pending->deadline, now + pending->recheck));
    }
  }

  // Sends an event stream: the header with chunked encoding, then each piece the
  // stream gives, until it is done, a write fails or the server stops.
  awaitable<void> write_event_stream(Connection& conn, Response& res, unsigned version, WorkPool& pool) {
    const std::shared_ptr<EventStream> events = std::move(res.events);
    res.events.reset();
    bhttp::response<bhttp::buffer_body> out{static_cast<bhttp::status>(res.status), version};
    copy_headers(res, out);
    out.keep_alive(false);
    if (version >= 11) out.chunked(true);
    out.body().data = nullptr;
    out.body().more = true;
    bhttp::response_serializer<bhttp::buffer_body> serializer{out};
    conn.stream.expires_after(opt.body_timeout);
    auto [header_ec, header_n] = co_await bhttp::async_write_header(conn.stream, serializer, as_result);
    if (header_ec) co_return;
    auto waker = std::make_shared<Waker>(ioc);
    const Waiting registered(waiting, waker.get());
    events->watch(waker->wake_function());
    auto last_sent = std::chrono::steady_clock::now();
    bool done = false;
    while (!done && !stopping) {
      std::string text;
      co_await on_pool(pool, [&] {
        try {
          text = events->poll(done);
        } catch (const std::exception& e) {
          log_error(std::string("event stream aborted: ") + operator_message(e));
          done = true;
        }
      });
      const auto now = std::chrono::steady_clock::now();
      if (text.empty() && now - last_sent >= events->keepalive) text = ": \n\n";
      if (!text.empty()) {
        out.body().data = text.data();
        out.body().size = text.size();
        out.body().more = true;
        conn.stream.expires_after(opt.body_timeout);
        auto [ec, n] = co_await bhttp::async_write(conn.stream, serializer, as_result);
        if (ec && ec != bhttp::error::need_buffer) co_return;  // the client went away
        last_sent = now;
      }
      if (!done) co_await waker->wait_until(std::chrono::steady_clock::now() + events->recheck);
    }
    out.body().data = nullptr;
    out.body().size = 0;
    out.body().more = false;
    conn.stream.expires_after(opt.body_timeout);
    co_await bhttp::async_write(conn.stream, serializer, as_result);
  }

  enum class StreamOutcome { completed, refused, connection_lost };

  // Reads the body chunk by chunk into `sink` (each write on the offload pool, the
  // next chunk read only after it returns, so memory stays flat). On a refused chunk
  // or an oversize body, `res` holds the answer.
  awaitable<StreamOutcome> stream_body(Connection& conn, beast::flat_buffer& buffer,
                                       RequestParser<bhttp::empty_body>&& head, Exchange& ex, BodySink& sink,
                                       WorkPool& pool, std::uint64_t limit, Response& res) {
    RequestParser<bhttp::buffer_body> parser(std::move(head));
    if (limit != 0)
      parser.body_limit(limit);
    else
      parser.body_limit(boost::none);
    std::vector<char> chunk(kStreamChunk);
    buffer.reserve(kStreamChunk);  // large socket reads: a small buffer means one syscall per 8 KiB
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      conn.stream.expires_after(opt.body_timeout);  // an inactivity limit for long uploads
      auto [ec, n] = co_await bhttp::async_read(conn.stream, buffer, parser, as_result);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec == bhttp::error::body_limit) {
        res = pipeline.reject(ex, too_large(limit));
        co_return StreamOutcome::refused;
      }
      if (ec) {
        if (!is_disconnect(ec)) {
          res = pipeline.reject(ex, transport_problem(400, "malformed-request", "Malformed request body",
                                                      "The request body could not be read (" + ec.message() + ")."));
          co_return StreamOutcome::refused;
        }
        co_return StreamOutcome::connection_lost;
      }
      const std::size_t got = chunk.size() - parser.get().body().size;
      if (got == 0) continue;
      bool refused = false;
      co_await on_pool(pool, [&] {
        try {
          sink.write(std::string_view(chunk.data(), got));
        } catch (...) {
          res = pipeline.failure_response(ex);
          refused = true;
        }
      });
      if (refused) co_return StreamOutcome::refused;
    }
    co_return StreamOutcome::completed;
  }

  // Runs `work` on `pool` and resumes on the reactor when it is done.
  template <class F>
  awaitable<void> on_pool(WorkPool& pool, F&& work) {
    struct Pending {
      explicit Pending(std::atomic<std::size_t>& n) : count(n) { count.fetch_add(1); }
      ~Pending() { count.fetch_sub(1); }
      Pending(const Pending&) = delete;
      Pending& operator=(const Pending&) = delete;
      std::atomic<std::size_t>& count;
    } pending(pool.pending);
    co_await asio::co_spawn(
        pool.pool,
        [&work]() -> awaitable<void> {
          work();
          co_return;
        },
        use_awaitable);
  }

  // The interim "100 Continue" answer to Expect: 100-continue (a fixed status line).
  awaitable<bool> send_continue(Connection& conn, unsigned version) {
    static constexpr std::string_view http11 = "HTTP/1.1 100 Continue\r\n\r\n";
    static constexpr std::string_view http10 = "HTTP/1.0 100 Continue\r\n\r\n";
    const std::string_view line = version == 10 ? http10 : http11;
    conn.stream.expires_after(opt.body_timeout);
    auto [ec, n] = co_await asio::async_write(conn.stream, asio::buffer(line.data(), line.size()), as_result);
    co_return !ec;
  }

  static bool is_disconnect(const beast::error_code& ec) {
    return ec == beast::error::timeout || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == bhttp::error::partial_message || ec == asio::error::operation_aborted ||
           ec == bhttp::error::end_of_stream;
  }

  static Problem too_large(std::uint64_t limit) {
    return transport_problem(413, "body-too-large", "Request body too large",
                             "The request body exceeds the limit of " + std::to_string(limit) + " bytes.");
  }

  // Answers a request the transport cannot accept, then closes the connection.
  // A 503 also says when to retry.
  awaitable<bool> refuse(Connection& conn, Exchange& ex, const Problem& problem) {
    Response res = pipeline.reject(ex, problem);
    if (problem.status == 503) res.headers.set("Retry-After", "1");
    pipeline.end(ex, res);
    if (co_await write(conn, std::move(res), false, false, 11, offload)) co_await linger(conn);
    co_return false;
  }

  // Closing with unread request bytes in the socket sends a TCP reset that can
  // destroy the response before the client reads it. So after answering a request
  // whose body was not read, stop sending and read and drop what still comes, for at
  // most 1 s and 64 MiB, before the connection is closed.
  awaitable<void> linger(Connection& conn) {
    beast::error_code ec;
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn.stream.expires_after(std::chrono::seconds(1));
    std::vector<char> sink(std::size_t{64} << 10);
    for (std::size_t drained = 0; drained < (64u << 20);) {
      auto [read_ec, n] = co_await conn.stream.async_read_some(asio::buffer(sink), as_result);
      if (read_ec) break;
      drained += n;
    }
  }

  // Sends `res`. A streamed body's source is released on `pool` whatever happens (its
  // destructor may do disk or network I/O), never on the reactor.
  awaitable<bool> write(Connection& conn, Response res, bool head, bool keep_alive, unsigned version, WorkPool& pool) {
    const bool written = co_await write_response(conn, res, head, keep_alive, version, pool);
    if (res.stream) co_await on_pool(pool, [&] { res.stream.reset(); });
    co_return written;
  }

  awaitable<bool> write_response(Connection& conn, Response& res, bool head, bool keep_alive, unsigned version,
                                 WorkPool& pool) {
    const auto status = static_cast<bhttp::status>(res.status);
    conn.stream.expires_after(opt.body_timeout);
    beast::error_code ec;
    std::size_t n = 0;
    if (head) {
      bhttp::response<bhttp::empty_body> out{status, version};
      copy_headers(res, out);
      out.content_length(res.stream ? res.stream_size : res.body.size());
      out.keep_alive(keep_alive);
      std::tie(ec, n) = co_await bhttp::async_write(conn.stream, out, as_result);
    } else if (res.stream) {
      co_return co_await write_streamed(conn, res, keep_alive, version, pool);
    } else {
      bhttp::response<bhttp::string_body> out{status, version};
      copy_headers(res, out);
      out.body() = std::move(res.body);
      out.keep_alive(keep_alive);
      out.prepare_payload();
      std::tie(ec, n) = co_await bhttp::async_write(conn.stream, out, as_result);
    }
    co_return !ec;
  }

  // Sends a body read from res.stream chunk by chunk (each read on `pool`). A source
  // that fails or ends early cuts the connection: the client sees a short body against
  // the announced Content-Length rather than wrong bytes.
  awaitable<bool> write_streamed(Connection& conn, Response& res, bool keep_alive, unsigned version, WorkPool& pool) {
    bhttp::response<bhttp::buffer_body> out{static_cast<bhttp::status>(res.status), version};
    copy_headers(res, out);
    out.content_length(res.stream_size);
    out.keep_alive(keep_alive);
    out.body().data = nullptr;
    out.body().more = true;
    bhttp::response_serializer<bhttp::buffer_body> serializer{out};
    conn.stream.expires_after(opt.body_timeout);
    auto [header_ec, header_n] = co_await bhttp::async_write_header(conn.stream, serializer, as_result);
    if (header_ec) co_return false;
    std::vector<char> chunk(kStreamChunk);
    std::uint64_t left = res.stream_size;
    while (left > 0) {
      std::size_t got = 0;
      bool failed = false;
      co_await on_pool(pool, [&] {
        try {
          got = res.stream->read(chunk.data(), static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), left)));
        } catch (const std::exception& e) {
          log_error(std::string("download aborted: ") + operator_message(e));
          failed = true;
        }
      });
      if (failed || got == 0) co_return false;
      left -= got;
      out.body().data = chunk.data();
      out.body().size = got;
      out.body().more = left > 0;
      conn.stream.expires_after(opt.body_timeout);
      auto [ec, n] = co_await bhttp::async_write(conn.stream, serializer, as_result);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return false;
    }
    if (!serializer.is_done()) {
      out.body().data = nullptr;
      out.body().size = 0;
      out.body().more = false;
      auto [ec, n] = co_await bhttp::async_write(conn.stream, serializer, as_result);
      if (ec && ec != bhttp::error::need_buffer) co_return false;
    }
    co_return true;
  }

  void begin_shutdown() {
    if (stopping) return;
    stopping = true;
    log_info("shutdown requested: refusing new connections, draining " + std::to_string(connections.size()) +
             " open connection(s)");
    beast::error_code ec;
    acceptor.close(ec);
    for (Connection* c : connections)
      if (c->idle) c->stream.cancel();
    for (Waker* w : waiting) w->wake();
    asio::co_spawn(ioc, drain(), asio::detached);
  }

  awaitable<void> drain() {
    const auto deadline = std::chrono::steady_clock::now() + opt.shutdown_timeout;
    asio::steady_timer tick(ioc);
    while (!connections.empty() && std::chrono::steady_clock::now() < deadline) {
      tick.expires_after(std::chrono::milliseconds(10));
      co_await tick.async_wait(as_result);
    }
    drained = connections.empty();
    if (!drained) log_error("shutdown timeout: " + std::to_string(connections.size()) + " connection(s) still busy");
    ioc.stop();
    co_return;  // explicit, for static analysers that do not see a coroutine here
  }
};

HttpServer::HttpServer(ServerOptions options, const Pipeline& pipeline)
    : impl_(std::make_unique<Impl>(std::move(options), pipeline)) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

bool HttpServer::run() {
  auto& s = *impl_;
  asio::signal_set signals(s.ioc);
  if (s.opt.handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([&s](const boost::system::error_code& ec, int) {
      if (!ec) s.begin_shutdown();
    });
  }
  log_info("listening on http://" + s.acceptor.local_endpoint().address().to_string() + ":" + std::to_string(port()));
  asio::co_spawn(s.ioc, s.accept_loop(), asio::detached);
  s.ioc.run();
  signals.cancel();
  if (s.drained) {  // else a handler is stuck: the caller must exit without waiting
    s.offload.pool.join();
    s.blob_io.pool.join();
  }
  return s.drained;
}

ServerStats HttpServer::stats() const {
  return {impl_->open_connections.load(), impl_->offload.waiting(), impl_->blob_io.waiting()};
}

void HttpServer::request_stop() {
  asio::post(impl_->ioc, [s = impl_.get()] { s->begin_shutdown(); });
}

}  // namespace mecapy::http
