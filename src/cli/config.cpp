// Loading and writing the CLI's configuration (see config.hpp).
#include "cli/config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "cli/exit_codes.hpp"

namespace mecapy::cli {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

std::string without_trailing_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

[[noreturn]] void refuse(const std::string& path, const std::string& problem) {
  throw CliError(Exit::usage, path + ": " + problem);
}

std::string string_key(const toml::table& table, const char* key, const std::string& path) {
  const toml::node* node = table.get(key);
  if (!node) return {};
  const auto value = node->value<std::string>();
  if (!node->is_string() || !value) refuse(path, std::string(key) + " must be a string");
  return *value;
}

}  // namespace

std::string config_path() {
  if (auto explicit_path = env("MECAPY_CONFIG"); !explicit_path.empty()) return explicit_path;
  if (auto xdg = env("XDG_CONFIG_HOME"); !xdg.empty()) return xdg + "/mecapy/config.toml";
  const std::string home = env("HOME");
  if (home.empty()) throw CliError(Exit::usage, "HOME is not set: set MECAPY_CONFIG to the configuration file");
  return home + "/.config/mecapy/config.toml";
}

StoredConfig read_config_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return {};
    refuse(path, std::string("cannot be read: ") + std::strerror(errno));
  }
  struct stat info {};
  const int stat_rc = ::fstat(fd, &info);
  std::string text;
  if (stat_rc == 0 && (info.st_mode & 077) == 0) {
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (stat_rc != 0) refuse(path, "cannot be read");
  if ((info.st_mode & 077) != 0) {
    std::ostringstream mode;
    mode << std::oct << (info.st_mode & 0777);
    refuse(path,
           "it holds a token and its group or others may access it (mode " + mode.str() + "); run: chmod 600 " + path);
  }
  toml::table table;
  try {
    table = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin.line << ":" << e.source().begin.column;
    refuse(path, where.str() + ": " + std::string(e.description()));
  }
  StoredConfig stored;
  stored.api_url = string_key(table, "api_url", path);
  stored.token = string_key(table, "token", path);
  stored.token_id = string_key(table, "token_id", path);
  return stored;
}

void write_config_file(const std::string& path, const StoredConfig& stored) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  if (target.has_parent_path()) {
    std::error_code ec;
    if (!fs::exists(target.parent_path(), ec)) {
      fs::create_directories(target.parent_path(), ec);
      if (ec) refuse(target.parent_path().string(), "cannot be created: " + ec.message());
      fs::permissions(target.parent_path(), fs::perms::owner_all, ec);
    }
  }
  toml::table table;
  if (!stored.api_url.empty()) table.insert("api_url", stored.api_url);
  if (!stored.token.empty()) table.insert("token", stored.token);
  if (!stored.token_id.empty()) table.insert("token_id", stored.token_id);
  std::ostringstream text;
  text << "# mecapy CLI configuration (written by mecapy login; keep it mode 600)\n" << table << "\n";
  const std::string content = text.str();

  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) refuse(temporary, std::string("cannot be written: ") + std::strerror(errno));
  ::fchmod(fd, 0600);  // a file left over from an earlier run keeps its mode otherwise
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n <= 0) {
      ::close(fd);
      ::unlink(temporary.c_str());
      refuse(temporary, std::string("cannot be written: ") + std::strerror(errno));
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(temporary.c_str(), path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    refuse(path, std::string("cannot be written: ") + std::strerror(errno));
  }
}

Config load_config(const std::optional<std::string>& api_url_flag) {
  Config config;
  config.path = config_path();
  const StoredConfig stored = read_config_file(config.path);
  config.api_url = stored.api_url;
  config.token = stored.token;
  config.token_id = stored.token_id;
  if (auto url = env("MECAPY_API_URL"); !url.empty()) config.api_url = url;
  if (auto token = env("MECAPY_TOKEN"); !token.empty()) {
    config.token = token;
    config.token_id.clear();
    config.token_from_env = true;
  }
  if (api_url_flag && !api_url_flag->empty()) config.api_url = *api_url_flag;
  if (config.api_url.empty()) config.api_url = kDefaultApiUrl;
  config.api_url = without_trailing_slashes(config.api_url);
  // The file's token belongs to the file's server: never send it to another one.
  if (!config.token_from_env && !stored.api_url.empty() && without_trailing_slashes(stored.api_url) != config.api_url) {
    config.token.clear();
    config.token_id.clear();
  }
  if (!config.api_url.starts_with("http://") && !config.api_url.starts_with("https://"))
    throw CliError(Exit::usage, "the API URL must start with http:// or https://, got '" + config.api_url + "'");
  return config;
}

}  // namespace mecapy::cli
