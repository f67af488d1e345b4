#include "http/media_type.hpp"

#include "core/errors.hpp"
#include "http/message.hpp"

namespace mecapy::http {
namespace {

// HTAB, SP, VCHAR or obs-text: what quoted-string may carry (after a backslash too).
bool is_text(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

// A cursor over the value; each step consumes one grammar element or fails.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool at_end() const { return i_ == s_.size(); }
  bool peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  bool take(char c) {
    if (!peek(c)) return false;
    ++i_;
    return true;
  }
  void ows() {
    while (peek(' ') || peek('\t')) ++i_;
  }
  bool token() {
    const std::size_t start = i_;
    while (i_ < s_.size() && is_token_char(s_[i_])) ++i_;
    return i_ > start;
  }
  // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
  bool quoted_string() {
    if (!take('"')) return false;
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c == '\\' && ++i_ == s_.size()) return false;  // quoted-pair: the next byte is literal
      if (!is_text(static_cast<unsigned char>(s_[i_]))) return false;
      ++i_;
    }
    return false;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

bool is_media_type(std::string_view value) {
  Scanner in(value);
  if (!in.token() || !in.take('/') || !in.token()) return false;
  for (;;) {
    in.ows();
    if (in.at_end()) return true;
    if (!in.take(';')) return false;
    in.ows();
    if (in.at_end() || in.peek(';')) continue;  // an empty parameter is allowed
    if (!in.token() || !in.take('=')) return false;
    if (!(in.peek('"') ? in.quoted_string() : in.token())) return false;
  }
}

std::string require_media_type(std::string_view value) {
  if (!is_media_type(value))
    throw Error(ErrorKind::invalid_input, "invalid-content-type",
                "The content type is not a valid media type (type/subtype, then optional ;name=value "
                "parameters, as in text/plain; charset=utf-8); send one, or application/octet-stream.");
  return std::string(value);
}

}  // namespace mecapy::http
