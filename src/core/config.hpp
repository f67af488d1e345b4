// Configuration of every mecapyd subcommand.
//
// Each setting has one name in three spellings: a TOML key (`max_body_size`), an
// environment variable (`MECAPY_MAX_BODY_SIZE`) and a flag (`--max-body-size`).
// Precedence, lowest first: built-in default < TOML file (--config / MECAPY_CONFIG)
// < environment < flag. An invalid value throws ConfigError naming the spelling the
// user wrote, so start-up can stop with a message that says what to fix.
// docs/configuration.md documents every setting of setting_descriptors().
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/log.hpp"

namespace mecapy {

struct FeatureFlagConfig {
  std::string name;
  bool enabled = false;
  int rollout_percent = 100;  // of users, chosen by a stable hash of the user id
};

struct Config {
  // Core settings, shared by every subcommand.
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8000;
  std::string data_dir = "./var";
  std::string database_url;  // resolved: never empty after load_config()
  std::string blob_store;    // resolved: never empty after load_config()
  LogLevel log_level = LogLevel::info;

  // HTTP server.
  std::uint64_t max_body_size = 8ull << 20;
  std::uint32_t max_header_size = 16u << 10;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{60'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds shutdown_timeout{30'000};
  int offload_threads = 4;
  int blob_io_threads = 4;
  std::size_t max_queued_requests = 256;
  std::size_t max_connections = 1024;
  std::vector<std::string> cors_origins;
  bool tls_proxy = false;  // served over TLS (directly or behind a proxy): send HSTS
  std::chrono::seconds hsts_max_age{31'536'000};
  // The built web UI served at `/` (webui/static_site.hpp): empty means web/out under
  // the working directory when it exists; "none" serves no UI.
  std::string web_dir;

  // Metadata store.
  int db_pool_size = 8;
  std::chrono::milliseconds db_pool_timeout{5'000};
  std::chrono::milliseconds db_statement_timeout{30'000};
  bool sqlite_full_sync = true;
  bool migrate_on_start = true;

  // Files.
  std::uint64_t max_file_size = 1ull << 30;
  std::uint64_t user_quota = 10ull << 30;
  std::chrono::seconds file_retention{0};  // 0: files are kept until deleted
  // A blob no row refers to is removed only once it is older than this, so another
  // instance's upload, staged a moment before its row is written, is never taken.
  std::chrono::seconds orphan_grace{3'600};

  // Packages.
  std::uint64_t max_archive_size = 50ull << 20;
  std::string max_tier = "large";  // the largest resource tier a function may ask for
  std::vector<std::string> python_interpreters = {"/usr/bin/python3"};
  bool refuse_unsafe_sources = false;  // package_scan = refuse

  // Jobs.
  // Jobs this process runs at once; nullopt: one per core; 0: none (an API-only `serve`).
  std::optional<unsigned> worker_slots;
  std::chrono::milliseconds max_sync_wait{60'000};
  std::chrono::milliseconds job_lease{30'000};
  std::chrono::milliseconds job_poll{5'000};  // the safety poll beside the event bus
  std::int64_t max_running_per_user = 8;

  // The sandbox that runs package code (deploy-time steps; jobs later).
  std::string sandbox_pool = "mecapyd";
  std::uint32_t sandbox_uid_first = 1'100'000'000;
  std::uint32_t sandbox_uid_count = 65'536;

  // Identity (docs/identity.md).
  std::string oidc_issuer;  // empty: no OpenID Connect provider
  std::string oidc_audience = "mecapy-api";
  std::string oidc_client_id = "mecapy-api";
  std::string oidc_client_secret;
  std::string oidc_redirect_uri;  // the UI's /auth/callback
  std::chrono::seconds oidc_clock_skew{60};
  bool local_accounts = true;                      // built-in username/password accounts
  std::string admin_password;                      // first start: the bootstrap admin's; empty: generated, logged once
  std::string password_hash_cost = "interactive";  // libsodium argon2id limits: min | interactive | moderate
  std::chrono::seconds session_ttl{12 * 3'600};
  std::chrono::seconds session_idle_timeout{2 * 3'600};
  // Requests per second and burst of one signed-in caller, and of one address for
  // anonymous callers (token buckets); 0 turns a limit off.
  double rate_limit = 200;
  double rate_limit_burst = 400;
  double anonymous_rate_limit = 20;
  double anonymous_rate_limit_burst = 60;

  std::vector<FeatureFlagConfig> features;
};

// One setting, as documented and as accepted from every source.
struct SettingDescriptor {
  std::string key;  // TOML key; env is MECAPY_<KEY upper>, flag is --<key with dashes>
  std::string default_text;
  std::string help;
  std::function<void(Config&, const std::string& value, const std::string& spelled_as)> apply;
};

const std::vector<SettingDescriptor>& setting_descriptors();
std::string env_name(const std::string& key);
std::string flag_name(const std::string& key);

struct ConfigSources {
  std::optional<std::string> config_file;    // from --config; else MECAPY_CONFIG
  std::map<std::string, std::string> flags;  // key -> value, only the flags given
  std::function<const char*(const char*)> getenv = [](const char* n) { return std::getenv(n); };
};

Config load_config(const ConfigSources& sources);

// Value parsers, exposed for tests. Each throws ConfigError(spelled_as, ...).
std::uint64_t parse_size(const std::string& text, const std::string& spelled_as);
// A duration: a non-negative integer and a unit (ms, s, m, h, d; none means s), at
// most `max` (the arithmetic is checked: no value wraps around).
std::chrono::milliseconds parse_duration(const std::string& text, const std::string& spelled_as,
                                         std::chrono::milliseconds max = std::chrono::hours(24) * 36'500);
bool parse_bool(const std::string& text, const std::string& spelled_as);
std::vector<FeatureFlagConfig> parse_feature_list(const std::string& text, const std::string& spelled_as);

}  // namespace mecapy
