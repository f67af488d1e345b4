// /metrics exports what the log writer dropped.
#include "http/metrics.hpp"

#include <gtest/gtest.h>

#include "core/log.hpp"
#include "raw_client.hpp"

using namespace mecapy;
using mecapy::http::test_support::Gate;

TEST(Metrics, ExportsDroppedLogLines) {
  Gate gate;
  configure_logging("test", LogLevel::info, [&](std::string_view) { gate.pass(); });
  start_async_logging(1);
  const auto before = log_lines_dropped();
  log_info("delivered");
  gate.wait_arrived(1);
  log_info("queued");
  log_info("dropped");
  const auto dropped = log_lines_dropped();
  EXPECT_EQ(dropped - before, 1u);
  http::Metrics metrics;
  const std::string text = metrics.render();
  gate.open();
  stop_async_logging();
  configure_logging("mecapyd", LogLevel::info);
  EXPECT_NE(text.find("mecapy_log_lines_dropped_total " + std::to_string(dropped)), std::string::npos) << text;
}
