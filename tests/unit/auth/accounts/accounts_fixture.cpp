#include "accounts_fixture.hpp"

#include "auth/accounts/user_store.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "db/migrations.hpp"
#include "support/postgres_peer.hpp"

namespace mecapy::auth::accounts::testing {

void AccountsTest::SetUp() {
  dir_ = std::filesystem::temp_directory_path() / ("mecapy-accounts-" + random_hex(6));
  std::filesystem::create_directories(dir_);
  url_ = GetParam() == db::Dialect::sqlite
             ? "sqlite:" + (dir_ / "meta.db").string()
             : test_peers::PostgresPeer::instance().create_database("accounts_" + random_hex(4));
  database_ = db::open_database(url_, 8);
  db::Migrator(*database_, db::builtin_migrations(database_->dialect())).up();
  hasher_ = std::make_unique<PasswordHasher>(PasswordHashing::minimum());
  now_ = std::chrono::system_clock::from_time_t(1'893'456'000);  // 2030-01-01T00:00:00Z
}

void AccountsTest::TearDown() {
  database_.reset();
  std::filesystem::remove_all(dir_);
}

std::unique_ptr<db::Database> AccountsTest::open_another() { return db::open_database(url_, 4); }

void AccountsTest::create_users(std::initializer_list<std::string_view> handles) {
  UserStore users(db());
  for (const auto handle : handles) {
    NewUser user;
    user.handle = std::string(handle);
    users.create_local(user, "", now());
  }
}

std::string error_code(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.code();
  }
  return "";
}

std::string driver_name(const ::testing::TestParamInfo<db::Dialect>& info) {
  return info.param == db::Dialect::sqlite ? "sqlite" : "postgres";
}

}  // namespace mecapy::auth::accounts::testing
