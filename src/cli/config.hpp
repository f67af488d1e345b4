// Where `mecapy` finds its server and its credential.
//
// Sources, strongest first: MECAPY_API_URL / MECAPY_TOKEN in the environment, then the
// file ~/.config/mecapy/config.toml ($XDG_CONFIG_HOME/mecapy/config.toml when that is
// set; $MECAPY_CONFIG names another file). The file holds a token, so it must be
// readable by its owner only: a file that grants any permission to its group or to
// others is refused (CliError usage, saying to chmod 600), whatever it contains.
// The file is written by `mecapy login` with mode 600, atomically (a temporary file in
// the same directory, renamed over it), and its directory with mode 700.
#pragma once

#include <optional>
#include <string>

namespace mecapy::cli {

// The API URL used when nothing configures one: a local `mecapyd serve`.
inline constexpr const char* kDefaultApiUrl = "http://127.0.0.1:8000";

struct StoredConfig {
  std::string api_url;   // empty: not set
  std::string token;     // empty: not set
  std::string token_id;  // the id of the token when `mecapy login` created it
};

struct Config {
  std::string api_url;  // never empty; no trailing '/'
  std::string token;    // empty: anonymous
  std::string token_id;
  bool token_from_env = false;
  std::string path;  // the configuration file (it may not exist)
};

// The configuration file's path (not checked for existence).
std::string config_path();

// Reads the file at `path`; an absent file gives an empty StoredConfig. Throws
// CliError(usage) when it is readable by group or others, unreadable or not TOML.
StoredConfig read_config_file(const std::string& path);

// Writes `stored` to `path` (mode 600, atomically; parent directory created 700).
void write_config_file(const std::string& path, const StoredConfig& stored);

// The file, then the environment over it, then `api_url_flag` (the --api-url option)
// over both when given. The file's token is used only with the file's API URL: with
// another URL (from the environment or the flag) the caller is anonymous unless
// MECAPY_TOKEN is set.
Config load_config(const std::optional<std::string>& api_url_flag);

}  // namespace mecapy::cli
