// `mecapy`: the command-line client of a MecaPy server (docs/cli.md). Parses the
// command line with CLI11, then runs the one action the chosen subcommand recorded.
// Exit codes: 0 ok, 1 job failed, 2 usage, 3 auth, 4 not found, 5 server or network
// (cli/exit_codes.hpp); a usage error of the command line itself is 2 as well.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/context.hpp"
#include "cli/exit_codes.hpp"

int main(int argc, char** argv) {
  using mecapy::cli::CliError;
  using mecapy::cli::Exit;
  mecapy::cli::Context context;

  CLI::App app{"mecapy: run MecaPy calculations from the command line"};
  app.name("mecapy");
  app.require_subcommand(1);
  app.add_option("--api-url", context.api_url_flag,
                 "The server (default: MECAPY_API_URL, the configuration file, or http://127.0.0.1:8000)");
  app.set_version_flag("--version", "mecapy " MECAPY_VERSION);
  app.footer(
      "Configuration: MECAPY_API_URL and MECAPY_TOKEN, or ~/.config/mecapy/config.toml (mode 600).\n"
      "Exit codes: 0 ok, 1 job failed, 2 usage, 3 auth, 4 not found, 5 server or network.\n"
      "Examples:\n"
      "  mecapy login -u alice\n"
      "  mecapy functions show admin/bolted-joint max_preload\n"
      "  mecapy run admin/bolted-joint max_preload --input d=10mm --input p=1.5mm\n"
      "  mecapy jobs logs -f JOB_ID");
  mecapy::cli::add_auth_commands(app, context);
  mecapy::cli::add_files_commands(app, context);
  mecapy::cli::add_deploy_command(app, context);
  mecapy::cli::add_packages_commands(app, context);
  mecapy::cli::add_run_command(app, context);
  mecapy::cli::add_jobs_commands(app, context);
  mecapy::cli::add_completion_command(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e);
    return static_cast<int>(Exit::usage);
  }
  try {
    if (context.action) context.action();
    return static_cast<int>(Exit::ok);
  } catch (const CliError& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "mecapy: %s\n", e.what());
    return static_cast<int>(e.exit());
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "mecapy: %s\n", e.what());
    return static_cast<int>(Exit::server);
  }
}
