// Turns a client-supplied file name into one safe to store, list and send back in a
// Content-Disposition header: no directory part, no control characters or NUL, no
// characters reserved by common file systems, Unicode NFC-normalised, at most 255
// bytes (the extension kept when shortened), never empty, never "." or "..".
// Invalid UTF-8 sequences become U+FFFD. The original name is kept separately.
#pragma once

#include <string>
#include <string_view>

namespace mecapy::files {

std::string sanitize_filename(std::string_view original);

// `text` with each invalid UTF-8 sequence replaced by U+FFFD (JSON needs valid UTF-8).
std::string valid_utf8(std::string_view text);

// The value of a Content-Disposition header offering `filename` as a download:
// an ASCII fallback plus the RFC 5987 UTF-8 form.
std::string content_disposition(std::string_view disposition, std::string_view filename);

}  // namespace mecapy::files
