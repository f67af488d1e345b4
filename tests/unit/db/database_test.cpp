// The storage suite: the same tests against both drivers (SQLite and a real
// PostgreSQL started by tests/peers/postgres).
#include "db/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <thread>

#include "core/errors.hpp"
#include "core/numbers.hpp"
#include "db/instance_store.hpp"
#include "db/migrations.hpp"
#include "db/record_map.hpp"
#include "support/postgres_peer.hpp"
#include "support/tcp_proxy.hpp"

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

  // A column for doubles, declared as database.hpp's schema rule says.
  const char* double_column() const { return GetParam() == Dialect::sqlite ? "d" : "d DOUBLE PRECISION"; }

  std::filesystem::path dir_;
  std::string url_;
  std::unique_ptr<Database> db_;
};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST_P(DatabaseSuite, DoublesRoundTripBitIdentical) {
  db_->execute(std::string("CREATE TABLE nums (k BIGINT, ") + double_column() + ")");
  const std::vector<double> values = {1e-7,
                                      0.1 + 0.2,
                                      1e300,
                                      std::numeric_limits<double>::denorm_min(),
                                      -0.0,
                                      std::numeric_limits<double>::max(),
                                      std::numeric_limits<double>::min(),
                                      -123456.789e-300,
                                      1.0 / 3.0};
  for (std::size_t i = 0; i < values.size(); ++i)
    db_->execute("INSERT INTO nums (k, d) VALUES ($1, $2)", {static_cast<std::int64_t>(i), values[i]});
  const auto r = db_->execute("SELECT k, d FROM nums ORDER BY k");
  ASSERT_EQ(r.rows.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double back = r.rows[i].number(1);
    EXPECT_TRUE(same_bits(back, values[i])) << format_double(values[i]) << " came back as " << format_double(back);
    // The text form of a row is exact too (it used to print 6 fixed decimals).
    EXPECT_TRUE(same_bits(*parse_double(r.rows[i].text(1)), values[i])) << r.rows[i].text(1);
    // And the value is found again by equality with the same parameter.
    EXPECT_EQ(db_->execute("SELECT k FROM nums WHERE d = $1 AND k = $2", {values[i], static_cast<std::int64_t>(i)})
                  .rows.size(),
              1u)
        << format_double(values[i]);
  }
}

struct Measurement {
  std::string id;
  std::int64_t step = 0;
  std::uint64_t bytes = 0;
  double value = 0;
};

TEST_P(DatabaseSuite, RecordMapsReadColumnsByNameWhateverTheirOrder) {
  db_->execute(std::string("CREATE TABLE m (id TEXT, step BIGINT, bytes BIGINT, ") +
               (GetParam() == Dialect::sqlite ? "value" : "value DOUBLE PRECISION") + ")");
  const auto map = RecordMap<Measurement>()
                       .text("id", &Measurement::id)
                       .int64("step", &Measurement::step)
                       .count("bytes", &Measurement::bytes)
                       .number("value", &Measurement::value);
  EXPECT_EQ(map.columns(), "id, step, bytes, value");
  EXPECT_EQ(map.columns("m"), "m.id, m.step, m.bytes, m.value");
  EXPECT_EQ(map.placeholders(3), "$3, $4, $5, $6");
  const Measurement in{"m-1", -7, 1ull << 40, 0.1 + 0.2};
  db_->execute("INSERT INTO m (" + map.columns() + ") VALUES (" + map.placeholders() + ")", map.values(in));
  // Another column order than the map's: fields are found by name.
  const auto r = db_->execute("SELECT value, bytes, id, step FROM m");
  const Measurement out = map.read(r, r.rows.at(0));
  EXPECT_EQ(out.id, "m-1");
  EXPECT_EQ(out.step, -7);
  EXPECT_EQ(out.bytes, 1ull << 40);
  EXPECT_TRUE(same_bits(out.value, 0.1 + 0.2));
  const auto missing = db_->execute("SELECT id, step FROM m");
  try {
    map.read(missing, missing.rows.at(0));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bytes"), std::string::npos) << e.what();
  }
  db_->execute("UPDATE m SET bytes = -1");
  const auto negative = db_->execute("SELECT " + map.columns() + " FROM m");
  EXPECT_THROW(map.read_all(negative), Error);
}

TEST_P(DatabaseSuite, NonFiniteDoublesAreRefusedNotStoredAsSomethingElse) {
  db_->execute(std::string("CREATE TABLE nums (") + double_column() + ")");
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity()}) {
    try {
      db_->execute("INSERT INTO nums (d) VALUES ($1)", {bad});
      ADD_FAILURE() << "stored " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
      EXPECT_EQ(e.code(), "non-finite-number");
    }
  }
  EXPECT_EQ(db_->execute("SELECT COUNT(*) FROM nums").rows[0].int64(0), 0);
}

TEST_P(DatabaseSuite, DriverMessagesStayOutOfThePublicDetail) {
  db_->execute("CREATE TABLE u (k TEXT PRIMARY KEY)");
  db_->execute("INSERT INTO u (k) VALUES ('secret-value')");
  try {
    db_->execute("INSERT INTO u (k) VALUES ('secret-value')");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
    const std::string detail = e.what();
    for (const char* internal : {"secret-value", "UNIQUE", "unique", "duplicate", "u.k", "u_pkey"})
      EXPECT_EQ(detail.find(internal), std::string::npos) << detail;
    EXPECT_FALSE(e.cause().empty());  // the operator still learns what failed
  }
}

TEST_P(DatabaseSuite, AFullPoolAnswersBusyInsteadOfWaitingForever) {
  DatabaseOptions options;
  options.pool_size = 1;
  options.pool_timeout = std::chrono::milliseconds(200);
  auto small = open_database(url_, options);
  std::atomic<bool> holding{false}, release{false};
  std::thread holder([&] {
    small->transaction([&](Connection&) {
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    });
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  try {
    small->execute("SELECT 1");
    ADD_FAILURE() << "leased a connection from a full pool";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
    EXPECT_EQ(e.code(), "database-busy");
  }
  release = true;
  holder.join();
  EXPECT_NO_THROW(small->execute("SELECT 1"));
}

TEST_P(DatabaseSuite, ExclusiveSectionsExcludeOtherDatabaseHandles) {
  auto other = open_database(url_, 2);  // another instance, as far as the lock knows
  bool inner_ran = true;
  const bool ran = db_->run_exclusively("orphans", [&] {
    inner_ran = other->run_exclusively("orphans", [] {});
    EXPECT_TRUE(other->run_exclusively("another-name", [] {}));
  });
  EXPECT_TRUE(ran);
  EXPECT_FALSE(inner_ran);
  EXPECT_TRUE(other->run_exclusively("orphans", [] {}));  // released when the first one ended
  EXPECT_THROW(db_->run_exclusively("orphans", [] { throw std::runtime_error("x"); }), std::runtime_error);
  EXPECT_TRUE(other->run_exclusively("orphans", [] {}));  // released on an exception too
}

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

TEST(Postgres, WritesAfterAServerRestartNeedNoRetry) {
  auto db = open_database(test_peers::PostgresPeer::instance().create_database("restart_writes"), 2);
  db->execute("CREATE TABLE w (k BIGINT)");
  test_peers::PostgresPeer::instance().restart();
  // The pooled connection died while idle: it is found closed before the INSERT is
  // sent, so the write goes out once, on a fresh connection, and succeeds.
  EXPECT_NO_THROW(db->execute("INSERT INTO w (k) VALUES (1)"));
  EXPECT_EQ(db->execute("SELECT COUNT(*) FROM w").rows[0].int64(0), 1);
}

// The answer to a committed INSERT is lost on the way back: the driver must not send
// the INSERT again (it used to, and the row was stored twice).
TEST(Postgres, AWriteWhoseAnswerWasLostIsNotRepeated) {
  const std::string url = test_peers::PostgresPeer::instance().create_database("lost_reply");
  const auto at = url.rfind('@');
  const auto colon = url.find(':', at);
  const auto slash = url.find('/', colon);
  const auto port = static_cast<std::uint16_t>(std::stoi(url.substr(colon + 1, slash - colon - 1)));
  test_peers::TcpProxy proxy(url.substr(at + 1, colon - at - 1), port);
  const std::string via_proxy = url.substr(0, colon + 1) + std::to_string(proxy.port()) + url.substr(slash);
  auto db = open_database(via_proxy, 1);
  db->execute("CREATE TABLE once (k BIGINT)");
  proxy.cut_next_reply();
  try {
    db->execute("INSERT INTO once (k) VALUES (7)");
    ADD_FAILURE() << "the lost answer went unnoticed";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  }
  EXPECT_EQ(proxy.cuts(), 1);
  EXPECT_EQ(db->execute("SELECT COUNT(*) FROM once").rows[0].int64(0), 1);  // committed exactly once
  // A read whose answer is lost is repeated: reading twice is harmless.
  proxy.cut_next_reply();
  EXPECT_EQ(db->execute("SELECT COUNT(*) FROM once").rows[0].int64(0), 1);
  EXPECT_EQ(proxy.cuts(), 2);
}

TEST(Postgres, StatementTimeoutCancelsAStuckStatement) {
  DatabaseOptions options;
  options.pool_size = 1;
  options.statement_timeout = std::chrono::milliseconds(200);
  auto db = open_database(test_peers::PostgresPeer::instance().url(), options);
  try {
    db->execute("SELECT pg_sleep(5)");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
    EXPECT_EQ(e.code(), "database-timeout");
  }
  EXPECT_NO_THROW(db->execute("SELECT 1"));  // the connection is still usable
}

// Several instances starting at once on an empty PostgreSQL: every one must come up,
// with one schema and one instance row (the migrations table used to be created
// outside the lock, and the instance row checked, then inserted).
TEST(Postgres, ConcurrentFirstStartsAllSucceed) {
  constexpr int kInstances = 6;
  for (int round = 0; round < 3; ++round) {
    const std::string url =
        test_peers::PostgresPeer::instance().create_database("first_start_" + std::to_string(round));
    std::vector<std::unique_ptr<Database>> dbs;
    for (int i = 0; i < kInstances; ++i) dbs.push_back(open_database(url, 1));
    std::barrier start(kInstances);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kInstances; ++i)
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        try {
          Migrator(*dbs[i], builtin_migrations(Dialect::postgres)).up();
          ensure_instance(*dbs[i], "MecaPy");
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << "instance " << i << ": " << e.what();
        }
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(dbs[0]->execute("SELECT COUNT(*) FROM instance").rows[0].int64(0), 1);
    EXPECT_FALSE(has_pending_migrations(*dbs[0]));
  }
}

TEST(Sqlite, CommitsAreSyncedByDefaultAndTheSettingRelaxesIt) {
  const auto dir = std::filesystem::temp_directory_path() / ("sync_" + std::to_string(::getpid()));
  auto full = open_database("sqlite:" + (dir / "a.db").string(), 1);
  EXPECT_EQ(full->execute("PRAGMA synchronous").rows.at(0).int64(0), 2);  // FULL
  DatabaseOptions relaxed;
  relaxed.pool_size = 1;
  relaxed.sqlite_full_sync = false;
  auto normal = open_database("sqlite:" + (dir / "b.db").string(), relaxed);
  EXPECT_EQ(normal->execute("PRAGMA synchronous").rows.at(0).int64(0), 1);  // NORMAL
  full.reset();
  normal.reset();
  std::filesystem::remove_all(dir);
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
