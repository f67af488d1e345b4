// Finds a zip entry name holding a NUL byte, which libarchive cannot report: it hands
// names out as C strings, so "a.py\0../x" arrives as "a.py", a name the uploader's
// tools never showed. The unpacker refuses such archives; this is the one part of a
// zip it reads itself, for that check only (libarchive does all the unpacking).
//
// Layout facts from PKWARE's APPNOTE.TXT (6.3.x): end of central directory record
// (4.3.16), zip64 end of central directory record and locator (4.3.14, 4.3.15),
// central directory file header (4.3.12), local file header (4.3.7), zip64 extended
// information extra field (4.5.3). Both the central directory's names and the local
// headers' names are checked, since libarchive takes the local one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mecapy::packages {

// The first name with a NUL in the zip read from `fd` (`size` bytes, read with pread),
// NUL included; nullopt when there is none or when the bytes do not have the layout
// of a zip (libarchive then decides what they are). At most `max_entries` central
// directory records are looked at.
std::optional<std::string> zip_name_with_nul(int fd, std::uint64_t size, std::uint64_t max_entries);

}  // namespace mecapy::packages
