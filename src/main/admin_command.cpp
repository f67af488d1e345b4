// `mecapyd admin` (see admin_command.hpp).
#include "main/admin_command.hpp"

#include <charconv>
#include <iostream>
#include <optional>

#include "auth/accounts/api_tokens.hpp"
#include "auth/accounts/audit_log.hpp"
#include "auth/accounts/handles.hpp"
#include "auth/accounts/local_accounts.hpp"
#include "auth/accounts/password_hasher.hpp"
#include "auth/accounts/secrets.hpp"
#include "auth/accounts/user_store.hpp"
#include "core/errors.hpp"
#include "db/migrations.hpp"

namespace mecapy::admin {
namespace {

namespace accounts = auth::accounts;

constexpr int kRefused = 1;
constexpr int kUsage = 2;
// A token lives ten years at the most; beyond that, `never` says what is meant.
constexpr std::int64_t kMaxExpiryDays = 3650;

constexpr const char* kExamples = R"(
Examples:
  mecapyd admin create-user alice --email alice@example.com     (prints a generated password)
  printf '%s\n' "$PASSWORD" | mecapyd admin create-user bob --admin --password-stdin
  TOKEN=$(mecapyd admin create-token --user alice --scopes read,run --expires 30d --name ci)
  mecapyd admin list-users
  mecapyd admin set-password alice --password-stdin < new-password.txt
  mecapyd admin revoke-tokens --user alice
  mecapyd admin unlock alice
Every subcommand works on the configured database (--database-url, MECAPY_DATABASE_URL).)";

// A usage error of an option's value: exit code 2.
struct UsageError {
  std::string message;
};

// "30d", "12h", "90m" from now, or nullopt for "never".
std::optional<accounts::TimePoint> parse_expiry(const std::string& text, accounts::TimePoint now) {
  if (text == "never") return std::nullopt;
  std::int64_t number = 0;
  const char* end = text.data() + text.size();
  const auto parsed = std::from_chars(text.data(), end, number);
  const std::string unit(parsed.ptr, end);
  const std::int64_t minutes_per_unit = unit == "d" ? 1440 : unit == "h" ? 60 : unit == "m" ? 1 : 0;
  if (parsed.ec != std::errc() || parsed.ptr == text.data() || minutes_per_unit == 0 || number <= 0 ||
      number * minutes_per_unit > kMaxExpiryDays * 1440)
    throw UsageError{"--expires: expected a duration such as 30d, 12h or 90m (at most " +
                     std::to_string(kMaxExpiryDays) + "d), or never; got '" + text + "'"};
  return now + std::chrono::minutes(number * minutes_per_unit);
}

std::vector<std::string> split_scopes(const std::string& text) {
  std::vector<std::string> scopes;
  for (std::size_t at = 0; at <= text.size();) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    if (comma > at) scopes.push_back(text.substr(at, comma - at));
    at = comma + 1;
  }
  try {
    return accounts::canonical_scopes(scopes);
  } catch (const Error& e) {
    throw UsageError{std::string("--scopes: ") + e.what()};
  }
}

// The first line of `in`, without its line ending.
std::string read_password(std::istream& in) {
  std::string line;
  if (!std::getline(in, line) && line.empty()) throw UsageError{"--password-stdin: stdin gave no password"};
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void audit(db::Database& database, std::string_view action, const std::string& target, boost::json::object detail) {
  accounts::AuditEvent event;
  event.actor = std::string(accounts::kSystemActor);
  event.action = std::string(action);
  event.target = target;
  event.detail = std::move(detail);
  accounts::AuditLog(database).record(std::move(event));
}

std::string require_user(db::Database& database, const std::string& handle) {
  const auto user = accounts::UserStore(database).find(handle);
  if (!user) accounts::throw_user_not_found(handle);
  return user->id;
}

// One line of list-users: the columns padded to their widths, the last one as it is.
void print_user_row(std::ostream& out, const std::vector<std::string>& cells) {
  static constexpr std::size_t kWidths[] = {39, 5, 8, 8, 24};
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    line += cells[i];
    if (i < std::size(kWidths)) line.append(kWidths[i] > cells[i].size() ? kWidths[i] - cells[i].size() + 2 : 2, ' ');
  }
  out << line << "\n";
}

// Applies what is pending when allowed to; false (said on `err`) when the schema is
// not current and may not be migrated here.
bool prepare_schema(db::Database& database, bool migrate_on_start, std::ostream& err) {
  db::Migrator migrator(database, db::builtin_migrations(database.dialect()));
  if (!db::has_pending_migrations(database)) return true;
  if (!migrate_on_start) {
    err << "mecapyd admin: the database schema is not current and migrate_on_start is off: run `mecapyd migrate up`\n";
    return false;
  }
  const auto applied = migrator.up();
  err << "applied " << applied.size() << " pending migration(s)\n";
  return true;
}

}  // namespace

AdminCommand::AdminCommand(CLI::App& app) {
  command_ = app.add_subcommand("admin", "Manage accounts on the configured database (no server needed)");
  command_->require_subcommand(1);
  command_->footer(kExamples);

  create_user_ = command_->add_subcommand("create-user", "Create a local user; prints a generated password");
  create_user_->add_option("NAME", name_, "The handle: lowercase letters, digits, '.', '_', '-'")->required();
  create_user_->add_flag("--admin", is_admin_, "Make the user a platform administrator");
  create_user_->add_flag("--password-stdin", password_stdin_, "Read the password from stdin's first line");
  create_user_->add_option("--email", email_, "The user's email address")->type_name("E");

  create_token_ = command_->add_subcommand("create-token", "Create an API token; prints it (once) on stdout");
  create_token_->add_option("--user", user_, "Whose token")->required()->type_name("NAME");
  create_token_->add_option("--scopes", scopes_, "Comma-separated among read, run, deploy, admin")
      ->required()
      ->type_name("LIST");
  create_token_->add_option("--name", token_name_, "What the token is for")->capture_default_str()->type_name("N");
  create_token_->add_option("--expires", expires_, "30d, 12h, 90m, or never")
      ->capture_default_str()
      ->type_name("DURATION");

  list_users_ = command_->add_subcommand("list-users", "List every user");

  set_password_ = command_->add_subcommand("set-password", "Replace a local user's password (and lift a lock)");
  set_password_->add_option("NAME", name_, "The user")->required();
  set_password_->add_flag("--password-stdin", password_stdin_, "Read the password from stdin's first line")->required();

  revoke_tokens_ = command_->add_subcommand("revoke-tokens", "Revoke every API token of a user");
  revoke_tokens_->add_option("--user", user_, "Whose tokens")->required()->type_name("NAME");

  unlock_ = command_->add_subcommand("unlock", "Lift a lock after failed logins");
  unlock_->add_option("NAME", name_, "The user")->required();
}

int AdminCommand::run(db::Database& database, bool migrate_on_start, const accounts::PasswordHashing& hashing,
                      std::istream& in, std::ostream& out, std::ostream& err) {
  try {
    // Options first: a usage error is reported before the database is touched.
    const auto now = accounts::system_now();
    std::vector<std::string> scopes;
    std::optional<accounts::TimePoint> expires;
    if (create_token_->parsed()) {
      scopes = split_scopes(scopes_);
      expires = parse_expiry(expires_, now);
    }
    std::string password;
    if (password_stdin_) password = read_password(in);
    if (!prepare_schema(database, migrate_on_start, err)) return kRefused;

    const accounts::PasswordHasher hasher(hashing);
    accounts::LocalLogin login(database, hasher);
    if (create_user_->parsed()) {
      const bool generated = !password_stdin_;
      if (generated) password = accounts::random_secret(18);
      accounts::NewUser user;
      user.handle = name_;
      user.email = email_;
      user.is_admin = is_admin_;
      const auto created = login.create_user(user, password, now);
      audit(database, accounts::audit_action::user_created, created.id,
            {{"is_admin", created.is_admin}, {"password", generated ? "generated" : "given"}});
      err << "created user '" << created.id << "'" << (created.is_admin ? " (administrator)" : "") << "\n";
      if (generated) {
        err << "its password, printed once on stdout:\n";
        out << password << "\n";
      }
    } else if (create_token_->parsed()) {
      const std::string user = require_user(database, user_);
      const auto created = accounts::ApiTokenStore(database).create(user, token_name_, scopes, expires, now);
      boost::json::array scope_list;
      std::string scope_text;
      for (const auto& s : created.token.scopes) {
        scope_list.emplace_back(s);
        scope_text += (scope_text.empty() ? "" : ",") + s;
      }
      audit(database, accounts::audit_action::token_created, "token:" + created.token.id,
            {{"user", user}, {"scopes", scope_list}, {"expires_at", created.token.expires_at}});
      err << "created token " << created.token.id << " (" << created.token.prefix << "...) for '" << user
          << "', scopes " << scope_text << ", "
          << (created.token.expires_at.empty() ? "never expires" : "expires " + created.token.expires_at)
          << "; it is printed once on stdout\n";
      out << created.plaintext << "\n";
    } else if (list_users_->parsed()) {
      accounts::UserStore users(database);
      const std::string at = accounts::timestamp(now);
      print_user_row(out, {"HANDLE", "ADMIN", "SOURCE", "STATUS", "LAST LOGIN", "EMAIL"});
      for (int page = 1;; ++page) {
        const auto listed = users.list({page, 100});
        for (const auto& u : listed.items)
          print_user_row(out, {u.id, u.is_admin ? "yes" : "no", u.source,
                               u.disabled            ? "disabled"
                               : u.locked_until > at ? "locked"
                                                     : "active",
                               u.last_login_at.empty() ? "-" : u.last_login_at, u.email});
        if (listed.items.size() < 100) break;
      }
    } else if (set_password_->parsed()) {
      login.set_password(name_, password, now);
      audit(database, accounts::audit_action::password_changed, name_, {{"by", "mecapyd admin set-password"}});
      err << "password of '" << name_ << "' replaced\n";
    } else if (revoke_tokens_->parsed()) {
      const std::string user = require_user(database, user_);
      const std::size_t revoked = accounts::ApiTokenStore(database).revoke_all(user, now);
      audit(database, accounts::audit_action::token_revoked, user, {{"all", true}, {"count", revoked}});
      err << "revoked " << revoked << " token(s) of '" << user << "'\n";
    } else if (unlock_->parsed()) {
      login.unlock(name_, now);
      audit(database, accounts::audit_action::unlock, name_, {});
      err << "unlocked '" << name_ << "'\n";
    }
    return 0;
  } catch (const UsageError& e) {
    err << "mecapyd admin: " << e.message << "\n";
    return kUsage;
  } catch (const Error& e) {
    const ErrorKind kind = e.kind();
    if (kind == ErrorKind::unavailable || kind == ErrorKind::internal || kind == ErrorKind::corrupted) throw;
    err << "mecapyd admin: " << e.what() << "\n";
    return kRefused;
  }
}

}  // namespace mecapy::admin
