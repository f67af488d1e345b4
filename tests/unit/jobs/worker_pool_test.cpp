// The worker pool's own rules, with an executor defined here whose runs last until
// they are told to end (so the tests decide when a job is "running"): every job is
// run and recorded once, cancel requests reach the run, a stopping pool hands its
// jobs back, and a failing executor fails the job instead of the process.
#include "jobs/worker_pool.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "db/migrations.hpp"

namespace mecapy::jobs {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Runs "finish" immediately, "brief" for 300 ms, "wait" until cancelled, "broken" throws
// at prepare; "chatty" writes output and a progress line, then waits until the test has
// seen its output in the job log (so the log is proven to fill while the job runs),
// then finishes.
class ScriptedExecutor final : public Executor {
 public:
  std::atomic<int> started{0};
  std::atomic<bool> output_seen{false};

  std::unique_ptr<PreparedJob> prepare(const ExecutionRequest& request) override {
    if (request.handler == "broken") throw Error(ErrorKind::corrupted, "blob-corrupted", "the sources are damaged");
    return std::make_unique<Prepared>(request.handler, *this);
  }

 private:
  class Prepared final : public PreparedJob {
   public:
    Prepared(std::string mode, ScriptedExecutor& owner) : mode_(std::move(mode)), owner_(owner) {}
    void run(const sandbox::CancelSignal* cancel, const OutputObserver& on_output) override {
      ++owner_.started;
      if (mode_ == "chatty") {
        on_output("stdout", "step 1\n");
        on_output("stderr", "warn \xc3");  // a character cut between two reads
        on_output("stderr", "\xa9\n");
        progress_ready_ = true;
        for (int i = 0; i < 400 && !owner_.output_seen.load(); ++i) std::this_thread::sleep_for(25ms);
        on_output("stdout", "step 2\n");
        return;
      }
      if (mode_ != "wait" && mode_ != "brief") return;
      pollfd fd{cancel->fd(), POLLIN, 0};
      ::poll(&fd, 1, mode_ == "wait" ? 20'000 : 300);
      cancelled_ = cancel->cancelled();
    }
    std::vector<boost::json::value> new_progress() override {
      if (!progress_ready_.exchange(false)) return {};
      return {boost::json::object{{"pct", 50}, {"msg", "half"}}};
    }
    ExecutionResult collect() override {
      ExecutionResult r;
      r.status = cancelled_ ? "cancelled" : "completed";
      r.exit_reason = cancelled_ ? "killed" : "ok";
      r.outputs = {{"result", 0}};
      return r;
    }

   private:
    std::string mode_;
    ScriptedExecutor& owner_;
    bool cancelled_ = false;
    std::atomic<bool> progress_ready_{false};
  };
};

class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mecapy-pool-" + random_hex(6));
    fs::create_directories(dir_);
    database_ = db::open_database("sqlite:" + (dir_ / "meta.db").string(), 8);
    db::Migrator(*database_, db::builtin_migrations(database_->dialect())).up();
    queue_ = std::make_unique<JobQueue>(*database_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string enqueue(const std::string& mode) {
    JobRecord j;
    j.owner_id = "alice";
    j.function_version_id = "fv";
    j.function_name = mode;
    return queue_->enqueue(j).id;
  }

  JobPlanner planner() {
    return [](const JobRecord& job) {
      ExecutionRequest r;
      r.job_id = job.id;
      r.handler = job.function_name;
      return r;
    };
  }

  std::string status_of(const std::string& id) { return queue_->find("alice", id)->status; }

  template <class Predicate>
  bool eventually(Predicate predicate) {
    for (int i = 0; i < 400; ++i) {
      if (predicate()) return true;
      std::this_thread::sleep_for(25ms);
    }
    return predicate();
  }

  fs::path dir_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<JobQueue> queue_;
  ScriptedExecutor executor_;
};

TEST_F(PoolTest, EveryJobRunsAndIsRecordedOnce) {
  std::mutex mutex;
  std::multiset<std::string> finished;
  WorkerPool pool(*queue_, executor_, planner(), {"w1", 3, 50ms}, [&](const JobRecord& job) {
    std::lock_guard lock(mutex);
    finished.insert(job.id);
  });
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) ids.insert(enqueue("finish"));
  pool.start();
  pool.wake();
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return finished.size() == ids.size();
  }));
  pool.stop(false);
  EXPECT_EQ(std::set<std::string>(finished.begin(), finished.end()), ids);
  EXPECT_EQ(executor_.started.load(), 50);
  for (const auto& id : ids) EXPECT_EQ(status_of(id), "completed");
}

TEST_F(PoolTest, ACancelRequestStopsTheRunningJob) {
  WorkerPool pool(*queue_, executor_, planner(), {"w1", 1, 50ms});
  const auto id = enqueue("wait");
  pool.start();
  ASSERT_TRUE(eventually([&] { return status_of(id) == "running"; }));
  EXPECT_EQ(queue_->cancel("alice", id)->status, "running");
  ASSERT_TRUE(eventually([&] { return status_of(id) == "cancelled"; }));
  pool.stop(false);
}

TEST_F(PoolTest, AStoppingPoolHandsItsJobsBack) {
  auto pool = std::make_unique<WorkerPool>(*queue_, executor_, planner(), WorkerOptions{"w1", 1, 50ms});
  const auto id = enqueue("wait");
  pool->start();
  ASSERT_TRUE(eventually([&] { return status_of(id) == "running"; }));
  pool->stop(true);
  const auto job = queue_->find("alice", id);
  EXPECT_EQ(job->status, "pending");
  EXPECT_EQ(job->attempts, 0) << "a job handed back does not count an attempt";
}

TEST_F(PoolTest, StoppingWithinAGraceLetsTheJobInFlightFinish) {
  std::atomic<int> finished{0};
  WorkerPool pool(*queue_, executor_, planner(), {"w1", 1, 50ms}, [&](const JobRecord&) { ++finished; });
  const auto id = enqueue("brief");
  pool.start();
  ASSERT_TRUE(eventually([&] { return status_of(id) == "running"; }));
  const auto next = enqueue("finish");  // queued behind it, for the slot's next claim
  pool.stop_within(20s);
  EXPECT_EQ(status_of(id), "completed");
  EXPECT_EQ(finished.load(), 1);
  EXPECT_EQ(status_of(next), "pending") << "a stopping pool claims no new job";
}

TEST_F(PoolTest, PastTheGraceTheJobStillRunningIsHandedBack) {
  WorkerPool pool(*queue_, executor_, planner(), {"w1", 1, 50ms});
  const auto id = enqueue("wait");
  pool.start();
  ASSERT_TRUE(eventually([&] { return status_of(id) == "running"; }));
  pool.stop_within(100ms);
  const auto job = queue_->find("alice", id);
  EXPECT_EQ(job->status, "pending");
  EXPECT_EQ(job->attempts, 0) << "a job handed back does not count an attempt";
}

TEST_F(PoolTest, AJobThatCannotBePreparedFailsWithTheReason) {
  WorkerPool pool(*queue_, executor_, planner(), {"w1", 1, 50ms});
  const auto id = enqueue("broken");
  pool.start();
  ASSERT_TRUE(eventually([&] { return status_of(id) == "failed"; }));
  pool.stop(false);
  const auto job = queue_->find("alice", id);
  EXPECT_EQ(job->exit_reason, "platform_error");
  EXPECT_NE(job->error.find("the sources are damaged"), std::string::npos) << job->error;
}

TEST_F(PoolTest, OutputAndProgressReachTheLogWhileTheJobRunsAndEventsAnnounceIt) {
  JobLog log(*database_);
  events::EventBus bus;
  std::mutex mutex;
  std::vector<std::string> seen_events;
  auto subscription = bus.subscribe([&](const events::Event& e) {
    std::lock_guard lock(mutex);
    seen_events.push_back(e.type);
  });
  WorkerPool pool(*queue_, executor_, planner(), {"w1", 1, 50ms});
  pool.set_log(&log);
  pool.set_events(&bus);
  const auto id = enqueue("chatty");
  pool.start();
  ASSERT_TRUE(eventually([&] { return log.read(id, 0, 100).size() >= 3; })) << "the log fills while the job runs";
  EXPECT_EQ(status_of(id), "running");
  executor_.output_seen = true;
  ASSERT_TRUE(eventually([&] { return status_of(id) == "completed"; }));
  pool.stop(false);
  const auto entries = log.read(id, 0, 100);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].kind, "stdout");
  EXPECT_EQ(entries[0].text, "step 1\n");
  EXPECT_EQ(entries[1].kind, "stderr");
  EXPECT_EQ(entries[1].text, "warn \xc3\xa9\n") << "the cut character is joined again";
  EXPECT_EQ(entries[2].kind, "progress");
  EXPECT_EQ(entries[2].text, R"({"pct":50,"msg":"half"})");
  EXPECT_EQ(entries[3].text, "step 2\n") << "the last output is in the log before the job is final";
  for (std::size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(entries[i].index, static_cast<std::int64_t>(i));
  std::lock_guard lock(mutex);
  ASSERT_GE(seen_events.size(), 3u);
  EXPECT_EQ(seen_events.front(), "job.started");
  EXPECT_EQ(seen_events.back(), "job.finished");
  EXPECT_NE(std::find(seen_events.begin(), seen_events.end(), "job.output"), seen_events.end());
}

TEST_F(PoolTest, AQueuedEventWakesAnIdleSlotBeforeItsPoll) {
  events::EventBus bus;
  WorkerPool pool(*queue_, executor_, planner(), {"w1", 1, 60s});
  pool.set_events(&bus);
  pool.start();
  std::this_thread::sleep_for(100ms);  // the slot is asleep for a minute now
  const auto id = enqueue("finish");
  bus.publish({"job.queued", id, "alice"});
  EXPECT_TRUE(eventually([&] { return status_of(id) == "completed"; }));
  pool.stop(false);
}

}  // namespace
}  // namespace mecapy::jobs
