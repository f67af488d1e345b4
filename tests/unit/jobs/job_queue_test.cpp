// The job queue over both drivers: claims, leases, exactly-once completion, recovery
// of lost workers, per-owner limits, priorities, cancellation, history and cache.
#include "jobs/job_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "core/ids.hpp"
#include "db/migrations.hpp"
#include "support/postgres_peer.hpp"

namespace mecapy::jobs {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class QueueTest : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mecapy-queue-" + random_hex(6));
    fs::create_directories(dir_);
    url_ = GetParam() == db::Dialect::sqlite
               ? "sqlite:" + (dir_ / "meta.db").string()
               : test_peers::PostgresPeer::instance().create_database("queue_" + random_hex(4));
    database_ = db::open_database(url_, 8);
    db::Migrator(*database_, db::builtin_migrations(database_->dialect())).up();
  }
  void TearDown() override { fs::remove_all(dir_); }

  JobRecord job(const std::string& owner = "alice", std::int64_t priority = 0) {
    JobRecord j;
    j.owner_id = owner;
    j.package_id = "p1";
    j.package_name = "fixtures";
    j.package_version = "1.0.0";
    j.function_version_id = "fv1";
    j.function_name = "noop";
    j.function_checksum = "c";
    j.interpreter = "3.11.2";
    j.platform_version = "0.1.0";
    j.cache_key = "k-" + owner;
    j.priority = priority;
    return j;
  }

  JobRecord completed_result() {
    JobRecord r;
    r.status = "completed";
    r.outputs = R"({"result":0.30000000000000004})";
    r.exit_reason = "ok";
    r.duration_ms = 12.5;
    return r;
  }

  fs::path dir_;
  std::string url_;
  std::unique_ptr<db::Database> database_;
};

TEST_P(QueueTest, AJobIsClaimedOnceAndFinishedOnce) {
  JobQueue queue(*database_);
  const auto queued = queue.enqueue(job());
  EXPECT_EQ(queued.status, "pending");
  auto claim = queue.claim("w1");
  ASSERT_TRUE(claim);
  EXPECT_EQ(claim->job.id, queued.id);
  EXPECT_EQ(claim->job.status, "running");
  EXPECT_EQ(claim->job.attempts, 1);
  EXPECT_EQ(claim->job.worker_id, "w1");
  EXPECT_FALSE(queue.claim("w2")) << "a running job is not claimed again";
  EXPECT_TRUE(queue.renew(*claim));
  const auto recorded = queue.finish(*claim, completed_result());
  ASSERT_TRUE(recorded);
  EXPECT_FALSE(queue.finish(*claim, completed_result())) << "a second completion is refused";
  const auto stored = queue.find("alice", queued.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(recorded->status, stored->status) << "finish() returns the row as written";
  EXPECT_EQ(recorded->outputs, stored->outputs);
  EXPECT_EQ(recorded->finished_at, stored->finished_at);
  EXPECT_FALSE(recorded->finished_at.empty());
  EXPECT_EQ(stored->status, "completed");
  EXPECT_EQ(stored->outputs, R"({"result":0.30000000000000004})");
  EXPECT_EQ(stored->duration_ms, 12.5);
  EXPECT_FALSE(stored->finished_at.empty());
  EXPECT_FALSE(queue.find("bob", queued.id)) << "owners see only their jobs";
}

TEST_P(QueueTest, AWorkerBackAfterItsLeaseExpiredCannotCompleteTheJob) {
  JobQueue queue(*database_, {std::chrono::milliseconds(50), 8});
  const auto queued = queue.enqueue(job());
  auto stale = queue.claim("w1");
  ASSERT_TRUE(stale);
  std::this_thread::sleep_for(120ms);
  EXPECT_EQ(queue.recover_expired(), 1u);
  EXPECT_EQ(queue.find("alice", queued.id)->status, "pending");
  auto fresh = queue.claim("w2");
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->job.attempts, 2);
  EXPECT_FALSE(queue.renew(*stale));
  EXPECT_FALSE(queue.finish(*stale, completed_result()));
  EXPECT_TRUE(queue.finish(*fresh, completed_result()));
  EXPECT_EQ(queue.find("alice", queued.id)->worker_id, "w2");
}

TEST_P(QueueTest, AfterMaxAttemptsALostJobFailsWithWorkerLost) {
  JobQueue queue(*database_, {std::chrono::milliseconds(20), 8});
  auto j = job();
  j.max_attempts = 2;
  const auto queued = queue.enqueue(j);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    ASSERT_TRUE(queue.claim("w")) << attempt;
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(queue.recover_expired(), 1u);
  }
  const auto stored = queue.find("alice", queued.id);
  EXPECT_EQ(stored->status, "failed");
  EXPECT_EQ(stored->exit_reason, "worker_lost");
  EXPECT_NE(stored->error.find("WorkerLost"), std::string::npos);
  EXPECT_FALSE(queue.claim("w"));
}

TEST_P(QueueTest, ReleasedJobsGoBackWithoutCountingTheAttempt) {
  JobQueue queue(*database_);
  queue.enqueue(job());
  auto claim = queue.claim("w1");
  ASSERT_TRUE(claim);
  EXPECT_TRUE(queue.release(*claim));
  auto again = queue.claim("w2");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->job.attempts, 1);
  EXPECT_FALSE(queue.release(*claim));
}

TEST_P(QueueTest, HigherPriorityFirstThenOldest) {
  JobQueue queue(*database_);
  const auto low = queue.enqueue(job("alice", 0));
  std::this_thread::sleep_for(2ms);
  const auto high = queue.enqueue(job("alice", 5));
  std::this_thread::sleep_for(2ms);
  const auto low2 = queue.enqueue(job("alice", 0));
  EXPECT_EQ(queue.claim("w")->job.id, high.id);
  EXPECT_EQ(queue.claim("w")->job.id, low.id);
  EXPECT_EQ(queue.claim("w")->job.id, low2.id);
}

TEST_P(QueueTest, AnOwnersExcessWaitsWhileOthersRun) {
  JobQueue queue(*database_, {std::chrono::seconds(30), 2});
  // Apart by more than the millisecond creation times are kept to, so that the
  // order of the claims is the order of submission.
  for (int i = 0; i < 4; ++i) {
    queue.enqueue(job("alice"));
    std::this_thread::sleep_for(2ms);
  }
  const auto bob = queue.enqueue(job("bob"));
  auto a1 = queue.claim("w");
  auto a2 = queue.claim("w");
  ASSERT_TRUE(a1 && a2);
  EXPECT_EQ(a1->job.owner_id, "alice");
  EXPECT_EQ(a2->job.owner_id, "alice");
  const auto third = queue.claim("w");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->job.id, bob.id) << "alice's third job waits; bob's runs";
  EXPECT_FALSE(queue.claim("w"));
  ASSERT_TRUE(queue.finish(*a1, completed_result()));
  const auto next = queue.claim("w");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->job.owner_id, "alice");
  EXPECT_EQ(queue.list("alice", {}).total, 4) << "waiting jobs are kept, not failed";
}

TEST_P(QueueTest, CancellingPendingAndRunningJobs) {
  JobQueue queue(*database_);
  const auto first = queue.enqueue(job());
  const auto second = queue.enqueue(job());
  auto running = queue.claim("w");
  ASSERT_TRUE(running);
  const auto pending_id = running->job.id == first.id ? second.id : first.id;
  EXPECT_EQ(queue.cancel("alice", pending_id)->status, "cancelled");
  EXPECT_FALSE(queue.claim("w")) << "a cancelled job never starts";
  EXPECT_EQ(queue.cancel("alice", running->job.id)->status, "running");
  EXPECT_TRUE(queue.cancel_requested(running->job.id));
  EXPECT_FALSE(queue.cancel("bob", running->job.id));
  JobRecord result;
  result.status = "cancelled";
  result.exit_reason = "killed";
  EXPECT_TRUE(queue.finish(*running, result));
  EXPECT_EQ(queue.find("alice", running->job.id)->status, "cancelled");
}

TEST_P(QueueTest, HistoryFiltersAndTheCache) {
  JobQueue queue(*database_);
  auto a = queue.enqueue(job());
  auto claim = queue.claim("w");
  ASSERT_TRUE(queue.finish(*claim, completed_result()));
  auto other = job();
  other.function_name = "scale";
  queue.enqueue(other);
  EXPECT_EQ(queue.list("alice", {}).total, 2);
  JobQuery by_function;
  by_function.function = "scale";
  EXPECT_EQ(queue.list("alice", by_function).total, 1);
  JobQuery by_status;
  by_status.status = "completed";
  EXPECT_EQ(queue.list("alice", by_status).items.at(0).id, a.id);
  JobQuery by_package;
  by_package.package = "fixtures";
  EXPECT_EQ(queue.list("alice", by_package).total, 2);
  const auto hit = queue.cached_result("k-alice");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->id, a.id);
  EXPECT_FALSE(queue.cached_result("k-nobody"));
  auto reused = job();
  reused.status = "completed";
  reused.cached_from = a.id;
  reused.outputs = hit->outputs;
  const auto recorded = queue.record_final(reused);
  EXPECT_EQ(queue.find("alice", recorded.id)->cached_from, a.id);
  EXPECT_EQ(queue.cached_result("k-alice")->id, a.id) << "a cache hit is not itself a source";
}

TEST_P(QueueTest, ConcurrentWorkersTakeEveryJobExactlyOnce) {
  JobQueue queue(*database_, {std::chrono::seconds(30), 1000});
  constexpr int kJobs = 200;
  for (int i = 0; i < kJobs; ++i) queue.enqueue(job("owner" + std::to_string(i % 7)));
  std::mutex mutex;
  std::multiset<std::string> taken;
  std::atomic<int> finished{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      auto own = db::open_database(url_, 2);
      JobQueue mine(*own, {std::chrono::seconds(30), 1000});
      while (true) {
        auto claim = mine.claim("w" + std::to_string(w));
        if (!claim) break;
        {
          std::lock_guard lock(mutex);
          taken.insert(claim->job.id);
        }
        if (mine.finish(*claim, completed_result())) ++finished;
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(taken.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(std::set<std::string>(taken.begin(), taken.end()).size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(finished.load(), kJobs);
  JobQuery completed;
  completed.status = "completed";
  std::int64_t total = 0;
  for (int o = 0; o < 7; ++o) total += queue.list("owner" + std::to_string(o), completed).total;
  EXPECT_EQ(total, kJobs);
}

INSTANTIATE_TEST_SUITE_P(Drivers, QueueTest, ::testing::Values(db::Dialect::sqlite, db::Dialect::postgres),
                         [](const auto& info) { return info.param == db::Dialect::sqlite ? "sqlite" : "postgres"; });

}  // namespace
}  // namespace mecapy::jobs
