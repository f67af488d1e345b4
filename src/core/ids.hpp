// Identifiers: random ids for requests and records, and validation of ids that come
// from outside (an X-Request-ID header must not inject anything into logs).
#pragma once

#include <string>
#include <string_view>

namespace mecapy {

// `bytes` random bytes from the OS CSPRNG, hex-encoded.
std::string random_hex(std::size_t bytes);

// A UUID version 4 in its canonical 36-character form.
std::string new_uuid();

// True for 1..128 characters of [A-Za-z0-9._:-]: safe to echo and to log.
bool is_safe_external_id(std::string_view id);

}  // namespace mecapy
