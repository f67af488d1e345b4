// SPDX licence identifiers (https://spdx.org/licenses/), for the manifest's
// `package.license`. The list is Debian's node-spdx-license-ids, compiled in at build
// time, so the check needs nothing at run time and follows the list Debian ships.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mecapy::packages {

// Whether `expression` is an SPDX licence expression made of known identifiers:
// one id ("MIT"), ids joined by AND / OR / WITH, an optional trailing "+", or a
// "LicenseRef-..." of the author's own. Parentheses are accepted.
bool is_spdx_expression(std::string_view expression);

// The known identifier closest to `wrong` ("mit" -> "MIT"), if any is close.
std::optional<std::string> closest_spdx_id(std::string_view wrong);

}  // namespace mecapy::packages
