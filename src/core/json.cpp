#include "core/json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <cmath>

#include "core/errors.hpp"
#include "core/numbers.hpp"

namespace mecapy {
namespace {

using boost::json::error_code;
using boost::json::string_view;

// Builds the value like Boost.JSON's own parser handler, except for doubles: the
// number's text may arrive in parts (on_number_part), so it is gathered and parsed
// once whole.
class ExactNumberHandler {
 public:
  static constexpr std::size_t max_object_size = boost::json::object::max_size();
  static constexpr std::size_t max_array_size = boost::json::array::max_size();
  static constexpr std::size_t max_key_size = boost::json::string::max_size();
  static constexpr std::size_t max_string_size = boost::json::string::max_size();

  boost::json::value_stack stack;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) { return true; }
  bool on_object_end(std::size_t n, error_code&) {
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t n, error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code&) {
    stack.push_key(s);
    return true;
  }
  bool on_string_part(string_view s, std::size_t, error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(string_view s, std::size_t, error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_number_part(string_view s, error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, string_view, error_code&) {
    number_.clear();
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, string_view, error_code&) {
    number_.clear();
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double approximate, string_view s, error_code&) {
    number_.append(s.data(), s.size());
    const auto exact = parse_double(number_);
    number_.clear();
    // A decimal beyond the largest double: Boost.JSON gives infinity; keep its answer
    // so that serialize_json() refuses it rather than invent a finite value.
    stack.push_double(exact ? *exact : approximate);
    return true;
  }
  bool on_bool(bool b, error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  std::string number_;
};

// The usual case, without building any JSON pointer.
bool all_finite(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::double_:
      return std::isfinite(v.get_double());
    case boost::json::kind::array:
      for (const auto& item : v.get_array())
        if (!all_finite(item)) return false;
      return true;
    case boost::json::kind::object:
      for (const auto& member : v.get_object())
        if (!all_finite(member.value())) return false;
      return true;
    default:
      return true;
  }
}

// Throws naming the first non-finite number (called once all_finite() said there is one).
void check_finite(const boost::json::value& v, std::string& pointer) {
  switch (v.kind()) {
    case boost::json::kind::double_:
      if (!std::isfinite(v.get_double()))
        throw Error(ErrorKind::invalid_input, "non-finite-number",
                    "the number at " + (pointer.empty() ? std::string("the document root") : pointer) + " is " +
                        format_double(v.get_double()) + ", which JSON cannot carry; only finite numbers are accepted.");
      return;
    case boost::json::kind::array: {
      const auto& a = v.get_array();
      for (std::size_t i = 0; i < a.size(); ++i) {
        const std::size_t mark = pointer.size();
        pointer += "/" + std::to_string(i);
        check_finite(a[i], pointer);
        pointer.resize(mark);
      }
      return;
    }
    case boost::json::kind::object:
      for (const auto& member : v.get_object()) {
        const std::size_t mark = pointer.size();
        pointer += '/';
        for (char c : member.key()) {  // JSON Pointer escapes (RFC 6901)
          if (c == '~')
            pointer += "~0";
          else if (c == '/')
            pointer += "~1";
          else
            pointer += c;
        }
        check_finite(member.value(), pointer);
        pointer.resize(mark);
      }
      return;
    default:
      return;
  }
}

}  // namespace

boost::json::value parse_json(std::string_view text) {
  boost::json::basic_parser<ExactNumberHandler> parser{boost::json::parse_options{}};
  parser.handler().stack.reset();
  error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used != text.size()) ec = boost::json::error::extra_data;
  if (ec)
    throw Error(ErrorKind::invalid_input, "malformed-json",
                "the body is not valid JSON (" + ec.message() + " at byte " + std::to_string(used) + ").");
  return parser.handler().stack.release();
}

std::string serialize_json(const boost::json::value& value) {
  if (!all_finite(value)) {
    std::string pointer;
    check_finite(value, pointer);
  }
  return boost::json::serialize(value);
}

}  // namespace mecapy
