// The shared state of one `mecapy` run (see context.hpp).
#include "cli/context.hpp"

namespace mecapy::cli {

Config& Context::config() {
  if (!config_) config_ = load_config(api_url_flag);
  return *config_;
}

ApiClient& Context::client() {
  if (!client_) client_ = std::make_unique<ApiClient>(config().api_url, config().token);
  return *client_;
}

ApiClient& Context::signed_in_client() {
  ApiClient& api = client();
  if (!api.has_token())
    throw CliError(Exit::auth, "not signed in to " + config().api_url +
                                   ": run 'mecapy login', or set MECAPY_TOKEN to an API token");
  return api;
}

}  // namespace mecapy::cli
