// The only translation unit that includes Boost.Beast (it is slow to compile).
#include "http/server.hpp"

#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>

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

// One accepted connection, as the shutdown logic sees it.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = true;  // waiting for the first byte of a request
};

template <class Body>
void copy_headers(const Response& res, bhttp::response<Body>& out) {
  for (const auto& f : res.headers.fields()) out.insert(f.name, f.value);
}

Problem transport_problem(int status, std::string slug, std::string title, std::string detail) {
  return Problem{status, std::move(slug), std::move(title), std::move(detail)};
}

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions o, const Pipeline& p)
      : opt(std::move(o)), pipeline(p), offload(static_cast<std::size_t>(std::max(1, opt.offload_threads))) {
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
  asio::thread_pool offload;
  std::list<Connection*> connections;  // touched on the reactor thread only
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
  }

  // Reads one request from the connection and answers it. Returns whether the
  // connection may carry another request.
  awaitable<bool> serve_request(Connection& conn, beast::flat_buffer& buffer, const std::string& remote) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(opt.max_header_size);
    parser.body_limit(opt.max_body_size);
    Exchange ex;
    ex.request.remote_address = remote;

    conn.stream.expires_after(opt.header_timeout);
    auto [header_ec, header_bytes] = co_await bhttp::async_read_header(conn.stream, buffer, parser, as_result);
    if (header_ec == bhttp::error::header_limit)
      co_return co_await refuse(conn, ex,
                                transport_problem(431, "header-too-large", "Request header too large",
                                                  "The request header block exceeds the server's limit of " +
                                                      std::to_string(opt.max_header_size) + " bytes."));
    if (header_ec == bhttp::error::body_limit)  // Content-Length above the limit
      co_return co_await refuse(conn, ex, too_large());
    if (header_ec == beast::error::timeout || header_ec == asio::error::eof ||
        header_ec == asio::error::connection_reset || header_ec == asio::error::operation_aborted ||
        header_ec == bhttp::error::end_of_stream)
      co_return false;  // the client went away or stalled: nobody to answer
    if (header_ec)
      co_return co_await refuse(
          conn, ex,
          transport_problem(400, "malformed-request", "Malformed HTTP request",
                            "The request could not be parsed as HTTP/1.1 (" + header_ec.message() + ")."));

    auto& header = parser.get();
    Request& req = ex.request;
    req.method = std::string(header.method_string());
    req.target = std::string(header.target());
    const auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    if (q != std::string::npos) req.query = req.target.substr(q + 1);
    for (const auto& field : header) req.headers.add(field.name_string(), field.value());

    if (req.target.empty() || req.target.front() != '/')
      co_return co_await refuse(conn, ex,
                                transport_problem(400, "malformed-request", "Malformed request target",
                                                  "The request target must be an absolute path such as /health."));
    if (const auto length = parser.content_length(); length && *length > opt.max_body_size)
      co_return co_await refuse(conn, ex, too_large());

    if (iequals(header[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, header.version()};
      conn.stream.expires_after(opt.body_timeout);
      auto [cont_ec, cont_bytes] = co_await bhttp::async_write(conn.stream, go_on, as_result);
      if (cont_ec) co_return false;
    }
    if (!parser.is_done()) {
      conn.stream.expires_after(opt.body_timeout);
      auto [body_ec, body_bytes] = co_await bhttp::async_read(conn.stream, buffer, parser, as_result);
      if (body_ec == bhttp::error::body_limit) co_return co_await refuse(conn, ex, too_large());
      if (body_ec == beast::error::timeout || body_ec == asio::error::eof || body_ec == asio::error::connection_reset ||
          body_ec == bhttp::error::partial_message || body_ec == asio::error::operation_aborted)
        co_return false;
      if (body_ec)
        co_return co_await refuse(conn, ex,
                                  transport_problem(400, "malformed-request", "Malformed request body",
                                                    "The request body could not be read (" + body_ec.message() + ")."));
    }
    req.body = std::move(parser.get().body());
    const bool wants_keep_alive = parser.get().keep_alive();
    const unsigned version = parser.get().version();

    Response res;
    if (auto early = pipeline.begin(ex))
      res = std::move(*early);
    else if (ex.route->execution == Execution::inline_on_reactor)
      res = pipeline.invoke(ex);
    else
      res = co_await asio::co_spawn(
          offload, [this, &ex]() -> awaitable<Response> { co_return pipeline.invoke(ex); }, use_awaitable);
    pipeline.end(ex, res);
    const bool keep_alive = wants_keep_alive && !stopping;
    const bool written = co_await write(conn, std::move(res), req.method == "HEAD", keep_alive, version);
    co_return written&& keep_alive;
  }

  Problem too_large() const {
    return transport_problem(413, "body-too-large", "Request body too large",
                             "The request body exceeds the limit of " + std::to_string(opt.max_body_size) +
                                 " bytes (setting max_body_size).");
  }

  // Answers a request the transport cannot accept, then closes the connection.
  // Closing with unread request bytes in the socket would send a TCP reset that can
  // destroy the response before the client reads it, so the rest of the request is
  // read and dropped (at most 1 MiB, for at most 1 s) after the response is sent.
  awaitable<bool> refuse(Connection& conn, Exchange& ex, const Problem& problem) {
    Response res = pipeline.reject(ex, problem);
    pipeline.end(ex, res);
    if (!co_await write(conn, std::move(res), false, false, 11)) co_return false;
    beast::error_code ec;
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn.stream.expires_after(std::chrono::seconds(1));
    std::array<char, 16384> sink{};
    for (std::size_t drained = 0; drained < (1u << 20);) {
      auto [read_ec, n] = co_await conn.stream.async_read_some(asio::buffer(sink), as_result);
      if (read_ec) break;
      drained += n;
    }
    co_return false;
  }

  awaitable<bool> write(Connection& conn, Response res, bool head, bool keep_alive, unsigned version) {
    const auto status = static_cast<bhttp::status>(res.status);
    conn.stream.expires_after(opt.body_timeout);
    beast::error_code ec;
    std::size_t n = 0;
    if (head) {
      bhttp::response<bhttp::empty_body> out{status, version};
      copy_headers(res, out);
      out.content_length(res.body.size());
      out.keep_alive(keep_alive);
      std::tie(ec, n) = co_await bhttp::async_write(conn.stream, out, as_result);
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

  void begin_shutdown() {
    if (stopping) return;
    stopping = true;
    log_info("shutdown requested: refusing new connections, draining " + std::to_string(connections.size()) +
             " open connection(s)");
    beast::error_code ec;
    acceptor.close(ec);
    for (Connection* c : connections)
      if (c->idle) c->stream.cancel();
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
  if (s.drained) s.offload.join();  // else a handler is stuck: the caller must exit without waiting
  return s.drained;
}

void HttpServer::request_stop() {
  asio::post(impl_->ioc, [s = impl_.get()] { s->begin_shutdown(); });
}

}  // namespace mecapy::http
