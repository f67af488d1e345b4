#include "files/filename.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "core/utf8.hpp"

namespace mecapy::files {
namespace {

constexpr std::size_t kMaxBytes = 255;

std::string nfc(const std::string& utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return utf8;
  const icu::UnicodeString normalized = n->normalize(icu::UnicodeString::fromUTF8(utf8), status);
  if (U_FAILURE(status)) return utf8;
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029; }

bool is_reserved(char32_t cp) {
  return cp == '<' || cp == '>' || cp == ':' || cp == '"' || cp == '|' || cp == '?' || cp == '*';
}

// Cuts `name` to at most kMaxBytes bytes on a code point boundary, keeping a short
// extension.
std::string cap_length(const std::string& name) {
  if (name.size() <= kMaxBytes) return name;
  std::string ext;
  const auto dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0 && name.size() - dot <= 16) ext = name.substr(dot);
  std::size_t cut = kMaxBytes - ext.size();
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return name.substr(0, cut) + ext;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : decode_utf8(text)) append_utf8(out, cp);
  return out;
}

std::string sanitize_filename(std::string_view original) {
  // Keep the last path component, whatever the separator style.
  const auto slash = original.find_last_of("/\\");
  if (slash != std::string_view::npos) original = original.substr(slash + 1);
  std::string cleaned;
  for (char32_t cp : decode_utf8(original)) {
    if (is_control(cp)) continue;
    append_utf8(cleaned, is_reserved(cp) ? U'_' : cp);
  }
  std::string name = nfc(cleaned);
  // Leading dots hide files and ".." climbs directories; trailing dots and spaces
  // are dropped by some file systems.
  const auto first = name.find_first_not_of(". ");
  name = first == std::string::npos ? std::string() : name.substr(first);
  while (!name.empty() && (name.back() == ' ' || name.back() == '.')) name.pop_back();
  if (name.empty()) name = "file";
  return cap_length(name);
}

std::string content_disposition(std::string_view disposition, std::string_view filename) {
  std::string ascii;
  for (unsigned char c : filename) {
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
      ascii.push_back(static_cast<char>(c));
    else if (c < 0x80 || (c & 0xC0) == 0xC0)
      ascii.push_back('_');  // one '_' per non-ASCII character
  }
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : filename) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                            c == '-' || c == '_' || c == '~';
    if (unreserved) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(hex[c >> 4]);
      encoded.push_back(hex[c & 15]);
    }
  }
  return std::string(disposition) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace mecapy::files
