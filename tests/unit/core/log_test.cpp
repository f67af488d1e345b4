#include "core/log.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/log_writer.hpp"

using namespace mecapy;

namespace {
const std::vector<std::string> kFields = {"timestamp", "level",  "service",     "request_id",  "user_id",
                                          "endpoint",  "method", "status_code", "duration_ms", "message"};
}

TEST(Log, LineHasExactlyTheContractFields) {
  const auto line = format_log_line(LogLevel::info, "mecapyd", "started", nullptr);
  ASSERT_EQ(line.back(), '\n');
  const auto v = boost::json::parse(line).as_object();
  EXPECT_EQ(v.size(), kFields.size());
  for (const auto& f : kFields) EXPECT_TRUE(v.contains(f)) << f;
  EXPECT_TRUE(v.at("request_id").is_null());
  EXPECT_EQ(v.at("message").as_string(), "started");
}

TEST(Log, RequestContextAndTraceId) {
  LogContext c;
  c.request_id = "r1";
  c.endpoint = "/api/v1/x/{id}";
  c.method = "GET";
  c.status_code = 404;
  c.duration_ms = 1.5;
  c.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  const auto v = boost::json::parse(format_log_line(LogLevel::warning, "s", "quote \" and\nnewline", &c)).as_object();
  EXPECT_EQ(v.size(), kFields.size() + 1);
  EXPECT_EQ(v.at("status_code").as_int64(), 404);
  EXPECT_EQ(v.at("level").as_string(), "warning");
  EXPECT_EQ(v.at("trace_id").as_string(), c.trace_id);
  EXPECT_EQ(v.at("message").as_string(), "quote \" and\nnewline");
  EXPECT_NE(format_log_line(LogLevel::info, "s", "m", &c).find("\"duration_ms\":1.500,"), std::string::npos);
}

TEST(Log, LevelFilterAndSink) {
  std::vector<std::string> lines;
  configure_logging("test", LogLevel::warning, [&](std::string_view l) { lines.emplace_back(l); });
  log_info("hidden");
  log_error("shown");
  configure_logging("mecapyd", LogLevel::info);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"shown\""), std::string::npos);
  EXPECT_EQ(parse_log_level("warn"), LogLevel::warning);
  EXPECT_FALSE(parse_log_level("loud"));
}

namespace {

// A sink that holds the writer thread inside its first call until released, so a
// test can fill the queue behind it deterministically.
struct GatedSink {
  std::mutex mutex;
  std::condition_variable cv;
  bool entered = false;
  bool open = false;
  std::vector<std::string> lines;

  LogSink sink() {
    return [this](std::string_view line) {
      std::unique_lock lock(mutex);
      lines.emplace_back(line);
      entered = true;
      cv.notify_all();
      cv.wait(lock, [this] { return open; });
    };
  }
  void wait_entered() {
    std::unique_lock lock(mutex);
    cv.wait(lock, [this] { return entered; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }
};

}  // namespace

TEST(LogWriter, DeliversInOrderOnItsOwnThread) {
  std::vector<std::string> got;
  std::thread::id writer_thread;
  {
    LogWriter w(16, [&](std::string_view l) {
      got.emplace_back(l);
      writer_thread = std::this_thread::get_id();
    });
    for (int i = 0; i < 10; ++i) EXPECT_TRUE(w.push("line " + std::to_string(i) + "\n"));
    w.flush();
    EXPECT_EQ(got.size(), 10u);
    EXPECT_EQ(w.dropped(), 0u);
  }
  EXPECT_EQ(got.front(), "line 0\n");
  EXPECT_EQ(got.back(), "line 9\n");
  EXPECT_NE(writer_thread, std::this_thread::get_id());
}

TEST(LogWriter, FullQueueDropsAndCountsInsteadOfBlocking) {
  GatedSink gate;
  LogWriter w(2, gate.sink());
  ASSERT_TRUE(w.push("first\n"));
  gate.wait_entered();  // the writer thread is stuck delivering "first"
  EXPECT_TRUE(w.push("second\n"));
  EXPECT_TRUE(w.push("third\n"));
  EXPECT_FALSE(w.push("fourth\n"));  // the queue holds 2: refused at once, not waited for
  EXPECT_FALSE(w.push("fifth\n"));
  EXPECT_EQ(w.dropped(), 2u);
  gate.release();
  w.flush();
  EXPECT_EQ(gate.lines, (std::vector<std::string>{"first\n", "second\n", "third\n"}));
}

TEST(LogWriter, DestructionDeliversWhatWasAccepted) {
  std::vector<std::string> got;
  {
    LogWriter w(64, [&](std::string_view l) { got.emplace_back(l); });
    for (int i = 0; i < 50; ++i) w.push("x\n");
  }
  EXPECT_EQ(got.size(), 50u);
}

TEST(Log, AsynchronousLoggingNeverBlocksTheCaller) {
  GatedSink gate;
  configure_logging("test", LogLevel::info, gate.sink());
  start_async_logging(2);
  const auto dropped_before = log_lines_dropped();
  log_info("one");
  gate.wait_entered();
  log_info("two");
  log_info("three");
  log_info("four");  // dropped: the caller returns although the sink is stuck
  EXPECT_EQ(log_lines_dropped() - dropped_before, 1u);
  gate.release();
  flush_logs();
  stop_async_logging();
  configure_logging("mecapyd", LogLevel::info);
  ASSERT_EQ(gate.lines.size(), 3u);
  EXPECT_NE(gate.lines[2].find("\"three\""), std::string::npos);
}

TEST(Log, ConfiguringWhileAsynchronousFlushesToTheOldSink) {
  std::vector<std::string> first, second;
  configure_logging("test", LogLevel::info, [&](std::string_view l) { first.emplace_back(l); });
  start_async_logging(64);
  log_info("to the first");
  configure_logging("test", LogLevel::info, [&](std::string_view l) { second.emplace_back(l); });
  log_info("to the second");
  flush_logs();
  stop_async_logging();
  configure_logging("mecapyd", LogLevel::info);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(second[0].find("to the second"), std::string::npos);
}
