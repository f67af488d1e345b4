// mecapyd: the MecaPy server.
//   mecapyd serve                       HTTP API and the embedded worker pool
//   mecapyd worker [--slots N]          a standalone worker: runs jobs, serves nothing
//   mecapyd migrate up | down N | status
//   mecapyd admin create-user | create-token | list-users | ...   (main/admin_command.hpp)
// Every subcommand takes the core settings as flags or MECAPY_* variables
// (docs/configuration.md). Exit codes: 0 success, 1 runtime failure, 2 bad usage or
// configuration.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "api/app.hpp"
#include "auth/identity.hpp"
#include "auth/request_authenticator.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/feature_flags.hpp"
#include "core/log.hpp"
#include "core/periodic_task.hpp"
#include "db/instance_store.hpp"
#include "db/migrations.hpp"
#include "events/event_bus.hpp"
#include "events/postgres_relay.hpp"
#include "files/file_catalog.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"
#include "jobs/job_log.hpp"
#include "jobs/job_service.hpp"
#include "main/admin_command.hpp"
#include "main/job_runtime.hpp"
#include "main/stop_signals.hpp"
#include "packages/deployer.hpp"
#include "sandbox/cgroup_detect.hpp"
#include "sandbox/host_info.hpp"
#include "storage/blob_references.hpp"
#include "storage/blob_store.hpp"
#include "webui/static_site.hpp"

namespace {

using namespace mecapy;

db::DatabaseOptions database_options(const Config& config, int pool_size) {
  db::DatabaseOptions o;
  o.pool_size = pool_size;
  o.pool_timeout = config.db_pool_timeout;
  o.statement_timeout = config.db_statement_timeout;
  o.sqlite_full_sync = config.sqlite_full_sync;
  return o;
}

// The web UI to serve, loaded before the server listens: web_dir, or web/out when it
// exists and web_dir is not set. A web_dir given but unreadable stops start-up.
std::shared_ptr<const webui::StaticSite> load_web_ui(const Config& config) {
  if (config.web_dir == "none") return nullptr;
  const std::filesystem::path dir = config.web_dir.empty() ? "web/out" : config.web_dir;
  std::error_code ec;
  if (config.web_dir.empty() && !std::filesystem::is_directory(dir, ec)) {
    log_info("web UI: not served (no web/out here; build it with `make run`, or set web_dir)");
    return nullptr;
  }
  auto site = std::make_shared<const webui::StaticSite>(webui::StaticSite::load(dir));
  log_info("web UI: serving " + std::to_string(site->file_count()) + " files (" +
           std::to_string(site->total_bytes() / 1024) + " KiB) from " + dir.string());
  return site;
}

int serve(const Config& config) {
  auto database = db::open_database(config.database_url, database_options(config, config.db_pool_size));
  db::Migrator migrator(*database, db::builtin_migrations(database->dialect()));
  if (config.migrate_on_start)
    for (int v : migrator.up()) log_info("applied migration " + std::to_string(v));
  bool schema_current = true;
  for (const auto& s : migrator.status()) {
    if (s.applied) continue;
    schema_current = false;
    log_warning("migration " + std::to_string(s.version) + "_" + s.name +
                " is pending and migrate_on_start is off: run `mecapyd migrate up`");
  }
  if (schema_current) db::ensure_instance(*database, "MecaPy");

  auto blobs = storage::open_blob_store(config.blob_store);
  try {
    blobs->check();
  } catch (const std::exception& e) {
    log_warning(std::string("blob store not usable yet (GET /ready reports it): ") + operator_message(e));
  }

  storage::BlobReferences references(*database, *blobs, config.orphan_grace);
  files::FileCatalog files(*database, *blobs, references, {config.max_file_size, config.user_quota});
  std::unique_ptr<PeriodicTask> orphan_collection;
  if (schema_current) {
    try {
      if (const auto n = blobs->recover()) log_info("removed " + std::to_string(n) + " unfinished upload(s)");
    } catch (const std::exception& e) {
      log_warning(std::string("blob store recovery skipped: ") + operator_message(e));
    }
    // At start-up, then hourly; one instance at a time does it.
    orphan_collection =
        std::make_unique<PeriodicTask>("orphaned blob collection", std::chrono::hours(1), [&references] {
          const auto n = references.collect_orphans();
          if (!n) {
            log_info("orphaned blob collection: another instance is running it");
            return;
          }
          if (*n) log_info("removed " + std::to_string(*n) + " orphaned blob(s)");
          log_info("orphaned blob collection: done");
        });
  }

  std::unique_ptr<PeriodicTask> retention;
  if (config.file_retention.count() > 0 && schema_current)
    retention = std::make_unique<PeriodicTask>("file retention", std::chrono::hours(1), [&files, &config] {
      const auto cutoff = format_rfc3339(cutoff_before(std::chrono::system_clock::now(), config.file_retention));
      if (const auto n = files.purge_created_before(cutoff))
        log_info("file retention: deleted " + std::to_string(n) + " file(s) created before " + cutoff);
    });

  // Packages: the interpreters, the runner and the sandbox that runs package code.
  const auto runner = open_package_runner(config);
  packages::PackageCatalog package_catalog(*database, references);
  packages::DeployOptions deploy_options;
  deploy_options.resource_cap = packages::find_tier(config.max_tier)->resources;
  deploy_options.archive_limits.max_archive_bytes = config.max_archive_size;
  deploy_options.refuse_scan_findings = config.refuse_unsafe_sources;
  deploy_options.work_dir = config.data_dir + "/tmp/deploy";
  // What deploys interrupted by a crash left behind (this data directory is ours).
  std::error_code ignored;
  std::filesystem::remove_all(deploy_options.work_dir, ignored);
  packages::Deployer deployer(package_catalog, *blobs, references, *runner, deploy_options);

  // Jobs: the queue, the embedded worker pool and what execute routes use.
  // Events: in this process, and between instances through PostgreSQL NOTIFY.
  events::EventBus bus;
  std::unique_ptr<events::PostgresRelay> relay;
  if (database->dialect() == db::Dialect::postgres)
    relay = std::make_unique<events::PostgresRelay>(bus, *database, config.database_url);
  jobs::JobQueue job_queue(*database, {config.job_lease, config.max_running_per_user});
  jobs::JobLog job_log(*database);
  jobs::JobService job_service(job_queue, files);
  job_service.set_events(&bus);
  jobs::WorkerRegistry registry(*database);
  JobWorkers workers(config, {*blobs, *runner, package_catalog, job_queue, registry, job_log, bus}, "embedded",
                     configured_slots(config));
  if (schema_current) workers.start();

  // Identity: accounts, sessions, tokens and the provider; the first administrator.
  auth::Identity identity(config, *database);
  std::unique_ptr<PeriodicTask> session_purge;
  if (schema_current) {
    identity.bootstrap(config.admin_password);
    session_purge = std::make_unique<PeriodicTask>("expired sessions", std::chrono::hours(1), [&identity] {
      const auto sessions = identity.sessions().purge_expired();
      const auto logins = identity.login_states().purge_expired();
      if (sessions + logins)
        log_info("removed " + std::to_string(sessions) + " expired session(s) and " + std::to_string(logins) +
                 " abandoned sign-in(s)");
    });
  }
  auth::RequestAuthenticator authenticator(identity);

  FeatureFlags features(config.features);
  http::Metrics metrics;
  http::Router router;
  const auto cgroups = sandbox::detect_cgroups(sandbox::CgroupMode::automatic);
  log_info("sandbox: cgroup " + cgroups.version + (cgroups.problem.empty() ? "" : " (" + cgroups.problem + ")"));
  api::AppContext app{config,    *database,   *blobs,   files,    package_catalog, deployer,
                      job_queue, job_service, registry, features, metrics,         sandbox::host_info(cgroups),
                      bus,       job_log,     identity};
  api::register_routes(router, app);
  if (auto site = load_web_ui(config))
    router.set_fallback("/{web-ui}", [site](http::Request& req) { return site->serve(req); });

  http::HttpPolicy policy;
  policy.cors_origins = config.cors_origins;
  policy.send_hsts = config.tls_proxy;
  policy.hsts_max_age_seconds = config.hsts_max_age.count();
  policy.signed_in_limit = {config.rate_limit, config.rate_limit_burst};
  policy.anonymous_limit = {config.anonymous_rate_limit, config.anonymous_rate_limit_burst};
  http::Pipeline pipeline(router, policy, &metrics, &authenticator);

  http::ServerOptions options;
  options.host = config.listen_host;
  options.port = config.listen_port;
  options.max_body_size = config.max_body_size;
  options.max_header_size = config.max_header_size;
  options.header_timeout = config.header_timeout;
  options.body_timeout = config.body_timeout;
  options.idle_timeout = config.idle_timeout;
  options.shutdown_timeout = config.shutdown_timeout;
  options.offload_threads = config.offload_threads;
  options.blob_io_threads = config.blob_io_threads;
  options.max_queued_requests = config.max_queued_requests;
  options.max_connections = config.max_connections;
  http::HttpServer server(options, pipeline);
  log_info("mecapyd " MECAPY_VERSION " serving; database " + database->describe() + ", blob store " +
           blobs->describe());
  if (!server.run()) {
    log_error("exiting with requests still in flight after shutdown_timeout");
    flush_logs();
    std::fflush(stdout);
    std::_Exit(1);  // a handler is stuck: do not wait for it
  }
  workers.stop(std::chrono::milliseconds(0));  // jobs in flight go back to the queue for another worker
  log_info("shutdown complete");
  return 0;
}

// A worker runs jobs of the schema it was built for, and never migrates: a pending
// migration (or a database migrated by a newer mecapyd) stops it before it claims.
void require_current_schema(db::Database& database) {
  db::Migrator migrator(database, db::builtin_migrations(database.dialect()));
  const auto migrations = migrator.status();
  const int known = migrations.empty() ? 0 : migrations.back().version;
  const int current = migrator.current_version();
  for (const auto& m : migrations)
    if (!m.applied)
      throw Error(ErrorKind::unavailable, "schema-not-current",
                  "the database schema is not current: migration " + std::to_string(m.version) + "_" + m.name +
                      " is pending (database at version " + std::to_string(current) + ", this mecapyd needs " +
                      std::to_string(known) +
                      "); run `mecapyd migrate up` (or start `mecapyd serve`) first — "
                      "a worker never migrates");
  if (current > known)
    throw Error(ErrorKind::unavailable, "schema-too-new",
                "the database schema is at version " + std::to_string(current) + ", newer than this mecapyd knows (" +
                    std::to_string(known) + "): run this worker with the servers' version of mecapyd");
}

// Claims and runs jobs until SIGTERM or SIGINT; then lets the jobs in flight finish
// for up to shutdown_timeout, hands back those still running, leaves the registry.
int worker(const Config& config) {
  StopSignals stop_signals;  // first: a signal during start-up stops it once started
  const unsigned slots = configured_slots(config);
  if (slots == 0) throw ConfigError("worker_slots (--slots)", "a standalone worker needs at least one slot, got 0");
  auto database = db::open_database(config.database_url, database_options(config, config.db_pool_size));
  require_current_schema(*database);
  auto blobs = storage::open_blob_store(config.blob_store);
  blobs->check();  // every job reads and writes it: refuse to start without it
  storage::BlobReferences references(*database, *blobs, config.orphan_grace);
  packages::PackageCatalog package_catalog(*database, references);
  jobs::JobQueue job_queue(*database, {config.job_lease, config.max_running_per_user});
  jobs::WorkerRegistry registry(*database);
  const auto runner = open_package_runner(config);
  const auto cgroups = sandbox::detect_cgroups(sandbox::CgroupMode::automatic);
  log_info("sandbox: cgroup " + cgroups.version + (cgroups.problem.empty() ? "" : " (" + cgroups.problem + ")"));

  // Its events reach the API instances (and job.queued reaches it) through PostgreSQL.
  events::EventBus bus;
  std::unique_ptr<events::PostgresRelay> relay;
  if (database->dialect() == db::Dialect::postgres)
    relay = std::make_unique<events::PostgresRelay>(bus, *database, config.database_url);
  jobs::JobLog job_log(*database);
  JobWorkers workers(config, {*blobs, *runner, package_catalog, job_queue, registry, job_log, bus}, "standalone",
                     slots);
  workers.start();
  log_info("mecapyd " MECAPY_VERSION " worker running; database " + database->describe() + ", blob store " +
           blobs->describe());
  const int signal_number = stop_signals.wait();
  const unsigned running = workers.pool().running();
  log_info(std::string("shutdown requested (") + (signal_number == SIGINT ? "SIGINT" : "SIGTERM") + "): " +
           (running == 0 ? std::string("no job in flight")
                         : std::to_string(running) + " job(s) in flight get up to " +
                               std::to_string(config.shutdown_timeout.count()) +
                               " ms to finish (shutdown_timeout), then go back to the queue"));
  workers.stop(config.shutdown_timeout);
  log_info("shutdown complete");
  return 0;
}

int migrate(const Config& config, const std::string& action, int count) {
  auto database = db::open_database(config.database_url, database_options(config, 1));
  db::Migrator migrator(*database, db::builtin_migrations(database->dialect()));
  if (action == "up") {
    const auto applied = migrator.up();
    std::cout << (applied.empty() ? "schema is up to date"
                                  : "applied " + std::to_string(applied.size()) + " migration(s)")
              << " (version " << migrator.current_version() << ")\n";
  } else if (action == "down") {
    const auto reverted = migrator.down(count);
    std::cout << "reverted " << reverted.size() << " migration(s) (version " << migrator.current_version() << ")\n";
  } else {
    for (const auto& s : migrator.status())
      std::printf("%04d  %-30s  %s\n", s.version, s.name.c_str(),
                  s.applied ? ("applied " + s.applied_at).c_str() : "pending");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mecapyd: the MecaPy server"};
  app.require_subcommand(1);
  app.fallthrough();
  std::optional<std::string> config_file;
  app.add_option("--config", config_file, "TOML configuration file (also MECAPY_CONFIG)");
  std::map<std::string, std::string> flags;
  for (const auto& d : setting_descriptors())
    app.add_option_function<std::string>(
           flag_name(d.key), [&flags, key = d.key](const std::string& v) { flags[key] = v; },
           d.help + " [env " + env_name(d.key) + ", default " + d.default_text + "]")
        ->type_name("VALUE");

  auto* serve_cmd = app.add_subcommand("serve", "Run the HTTP API server");
  bool no_migrate = false;
  serve_cmd->add_flag("--no-migrate", no_migrate, "Do not apply pending migrations at start-up");

  auto* worker_cmd = app.add_subcommand("worker", "Run jobs from the shared database (no HTTP, no migrations)");
  int worker_slots = 0;
  auto* slots_option =
      worker_cmd
          ->add_option("--slots", worker_slots, "Jobs run at once (the setting worker_slots; default: one per core)")
          ->type_name("N")
          ->check(CLI::Range(1, 256));

  auto* migrate_cmd = app.add_subcommand("migrate", "Apply, revert or list schema migrations");
  migrate_cmd->require_subcommand(1);
  migrate_cmd->add_subcommand("up", "Apply every pending migration");
  int down_count = 1;
  migrate_cmd->add_subcommand("down", "Revert the last N migrations")
      ->add_option("N", down_count, "How many to revert")
      ->required()
      ->check(CLI::Range(1, 1'000'000));
  migrate_cmd->add_subcommand("status", "List migrations and whether they are applied");

  admin::AdminCommand admin_cmd(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help or the usage error
    return rc == 0 ? 0 : 2;
  }
  if (no_migrate) flags["migrate_on_start"] = "false";
  if (slots_option->count() > 0) flags["worker_slots"] = std::to_string(worker_slots);

  Config config;
  try {
    ConfigSources sources;
    sources.config_file = config_file;
    sources.flags = flags;
    config = load_config(sources);
  } catch (const ConfigError& e) {
    std::cerr << "mecapyd: invalid configuration: " << e.what() << "\n";
    return 2;
  }
  configure_logging("mecapyd", config.log_level);
  int rc = 2;
  try {
    if (serve_cmd->parsed()) {
      // Requests never wait for stdout; every return below delivers what is queued
      // first (stop_async_logging), so a start-up error is not lost.
      start_async_logging();
      rc = serve(config);
    }
    if (worker_cmd->parsed()) {
      start_async_logging();
      rc = worker(config);
    }
    for (const char* action : {"up", "down", "status"})
      if (migrate_cmd->got_subcommand(action)) rc = migrate(config, action, down_count);
    if (admin_cmd.parsed()) {
      auto database = db::open_database(config.database_url, database_options(config, 2));
      rc = admin_cmd.run(*database, config.migrate_on_start, auth::hashing_for(config.password_hash_cost), std::cin,
                         std::cout, std::cerr);
    }
  } catch (const ConfigError& e) {
    stop_async_logging();
    std::cerr << "mecapyd: invalid configuration: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    log_error(std::string("fatal: ") + operator_message(e));
    stop_async_logging();
    std::cerr << "mecapyd: " << operator_message(e) << "\n";
    return 1;
  }
  stop_async_logging();
  return rc;
}
