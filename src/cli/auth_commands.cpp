// `mecapy whoami`, `mecapy login` and `mecapy logout`.
//
// login --token      checks the pasted token (GET /auth/me) and stores it.
// login              signs in with a built-in account (POST /auth/local/login), creates
//                    an API token with that session (POST /auth/tokens, read run deploy
//                    unless --scopes says otherwise), ends the session, and stores the
//                    token and its id. The password is never stored.
// logout             revokes the stored token when login created it (its id is known),
//                    and removes it from the configuration file in every case.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/terminal_input.hpp"

namespace mecapy::cli {
namespace {

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown host";
  return name;
}

std::vector<std::string> split_scopes(const std::string& text) {
  std::vector<std::string> scopes;
  std::string current;
  for (const char c : text + ",") {
    if (c == ',' || c == ' ') {
      if (!current.empty()) scopes.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  return scopes;
}

void print_identity(const boost::json::value& me, const std::string& api_url) {
  std::printf("%s", ("Signed in to " + api_url + " as " + member_text(me, "username") + "\n").c_str());
  Table table({"field", "value"});
  table.add({"id", member_text(me, "id")});
  if (const auto name = member_text(me, "display_name"); !name.empty()) table.add({"name", name});
  if (const auto email = member_text(me, "email"); !email.empty()) table.add({"email", email});
  table.add({"credential", member_text(me, "credential")});
  std::string scopes;
  if (const auto* list = me.get_object().if_contains("scopes"); list && list->is_array())
    for (const auto& s : list->get_array()) scopes += (scopes.empty() ? "" : " ") + value_text(s);
  table.add({"scopes", scopes});
  table.add({"admin", member_text(me, "is_admin")});
  table.print();
}

// The configuration file's content with `token` (and its id) stored for `api_url`.
void store_token(const Config& config, const std::string& token, const std::string& token_id) {
  StoredConfig stored;
  stored.api_url = config.api_url;
  stored.token = token;
  stored.token_id = token_id;
  write_config_file(config.path, stored);
  if (config.token_from_env)
    std::fputs("mecapy: note: MECAPY_TOKEN is set in the environment and takes precedence over the stored token\n",
               stderr);
}

void login_with_token(Context& context) {
  Config& config = context.config();
  const std::string token = stdin_is_terminal() ? read_secret("API token: ") : read_stdin_line("API token");
  if (token.empty()) throw CliError(Exit::usage, "the API token is empty");
  ApiClient api(config.api_url, token);
  const boost::json::value me = api.get_json("/api/v1/auth/me");
  store_token(config, token, "");
  std::printf("%s", ("Signed in to " + config.api_url + " as " + member_text(me, "username") +
                     "; the token is stored in " + config.path + "\n")
                        .c_str());
}

struct LoginOptions {
  bool token = false;
  std::string username;
  bool password_stdin = false;
  std::string scopes = "read,run,deploy";
  int expires_in_days = 0;
};

void login_with_password(Context& context, const LoginOptions& options) {
  Config& config = context.config();
  std::string username = options.username;
  if (username.empty()) {
    if (!stdin_is_terminal() || options.password_stdin)
      throw CliError(Exit::usage, "give the account with --username (or use --token)");
    username = read_answer("Username: ");
  }
  std::string password;
  if (options.password_stdin)
    password = read_stdin_line("password");
  else if (stdin_is_terminal())
    password = read_secret("Password for " + username + ": ");
  else
    throw CliError(Exit::usage, "stdin is not a terminal: pass the password with --password-stdin");

  ApiClient api(config.api_url, "");
  const boost::json::value signed_in =
      api.send_json("POST", "/api/v1/auth/local/login", {{"username", username}, {"password", password}});
  api.set_header("X-CSRF-Token", member_text(signed_in, "csrf_token"));

  boost::json::array scopes;
  for (const auto& scope : split_scopes(options.scopes)) scopes.emplace_back(scope);
  boost::json::object request{{"name", "mecapy CLI on " + host_name()}, {"scopes", std::move(scopes)}};
  if (options.expires_in_days > 0) request["expires_in_days"] = options.expires_in_days;
  const boost::json::value created = api.send_json("POST", "/api/v1/auth/tokens", request);
  // The session was only needed to create the token.
  (void)api.request("POST", "/api/v1/auth/logout");

  store_token(config, member_text(created, "token"), member_text(created, "id"));
  std::printf("%s", ("Signed in to " + config.api_url + " as " + member_text(signed_in.at("user"), "username") +
                     "; a new API token (" + member_text(created, "prefix") + "…) is stored in " + config.path + "\n")
                        .c_str());
}

void logout(Context& context) {
  Config& config = context.config();
  StoredConfig stored = read_config_file(config.path);
  if (stored.token.empty()) {
    std::printf("No token is stored in %s.\n", config.path.c_str());
    if (config.token_from_env) std::printf("MECAPY_TOKEN is set in the environment: unset it to sign out.\n");
    return;
  }
  std::optional<CliError> revoke_failed;
  if (!stored.token_id.empty()) {
    ApiClient api(stored.api_url.empty() ? config.api_url : stored.api_url, stored.token);
    try {
      const ApiResponse r = api.request("DELETE", "/api/v1/auth/tokens/" + encode(stored.token_id));
      // 401: the token is already revoked or expired; 404: already gone.
      if (r.status >= 400 && r.status != 401 && r.status != 404) revoke_failed = api_error(r);
    } catch (const CliError& e) {
      revoke_failed = e;
    }
  }
  const std::string url = stored.api_url;
  const bool revoked = !stored.token_id.empty();
  stored.token.clear();
  stored.token_id.clear();
  write_config_file(config.path, stored);
  if (revoke_failed)
    throw CliError(revoke_failed->exit(), std::string("the token was removed from ") + config.path +
                                              " but could not be revoked on the server: " + revoke_failed->what());
  std::printf("Signed out of %s.\n", url.empty() ? config.api_url.c_str() : url.c_str());
  if (!revoked) std::printf("The token was given to 'mecapy login --token': it was forgotten here, not revoked.\n");
  if (config.token_from_env) std::printf("MECAPY_TOKEN is still set in the environment.\n");
}

}  // namespace

void add_auth_commands(CLI::App& app, Context& context) {
  auto* whoami = app.add_subcommand("whoami", "Show who you are signed in as");
  auto whoami_json = std::make_shared<bool>(false);
  whoami->add_flag("--json", *whoami_json, "Print the account as JSON");
  whoami->footer("Examples:\n  mecapy whoami\n  MECAPY_TOKEN=mcp_... mecapy whoami --json");
  whoami->callback([&context, whoami_json] {
    context.action = [&context, whoami_json] {
      ApiClient& api = context.signed_in_client();
      const boost::json::value me = api.get_json("/api/v1/auth/me");
      if (*whoami_json)
        print_json(me);
      else
        print_identity(me, context.config().api_url);
    };
  });

  auto options = std::make_shared<LoginOptions>();
  auto* login = app.add_subcommand("login", "Sign in and store an API token in the configuration file");
  login->add_flag("--token", options->token, "Store an API token read from stdin (or typed, hidden)");
  login->add_option("--username,-u", options->username, "The built-in account to sign in with");
  login->add_flag("--password-stdin", options->password_stdin, "Read the password from stdin");
  login->add_option("--scopes", options->scopes, "The new token's scopes, comma-separated")->capture_default_str();
  login->add_option("--expires-in-days", options->expires_in_days, "The new token expires after this many days")
      ->check(CLI::Range(1, 3650));
  login->footer(
      "Examples:\n"
      "  mecapy --api-url http://127.0.0.1:8000 login -u alice          # asks for the password\n"
      "  echo \"$PASSWORD\" | mecapy login -u ci-bot --password-stdin --scopes read,run\n"
      "  echo \"$TOKEN\" | mecapy login --token                           # an existing mcp_... token");
  login->callback([&context, options] {
    context.action = [&context, options] {
      if (options->token) {
        if (!options->username.empty() || options->password_stdin)
          throw CliError(Exit::usage, "--token cannot be combined with --username or --password-stdin");
        login_with_token(context);
      } else {
        login_with_password(context, *options);
      }
    };
  });

  auto* logout_command = app.add_subcommand("logout", "Revoke and forget the stored API token");
  logout_command->footer("Examples:\n  mecapy logout");
  logout_command->callback([&context] { context.action = [&context] { logout(context); }; });
}

}  // namespace mecapy::cli
