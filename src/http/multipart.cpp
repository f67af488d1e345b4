#include "http/multipart.hpp"

#include <algorithm>
#include <cctype>

#include "core/errors.hpp"
#include "http/media_type.hpp"
#include "http/message.hpp"

namespace mecapy::http {
namespace {

constexpr std::size_t kMaxHeaderBlock = std::size_t{16} << 10;
constexpr std::size_t kMaxPreamble = std::size_t{64} << 10;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Splits `key=value; key="quoted; value"` parameters, honouring quotes and escapes.
std::vector<std::pair<std::string, std::string>> parameters(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ';' || s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t key_start = i;
    while (i < s.size() && s[i] != '=' && s[i] != ';') ++i;
    const std::string key = lower(trim(s.substr(key_start, i - key_start)));
    std::string value;
    if (i < s.size() && s[i] == '=') {
      ++i;
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      if (i < s.size() && s[i] == '"') {
        ++i;
        while (i < s.size() && s[i] != '"') {
          if (s[i] == '\\' && i + 1 < s.size()) ++i;
          value.push_back(s[i++]);
        }
        ++i;  // closing quote
      } else {
        const std::size_t v = i;
        while (i < s.size() && s[i] != ';') ++i;
        value = std::string(trim(s.substr(v, i - v)));
      }
    }
    if (!key.empty()) out.emplace_back(key, value);
  }
  return out;
}

}  // namespace

// The body may start with the delimiter directly: the buffer starts with the CRLF
// that would precede it.
MultipartParser::MultipartParser(const std::string& boundary, Events events)
    : delimiter_("\r\n--" + boundary), events_(std::move(events)), buffer_("\r\n") {}

void MultipartParser::malformed(const std::string& why) {
  throw Error(ErrorKind::invalid_input, "malformed-multipart", "The multipart/form-data body is malformed: " + why);
}

std::optional<std::string> MultipartParser::boundary_of(std::string_view content_type) {
  const auto semi = content_type.find(';');
  if (lower(trim(content_type.substr(0, semi))) != "multipart/form-data" || semi == std::string_view::npos)
    return std::nullopt;
  for (const auto& [k, v] : parameters(content_type.substr(semi + 1)))
    if (k == "boundary" && !v.empty() && v.size() <= 70) return v;
  return std::nullopt;
}

PartHeaders MultipartParser::parse_disposition(std::string_view value) {
  PartHeaders h;
  const auto semi = value.find(';');
  if (lower(trim(value.substr(0, semi))) != "form-data") malformed("a part is not form-data");
  if (semi == std::string_view::npos) return h;
  std::optional<std::string> extended;
  for (const auto& [k, v] : parameters(value.substr(semi + 1))) {
    if (k == "name") h.name = v;
    if (k == "filename") h.filename = v;
    if (k == "filename*") {
      // RFC 5987: charset'language'percent-encoded; only UTF-8 is meaningful here.
      const auto first = v.find('\'');
      const auto second = first == std::string::npos ? first : v.find('\'', first + 1);
      if (second != std::string::npos && lower(v.substr(0, first)) == "utf-8")
        if (auto decoded = percent_decode(v.substr(second + 1))) extended = *decoded;
    }
  }
  if (extended) h.filename = extended;
  return h;
}

// Every part header goes through Headers, which refuses CR, LF, NUL and other control
// characters in names and values: the block is split on CRLF only, so a bare CR or LF
// stays inside a value and is refused there rather than starting a new field.
void MultipartParser::parse_headers(std::string_view block) {
  Headers fields;
  while (!block.empty()) {
    const auto eol = block.find("\r\n");
    const std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 2);
    if (line.starts_with(' ') || line.starts_with('\t')) malformed("a part header is folded over several lines");
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) malformed("a part header line has no ':'");
    fields.add(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  const auto disposition = fields.get("Content-Disposition");
  if (!disposition) malformed("a part has no Content-Disposition header");
  PartHeaders h = parse_disposition(*disposition);
  if (const auto type = fields.get("Content-Type")) h.content_type = require_media_type(*type);
  events_.on_part_begin(h);
}

void MultipartParser::feed(std::string_view data) {
  buffer_.append(data);
  for (;;) {
    switch (state_) {
      case State::preamble: {
        const auto at = buffer_.find(delimiter_);
        if (at == std::string::npos) {
          if (buffer_.size() > kMaxPreamble) malformed("no boundary found");
          return;
        }
        buffer_.erase(0, at + delimiter_.size());
        state_ = State::after_delimiter;
        break;
      }
      case State::after_delimiter: {
        if (buffer_.size() < 2) return;
        if (buffer_.compare(0, 2, "--") == 0) {
          state_ = State::done;
          buffer_.clear();  // the epilogue is ignored
          return;
        }
        const auto eol = buffer_.find("\r\n");
        if (eol == std::string::npos) {
          if (buffer_.size() > 256) malformed("garbage after a boundary");
          return;
        }
        if (!trim(std::string_view(buffer_).substr(0, eol)).empty()) malformed("garbage after a boundary");
        buffer_.erase(0, eol + 2);
        state_ = State::headers;
        break;
      }
      case State::headers: {
        if (buffer_.compare(0, 2, "\r\n") == 0) {  // a part without headers
          malformed("a part has no Content-Disposition header");
        }
        const auto end = buffer_.find("\r\n\r\n");
        if (end == std::string::npos) {
          if (buffer_.size() > kMaxHeaderBlock) malformed("part headers exceed 16 KiB");
          return;
        }
        if (end > kMaxHeaderBlock) malformed("part headers exceed 16 KiB");
        parse_headers(std::string_view(buffer_).substr(0, end));
        buffer_.erase(0, end + 4);
        state_ = State::body;
        break;
      }
      case State::body: {
        const auto at = buffer_.find(delimiter_);
        if (at == std::string::npos) {
          // Everything but a possible partial delimiter at the end is part data.
          const std::size_t keep = std::min(buffer_.size(), delimiter_.size() - 1);
          const std::size_t emit = buffer_.size() - keep;
          if (emit > 0) {
            events_.on_part_data(std::string_view(buffer_).substr(0, emit));
            buffer_.erase(0, emit);
          }
          return;
        }
        if (at > 0) events_.on_part_data(std::string_view(buffer_).substr(0, at));
        events_.on_part_end();
        buffer_.erase(0, at + delimiter_.size());
        state_ = State::after_delimiter;
        break;
      }
      case State::done:
        buffer_.clear();
        return;
    }
  }
}

void MultipartParser::finish() const {
  if (state_ != State::done) malformed("the body ended before the closing boundary");
}

}  // namespace mecapy::http
