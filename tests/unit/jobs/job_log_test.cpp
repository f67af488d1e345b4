// The job log over both drivers: entries numbered from 0 per job in order, read from
// any index with a limit, kept apart per job, and two writers that race for the same
// numbers cannot both store theirs.
#include "jobs/job_log.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "db/migrations.hpp"
#include "support/postgres_peer.hpp"

namespace mecapy::jobs {
namespace {

namespace fs = std::filesystem;

class JobLogTest : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mecapy-log-" + random_hex(6));
    fs::create_directories(dir_);
    const std::string url = GetParam() == db::Dialect::sqlite
                                ? "sqlite:" + (dir_ / "meta.db").string()
                                : test_peers::PostgresPeer::instance().create_database("log_" + random_hex(4));
    database_ = db::open_database(url, 4);
    db::Migrator(*database_, db::builtin_migrations(database_->dialect())).up();
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::unique_ptr<db::Database> database_;
};

TEST_P(JobLogTest, EntriesAreNumberedInOrderAndReadFromAnyIndex) {
  JobLog log(*database_);
  EXPECT_EQ(log.append("j1", {{0, "stdout", "one\n"}, {0, "stderr", "two\n"}}), 2);
  EXPECT_EQ(log.append("j1", {{0, "progress", R"({"pct":50})"}}), 3);
  EXPECT_EQ(log.append("j2", {{0, "stdout", "other job\n"}}), 1);
  const auto all = log.read("j1", 0, 100);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].index, 0);
  EXPECT_EQ(all[1].kind, "stderr");
  EXPECT_EQ(all[2].text, R"({"pct":50})");
  const auto tail = log.read("j1", 1, 1);
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0].text, "two\n");
  EXPECT_TRUE(log.read("j1", 3, 100).empty());
  EXPECT_EQ(log.read("j2", 0, 100).at(0).text, "other job\n");
}

TEST_P(JobLogTest, TextIsStoredExactly) {
  JobLog log(*database_);
  const std::string text = "tab\there \xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa9 'quote' \"dq\" \\ \r\n";
  log.append("j1", {{0, "stdout", text}});
  EXPECT_EQ(log.read("j1", 0, 1).at(0).text, text);
}

TEST_P(JobLogTest, AnIndexAlreadyTakenIsAConflictAndStoresNothing) {
  JobLog log(*database_);
  log.append("j1", {{0, "stdout", "first\n"}});
  // What a racing writer does: the same number again.
  EXPECT_THROW(database_->execute("INSERT INTO job_logs (job_id, seq, kind, chunk, created_at) VALUES "
                                  "('j1', 0, 'stdout', 'again', '')"),
               Error);
  ASSERT_EQ(log.read("j1", 0, 10).size(), 1u);
  EXPECT_EQ(log.read("j1", 0, 10).at(0).text, "first\n");
}

INSTANTIATE_TEST_SUITE_P(Drivers, JobLogTest, ::testing::Values(db::Dialect::sqlite, db::Dialect::postgres),
                         [](const auto& info) { return info.param == db::Dialect::sqlite ? "sqlite" : "postgres"; });

}  // namespace
}  // namespace mecapy::jobs
