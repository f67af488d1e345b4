#include "packages/spdx.hpp"

#include <algorithm>
#include <boost/json/value.hpp>
#include <cctype>
#include <unordered_set>
#include <vector>

#include "core/embedded.hpp"
#include "core/json.hpp"
#include "packages/did_you_mean.hpp"

namespace mecapy {
const std::vector<EmbeddedFile>& embedded_spdx_files();
}

namespace mecapy::packages {
namespace {

const std::vector<std::string>& known_ids() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> out;
    for (const auto& file : embedded_spdx_files()) {
      const auto list = parse_json(file.content);
      for (const auto& id : list.as_array()) out.emplace_back(id.as_string());
    }
    return out;
  }();
  return ids;
}

const std::unordered_set<std::string_view>& id_set() {
  static const std::unordered_set<std::string_view> set(known_ids().begin(), known_ids().end());
  return set;
}

bool is_id(std::string_view token) {
  if (token.ends_with('+')) token.remove_suffix(1);
  if (token.starts_with("LicenseRef-") && token.size() > 11) {
    return std::all_of(token.begin(), token.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.'; });
  }
  return id_set().contains(token);
}

}  // namespace

bool is_spdx_expression(std::string_view expression) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < expression.size()) {
    const char c = expression[i];
    if (c == ' ') {
      ++i;
    } else if (c == '(' || c == ')') {
      tokens.push_back(expression.substr(i++, 1));
    } else {
      const auto end = expression.find_first_of(" ()", i);
      const auto stop = end == std::string_view::npos ? expression.size() : end;
      tokens.push_back(expression.substr(i, stop - i));
      i = stop;
    }
  }
  // expression := term (("AND" | "OR") term)* ; term := id ["WITH" exception-id] | "(" expression ")"
  int depth = 0;
  bool expect_term = true;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    const auto token = tokens[t];
    if (expect_term) {
      if (token == "(") {
        ++depth;
      } else if (is_id(token)) {
        expect_term = false;
      } else {
        return false;
      }
    } else if (token == ")") {
      if (--depth < 0) return false;
    } else if (token == "AND" || token == "OR") {
      expect_term = true;
    } else if (token == "WITH" && t + 1 < tokens.size()) {
      ++t;  // the exception's id: not checked against a list
    } else {
      return false;
    }
  }
  return !tokens.empty() && !expect_term && depth == 0;
}

std::optional<std::string> closest_spdx_id(std::string_view wrong) { return closest_name(wrong, known_ids()); }

}  // namespace mecapy::packages
