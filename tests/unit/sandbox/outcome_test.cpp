// Reason precedence and result JSON.
#include "sandbox/outcome.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include "sandbox/output_capture.hpp"

namespace mecapy::sandbox {
namespace {

TEST(SandboxOutcome, CleanExitIsOk) {
  RunFacts facts;
  facts.exit_code = 0;
  EXPECT_EQ(decide_outcome(facts).reason, Reason::ok);
  EXPECT_EQ(decide_outcome(facts).message, "");
}

TEST(SandboxOutcome, NonZeroExitNamesTheStatus) {
  RunFacts facts;
  facts.exit_code = 3;
  const auto outcome = decide_outcome(facts);
  EXPECT_EQ(outcome.reason, Reason::exit_nonzero);
  EXPECT_EQ(outcome.message, "exited with status 3");
}

TEST(SandboxOutcome, SetupErrorWinsOverEverything) {
  RunFacts facts;
  facts.setup_error = "mount /usr: EPERM";
  facts.timed_out = true;
  facts.oom_kills = 1;
  const auto outcome = decide_outcome(facts);
  EXPECT_EQ(outcome.reason, Reason::sandbox_error);
  EXPECT_EQ(outcome.message, "mount /usr: EPERM");
}

TEST(SandboxOutcome, StopsByTheSupervisorComeBeforeTheSignalTheyCaused) {
  RunFacts facts;
  facts.signal = SIGKILL;
  facts.timed_out = true;
  EXPECT_EQ(decide_outcome(facts).reason, Reason::timeout);
  facts.output_overflow = true;
  EXPECT_EQ(decide_outcome(facts).reason, Reason::output_limit);
  facts.cancelled = true;
  EXPECT_EQ(decide_outcome(facts).reason, Reason::killed);
  EXPECT_EQ(decide_outcome(facts).message, "cancelled");
}

TEST(SandboxOutcome, OomKillIsMemoryLimit) {
  RunFacts facts;
  facts.signal = SIGKILL;
  facts.oom_kills = 1;
  EXPECT_EQ(decide_outcome(facts).reason, Reason::memory_limit);
}

TEST(SandboxOutcome, CpuLimitBySigxcpuOrByKillAfterTheLimit) {
  RunFacts facts;
  facts.signal = SIGXCPU;
  facts.cpu_time_limit = std::chrono::seconds(2);
  EXPECT_EQ(decide_outcome(facts).reason, Reason::cpu_limit);
  facts.signal = SIGKILL;
  facts.cpu_time_ms = 2500;
  EXPECT_EQ(decide_outcome(facts).reason, Reason::cpu_limit);
  facts.cpu_time_ms = 100;
  EXPECT_EQ(decide_outcome(facts).reason, Reason::killed);
}

TEST(SandboxOutcome, OtherSignalIsKilledAndNamed) {
  RunFacts facts;
  facts.signal = SIGSEGV;
  const auto outcome = decide_outcome(facts);
  EXPECT_EQ(outcome.reason, Reason::killed);
  EXPECT_EQ(outcome.message, "killed by signal SIGSEGV");
}

TEST(SandboxResult, JsonCarriesEveryField) {
  RunResult result;
  result.reason = Reason::timeout;
  result.signal = SIGKILL;
  result.cgroup_version = "v1";
  result.stdout_output = {"out", true};
  const auto json = to_json(result);
  EXPECT_EQ(json.at("reason").as_string(), "timeout");
  EXPECT_TRUE(json.at("exit_code").is_null());
  EXPECT_EQ(json.at("signal").as_int64(), SIGKILL);
  EXPECT_EQ(json.at("cgroup").as_string(), "v1");
  EXPECT_EQ(json.at("stdout").as_string(), "out");
  EXPECT_TRUE(json.at("stdout_truncated").as_bool());
  EXPECT_FALSE(json.at("stderr_truncated").as_bool());
}

TEST(SandboxResult, EveryReasonHasItsName) {
  EXPECT_EQ(to_string(Reason::ok), "ok");
  EXPECT_EQ(to_string(Reason::exit_nonzero), "exit_nonzero");
  EXPECT_EQ(to_string(Reason::memory_limit), "memory_limit");
  EXPECT_EQ(to_string(Reason::cpu_limit), "cpu_limit");
  EXPECT_EQ(to_string(Reason::output_limit), "output_limit");
  EXPECT_EQ(to_string(Reason::killed), "killed");
  EXPECT_EQ(to_string(Reason::sandbox_error), "sandbox_error");
}

TEST(SandboxOutputCapture, KeepsEverythingUpToTheLimit) {
  OutputCapture capture(10);
  EXPECT_TRUE(capture.append("hello"));
  EXPECT_TRUE(capture.append("world"));
  EXPECT_FALSE(capture.overflowed());
  const auto output = capture.take();
  EXPECT_EQ(output.text, "helloworld");
  EXPECT_FALSE(output.truncated);
}

TEST(SandboxOutputCapture, TruncatesWithAMarkerAndRefusesMore) {
  OutputCapture capture(4);
  EXPECT_FALSE(capture.append("abcdef"));
  EXPECT_FALSE(capture.append("more"));
  const auto output = capture.take();
  EXPECT_TRUE(output.truncated);
  EXPECT_EQ(output.text, "abcd" + OutputCapture::marker(4));
  EXPECT_NE(OutputCapture::marker(4).find("truncated at 4 bytes"), std::string::npos);
}

}  // namespace
}  // namespace mecapy::sandbox
