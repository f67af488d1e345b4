#include "core/log.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <vector>

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
