#include "core/config.hpp"

#include "core/clock.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>

#include "core/clock.hpp"
#include "core/errors.hpp"

using namespace mecapy;

namespace {

struct FakeEnv {
  std::map<std::string, std::string> vars;
  std::function<const char*(const char*)> getter() {
    return [this](const char* n) -> const char* {
      auto it = vars.find(n);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

std::string write_temp(const std::string& content) {
  char path[] = "/tmp/mecapy-config-XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path) << content;
  return path;
}

std::string error_setting(const ConfigSources& s) {
  try {
    load_config(s);
  } catch (const ConfigError& e) {
    return e.setting();
  }
  return "<no error>";
}

}  // namespace

TEST(Config, DefaultsAreEmbedded) {
  FakeEnv env;
  ConfigSources s;
  s.getenv = env.getter();
  const Config c = load_config(s);
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8000);
  EXPECT_EQ(c.database_url, "sqlite:./var/mecapy.db");
  EXPECT_EQ(c.blob_store, "local:./var/blobs");
  EXPECT_TRUE(c.cors_origins.empty());
  EXPECT_TRUE(c.migrate_on_start);
}

TEST(Config, PrecedenceIsFileThenEnvThenFlag) {
  const std::string file = write_temp("listen = \"127.0.0.1:7000\"\ndata_dir = \"/srv/a\"\nlog_level = \"debug\"\n");
  FakeEnv env;
  env.vars["MECAPY_DATA_DIR"] = "/srv/b";
  env.vars["MECAPY_LISTEN"] = "127.0.0.1:7100";
  ConfigSources s;
  s.getenv = env.getter();
  s.config_file = file;
  s.flags["listen"] = "[::1]:7200";
  const Config c = load_config(s);
  EXPECT_EQ(c.listen_host, "::1");
  EXPECT_EQ(c.listen_port, 7200);
  EXPECT_EQ(c.data_dir, "/srv/b");
  EXPECT_EQ(c.log_level, LogLevel::debug);
  EXPECT_EQ(c.database_url, "sqlite:/srv/b/mecapy.db");
  std::remove(file.c_str());
}

TEST(Config, ConfigFileFromEnvironment) {
  const std::string file =
      write_temp("offload_threads = 3\ntls_proxy = true\n[features]\nbeta = { rollout_percent = 20 }\nold = false\n");
  FakeEnv env;
  env.vars["MECAPY_CONFIG"] = file;
  ConfigSources s;
  s.getenv = env.getter();
  const Config c = load_config(s);
  EXPECT_EQ(c.offload_threads, 3);
  EXPECT_TRUE(c.tls_proxy);
  ASSERT_EQ(c.features.size(), 2u);
  std::remove(file.c_str());
}

TEST(Config, InvalidValuesNameTheSetting) {
  FakeEnv env;
  ConfigSources s;
  s.getenv = env.getter();
  env.vars["MECAPY_LISTEN"] = "nowhere";
  EXPECT_EQ(error_setting(s), "MECAPY_LISTEN");
  env.vars["MECAPY_LISTEN"] = "127.0.0.1:99999";
  EXPECT_EQ(error_setting(s), "MECAPY_LISTEN");
  env.vars.clear();
  env.vars["MECAPY_DATABASE_URL"] = "mysql://x";
  EXPECT_EQ(error_setting(s), "MECAPY_DATABASE_URL");
  env.vars.clear();
  s.flags["max_body_size"] = "lots";
  EXPECT_EQ(error_setting(s), "--max-body-size");
  s.flags.clear();
  s.flags["cors_origins"] = "https://ok.example, ftp://bad";
  EXPECT_EQ(error_setting(s), "--cors-origins");
}

TEST(Config, WorkerSlotsAreAutoByDefaultAndZeroMeansNone) {
  FakeEnv env;
  ConfigSources s;
  s.getenv = env.getter();
  EXPECT_FALSE(load_config(s).worker_slots.has_value()) << "the default is one per core";
  s.flags["worker_slots"] = "0";
  EXPECT_EQ(load_config(s).worker_slots, 0u);
  s.flags["worker_slots"] = "12";
  EXPECT_EQ(load_config(s).worker_slots, 12u);
  env.vars["MECAPY_WORKER_SLOTS"] = "3";
  s.flags["worker_slots"] = "auto";
  EXPECT_FALSE(load_config(s).worker_slots.has_value()) << "a flag's auto overrides the environment";
  s.flags["worker_slots"] = "257";
  EXPECT_EQ(error_setting(s), "--worker-slots");
  s.flags["worker_slots"] = "-1";
  EXPECT_EQ(error_setting(s), "--worker-slots");
}

TEST(Config, UnknownFileKeyAndSyntaxErrorsAreReported) {
  const std::string unknown = write_temp("listne = \"127.0.0.1:1\"\n");
  FakeEnv env;
  ConfigSources s;
  s.getenv = env.getter();
  s.config_file = unknown;
  EXPECT_EQ(error_setting(s), "config file key 'listne'");
  const std::string broken = write_temp("listen = \n");
  s.config_file = broken;
  EXPECT_EQ(error_setting(s).rfind("config file ", 0), 0u);
  s.config_file = "/nonexistent/mecapy.toml";
  EXPECT_EQ(error_setting(s), "config file /nonexistent/mecapy.toml");
  std::remove(unknown.c_str());
  std::remove(broken.c_str());
}

TEST(Config, SizeAndDurationParsers) {
  EXPECT_EQ(parse_size("512", "x"), 512u);
  EXPECT_EQ(parse_size("8MiB", "x"), 8u << 20);
  EXPECT_EQ(parse_size("1G", "x"), 1ull << 30);
  EXPECT_THROW(parse_size("-1", "x"), ConfigError);
  EXPECT_THROW(parse_size("99999999999999999999T", "x"), ConfigError);
  EXPECT_EQ(parse_duration("500ms", "x").count(), 500);
  EXPECT_EQ(parse_duration("30", "x").count(), 30000);
  EXPECT_EQ(parse_duration("2m", "x").count(), 120000);
  EXPECT_THROW(parse_duration("soon", "x"), ConfigError);
  EXPECT_TRUE(parse_bool("On", "x"));
}

// A duration large enough to wrap around when multiplied used to be accepted; the
// retention cut-off computed from it then lay in the future and every file went.
TEST(Config, DurationsAreCheckedAgainstOverflowAndEachSettingsMaximum) {
  EXPECT_THROW(parse_duration("1099511627776d", "x"), ConfigError);          // 2^40 days
  EXPECT_THROW(parse_duration("18446744073709551615ms", "x"), ConfigError);  // uint64 max
  EXPECT_THROW(parse_duration("18446744073709551616", "x"), ConfigError);    // beyond uint64
  EXPECT_THROW(parse_duration("213503982d", "x"), ConfigError);              // wraps int64 milliseconds
  EXPECT_EQ(parse_duration("36500d", "x").count(), 36'500LL * 86'400'000);   // the default maximum
  EXPECT_THROW(parse_duration("36501d", "x"), ConfigError);
  EXPECT_EQ(parse_duration("2s", "x", std::chrono::seconds(2)).count(), 2000);
  EXPECT_THROW(parse_duration("2001ms", "x", std::chrono::seconds(2)), ConfigError);

  auto load = [](const std::string& key, const std::string& value) {
    ConfigSources s;
    s.getenv = [](const char*) -> const char* { return nullptr; };
    s.flags[key] = value;
    return load_config(s);
  };
  EXPECT_THROW(load("file_retention", "1099511627776d"), ConfigError);
  EXPECT_THROW(load("file_retention", "36501d"), ConfigError);
  EXPECT_EQ(load("file_retention", "36500d").file_retention.count(), 36'500LL * 86'400);
  EXPECT_THROW(load("header_timeout", "2h"), ConfigError);
  EXPECT_THROW(load("orphan_grace", "30s"), ConfigError);
  EXPECT_THROW(load("orphan_grace", "31d"), ConfigError);
  EXPECT_EQ(load("orphan_grace", "2h").orphan_grace.count(), 7200);
  try {
    load("idle_timeout", "99999999d");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.setting(), "--idle-timeout");
    EXPECT_NE(std::string(e.what()).find("at most"), std::string::npos) << e.what();
  }
}

TEST(Clock, RetentionCutoffNeverLiesInTheFuture) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  EXPECT_EQ(cutoff_before(now, hours(1)), now - hours(1));
  EXPECT_EQ(cutoff_before(now, seconds::max()), system_clock::time_point{});  // saturates at the epoch
  EXPECT_EQ(cutoff_before(now, seconds(-5)), now);
  EXPECT_EQ(cutoff_before(now, seconds::zero()), now);
  for (seconds age : {seconds(1), seconds(hours(24) * 36'500), seconds::max() / 2, seconds::max()}) {
    const auto cut = cutoff_before(now, age);
    EXPECT_LE(cut, now);
    EXPECT_GE(cut, system_clock::time_point{});
  }
}

TEST(Config, BooleansParse) {
  EXPECT_TRUE(parse_bool("On", "x"));
  EXPECT_FALSE(parse_bool("0", "x"));
  EXPECT_THROW(parse_bool("maybe", "x"), ConfigError);
}

TEST(Config, FeatureListSyntax) {
  const auto f = parse_feature_list("a, b=off, c=25%", "MECAPY_FEATURES");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_TRUE(f[0].enabled);
  EXPECT_EQ(f[0].rollout_percent, 100);
  EXPECT_FALSE(f[1].enabled);
  EXPECT_EQ(f[2].rollout_percent, 25);
  EXPECT_THROW(parse_feature_list("c=101%", "x"), ConfigError);
  EXPECT_THROW(parse_feature_list("bad name", "x"), ConfigError);
}

TEST(Config, EverySettingHasThreeSpellings) {
  for (const auto& d : setting_descriptors()) {
    EXPECT_EQ(env_name(d.key).rfind("MECAPY_", 0), 0u);
    EXPECT_EQ(flag_name(d.key).find('_'), std::string::npos);
    EXPECT_FALSE(d.help.empty()) << d.key;
  }
}

TEST(Config, EverySettingIsDocumented) {
  std::ifstream in(std::string(MECAPY_SOURCE_DIR) + "/docs/configuration.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(doc.empty());
  for (const auto& d : setting_descriptors())
    EXPECT_NE(doc.find("| `" + d.key + "` |"), std::string::npos) << d.key << " is missing from docs/configuration.md";
}
