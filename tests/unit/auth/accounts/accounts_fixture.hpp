// The fixture of the identity store tests: a fresh, migrated database per test, on
// each driver (SQLite in a temporary directory, PostgreSQL from the shared test
// peer), a clock the test moves by hand, and argon2id at libsodium's smallest
// parameters so that hashing costs microseconds.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "auth/accounts/password_hasher.hpp"
#include "auth/accounts/timestamps.hpp"
#include "db/database.hpp"

namespace mecapy::auth::accounts::testing {

class AccountsTest : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A fixed start (2030-01-01T00:00:00Z), moved by advance().
  TimePoint now() const { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }

  db::Database& db() { return *database_; }
  const PasswordHasher& hasher() { return *hasher_; }
  // A second connection pool on the same database, like another API instance.
  std::unique_ptr<db::Database> open_another();
  // Local users without a password, created at now().
  void create_users(std::initializer_list<std::string_view> handles);

 private:
  std::filesystem::path dir_;
  std::string url_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<PasswordHasher> hasher_;
  TimePoint now_;
};

// The code of the mecapy::Error that `action` throws; '' when it throws none.
std::string error_code(const std::function<void()>& action);

// "sqlite" / "postgres", for the parametrised test names.
std::string driver_name(const ::testing::TestParamInfo<db::Dialect>& info);

}  // namespace mecapy::auth::accounts::testing

// Runs the suite `fixture` on both drivers.
#define MECAPY_ON_BOTH_DRIVERS(fixture)                                                                       \
  INSTANTIATE_TEST_SUITE_P(Drivers, fixture,                                                                  \
                           ::testing::Values(::mecapy::db::Dialect::sqlite, ::mecapy::db::Dialect::postgres), \
                           ::mecapy::auth::accounts::testing::driver_name)
