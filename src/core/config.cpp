#include "core/config.hpp"

#include <arpa/inet.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "core/errors.hpp"

namespace mecapy {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(trim(cur));
  return out;
}

// Parses a non-negative decimal integer occupying the whole string.
std::optional<std::uint64_t> parse_uint(const std::string& s) {
  std::uint64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::int64_t parse_int_in(const std::string& text, const std::string& spelled_as, std::int64_t lo, std::int64_t hi) {
  const auto v = parse_uint(trim(text));
  if (!v || static_cast<std::int64_t>(*v) < lo || static_cast<std::int64_t>(*v) > hi)
    throw ConfigError(spelled_as, "expected an integer between " + std::to_string(lo) + " and " + std::to_string(hi) +
                                      ", got '" + text + "'");
  return static_cast<std::int64_t>(*v);
}

void apply_listen(Config& c, const std::string& value, const std::string& spelled_as) {
  const auto colon = value.rfind(':');
  if (colon == std::string::npos)
    throw ConfigError(spelled_as, "expected HOST:PORT (e.g. 127.0.0.1:8000), got '" + value + "'");
  std::string host = value.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  unsigned char buf[16];
  if (inet_pton(AF_INET, host.c_str(), buf) != 1 && inet_pton(AF_INET6, host.c_str(), buf) != 1)
    throw ConfigError(spelled_as, "host must be an IP address or 'localhost', got '" + host + "'");
  c.listen_host = host;
  c.listen_port = static_cast<std::uint16_t>(parse_int_in(value.substr(colon + 1), spelled_as, 0, 65535));
}

void apply_database_url(Config& c, const std::string& value, const std::string& spelled_as) {
  const bool ok =
      value.starts_with("sqlite:") || value.starts_with("postgresql://") || value.starts_with("postgres://");
  if (!ok) throw ConfigError(spelled_as, "expected sqlite:PATH or postgresql://USER@HOST:PORT/DB, got '" + value + "'");
  c.database_url = value;
}

void apply_blob_store(Config& c, const std::string& value, const std::string& spelled_as) {
  const bool ok = value.starts_with("local:") || value.starts_with("s3://");
  if (!ok || value == "local:" || value == "s3://")
    throw ConfigError(spelled_as, "expected local:PATH or s3://BUCKET?endpoint=URL, got '" + value + "'");
  c.blob_store = value;
}

using Days = std::chrono::duration<std::int64_t, std::ratio<86'400>>;

// Each duration setting has a maximum that makes sense for it; beyond it the value is
// a typo (or an attempt to overflow what is computed from it), not a wish.
template <class Duration>
auto duration_setter(Duration Config::*field, std::chrono::milliseconds max) {
  return [field, max](Config& c, const std::string& v, const std::string& s) {
    c.*field = std::chrono::duration_cast<Duration>(parse_duration(v, s, max));
  };
}

// An integer setting kept in [lo, hi].
template <class Int>
auto int_setter(Int Config::*field, std::int64_t lo, std::int64_t hi) {
  return [field, lo, hi](Config& c, const std::string& v, const std::string& s) {
    c.*field = static_cast<Int>(parse_int_in(v, s, lo, hi));
  };
}

std::string non_empty(const std::string& v, const std::string& spelled_as) {
  if (v.empty()) throw ConfigError(spelled_as, "must not be empty");
  return v;
}

// An http(s) URL without spaces or control characters; empty turns the setting off.
std::string url_setting(const std::string& v, const std::string& spelled_as) {
  if (v.empty()) return v;
  if (v.rfind("https://", 0) != 0 && v.rfind("http://", 0) != 0)
    throw ConfigError(spelled_as, "expected an http:// or https:// URL, got '" + v + "'");
  for (const char ch : v)
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f)
      throw ConfigError(spelled_as, "a URL must not contain spaces or control characters");
  return v;
}

std::chrono::seconds bounded_seconds(const std::string& v, const std::string& spelled_as, std::chrono::seconds lo,
                                     std::chrono::seconds hi) {
  const auto d = parse_duration(v, spelled_as, hi);
  if (d < lo) throw ConfigError(spelled_as, "must be at least " + std::to_string(lo.count()) + "s, got '" + v + "'");
  return std::chrono::duration_cast<std::chrono::seconds>(d);
}

// A non-negative rate or burst, at most a million.
double parse_rate(const std::string& v, const std::string& spelled_as) {
  return static_cast<double>(parse_int_in(v, spelled_as, 0, 1'000'000));
}

std::vector<SettingDescriptor> make_descriptors() {
  using D = SettingDescriptor;
  std::vector<D> d;
  d.push_back(D{"listen", "127.0.0.1:8000", "Address and port the HTTP server listens on (port 0: any free port).",
                apply_listen});
  d.push_back(D{"data_dir", "./var", "Directory for the embedded database and the local blob store.",
                [](Config& c, const std::string& v, const std::string& s) {
                  if (v.empty()) throw ConfigError(s, "must not be empty");
                  c.data_dir = v;
                }});
  d.push_back(D{"database_url", "sqlite:<data_dir>/mecapy.db",
                "Metadata store: sqlite:PATH (embedded) or postgresql://USER:PASS@HOST:PORT/DB.", apply_database_url});
  d.push_back(D{"blob_store", "local:<data_dir>/blobs",
                "Blob store: local:PATH or s3://BUCKET?endpoint=URL&region=R&path_style=true.", apply_blob_store});
  d.push_back(D{"log_level", "info", "Minimum level written to the log: debug, info, warning, error.",
                [](Config& c, const std::string& v, const std::string& s) {
                  const auto level = parse_log_level(v);
                  if (!level) throw ConfigError(s, "expected debug, info, warning or error, got '" + v + "'");
                  c.log_level = *level;
                }});
  d.push_back(D{"max_body_size", "8MiB", "Largest request body accepted by JSON routes (413 above).",
                [](Config& c, const std::string& v, const std::string& s) { c.max_body_size = parse_size(v, s); }});
  d.push_back(D{"max_header_size", "16KiB", "Largest request header block accepted (431 above).",
                [](Config& c, const std::string& v, const std::string& s) {
                  const auto size = parse_size(v, s);
                  if (size < 1024 || size > (1u << 20)) throw ConfigError(s, "must be between 1KiB and 1MiB");
                  c.max_header_size = static_cast<std::uint32_t>(size);
                }});
  d.push_back(D{"header_timeout", "10s", "Time a client has to send a complete request header.",
                duration_setter(&Config::header_timeout, std::chrono::hours(1))});
  d.push_back(D{"body_timeout", "60s", "Time a client has to send a complete request body.",
                duration_setter(&Config::body_timeout, std::chrono::hours(24))});
  d.push_back(D{"idle_timeout", "60s", "Time an idle keep-alive connection is kept open.",
                duration_setter(&Config::idle_timeout, std::chrono::hours(24))});
  d.push_back(D{"shutdown_timeout", "30s",
                "On SIGTERM/SIGINT, how long in-flight requests (serve) or running jobs (worker) may take to "
                "finish before the process exits.",
                duration_setter(&Config::shutdown_timeout, std::chrono::hours(1))});
  d.push_back(D{"offload_threads", "4", "Threads that run blocking work (database, disk) off the network reactor.",
                [](Config& c, const std::string& v, const std::string& s) {
                  c.offload_threads = static_cast<int>(parse_int_in(v, s, 1, 256));
                }});
  d.push_back(D{"blob_io_threads", "4",
                "Threads that run blob store I/O (file uploads, downloads, deletions, the readiness check).",
                int_setter(&Config::blob_io_threads, 1, 256)});
  d.push_back(D{"max_queued_requests", "256",
                "Requests that may wait for a thread of each pool; beyond it new requests get 503 server-busy.",
                int_setter(&Config::max_queued_requests, 0, 1'000'000)});
  d.push_back(D{"max_connections", "1024",
                "Open connections served at once; a connection beyond it gets 503 server-busy and is closed.",
                int_setter(&Config::max_connections, 1, 1'000'000)});
  d.push_back(D{"cors_origins", "(none)",
                "Comma-separated origins allowed to call the API from a browser (e.g. https://app.example.com).",
                [](Config& c, const std::string& v, const std::string& s) {
                  c.cors_origins.clear();
                  for (auto& o : split(v, ',')) {
                    if (o.empty()) continue;
                    if (!(o.starts_with("http://") || o.starts_with("https://")) || o.back() == '/')
                      throw ConfigError(s, "each origin must be scheme://host[:port] without a path, got '" + o + "'");
                    c.cors_origins.push_back(o);
                  }
                }});
  d.push_back(D{"web_dir", "web/out if it exists",
                "The built web UI (the static export of web/) served at /; `none` serves no UI.",
                [](Config& c, const std::string& v, const std::string& s) {
                  if (v.empty()) throw ConfigError(s, "give a directory, or `none` for no web UI");
                  c.web_dir = v;
                }});
  d.push_back(D{"tls_proxy", "false",
                "The server is reached over HTTPS (TLS terminated here or by a proxy): send Strict-Transport-Security.",
                [](Config& c, const std::string& v, const std::string& s) { c.tls_proxy = parse_bool(v, s); }});
  d.push_back(D{"hsts_max_age", "365d", "max-age of the Strict-Transport-Security header when tls_proxy is on.",
                duration_setter(&Config::hsts_max_age, Days(3'650))});
  d.push_back(D{"db_pool_size", "8", "Connections kept open to the metadata store.",
                [](Config& c, const std::string& v, const std::string& s) {
                  c.db_pool_size = static_cast<int>(parse_int_in(v, s, 1, 1024));
                }});
  d.push_back(D{"db_pool_timeout", "5s",
                "How long a request waits for a free database connection before it is answered 503 (at most 10m).",
                duration_setter(&Config::db_pool_timeout, std::chrono::minutes(10))});
  d.push_back(D{"db_statement_timeout", "30s",
                "PostgreSQL cancels a statement running longer than this (0: no limit; at most 24h).",
                duration_setter(&Config::db_statement_timeout, std::chrono::hours(24))});
  d.push_back(D{"sqlite_synchronous", "full",
                "SQLite durability: full (a committed row survives power loss) or normal (faster; the last commits "
                "may be lost on power loss, the database is never corrupted).",
                [](Config& c, const std::string& v, const std::string& s) {
                  if (v != "full" && v != "normal") throw ConfigError(s, "expected full or normal, got '" + v + "'");
                  c.sqlite_full_sync = v == "full";
                }});
  d.push_back(D{"migrate_on_start", "true", "`serve` applies pending schema migrations before accepting requests.",
                [](Config& c, const std::string& v, const std::string& s) { c.migrate_on_start = parse_bool(v, s); }});
  d.push_back(D{"max_file_size", "1GiB", "Largest file accepted by an upload (413 above).",
                [](Config& c, const std::string& v, const std::string& s) { c.max_file_size = parse_size(v, s); }});
  d.push_back(D{"user_quota", "10GiB", "Total size of the files one user may keep (413 above).",
                [](Config& c, const std::string& v, const std::string& s) { c.user_quota = parse_size(v, s); }});
  d.push_back(D{"file_retention", "0 (off)", "Files older than this are deleted automatically; 0 keeps them.",
                duration_setter(&Config::file_retention, Days(36'500))});
  d.push_back(D{"orphan_grace", "1h",
                "Blobs no file refers to are removed once older than this (1m to 30d): long enough for any upload "
                "in flight on another instance to record its file.",
                [](Config& c, const std::string& v, const std::string& s) {
                  const auto grace = parse_duration(v, s, Days(30));
                  if (grace < std::chrono::minutes(1)) throw ConfigError(s, "must be at least 1m, got '" + v + "'");
                  c.orphan_grace = std::chrono::duration_cast<std::chrono::seconds>(grace);
                }});
  d.push_back(D{"max_archive_size", "50MiB",
                "Largest package archive accepted by a deploy (413 archive-too-large above).",
                [](Config& c, const std::string& v, const std::string& s) { c.max_archive_size = parse_size(v, s); }});
  d.push_back(D{"max_tier", "large",
                "The largest resource tier (nano, micro, small, medium, large) a function may ask for; a package "
                "asking for more, by tier or by explicit cpu, memory_mb or timeout, is refused.",
                [](Config& c, const std::string& v, const std::string& s) {
                  if (v != "nano" && v != "micro" && v != "small" && v != "medium" && v != "large")
                    throw ConfigError(s, "expected nano, micro, small, medium or large, got '" + v + "'");
                  c.max_tier = v;
                }});
  d.push_back(D{"python_interpreters", "/usr/bin/python3",
                "Comma-separated absolute paths of the Python interpreters packages run on (under /usr, which the "
                "sandbox shows); the first is the default. A manifest asking for a version none of them has runs "
                "on the default, with a deploy warning.",
                [](Config& c, const std::string& v, const std::string& s) {
                  c.python_interpreters.clear();
                  for (auto& path : split(v, ',')) {
                    if (path.empty()) continue;
                    if (!path.starts_with("/usr/"))
                      throw ConfigError(s, "each interpreter must be under /usr/, got '" + path + "'");
                    c.python_interpreters.push_back(path);
                  }
                  if (c.python_interpreters.empty()) throw ConfigError(s, "give at least one interpreter");
                }});
  d.push_back(D{"package_scan", "warn",
                "What a deploy does when the source scan finds code that cannot work in the sandbox (network "
                "modules, subprocesses, absolute paths, eval of strings): warn, or refuse the version (422).",
                [](Config& c, const std::string& v, const std::string& s) {
                  if (v != "warn" && v != "refuse") throw ConfigError(s, "expected warn or refuse, got '" + v + "'");
                  c.refuse_unsafe_sources = v == "refuse";
                }});
  d.push_back(D{"worker_slots", "auto (one per core)",
                "Jobs this process runs at once: the embedded pool of `serve` (0: none, an API-only instance) or "
                "`worker` (at least 1); auto means one per core.",
                [](Config& c, const std::string& v, const std::string& s) {
                  if (trim(v) == "auto")
                    c.worker_slots.reset();
                  else
                    c.worker_slots = static_cast<unsigned>(parse_int_in(v, s, 0, 256));
                }});
  d.push_back(D{"max_sync_wait", "60s",
                "How long a synchronous execute waits for its job before answering 202 with the job's location "
                "(at most 10m).",
                duration_setter(&Config::max_sync_wait, std::chrono::minutes(10))});
  d.push_back(D{"job_lease", "30s",
                "A worker's claim on a job lasts this long unless renewed (it renews every third of it); a job "
                "whose worker stopped answering is retried once its lease has expired (1s to 1h).",
                [](Config& c, const std::string& v, const std::string& s) {
                  const auto lease = parse_duration(v, s, std::chrono::hours(1));
                  if (lease < std::chrono::seconds(1)) throw ConfigError(s, "must be at least 1s, got '" + v + "'");
                  c.job_lease = lease;
                }});
  d.push_back(D{"job_poll", "5s",
                "How often idle workers, synchronous executes and event streams look at the database besides the "
                "events that wake them (a safety net for a lost notification; 100ms to 10m).",
                [](Config& c, const std::string& v, const std::string& s) {
                  const auto poll = parse_duration(v, s, std::chrono::minutes(10));
                  if (poll < std::chrono::milliseconds(100))
                    throw ConfigError(s, "must be at least 100ms, got '" + v + "'");
                  c.job_poll = poll;
                }});
  d.push_back(D{"max_running_per_user", "8",
                "Jobs of one user running at once; more wait in the queue (they never fail for it).",
                [](Config& c, const std::string& v, const std::string& s) {
                  c.max_running_per_user = parse_int_in(v, s, 1, 100000);
                }});
  d.push_back(D{"sandbox_pool", "mecapyd",
                "Name of the cgroup pool of this server's sandboxes; servers sharing a host need different names "
                "(and different sandbox_uid_range).",
                [](Config& c, const std::string& v, const std::string& s) {
                  if (v.empty() || v.size() > 64 ||
                      v.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos)
                    throw ConfigError(s, "use 1 to 64 characters among a-z, 0-9, '-' and '_', got '" + v + "'");
                  c.sandbox_pool = v;
                }});
  d.push_back(D{"sandbox_uid_range", "1100000000:65536",
                "FIRST:COUNT host user ids the sandboxes run as, one per concurrent run; never shared with another "
                "server or with users of the host.",
                [](Config& c, const std::string& v, const std::string& s) {
                  const auto colon = v.find(':');
                  if (colon == std::string::npos) throw ConfigError(s, "expected FIRST:COUNT, got '" + v + "'");
                  const auto first = parse_int_in(v.substr(0, colon), s, 1, 4'294'000'000LL);
                  const auto count = parse_int_in(v.substr(colon + 1), s, 1, 1'000'000);
                  if (first + count > 4'294'967'294LL) throw ConfigError(s, "the range ends past 4294967294");
                  c.sandbox_uid_first = static_cast<std::uint32_t>(first);
                  c.sandbox_uid_count = static_cast<std::uint32_t>(count);
                }});
  d.push_back(D{"oidc_issuer", "(none)",
                "Issuer URL of the OpenID Connect provider (for Keycloak: https://HOST/realms/mecapy); unset: no "
                "provider, built-in accounts only.",
                [](Config& c, const std::string& v, const std::string& s) { c.oidc_issuer = url_setting(v, s); }});
  d.push_back(D{"oidc_audience", "mecapy-api", "The audience access tokens must carry (aud, or azp) to be accepted.",
                [](Config& c, const std::string& v, const std::string& s) { c.oidc_audience = non_empty(v, s); }});
  d.push_back(D{"oidc_client_id", "mecapy-api", "The client the API signs users in as (authorization code + PKCE).",
                [](Config& c, const std::string& v, const std::string& s) { c.oidc_client_id = non_empty(v, s); }});
  d.push_back(D{"oidc_client_secret", "(none)", "That client's secret; unset for a public client.",
                [](Config& c, const std::string& v, const std::string&) { c.oidc_client_secret = v; }});
  d.push_back(
      D{"oidc_redirect_uri", "(none)",
        "Where the provider sends the browser back after sign-in: the UI's /auth/callback page.",
        [](Config& c, const std::string& v, const std::string& s) { c.oidc_redirect_uri = url_setting(v, s); }});
  d.push_back(D{"oidc_clock_skew", "60s", "Tolerance on a token's exp, nbf and iat (at most 10m).",
                duration_setter(&Config::oidc_clock_skew, std::chrono::minutes(10))});
  d.push_back(D{"local_accounts", "true", "Built-in username/password accounts (beside a provider or without one).",
                [](Config& c, const std::string& v, const std::string& s) { c.local_accounts = parse_bool(v, s); }});
  d.push_back(D{"admin_password", "(generated)",
                "Password of the built-in `admin` created at first start when no administrator exists; unset: a "
                "random one, written once to the log.",
                [](Config& c, const std::string& v, const std::string&) { c.admin_password = v; }});
  d.push_back(D{"password_hash_cost", "interactive",
                "argon2id limits for built-in passwords: interactive (64 MiB), moderate (256 MiB), or min "
                "(for tests only).",
                [](Config& c, const std::string& v, const std::string& s) {
                  if (v != "min" && v != "interactive" && v != "moderate")
                    throw ConfigError(s, "expected min, interactive or moderate, got '" + v + "'");
                  c.password_hash_cost = v;
                }});
  d.push_back(D{"session_ttl", "12h", "A browser session ends this long after sign-in (5m to 30d).",
                [](Config& c, const std::string& v, const std::string& s) {
                  c.session_ttl = bounded_seconds(v, s, std::chrono::minutes(5), Days(30));
                }});
  d.push_back(D{"session_idle_timeout", "2h", "A browser session unused this long ends (1m to 30d).",
                [](Config& c, const std::string& v, const std::string& s) {
                  c.session_idle_timeout = bounded_seconds(v, s, std::chrono::minutes(1), Days(30));
                }});
  d.push_back(D{"rate_limit", "200", "Requests per second one signed-in caller may make on average (0: no limit).",
                [](Config& c, const std::string& v, const std::string& s) { c.rate_limit = parse_rate(v, s); }});
  d.push_back(D{"rate_limit_burst", "400", "Requests one signed-in caller may make at once above the average.",
                [](Config& c, const std::string& v, const std::string& s) { c.rate_limit_burst = parse_rate(v, s); }});
  d.push_back(
      D{"anonymous_rate_limit", "20",
        "Requests per second from one address without credentials (sign-in included; 0: no limit).",
        [](Config& c, const std::string& v, const std::string& s) { c.anonymous_rate_limit = parse_rate(v, s); }});
  d.push_back(D{
      "anonymous_rate_limit_burst", "60", "Requests one address without credentials may make at once.",
      [](Config& c, const std::string& v, const std::string& s) { c.anonymous_rate_limit_burst = parse_rate(v, s); }});
  d.push_back(
      D{"features", "(none)",
        "Feature flags: comma-separated NAME (on), NAME=off, or NAME=PERCENT% (rollout to that share of users).",
        [](Config& c, const std::string& v, const std::string& s) { c.features = parse_feature_list(v, s); }});
  return d;
}

const SettingDescriptor* find_descriptor(const std::string& key) {
  for (const auto& d : setting_descriptors())
    if (d.key == key) return &d;
  return nullptr;
}

// TOML scalars are turned into their text form so every source goes through one parser.
std::optional<std::string> toml_scalar_text(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  if (node.is_integer()) return std::to_string(*node.value<std::int64_t>());
  return std::nullopt;
}

std::vector<FeatureFlagConfig> features_from_toml(const toml::table& table, const std::string& spelled_as) {
  std::vector<FeatureFlagConfig> out;
  for (const auto& [name, node] : table) {
    FeatureFlagConfig f;
    f.name = std::string(name.str());
    const std::string where = spelled_as + "." + f.name;
    if (auto b = node.value<bool>(); b && node.is_boolean()) {
      f.enabled = *b;
    } else if (const auto* t = node.as_table()) {
      f.enabled = t->get("enabled") ? t->get("enabled")->value_or(false) : true;
      if (const auto* r = t->get("rollout_percent")) {
        const auto pct = r->value<std::int64_t>();
        if (!pct || *pct < 0 || *pct > 100) throw ConfigError(where + ".rollout_percent", "expected 0..100");
        f.rollout_percent = static_cast<int>(*pct);
      }
    } else {
      throw ConfigError(where, "expected true/false or a table {enabled, rollout_percent}");
    }
    out.push_back(f);
  }
  return out;
}

void apply_toml_file(Config& c, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw ConfigError("config file " + path,
                      std::string(e.description()) + " at line " + std::to_string(e.source().begin.line));
  }
  for (const auto& [k, node] : root) {
    const std::string key(k.str());
    const std::string spelled_as = "config file key '" + key + "'";
    if (key == "features" && node.is_table()) {
      c.features = features_from_toml(*node.as_table(), spelled_as);
      continue;
    }
    const auto* d = find_descriptor(key);
    if (!d) throw ConfigError(spelled_as, "unknown setting (see docs/configuration.md)");
    const auto text = toml_scalar_text(node);
    if (!text) throw ConfigError(spelled_as, "expected a string, integer or boolean");
    d->apply(c, *text, spelled_as);
  }
}

}  // namespace

const std::vector<SettingDescriptor>& setting_descriptors() {
  static const std::vector<SettingDescriptor> d = make_descriptors();
  return d;
}

std::string env_name(const std::string& key) {
  std::string out = "MECAPY_";
  for (char ch : key) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  return out;
}

std::string flag_name(const std::string& key) {
  std::string out = "--";
  for (char ch : key) out.push_back(ch == '_' ? '-' : ch);
  return out;
}

std::uint64_t parse_size(const std::string& raw, const std::string& spelled_as) {
  const std::string text = trim(raw);
  std::size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  const auto number = parse_uint(text.substr(0, i));
  std::string unit = trim(text.substr(i));
  std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char ch) { return std::tolower(ch); });
  static const std::map<std::string, int> shifts = {{"", 0},     {"b", 0},   {"k", 10},   {"kb", 10}, {"kib", 10},
                                                    {"m", 20},   {"mb", 20}, {"mib", 20}, {"g", 30},  {"gb", 30},
                                                    {"gib", 30}, {"t", 40},  {"tb", 40},  {"tib", 40}};
  const auto it = shifts.find(unit);
  if (!number || it == shifts.end())
    throw ConfigError(spelled_as, "expected a size such as 512KiB, 8MiB or 1GiB, got '" + raw + "'");
  if (*number > (std::numeric_limits<std::uint64_t>::max() >> it->second))
    throw ConfigError(spelled_as, "size too large: '" + raw + "'");
  return *number << it->second;
}

std::chrono::milliseconds parse_duration(const std::string& raw, const std::string& spelled_as,
                                         std::chrono::milliseconds max) {
  const std::string text = trim(raw);
  std::size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  const auto number = parse_uint(text.substr(0, i));
  const std::string unit = trim(text.substr(i));
  static const std::map<std::string, std::uint64_t> ms_per = {{"ms", 1},     {"", 1000},       {"s", 1000},
                                                              {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};
  const auto it = ms_per.find(unit);
  if (!number || it == ms_per.end())
    throw ConfigError(spelled_as, "expected a duration such as 500ms, 30s, 5m, 2h or 1d, got '" + raw + "'");
  const auto limit = static_cast<std::uint64_t>(max.count());
  // Compared before multiplying, so no product can wrap around.
  if (*number > limit / it->second)
    throw ConfigError(spelled_as, "'" + raw + "' is too long: at most " + std::to_string(limit / it->second) +
                                      (unit.empty() ? "s" : unit) + " (" + std::to_string(limit) + "ms)");
  return std::chrono::milliseconds(static_cast<std::int64_t>(*number * it->second));
}

bool parse_bool(const std::string& raw, const std::string& spelled_as) {
  std::string t = trim(raw);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (t == "true" || t == "1" || t == "yes" || t == "on") return true;
  if (t == "false" || t == "0" || t == "no" || t == "off") return false;
  throw ConfigError(spelled_as, "expected true or false, got '" + raw + "'");
}

std::vector<FeatureFlagConfig> parse_feature_list(const std::string& text, const std::string& spelled_as) {
  std::vector<FeatureFlagConfig> out;
  for (const auto& item : split(text, ',')) {
    if (item.empty()) continue;
    FeatureFlagConfig f;
    const auto eq = item.find('=');
    f.name = trim(item.substr(0, eq));
    if (f.name.empty()) throw ConfigError(spelled_as, "a feature entry has no name: '" + item + "'");
    for (char ch : f.name)
      if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.'))
        throw ConfigError(spelled_as, "feature names use letters, digits, '_', '-', '.': '" + f.name + "'");
    f.enabled = true;
    if (eq != std::string::npos) {
      const std::string v = trim(item.substr(eq + 1));
      if (!v.empty() && v.back() == '%') {
        f.rollout_percent = static_cast<int>(parse_int_in(v.substr(0, v.size() - 1), spelled_as, 0, 100));
      } else {
        f.enabled = parse_bool(v, spelled_as);
      }
    }
    out.push_back(f);
  }
  return out;
}

Config load_config(const ConfigSources& sources) {
  Config c;
  std::optional<std::string> file = sources.config_file;
  if (!file) {
    if (const char* v = sources.getenv("MECAPY_CONFIG"); v && *v) file = v;
  }
  if (file) apply_toml_file(c, *file);
  for (const auto& d : setting_descriptors()) {
    const std::string env = env_name(d.key);
    if (const char* v = sources.getenv(env.c_str())) d.apply(c, v, env);
  }
  for (const auto& [key, value] : sources.flags) {
    const auto* d = find_descriptor(key);
    if (!d) throw ConfigError(flag_name(key), "unknown setting");
    d->apply(c, value, flag_name(key));
  }
  if (c.database_url.empty()) c.database_url = "sqlite:" + c.data_dir + "/mecapy.db";
  if (c.blob_store.empty()) c.blob_store = "local:" + c.data_dir + "/blobs";
  return c;
}

}  // namespace mecapy
