// The NUL-in-name check of zip_entry_names.hpp. Every read is bounds-checked against
// the file size; anything that does not fit the layout ends the check (nullopt).
#include "packages/zip_entry_names.hpp"

#include <unistd.h>

#include <algorithm>
#include <vector>

namespace mecapy::packages {
namespace {

constexpr std::uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr std::uint32_t kZip64EndOfCentralDirectory = 0x06064b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint16_t kZip64ExtraId = 0x0001;
constexpr std::size_t kEndRecordBytes = 22;
constexpr std::size_t kMaxCommentBytes = 0xffff;

class Reader {
 public:
  Reader(int fd, std::uint64_t size) : fd_(fd), size_(size) {}

  bool read(std::uint64_t offset, std::size_t count, std::vector<unsigned char>& out) const {
    if (offset > size_ || count > size_ - offset) return false;
    out.resize(count);
    std::size_t done = 0;
    while (done < count) {
      const ssize_t n = ::pread(fd_, out.data() + done, count - done, static_cast<off_t>(offset + done));
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  std::uint64_t size() const { return size_; }

 private:
  int fd_;
  std::uint64_t size_;
};

std::uint64_t little_endian(const std::vector<unsigned char>& bytes, std::size_t at, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = width; i-- > 0;) value = (value << 8) | bytes[at + i];
  return value;
}

struct CentralDirectory {
  std::uint64_t offset = 0;
  std::uint64_t entries = 0;
};

std::optional<CentralDirectory> find_central_directory(const Reader& reader) {
  if (reader.size() < kEndRecordBytes) return std::nullopt;
  const std::uint64_t tail = std::min<std::uint64_t>(reader.size(), kEndRecordBytes + kMaxCommentBytes);
  std::vector<unsigned char> bytes;
  if (!reader.read(reader.size() - tail, static_cast<std::size_t>(tail), bytes)) return std::nullopt;
  for (std::size_t at = bytes.size() - kEndRecordBytes + 1; at-- > 0;) {
    if (little_endian(bytes, at, 4) != kEndOfCentralDirectory) continue;
    CentralDirectory found{little_endian(bytes, at + 16, 4), little_endian(bytes, at + 10, 2)};
    const std::uint64_t record = reader.size() - tail + at;
    if (found.offset != 0xffffffff && found.entries != 0xffff) return found;
    // Zip64: the locator sits just before the end record and points to the zip64 one.
    std::vector<unsigned char> locator;
    std::vector<unsigned char> end64;
    if (record < 20 || !reader.read(record - 20, 20, locator) || little_endian(locator, 0, 4) != kZip64Locator)
      return std::nullopt;
    if (!reader.read(little_endian(locator, 8, 8), 56, end64) ||
        little_endian(end64, 0, 4) != kZip64EndOfCentralDirectory)
      return std::nullopt;
    return CentralDirectory{little_endian(end64, 48, 8), little_endian(end64, 32, 8)};
  }
  return std::nullopt;
}

// The local header offset of a central directory record, from the zip64 extra field
// when the 32-bit field says so (its values come in a fixed order, each present only
// when the 32-bit field is all ones).
std::optional<std::uint64_t> local_header_offset(const std::vector<unsigned char>& header,
                                                 const std::vector<unsigned char>& extra) {
  const std::uint64_t offset = little_endian(header, 42, 4);
  if (offset != 0xffffffff) return offset;
  std::size_t skip = 0;
  if (little_endian(header, 24, 4) == 0xffffffff) skip += 8;  // uncompressed size
  if (little_endian(header, 20, 4) == 0xffffffff) skip += 8;  // compressed size
  for (std::size_t at = 0; at + 4 <= extra.size();) {
    const auto id = little_endian(extra, at, 2);
    const auto length = static_cast<std::size_t>(little_endian(extra, at + 2, 2));
    if (at + 4 + length > extra.size()) return std::nullopt;
    if (id == kZip64ExtraId && skip + 8 <= length) return little_endian(extra, at + 4 + skip, 8);
    at += 4 + length;
  }
  return std::nullopt;
}

bool has_nul(const std::vector<unsigned char>& name) { return std::find(name.begin(), name.end(), 0) != name.end(); }

}  // namespace

std::optional<std::string> zip_name_with_nul(int fd, std::uint64_t size, std::uint64_t max_entries) {
  const Reader reader(fd, size);
  const auto directory = find_central_directory(reader);
  if (!directory) return std::nullopt;
  std::uint64_t at = directory->offset;
  std::vector<unsigned char> header;
  std::vector<unsigned char> name;
  std::vector<unsigned char> extra;
  std::vector<unsigned char> local;
  const std::uint64_t records = std::min(directory->entries, max_entries);
  for (std::uint64_t i = 0; i < records; ++i) {
    if (!reader.read(at, 46, header) || little_endian(header, 0, 4) != kCentralHeader) return std::nullopt;
    const auto name_bytes = static_cast<std::size_t>(little_endian(header, 28, 2));
    const auto extra_bytes = static_cast<std::size_t>(little_endian(header, 30, 2));
    const auto comment_bytes = static_cast<std::size_t>(little_endian(header, 32, 2));
    if (!reader.read(at + 46, name_bytes, name) || !reader.read(at + 46 + name_bytes, extra_bytes, extra))
      return std::nullopt;
    if (has_nul(name)) return std::string(name.begin(), name.end());
    const auto local_at = local_header_offset(header, extra);
    if (!local_at || !reader.read(*local_at, 30, local) || little_endian(local, 0, 4) != kLocalHeader)
      return std::nullopt;
    if (!reader.read(*local_at + 30, static_cast<std::size_t>(little_endian(local, 26, 2)), name)) return std::nullopt;
    if (has_nul(name)) return std::string(name.begin(), name.end());
    at += 46 + name_bytes + extra_bytes + comment_bytes;
  }
  return std::nullopt;
}

}  // namespace mecapy::packages
