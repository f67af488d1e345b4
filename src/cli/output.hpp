// What the commands print: aligned text tables for people, JSON for scripts (--json),
// and values as text with their numbers exact — a double is written in its shortest
// round-trip form (core/numbers.hpp), so what is printed parses back to the value the
// server sent, bit for bit.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace mecapy::cli {

// A value as one line of text: strings as they are, numbers exactly, booleans and
// null as in JSON, arrays and objects as compact JSON (their numbers exact too); ""
// for a missing value.
std::string value_text(const boost::json::value* value);
std::string value_text(const boost::json::value& value);

// The string member `key` of `object` (a value_text for any other kind; "" when absent).
std::string member_text(const boost::json::value& object, std::string_view key);

// Columns padded to their widest cell (counted in UTF-8 code points), two spaces apart,
// the last column unpadded; a header line first.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  std::string render() const;
  void print() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// `value` as JSON on stdout, followed by a newline.
void print_json(const boost::json::value& value);

}  // namespace mecapy::cli
