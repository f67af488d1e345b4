// parse_port_type and make_structure of port.hpp: type expressions to PortTypes.
//
// The grammar is MecaPy's own, so the parser is hand-written (recursive descent, one
// function per rule); white space is allowed between any two tokens:
//   type      = name | constructor | struct
//   name      = a catalogue name or Python spelling (named_types.hpp)
//   list      = ("list" | "List") "[" type "]"
//   dict      = ("dict" | "Dict") "[" ("str" | "String") "," type "]"
//   literal   = ("literal" | "Literal") "[" value ("," value)* "]"
//   value     = number | "double-quoted JSON string" | 'single-quoted text'
//   file      = "File" [ "[" extension ("," extension)* "]" ]
//   struct    = "{" field ("," field)* "}"      field = identifier ":" type
// Literal numbers are exact: integers stay integers (int64), other numbers are the
// correctly rounded double of their text. Extensions are lower-cased and kept once.
// Every problem names its byte offset and says what to write instead. Expressions
// are bounded (kLongestType bytes, kDeepest levels of nesting) so a hostile manifest
// cannot exhaust the stack.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/numbers.hpp"
#include "packages/did_you_mean.hpp"
#include "packages/named_types.hpp"
#include "packages/port.hpp"

namespace mecapy::packages {

namespace {

constexpr std::size_t kLongestType = 4096;
constexpr std::size_t kDeepest = 32;

constexpr std::string_view kWhatTypes =
    "write a catalogue type such as Float, Length or Force, or list[T], dict[str, T], literal[...], File or "
    "{name: T}";

// Thrown inside the parser only; parse_port_type returns its problem.
struct Failure {
  TypeProblem problem;
};

bool identifier_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool number_char(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
}
bool extension_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '+'; }

// Hints for Python typing names that are not types here.
std::optional<std::string> python_hint(std::string_view name) {
  if (name == "Optional" || name == "Union" || name == "None")
    return "a port is made optional by 'required: false' or a default, not by its type";
  if (name == "tuple" || name == "Tuple") return "write list[T] for a sequence, or a struct {a: T, b: U}";
  if (name == "Any" || name == "object") return "every port has a type: " + std::string(kWhatTypes);
  return std::nullopt;
}

bool same_literal(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
  return a == b;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  PortType whole() {
    if (text_.size() > kLongestType) {
      fail("a type expression is at most " + std::to_string(kLongestType) + " bytes", kLongestType);
    }
    PortType type = parse_type(0);
    skip();
    if (pos_ < text_.size()) {
      fail("unexpected '" + std::string(1, text_[pos_]) + "' after the type " + type.spelling() +
               "; a port has one type (for several values use list[T] or {a: T, b: U})",
           pos_);
    }
    return type;
  }

 private:
  [[noreturn]] void fail(std::string message, std::size_t at) const { throw Failure{{std::move(message), at}}; }

  void skip() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool at(char c) {
    skip();
    return pos_ < text_.size() && text_[pos_] == c;
  }

  bool accept(char c) {
    if (!at(c)) return false;
    ++pos_;
    return true;
  }

  void expect(char c, const std::string& message) {
    if (!accept(c)) fail(message, pos_);
  }

  std::string_view identifier() {
    skip();
    const std::size_t start = pos_;
    if (pos_ < text_.size() && identifier_start(text_[pos_])) {
      while (pos_ < text_.size() && identifier_char(text_[pos_])) ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  std::string found() const {
    if (pos_ >= text_.size()) return "the end of the type";
    return "'" + std::string(1, text_[pos_]) + "'";
  }

  PortType parse_type(std::size_t depth) {
    skip();
    if (depth > kDeepest) fail("the type is nested too deeply (at most " + std::to_string(kDeepest) + " levels)", pos_);
    if (at('{')) return parse_struct(depth);
    const std::size_t start = pos_;
    const std::string_view name = identifier();
    if (name.empty()) fail("expected a type at " + found() + "; " + std::string(kWhatTypes), pos_);
    if (name == "list" || name == "List") return parse_list(name, depth);
    if (name == "dict" || name == "Dict") return parse_dict(name, depth);
    if (name == "literal" || name == "Literal") return parse_literal(name);
    if (name == "File") return parse_file();
    if (std::optional<PortType> named = named_type(name)) {
      if (at('[')) {
        fail("'" + std::string(name) + "' takes no parameters; write " + std::string(name) + ", or list[" +
                 std::string(name) + "] for several",
             pos_);
      }
      return *std::move(named);
    }
    unknown(name, start);
  }

  [[noreturn]] void unknown(std::string_view name, std::size_t start) const {
    std::vector<std::string> candidates = type_names();
    for (const char* constructor : {"list", "dict", "literal", "File"}) candidates.emplace_back(constructor);
    std::string message = "unknown type '" + std::string(name) + "'";
    if (const std::optional<std::string> close = closest_name(name, candidates)) {
      message += "; did you mean '" + *close + "'?";
    } else if (const std::optional<std::string> hint = python_hint(name)) {
      message += ": " + *hint;
    } else {
      message += "; " + std::string(kWhatTypes);
    }
    fail(message, start);
  }

  PortType parse_list(std::string_view name, std::size_t depth) {
    expect('[', std::string(name) + " needs one element type: list[Float]");
    PortType type;
    type.kind = TypeKind::list;
    type.elements.push_back(parse_type(depth + 1));
    if (at(',')) {
      fail(
          "list takes one element type: list[Float]; for named values of different types write a struct "
          "{a: Float, b: Length}",
          pos_);
    }
    expect(']', "expected ']' to close list[" + type.elements.front().spelling() + ", found " + found());
    return type;
  }

  PortType parse_dict(std::string_view name, std::size_t depth) {
    expect('[', std::string(name) + " needs a key and a value type: dict[str, Float]");
    skip();
    const std::size_t key_at = pos_;
    const std::string_view key = identifier();
    if (key != "str" && key != "String") fail("dict keys are strings: write dict[str, Float]", key_at);
    expect(',', "dict needs a value type after its keys: dict[str, Float]");
    PortType type;
    type.kind = TypeKind::dict;
    type.elements.push_back(parse_type(depth + 1));
    expect(']', "expected ']' to close dict[str, " + type.elements.front().spelling() + ", found " + found());
    return type;
  }

  PortType parse_literal(std::string_view name) {
    expect('[', std::string(name) + " needs its values: literal[8.8, 10.9] or literal[\"a\", \"b\"]");
    PortType type;
    type.kind = TypeKind::literal;
    if (at(']')) fail("literal needs at least one value: literal[8.8, 10.9] or literal[\"a\", \"b\"]", pos_);
    do {
      skip();
      const std::size_t value_at = pos_;
      boost::json::value value = literal_value();
      for (const boost::json::value& earlier : type.literals) {
        if (same_literal(earlier, value)) {
          fail("literal value " + std::string(text_.substr(value_at, pos_ - value_at)) + " appears twice", value_at);
        }
      }
      type.literals.push_back(std::move(value));
    } while (accept(','));
    expect(']', "expected ',' or ']' in literal[...], found " + found());
    return type;
  }

  boost::json::value literal_value() {
    skip();
    if (pos_ >= text_.size()) fail("expected a value (a number or a quoted string) at the end of the type", pos_);
    const char c = text_[pos_];
    if (c == '"') return double_quoted();
    if (c == '\'') return single_quoted();
    if (number_char(c) && c != 'e' && c != 'E') return number();
    if (identifier_start(c)) {
      const std::size_t start = pos_;
      const std::string word(identifier());
      fail("write literal strings in quotes: literal[\"" + word + "\"]", start);
    }
    fail("expected a number or a quoted string in literal[...], found " + found(), pos_);
  }

  boost::json::value double_quoted() {
    const std::size_t start = pos_++;
    while (pos_ < text_.size() && text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2 : 1;
    if (pos_ >= text_.size()) fail("unterminated string: close it with \"", start);
    ++pos_;
    try {
      return parse_json(text_.substr(start, pos_ - start));  // JSON's escapes, exactly
    } catch (const Error&) {
      fail("malformed string: write it as a JSON string, escapes such as \\\" and \\n included", start);
    }
  }

  boost::json::value single_quoted() {
    const std::size_t start = pos_++;
    const std::size_t end = text_.find('\'', pos_);
    if (end == std::string_view::npos) fail("unterminated string: close it with '", start);
    pos_ = end + 1;
    return boost::json::value(boost::json::string(text_.substr(start + 1, end - start - 1)));
  }

  boost::json::value number() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && number_char(text_[pos_])) ++pos_;
    std::string_view token = text_.substr(start, pos_ - start);
    std::string_view digits = token.front() == '+' ? token.substr(1) : token;
    const bool integral = !digits.empty() && digits.find_first_of(".eE") == std::string_view::npos;
    if (integral) {
      std::int64_t value = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec == std::errc::result_out_of_range) {
        fail("integer " + std::string(token) +
                 " is out of range; integers are 64-bit (write a decimal to get a "
                 "double: " +
                 std::string(token) + ".0)",
             start);
      }
      if (ec == std::errc() && end == digits.data() + digits.size()) return boost::json::value(value);
    } else if (const std::optional<double> value = parse_double(token); value && std::isfinite(*value)) {
      return boost::json::value(*value);
    }
    fail("'" + std::string(token) + "' is not a number; write numbers as 8, 8.8 or 1.5e3", start);
  }

  PortType parse_file() {
    PortType type;
    type.kind = TypeKind::file;
    if (!accept('[')) return type;
    if (at(']')) fail("File[] needs at least one extension: File[csv, step]; write File for any file", pos_);
    do {
      skip();
      const std::size_t start = pos_;
      while (pos_ < text_.size() && (extension_char(text_[pos_]) || text_[pos_] == '.')) ++pos_;
      const std::string_view written = text_.substr(start, pos_ - start);
      if (written.find('.') != std::string_view::npos) {
        fail("write file extensions without dots: File[csv, step], not File[.csv, .step]", start);
      }
      if (written.empty()) fail("expected a file extension such as csv or step, found " + found(), pos_);
      std::string extension(written);
      std::transform(extension.begin(), extension.end(), extension.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      if (std::find(type.extensions.begin(), type.extensions.end(), extension) == type.extensions.end()) {
        type.extensions.push_back(std::move(extension));
      }
    } while (accept(','));
    expect(']', "expected ',' or ']' in File[...], found " + found());
    return type;
  }

  PortType parse_struct(std::size_t depth) {
    expect('{', "expected '{'");
    PortType type;
    type.kind = TypeKind::structure;
    if (at('}')) fail("a struct needs at least one field: {F: Force3, M: Moment3}", pos_);
    do {
      skip();
      const std::size_t name_at = pos_;
      const std::string_view name = identifier();
      if (name.empty()) {
        fail("expected a field name (letters, digits and _, not starting with a digit), found " + found(), pos_);
      }
      for (const StructField& field : type.fields) {
        if (field.name == name) fail("field '" + std::string(name) + "' appears twice", name_at);
      }
      expect(':', "expected ':' after field '" + std::string(name) + "': {" + std::string(name) + ": Float}");
      type.fields.push_back({std::string(name), {parse_type(depth + 1)}});
    } while (accept(','));
    expect('}', "expected ',' or '}' after field '" + type.fields.back().name + "', found " + found());
    return type;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::variant<PortType, TypeProblem> parse_port_type(std::string_view text) {
  try {
    return Parser(text).whole();
  } catch (const Failure& failure) {
    return failure.problem;
  }
}

PortType make_structure(std::vector<StructField> fields) {
  PortType type;
  type.kind = TypeKind::structure;
  type.fields = std::move(fields);
  return type;
}

}  // namespace mecapy::packages
