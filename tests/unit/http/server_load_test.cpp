// The server under load it must not let spread: a stuck blob store holds only the
// blob I/O pool (database routes keep answering), a full work queue answers 503
// server-busy instead of queueing without limit, connections beyond max_connections
// are refused with 503, and a download's body source is released off the reactor.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "http/server.hpp"
#include "raw_client.hpp"

using namespace mecapy::http;
using mecapy::http::test_support::Gate;
using mecapy::http::test_support::get_request;
using mecapy::http::test_support::RawClient;
using mecapy::http::test_support::status_of;
using namespace std::chrono_literals;

namespace {

class ServerLoadTest : public ::testing::Test {
 protected:
  // A download body whose reads wait at the gate; records where it is destroyed.
  struct GatedSource : BodySource {
    explicit GatedSource(ServerLoadTest& t) : test(t) {}
    ~GatedSource() override { test.source_released_on = std::this_thread::get_id(); }
    std::size_t read(char* out, std::size_t capacity) override {
      test.gate.pass();
      const std::size_t n = std::min<std::size_t>(capacity, 4 - sent);
      std::fill_n(out, n, 'b');
      sent += n;
      return n;
    }
    ServerLoadTest& test;
    std::size_t sent = 0;
  };

  void SetUp() override {
    router.add(
        "GET", "/inline",
        [this](Request&) {
          reactor_thread = std::this_thread::get_id();
          return Response::text(200, "inline", "text/plain");
        },
        Execution::inline_on_reactor, Access::open());
    router.add("GET", "/db", [](Request&) { return Response::text(200, "db", "text/plain"); });
    router.add("GET", "/hold", [this](Request&) {
      gate.pass();
      return Response::text(200, "held", "text/plain");
    });
    router.add(
        "GET", "/blob",
        [this](Request&) {
          gate.pass();
          return Response::text(200, "blob", "text/plain");
        },
        Execution::blob_io);
    router.add(
        "GET", "/download",
        [this](Request&) {
          Response r;
          r.stream = std::make_shared<GatedSource>(*this);
          r.stream_size = 4;
          return r;
        },
        Execution::blob_io);
  }

  void start(ServerOptions options) {
    options.port = 0;
    options.handle_signals = false;
    pipeline = std::make_unique<Pipeline>(router, HttpPolicy{}, nullptr);
    server = std::make_unique<HttpServer>(options, *pipeline);
    port = server->port();
    runner = std::thread([this] { server->run(); });
    RawClient probe(port);  // learn the reactor thread
    probe.send(get_request("/inline"));
    ASSERT_EQ(status_of(probe.read_response()), 200);
  }

  // Waits (bounded by the test's own deadline) until `done` holds.
  template <class F>
  static void wait_until(F&& done) {
    while (!done()) std::this_thread::sleep_for(2ms);
  }

  void TearDown() override {
    gate.open();
    if (server) server->request_stop();
    if (runner.joinable()) runner.join();
  }

  Router router;
  Gate gate;
  std::unique_ptr<Pipeline> pipeline;
  std::unique_ptr<HttpServer> server;
  std::thread runner;
  std::uint16_t port = 0;
  std::thread::id reactor_thread;
  std::atomic<std::thread::id> source_released_on{};
};

TEST_F(ServerLoadTest, DatabaseRoutesAnswerWhileEveryBlobThreadIsStuck) {
  start({.offload_threads = 1, .blob_io_threads = 2});
  RawClient stuck1(port), stuck2(port);
  stuck1.send(get_request("/blob"));
  stuck2.send(get_request("/download"));  // stuck in a streamed read
  gate.wait_arrived(2);                   // both blob threads are held
  for (int i = 0; i < 3; ++i) {
    RawClient db(port);
    db.send(get_request("/db"));
    const auto r = db.read_response();
    EXPECT_EQ(status_of(r), 200);
    EXPECT_NE(r.find("db"), std::string::npos);
  }
  gate.open();
  EXPECT_EQ(status_of(stuck1.read_response()), 200);
  const auto download = stuck2.read_response();
  EXPECT_EQ(status_of(download), 200);
  EXPECT_NE(download.find("bbbb"), std::string::npos);
}

TEST_F(ServerLoadTest, FullQueueAnswers503WithRetryAfter) {
  start({.offload_threads = 1, .max_queued_requests = 1});
  RawClient running(port), queued(port);
  running.send(get_request("/hold"));
  gate.wait_arrived(1);  // the only offload thread is busy
  queued.send(get_request("/hold"));
  wait_until([&] { return server->stats().offload_waiting == 1; });  // the queue is full

  RawClient refused(port);
  refused.send(get_request("/db"));
  const auto r = refused.read_response();
  EXPECT_EQ(status_of(r), 503);
  EXPECT_NE(r.find("application/problem+json"), std::string::npos);
  EXPECT_NE(r.find("/docs/problems#server-busy"), std::string::npos);
  EXPECT_NE(r.find("Retry-After: 1"), std::string::npos);
  EXPECT_NE(r.find("max_queued_requests"), std::string::npos);

  RawClient other_pool(port);  // the blob pool has its own queue
  other_pool.send(get_request("/download"));
  gate.open();
  EXPECT_EQ(status_of(other_pool.read_response()), 200);
  EXPECT_EQ(status_of(running.read_response()), 200);
  EXPECT_EQ(status_of(queued.read_response()), 200);
}

TEST_F(ServerLoadTest, ConnectionsBeyondTheCapAreRefusedWith503) {
  start({.max_connections = 1});
  wait_until([&] { return server->stats().open_connections == 0; });  // the probe has gone
  {
    RawClient first(port);
    first.send(get_request("/inline"));
    ASSERT_EQ(status_of(first.read_response()), 200);  // open, idle on keep-alive

    RawClient second(port);
    second.send(get_request("/inline"));
    const auto r = second.read_response();
    EXPECT_EQ(status_of(r), 503);
    EXPECT_NE(r.find("/docs/problems#server-busy"), std::string::npos);
    EXPECT_NE(r.find("max_connections"), std::string::npos);
    EXPECT_TRUE(second.closed_by_peer());

    first.send(get_request("/inline"));  // the admitted one is unaffected
    EXPECT_EQ(status_of(first.read_response()), 200);
  }
  wait_until([&] { return server->stats().open_connections == 0; });
  RawClient later(port);
  later.send(get_request("/inline"));
  EXPECT_EQ(status_of(later.read_response()), 200);
}

TEST_F(ServerLoadTest, DownloadSourceIsReleasedOffTheReactor) {
  gate.open();
  start({});
  {
    RawClient c(port);
    // HEAD never reads the body. (The reader takes 4 bytes of the next response as
    // the announced body, hence a second request behind it.)
    c.send("HEAD /download HTTP/1.1\r\nHost: x\r\n\r\nGET /inline HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(status_of(c.read_response()), 200);
  }
  wait_until([&] { return source_released_on.load() != std::thread::id{}; });
  EXPECT_NE(source_released_on.load(), reactor_thread);
  source_released_on = std::thread::id{};
  {
    RawClient c(port);
    c.send(get_request("/download"));
    EXPECT_NE(c.read_response().find("bbbb"), std::string::npos);
  }
  wait_until([&] { return source_released_on.load() != std::thread::id{}; });
  EXPECT_NE(source_released_on.load(), reactor_thread);
}

}  // namespace
