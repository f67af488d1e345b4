// The options and query of the `ls` commands (see list_options.hpp).
#include "cli/list_options.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>

#include "cli/api_client.hpp"
#include "cli/output.hpp"

namespace mecapy::cli {

void add_list_options(CLI::App* command, ListOptions& options, const std::string& items) {
  command->add_option("--page", options.page, "Page number")->check(CLI::PositiveNumber)->capture_default_str();
  command->add_option("--per-page", options.per_page, "How many " + items + " a page")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  command->add_flag("--json", options.json, "Print the page as JSON");
}

std::string list_query(const ListOptions& options, const ListFilters& filters) {
  std::string query = "?page=" + std::to_string(options.page) + "&per_page=" + std::to_string(options.per_page);
  for (const auto& [name, value] : filters)
    if (!value.empty()) query += "&" + name + "=" + encode(value);
  return query;
}

void print_list_footer(const boost::json::value& answer, const std::string& items) {
  std::printf("%s of %s %s\n", std::to_string(answer.at("items").as_array().size()).c_str(),
              member_text(answer, "total").c_str(), items.c_str());
}

}  // namespace mecapy::cli
