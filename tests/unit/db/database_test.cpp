// The storage suite: the same tests against both drivers (SQLite and a real
// PostgreSQL started by tests/peers/postgres).
#include "db/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/errors.hpp"
#include "db/instance_store.hpp"
#include "db/migrations.hpp"
#include "support/postgres_peer.hpp"

using namespace mecapy;
using namespace mecapy::db;

namespace {

int g_counter = 0;

class DatabaseSuite : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    const std::string name = "suite_" + std::to_string(::getpid()) + "_" + std::to_string(++g_counter);
    if (GetParam() == Dialect::sqlite) {
      dir_ = std::filesystem::temp_directory_path() / name;
      url_ = "sqlite:" + (dir_ / "nested" / "meta.db").string();
    } else {
      url_ = test_peers::PostgresPeer::instance().create_database(name);
    }
    db_ = open_database(url_, 4);
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::vector<std::string> tables() {
    const char* sql =
        GetParam() == Dialect::sqlite
            ? "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            : "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY tablename";
    std::vector<std::string> out;
    for (const auto& r : db_->execute(sql).rows) out.push_back(r.text(0));
    return out;
  }

  std::filesystem::path dir_;
  std::string url_;
  std::unique_ptr<Database> db_;
};

TEST_P(DatabaseSuite, RoundTripsEveryValueType) {
  db_->execute("CREATE TABLE t (i BIGINT, d DOUBLE PRECISION, s TEXT, n TEXT)");
  const auto ins = db_->execute("INSERT INTO t (i, d, s, n) VALUES ($1, $2, $3, $4)",
                                {std::int64_t{-42}, 2.5, std::string("it's \"quoted\" $1 ?"), nullptr});
  EXPECT_EQ(ins.affected_rows, 1);
  const auto r = db_->execute("SELECT i, d, s, n FROM t WHERE s = $1", {std::string("it's \"quoted\" $1 ?")});
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.columns, (std::vector<std::string>{"i", "d", "s", "n"}));
  EXPECT_EQ(r.rows[0].int64(0), -42);
  EXPECT_DOUBLE_EQ(std::get<double>(r.rows[0].values[1]), 2.5);
  EXPECT_EQ(r.rows[0].text(2), "it's \"quoted\" $1 ?");
  EXPECT_TRUE(r.rows[0].is_null(3));
}

TEST_P(DatabaseSuite, RepeatedStatementsSeeSchemaChangesAndManyDistinctTexts) {
  db_->execute("CREATE TABLE s (a BIGINT)");
  db_->execute("INSERT INTO s (a) VALUES (1)");
  EXPECT_EQ(db_->execute("SELECT * FROM s").columns.size(), 1u);
  db_->execute("ALTER TABLE s ADD COLUMN b TEXT");
  EXPECT_EQ(db_->execute("SELECT * FROM s").columns.size(), 2u);  // a reused statement follows the schema
  for (int i = 0; i < 100; ++i)                                   // more distinct texts than any statement cache holds
    EXPECT_EQ(db_->execute("SELECT a + " + std::to_string(i) + " FROM s").rows.at(0).int64(0), 1 + i);
  EXPECT_THROW(db_->execute("SELECT a FROM s WHERE a = $1", {std::string("x"), std::string("too many")}), Error);
  EXPECT_EQ(db_->execute("SELECT a FROM s WHERE a = $1", {std::int64_t{1}}).rows.size(), 1u);  // binding reset
}

TEST_P(DatabaseSuite, ConstraintViolationIsAConflict) {
  db_->execute("CREATE TABLE u (k TEXT PRIMARY KEY)");
  db_->execute("INSERT INTO u (k) VALUES ($1)", {std::string("a")});
  try {
    db_->execute("INSERT INTO u (k) VALUES ($1)", {std::string("a")});
    FAIL() << "duplicate key accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
  }
}

TEST_P(DatabaseSuite, BadSqlIsInternal) {
  try {
    db_->execute("SELEKT 1");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::internal);
  }
}

TEST_P(DatabaseSuite, TransactionCommitsOrRollsBack) {
  db_->execute("CREATE TABLE acc (k TEXT PRIMARY KEY, v BIGINT)");
  db_->transaction([](Connection& c) { c.execute("INSERT INTO acc VALUES ('a', 1)"); });
  EXPECT_THROW(db_->transaction([](Connection& c) {
    c.execute("INSERT INTO acc VALUES ('b', 2)");
    throw std::runtime_error("abort");
  }),
               std::runtime_error);
  const auto r = db_->execute("SELECT k FROM acc ORDER BY k");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].text(0), "a");
}

TEST_P(DatabaseSuite, ConcurrentWritersThroughThePool) {
  db_->execute("CREATE TABLE hits (id BIGINT PRIMARY KEY)");
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) db_->execute("INSERT INTO hits (id) VALUES ($1)", {std::int64_t{next++}});
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(db_->execute("SELECT COUNT(*) FROM hits").rows[0].int64(0), 150);
}

TEST_P(DatabaseSuite, MigrationsRoundTrip) {
  Migrator m(*db_, builtin_migrations(GetParam()));
  const auto total = builtin_migrations(GetParam()).size();
  ASSERT_GT(total, 0u);
  EXPECT_EQ(m.up().size(), total);
  EXPECT_TRUE(m.up().empty());  // idempotent
  const auto with_schema = tables();
  EXPECT_NE(std::find(with_schema.begin(), with_schema.end(), "instance"), with_schema.end());
  for (const auto& s : m.status()) EXPECT_TRUE(s.applied) << s.version;

  EXPECT_EQ(m.down(static_cast<int>(total)).size(), total);
  EXPECT_EQ(m.current_version(), 0);
  EXPECT_EQ(tables(), std::vector<std::string>{"schema_migrations"});
  EXPECT_TRUE(m.down(1).empty());  // nothing left to revert

  EXPECT_EQ(m.up().size(), total);
  EXPECT_EQ(tables(), with_schema);
  const auto info = ensure_instance(*db_, "test");
  EXPECT_EQ(ensure_instance(*db_, "other").id, info.id);  // created once
}

TEST_P(DatabaseSuite, FailingMigrationLeavesSchemaUntouched) {
  std::vector<Migration> ms = {{1, "good", "CREATE TABLE good (x TEXT)", "DROP TABLE good"},
                               {2, "bad", "CREATE TABLE half (x TEXT); CREATE TABLE broken (", "DROP TABLE half"}};
  Migrator m(*db_, ms);
  try {
    m.up();
    FAIL() << "broken migration applied";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("2_bad"), std::string::npos) << e.what();
  }
  EXPECT_EQ(m.current_version(), 1);
  const auto t = tables();
  EXPECT_EQ(std::find(t.begin(), t.end(), "half"), t.end());
}

INSTANTIATE_TEST_SUITE_P(Drivers, DatabaseSuite, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return info.param == Dialect::sqlite ? "sqlite" : "postgres"; });

TEST(Postgres, ReconnectsAfterServerRestart) {
  auto db = open_database(test_peers::PostgresPeer::instance().url(), 2);
  db->ping();
  test_peers::PostgresPeer::instance().restart();
  EXPECT_NO_THROW(db->ping());  // the stale connection is replaced transparently
  test_peers::PostgresPeer::instance().stop();
  try {
    db->ping();
    ADD_FAILURE() << "ping succeeded with the server stopped";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  }
  test_peers::PostgresPeer::instance().start();
  EXPECT_NO_THROW(db->ping());
}

TEST(Postgres, UnreachableServerIsUnavailable) {
  try {
    open_database("postgresql://mecapy@127.0.0.1:1/none", 1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  }
}

TEST(Sqlite, UnwritableLocationIsUnavailable) {
  try {
    open_database("sqlite:/proc/mecapy/meta.db", 1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  }
}

TEST(DatabaseUrls, PlaceholdersAndRedaction) {
  EXPECT_EQ(to_sqlite_placeholders("SELECT $1, '$2', \"$3\", $10"), "SELECT ?1, '$2', \"$3\", ?10");
  EXPECT_EQ(redact_url("postgresql://u:secret@h:5/db"), "postgresql://u:***@h:5/db");
  EXPECT_EQ(redact_url("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_THROW(open_database("mysql://x", 1), Error);
}

}  // namespace
