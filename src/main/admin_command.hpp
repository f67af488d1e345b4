// `mecapyd admin ...`: account administration on the configured database, without a
// running server (the first users of an installation, scripts, a locked-out admin).
//
//   create-user NAME [--admin] [--password-stdin] [--email E]
//   create-token --user NAME --scopes read,run,deploy [--name N] [--expires 30d|12h|90m|never]
//   list-users
//   set-password NAME --password-stdin
//   revoke-tokens --user NAME
//   unlock NAME
//
// Secrets go to stdout alone (a generated password, a new token), once, so a script
// captures them with $(...); everything said about them goes to stderr. A password is
// read from the first line of stdin and never printed. Each change is recorded in the
// audit log with the actor `system`. Pending migrations are applied first when
// migrate_on_start is on (as `serve` does), else the command refuses to run.
//
// Exit codes: 0 done; 1 refused (a taken or invalid handle, an unknown user, a
// password that breaks the rules); 2 bad usage (unknown option, bad scope or duration).
#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>
#include <vector>

#include "auth/accounts/password_hasher.hpp"
#include "db/database.hpp"

namespace mecapy::admin {

class AdminCommand {
 public:
  // Adds the `admin` subcommand, its subcommands and their help to `app`.
  explicit AdminCommand(CLI::App& app);

  bool parsed() const { return command_->parsed(); }

  // Runs the subcommand given on `database`, hashing passwords with `hashing` (the
  // server's password_hash_cost); returns the exit code. Throws only for failures of
  // the database itself (the caller reports those, exit code 1).
  int run(db::Database& database, bool migrate_on_start, const auth::accounts::PasswordHashing& hashing,
          std::istream& in, std::ostream& out, std::ostream& err);

 private:
  CLI::App* command_ = nullptr;
  CLI::App* create_user_ = nullptr;
  CLI::App* create_token_ = nullptr;
  CLI::App* list_users_ = nullptr;
  CLI::App* set_password_ = nullptr;
  CLI::App* revoke_tokens_ = nullptr;
  CLI::App* unlock_ = nullptr;

  std::string name_;  // the NAME of create-user, set-password, unlock
  std::string user_;  // --user
  std::string email_;
  std::string scopes_;
  std::string token_name_ = "mecapyd-admin";
  std::string expires_ = "never";
  bool is_admin_ = false;
  bool password_stdin_ = false;
};

}  // namespace mecapy::admin
