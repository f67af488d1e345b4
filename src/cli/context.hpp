// What every command of `mecapy` shares: the global options, the configuration (loaded
// on first use, so that `--help` and usage errors never read it) and one API client,
// and the action the parsed command line chose. Each command group adds its
// subcommands with an add_*_commands function; a subcommand's callback only records
// its action, which main() runs after parsing, so that errors end in one place.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cli/api_client.hpp"
#include "cli/config.hpp"

namespace CLI {
class App;
}

namespace mecapy::cli {

class Context {
 public:
  std::optional<std::string> api_url_flag;  // --api-url
  std::function<void()> action;

  Config& config();
  // The client with the configured token (or none).
  ApiClient& client();
  // The client, after checking there is a token: CliError(auth) saying how to sign in.
  ApiClient& signed_in_client();

 private:
  std::optional<Config> config_;
  std::unique_ptr<ApiClient> client_;
};

void add_auth_commands(CLI::App& app, Context& context);
void add_files_commands(CLI::App& app, Context& context);
void add_packages_commands(CLI::App& app, Context& context);
void add_deploy_command(CLI::App& app, Context& context);
// Last: it describes the commands added before it.
void add_completion_command(CLI::App& app, Context& context);
void add_run_command(CLI::App& app, Context& context);
void add_jobs_commands(CLI::App& app, Context& context);

}  // namespace mecapy::cli
