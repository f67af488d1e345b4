// Text and JSON output of the CLI (see output.hpp).
#include "cli/output.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "core/json.hpp"
#include "core/numbers.hpp"

namespace mecapy::cli {
namespace {

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (const char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  return width;
}

// Compact JSON whose doubles are written as format_double writes them ("0.1", not
// Boost.JSON's "1E-1"): the same value, read as people read numbers.
std::string json_text(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::double_:
      return format_double(value.get_double());
    case boost::json::kind::array: {
      std::string out = "[";
      for (const auto& element : value.get_array()) out += (out.size() > 1 ? "," : "") + json_text(element);
      return out + "]";
    }
    case boost::json::kind::object: {
      std::string out = "{";
      for (const auto& [key, member] : value.get_object())
        out += (out.size() > 1 ? "," : "") + serialize_json(boost::json::string(key)) + ":" + json_text(member);
      return out + "}";
    }
    default:
      return serialize_json(value);
  }
}

}  // namespace

std::string value_text(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::string:
      return std::string(value.get_string());
    case boost::json::kind::double_:
      return format_double(value.get_double());
    case boost::json::kind::int64:
      return std::to_string(value.get_int64());
    case boost::json::kind::uint64:
      return std::to_string(value.get_uint64());
    case boost::json::kind::bool_:
      return value.get_bool() ? "true" : "false";
    case boost::json::kind::null:
      return "null";
    default:
      return json_text(value);
  }
}

std::string value_text(const boost::json::value* value) { return value ? value_text(*value) : std::string(); }

std::string member_text(const boost::json::value& object, std::string_view key) {
  if (!object.is_object()) return {};
  const auto* member = object.get_object().if_contains(key);
  if (!member || member->is_null()) return {};
  return value_text(*member);
}

std::string Table::render() const {
  std::vector<std::size_t> widths(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  };
  measure(header_);
  for (const auto& row : rows_) measure(row);
  std::string out;
  auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : std::string();
      text += cell;
      if (i + 1 < widths.size()) text += std::string(widths[i] - display_width(cell) + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  };
  line(header_);
  for (const auto& row : rows_) line(row);
  return out;
}

void Table::print() const { std::fputs(render().c_str(), stdout); }

void print_json(const boost::json::value& value) { std::printf("%s\n", serialize_json(value).c_str()); }

}  // namespace mecapy::cli
