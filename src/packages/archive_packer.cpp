// Deterministic archives with libarchive's writer (rules in archive_packer.hpp).
#include "packages/archive_packer.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "core/errors.hpp"

namespace mecapy::packages {
namespace {

namespace fs = std::filesystem;

constexpr time_t kFixedMtime = 315532800;  // 1980-01-01T00:00:00Z

struct WriterFree {
  void operator()(struct archive* a) const noexcept { archive_write_free(a); }
};
struct EntryFree {
  void operator()(struct archive_entry* e) const noexcept { archive_entry_free(e); }
};

[[noreturn]] void pack_failed(const std::string& cause) {
  throw Error(ErrorKind::internal, "pack-failed", "the package archive could not be written", cause);
}

void check(struct archive* writer, int status, const char* what) {
  if (status < ARCHIVE_WARN) {
    const char* why = archive_error_string(writer);
    pack_failed(std::string(what) + ": " + (why != nullptr ? why : "libarchive error"));
  }
}

struct Item {
  std::string relative;  // '/' separators
  fs::path absolute;
  bool directory = false;
  bool executable = false;
};

std::vector<Item> collect(const fs::path& dir) {
  std::vector<Item> items;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) pack_failed("list " + dir.string() + ": " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) pack_failed("list " + dir.string() + ": " + ec.message());
    const fs::file_status status = it->symlink_status();
    const std::string relative = it->path().lexically_relative(dir).generic_string();
    if (!fs::is_regular_file(status) && !fs::is_directory(status))
      throw Error(ErrorKind::invalid_input, "pack-unsupported-entry",
                  "'" + relative + "' is a link or a special file; packages hold regular files and directories only");
    const bool executable =
        (status.permissions() & (fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec)) !=
        fs::perms::none;
    items.push_back({relative, it->path(), fs::is_directory(status), executable});
  }
  if (ec) pack_failed("list " + dir.string() + ": " + ec.message());
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.relative < b.relative; });
  return items;
}

void write_item(struct archive* writer, struct archive_entry* entry, const Item& item) {
  archive_entry_clear(entry);
  const std::string name = item.directory ? item.relative + "/" : item.relative;
  // The writers read the name in the process's locale: the UTF-8 name converted to it
  // when that works, else its bytes as they are (the C locale has no non-ASCII).
  if (archive_entry_update_pathname_utf8(entry, name.c_str()) == 0) archive_entry_copy_pathname(entry, name.c_str());
  archive_entry_set_mtime(entry, kFixedMtime, 0);
  archive_entry_set_uid(entry, 0);
  archive_entry_set_gid(entry, 0);
  if (item.directory) {
    archive_entry_set_filetype(entry, AE_IFDIR);
    archive_entry_set_perm(entry, 0755);
    archive_entry_set_size(entry, 0);
    check(writer, archive_write_header(writer, entry), "write header");
    return;
  }
  std::ifstream in(item.absolute, std::ios::binary);
  std::error_code ec;
  const auto size = fs::file_size(item.absolute, ec);
  if (!in || ec) pack_failed("read " + item.absolute.string());
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_perm(entry, item.executable ? 0755 : 0644);
  archive_entry_set_size(entry, static_cast<la_int64_t>(size));
  check(writer, archive_write_header(writer, entry), "write header");
  std::array<char, std::size_t{64} * 1024> buffer{};
  std::uintmax_t copied = 0;
  while (in) {
    in.read(buffer.data(), buffer.size());
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    copied += got;
    if (copied > size) pack_failed(item.absolute.string() + " grew while it was packed");
    if (archive_write_data(writer, buffer.data(), got) < 0) check(writer, ARCHIVE_FATAL, "write data");
  }
  if (in.bad() || copied != size) pack_failed(item.absolute.string() + " changed while it was packed");
  check(writer, archive_write_finish_entry(writer), "finish entry");
}

}  // namespace

void pack_directory(const fs::path& dir, const fs::path& archive_path, ArchiveFormat format) {
  const std::vector<Item> items = collect(dir);
  std::unique_ptr<struct archive, WriterFree> writer(archive_write_new());
  std::unique_ptr<struct archive_entry, EntryFree> entry(archive_entry_new());
  if (!writer || !entry) pack_failed("out of memory");
  if (format == ArchiveFormat::zip) {
    check(writer.get(), archive_write_set_format_zip(writer.get()), "zip format");
    check(writer.get(), archive_write_set_options(writer.get(), "zip:compression=deflate"), "zip options");
  } else {
    check(writer.get(), archive_write_set_format_pax_restricted(writer.get()), "tar format");
    check(writer.get(), archive_write_add_filter_gzip(writer.get()), "gzip filter");
    check(writer.get(), archive_write_set_options(writer.get(), "gzip:!timestamp"), "gzip options");
  }
  check(writer.get(), archive_write_open_filename(writer.get(), archive_path.c_str()), "open");
  for (const Item& item : items) write_item(writer.get(), entry.get(), item);
  check(writer.get(), archive_write_close(writer.get()), "close");
}

}  // namespace mecapy::packages
