#include "http/message.hpp"

#include <algorithm>
#include <array>

#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::http {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

namespace {

// One table lookup per character: every header of every request and response
// passes through these checks.
struct FieldTables {
  std::array<bool, 256> token{};      // RFC 9110 tchar
  std::array<bool, 256> forbidden{};  // CR, LF, NUL
  constexpr FieldTables() {
    for (int c = 0; c < 256; ++c) {
      token[static_cast<std::size_t>(c)] = is_token_char(static_cast<char>(c));
      forbidden[static_cast<std::size_t>(c)] = is_forbidden_in_value(static_cast<char>(c));
    }
  }
};
constexpr FieldTables kFieldTables;

}  // namespace

bool is_valid_field_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(),
                                      [](char c) { return kFieldTables.token[static_cast<unsigned char>(c)]; });
}

bool is_valid_field_value(std::string_view value) {
  return std::none_of(value.begin(), value.end(),
                      [](char c) { return kFieldTables.forbidden[static_cast<unsigned char>(c)]; });
}

InvalidHeader::InvalidHeader(std::string_view name)
    : Error(
          ErrorKind::invalid_input, "invalid-header",
          is_valid_field_name(name)
              ? "Header " + std::string(name) + " contains CR, LF or NUL; a header value must be a single line of text."
              : std::string("A header name is not a valid token; use letters, digits and -._~!#$%&'*+^`|.")) {}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& f : fields_)
    if (iequals(f.name, name)) return std::string_view(f.value);
  return std::nullopt;
}

Headers::Field Headers::checked(std::string_view name, std::string_view value) {
  if (!is_valid_field_name(name) || !is_valid_field_value(value)) throw InvalidHeader(name);
  return {std::string(name), std::string(value)};
}

void Headers::set(std::string_view name, std::string_view value) {
  Field field = checked(name, value);
  remove(name);
  fields_.push_back(std::move(field));
}

void Headers::add(std::string_view name, std::string_view value) { fields_.push_back(checked(name, value)); }

void ConstantField::invalid_constant_field() {}

void Headers::set(const ConstantField& field) {
  remove(field.name());
  fields_.push_back({std::string(field.name()), std::string(field.value())});
}

void Headers::add_parsed(std::string_view name, std::string_view value) {
  fields_.push_back({std::string(name), std::string(value)});
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return iequals(f.name, name); });
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    const auto key = percent_decode(pair.substr(0, eq));
    if (!key || *key != name) continue;
    if (eq == std::string_view::npos) return std::string();
    std::string value(pair.substr(eq + 1));
    std::replace(value.begin(), value.end(), '+', ' ');
    return percent_decode(value);
  }
  return std::nullopt;
}

Response Response::json(int status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  try {
    r.body = serialize_json(body);  // exact numbers
  } catch (const Error& e) {
    // A handler produced a number JSON cannot carry: the server's fault, not the client's.
    throw Error(ErrorKind::internal, "non-finite-number", "The server produced an invalid number.", e.what());
  }
  return r;
}

Response Response::text(int status, std::string body, std::string_view content_type) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", content_type);
  r.body = std::move(body);
  return r;
}

Response Response::empty(int status) {
  Response r;
  r.status = status;
  return r;
}

std::optional<std::string> percent_decode(std::string_view in) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return std::nullopt;
    out.push_back(c);
  }
  return out;
}

}  // namespace mecapy::http
