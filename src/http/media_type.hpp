// Media types (RFC 9110, section 8.3.1):
//   media-type = type "/" subtype parameters
//   parameters = *( OWS ";" OWS [ parameter ] )
//   parameter  = token "=" ( token / quoted-string )
// with token = 1*tchar and OWS = *( SP / HTAB ). Content types the server stores or
// sends back (uploads, then downloads) must match it, so none can carry a header line
// or a smuggled field.
#pragma once

#include <string>
#include <string_view>

namespace mecapy::http {

bool is_media_type(std::string_view value);

// `value` when it is a media type; otherwise throws
// Error(invalid_input, "invalid-content-type") whose detail says what to send.
std::string require_media_type(std::string_view value);

}  // namespace mecapy::http
