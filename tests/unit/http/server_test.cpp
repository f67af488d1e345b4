// The HTTP server over real loopback sockets: framing, limits, timeouts, offload and
// graceful shutdown.
#include "http/server.hpp"

#include "core/errors.hpp"

#include <gtest/gtest.h>

#include "raw_client.hpp"

#include <atomic>
#include <chrono>
#include <thread>

using namespace mecapy::http;
using mecapy::http::test_support::RawClient;
using mecapy::http::test_support::status_of;
using namespace std::chrono_literals;

namespace {

class ServerTest : public ::testing::Test {
 protected:
  // Counts what it receives; refuses chunks past `cap` bytes when cap is set.
  struct CountingSink : BodySink {
    CountingSink(ServerTest& t, std::size_t cap) : test(t), cap(cap) {}
    ~CountingSink() override {
      if (!finished) test.sinks_discarded++;
    }
    void write(std::string_view chunk) override {
      if (std::this_thread::get_id() != test.inline_thread) test.sink_off_reactor = true;
      received += chunk.size();
      if (cap && received > cap) throw mecapy::Error(mecapy::ErrorKind::too_large, "quota-exceeded", "over quota");
    }
    Response finish() override {
      finished = true;
      return Response::text(200, std::to_string(received), "text/plain");
    }
    ServerTest& test;
    std::size_t cap;
    std::size_t received = 0;
    bool finished = false;
  };
  std::atomic<int> sinks_discarded{0};
  std::atomic<bool> sink_off_reactor{false};

  void SetUp() override {
    router.add(
        "GET", "/inline",
        [this](Request&) {
          inline_thread = std::this_thread::get_id();
          return Response::text(200, "inline", "text/plain");
        },
        Execution::inline_on_reactor, Access::open());
    router.add("GET", "/offloaded", [this](Request&) {
      offload_thread = std::this_thread::get_id();
      return Response::text(200, "offloaded", "text/plain");
    });
    router.add("POST", "/echo", [](Request& r) { return Response::text(200, r.body, "text/plain"); });
    router.add_streamed(
        "POST", "/upload",
        [this](Request& r) -> std::unique_ptr<BodySink> {
          if (r.query_param("refuse")) throw mecapy::Error(mecapy::ErrorKind::invalid_input, "refused", "no");
          return std::make_unique<CountingSink>(*this, r.query_param("cap") ? std::stoul(*r.query_param("cap")) : 0);
        },
        1 << 20);
    router.add_with_streamed(
        "POST", "/either", [](Request& r) { return Response::text(200, "buffered " + r.body, "text/plain"); },
        Execution::offloaded,
        {[](const Request& r) { return r.headers.has("X-Upload"); },
         [this](Request&) -> std::unique_ptr<BodySink> { return std::make_unique<CountingSink>(*this, 0); }, 0,
         Execution::blob_io});
    router.add("GET", "/slow", [this](Request&) {
      slow_started = true;
      std::this_thread::sleep_for(400ms);
      return Response::text(200, "slow done", "text/plain");
    });
  }

  void start(ServerOptions options = {}) {
    options.port = 0;
    options.handle_signals = false;
    pipeline = std::make_unique<Pipeline>(router, HttpPolicy{}, nullptr);
    server = std::make_unique<HttpServer>(options, *pipeline);
    port = server->port();
    runner = std::thread([this] { clean_exit = server->run(); });
  }

  void TearDown() override {
    if (server) server->request_stop();
    if (runner.joinable()) runner.join();
  }

  Router router;
  std::unique_ptr<Pipeline> pipeline;
  std::unique_ptr<HttpServer> server;
  std::thread runner;
  std::uint16_t port = 0;
  std::atomic<bool> clean_exit{false};
  std::atomic<bool> slow_started{false};
  std::thread::id inline_thread, offload_thread;
};

TEST_F(ServerTest, KeepAliveAndOffloadPool) {
  start();
  RawClient c(port);
  ASSERT_TRUE(c.connected());
  c.send("GET /inline HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto first = c.read_response();
  EXPECT_EQ(status_of(first), 200);
  c.send("GET /offloaded HTTP/1.1\r\nHost: x\r\n\r\nGET /inline HTTP/1.1\r\nHost: x\r\n\r\n");  // pipelined
  EXPECT_NE(c.read_response().find("offloaded"), std::string::npos);
  EXPECT_NE(c.read_response().find("inline"), std::string::npos);
  EXPECT_NE(inline_thread, offload_thread);  // blocking work left the reactor thread
}

TEST_F(ServerTest, HeadHasLengthButNoBody) {
  start();
  RawClient c(port);
  c.send("HEAD /inline HTTP/1.1\r\nHost: x\r\n\r\nGET /inline HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto head = c.read_response();  // reads header + 6 "body" bytes, which belong to the next response
  EXPECT_EQ(status_of(head), 200);
  EXPECT_NE(head.find("Content-Length: 6"), std::string::npos);
  EXPECT_EQ(head.find("inline"), std::string::npos);
}

TEST_F(ServerTest, MalformedRequestsAreRefusedAndClosed) {
  start();
  for (const std::string bad : {"NOT HTTP AT ALL\r\n\r\n", "GET /x HTTP/1.1\r\nBad Header\r\n\r\n",
                                "GET http://other.example/x HTTP/1.1\r\nHost: x\r\n\r\n",
                                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n"}) {
    RawClient c(port);
    c.send(bad);
    const auto r = c.read_response();
    EXPECT_EQ(status_of(r), 400) << bad;
    EXPECT_NE(r.find("application/problem+json"), std::string::npos);
    EXPECT_TRUE(c.closed_by_peer());
  }
  RawClient still_up(port);
  still_up.send("GET /inline HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(status_of(still_up.read_response()), 200);
}

TEST_F(ServerTest, HeaderAndBodyLimits) {
  ServerOptions o;
  o.max_header_size = 2048;
  o.max_body_size = 100;
  start(o);
  {
    RawClient c(port);
    c.send("GET /inline HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
    EXPECT_EQ(status_of(c.read_response()), 431);
  }
  {
    RawClient c(port);
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n");
    const auto r = c.read_response();
    EXPECT_EQ(status_of(r), 413);
    EXPECT_NE(r.find("body-too-large"), std::string::npos);
  }
  {
    RawClient c(port);  // chunked: the limit is found while reading
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n80\r\n" + std::string(128, 'b') +
           "\r\n0\r\n\r\n");
    EXPECT_EQ(status_of(c.read_response()), 413);
  }
  {
    RawClient c(port);
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n");
    EXPECT_EQ(status_of(c.read_response()), 100);
    c.send(std::string(100, 'c'));
    const auto r = c.read_response();
    EXPECT_EQ(status_of(r), 200);
    EXPECT_NE(r.find(std::string(100, 'c')), std::string::npos);
  }
}

TEST_F(ServerTest, IdleAndHeaderTimeoutsCloseTheConnection) {
  ServerOptions o;
  o.idle_timeout = 200ms;
  o.header_timeout = 200ms;
  start(o);
  RawClient idle(port);
  EXPECT_TRUE(idle.closed_by_peer());  // nothing sent: closed after the idle timeout
  RawClient partial(port);
  partial.send("GET /inline HTTP/1.1\r\nHost:");
  EXPECT_TRUE(partial.closed_by_peer());
}

TEST_F(ServerTest, GracefulShutdownFinishesInFlightRequests) {
  start();
  RawClient idle(port);
  idle.send("GET /inline HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(status_of(idle.read_response()), 200);  // now idle on keep-alive

  RawClient busy(port);
  busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  while (!slow_started) std::this_thread::sleep_for(5ms);
  server->request_stop();
  const auto r = busy.read_response();
  EXPECT_EQ(status_of(r), 200);
  EXPECT_NE(r.find("slow done"), std::string::npos);
  EXPECT_NE(r.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(idle.closed_by_peer());
  runner.join();
  EXPECT_TRUE(clean_exit);
  RawClient late(port);
  EXPECT_FALSE(late.connected());  // the listener is gone
}

TEST_F(ServerTest, StreamedBodiesReachTheSinkInChunks) {
  start();
  RawClient warm(port);
  warm.send("GET /inline HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(status_of(warm.read_response()), 200);  // records the reactor thread id
  RawClient c(port);
  const std::string body(700'000, 'u');
  c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 700000\r\n\r\n" + body);
  auto r = c.read_response();
  EXPECT_EQ(status_of(r), 200);
  EXPECT_NE(r.find("\r\n\r\n700000"), std::string::npos) << r.substr(0, 300);
  c.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n");
  r = c.read_response();  // same connection: keep-alive after a streamed body
  EXPECT_NE(r.find("\r\n\r\n8"), std::string::npos) << r;
  EXPECT_TRUE(sink_off_reactor);
}

TEST_F(ServerTest, ARouteBuffersSomeBodiesAndStreamsOthers) {
  ServerOptions o;
  o.max_body_size = 100;
  start(o);
  RawClient c(port);
  c.send("POST /either HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nsmall");
  auto r = c.read_response();
  EXPECT_EQ(status_of(r), 200);
  EXPECT_NE(r.find("\r\n\r\nbuffered small"), std::string::npos) << r;
  // The streamed variant is bounded by its sink, not by max_body_size.
  c.send("POST /either HTTP/1.1\r\nHost: x\r\nX-Upload: 1\r\nContent-Length: 300000\r\n\r\n" +
         std::string(300'000, 'u'));
  r = c.read_response();
  EXPECT_EQ(status_of(r), 200);
  EXPECT_NE(r.find("\r\n\r\n300000"), std::string::npos) << r.substr(0, 300);
  RawClient big(port);
  big.send("POST /either HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n");
  EXPECT_EQ(status_of(big.read_response()), 413);
}

TEST_F(ServerTest, StreamedLimitsAndRefusals) {
  start();
  {
    RawClient c(port);  // declared length above the route's 1 MiB limit
    c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n");
    EXPECT_EQ(status_of(c.read_response()), 413);
  }
  {
    RawClient c(port);  // chunked, found over the limit while streaming
    std::string req = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 20; ++i) req += "10000\r\n" + std::string(0x10000, 'z') + "\r\n";
    c.send(req + "0\r\n\r\n");
    const auto r = c.read_response();
    EXPECT_EQ(status_of(r), 413);
    EXPECT_NE(r.find("body-too-large"), std::string::npos);
  }
  {
    RawClient c(port);  // the sink refuses a chunk
    c.send("POST /upload?cap=1000 HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n" + std::string(300000, 'q'));
    const auto r = c.read_response();
    EXPECT_EQ(status_of(r), 413);
    EXPECT_NE(r.find("quota-exceeded"), std::string::npos);
    EXPECT_NE(r.find("Connection: close"), std::string::npos);
  }
  {
    RawClient c(port);  // refused before the body is read
    c.send("POST /upload?refuse=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
    EXPECT_EQ(status_of(c.read_response()), 400);
  }
  {
    RawClient c(port);  // the client goes away mid-body: the sink is discarded
    c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n" + std::string(1000, 'p'));
  }
  for (int i = 0; i < 500 && sinks_discarded < 3; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(sinks_discarded, 3);  // the oversize chunked body, the quota refusal, the disconnect
}

}  // namespace
