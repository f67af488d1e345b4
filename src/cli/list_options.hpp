// What the `ls` commands share: the --page, --per-page and --json options, the query
// string of a listing (page, per_page, and each filter that was given, URL-encoded),
// and the page's footer ("3 of 12 files").
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace mecapy::cli {

struct ListOptions {
  int page = 1;
  int per_page = 20;
  bool json = false;
};

// (query name, value) of a listing's filters; those with an empty value are left out.
using ListFilters = std::vector<std::pair<std::string, std::string>>;

// Adds --page, --per-page (1 to 100) and --json to `command`; `items` names what is
// listed ("files").
void add_list_options(CLI::App* command, ListOptions& options, const std::string& items);

// "?page=1&per_page=20&NAME=VALUE...".
std::string list_query(const ListOptions& options, const ListFilters& filters);

// "N of TOTAL ITEMS" for the page `answer` ({items, total}).
void print_list_footer(const boost::json::value& answer, const std::string& items);

}  // namespace mecapy::cli
