// Safe unpacking of package archives with libarchive's reader; the rules are in
// archive_unpacker.hpp. Files and directories are created here with openat/mkdirat
// relative to directory descriptors (not with libarchive's archive_write_disk, which
// resolves path strings and restores modes and owners): that is what makes writes
// through links impossible and the resulting tree independent of the archive's
// metadata.
#include "packages/archive_unpacker.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "core/errors.hpp"
#include "core/utf8.hpp"
#include "packages/zip_entry_names.hpp"

namespace mecapy::packages {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxComponentBytes = 255;  // NAME_MAX on Linux file systems
constexpr std::size_t kShownNameBytes = 200;     // longer names are cut in messages

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) noexcept : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = other.fd_;
      other.fd_ = -1;
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const noexcept { return fd_; }
  // Closes now and reports close()'s own failure (a delayed write error).
  int close() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd >= 0 ? ::close(fd) : 0;
  }

 private:
  int fd_;
};

bool is_valid_utf8(std::string_view text) {
  std::string again;
  again.reserve(text.size());
  for (char32_t cp : decode_utf8(text)) append_utf8(again, cp);
  return again == text;
}

// The entry name as a message may show it: control characters, backslashes and bytes
// that are not UTF-8 become \xNN; a long name is cut (at a character boundary).
std::string printable(std::string_view name) {
  const bool utf8 = is_valid_utf8(name);
  std::string out;
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto byte = static_cast<unsigned char>(name[i]);
    const bool continuation = utf8 && (byte & 0xc0) == 0x80;
    if (out.size() >= kShownNameBytes && !continuation) {
      out += "...";
      break;
    }
    if (byte < 0x20 || byte == 0x7f || byte == '\\' || (byte >= 0x80 && !utf8)) {
      out += "\\x";
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 15]);
    } else {
      out.push_back(name[i]);
    }
  }
  return out;
}

[[noreturn]] void refuse(const char* code, std::string_view name, const std::string& what) {
  throw Error(ErrorKind::invalid_input, code, "archive entry '" + printable(name) + "': " + what);
}

[[noreturn]] void io_failure(const char* operation, std::string_view name, int error) {
  const std::string cause = std::string(operation) + " '" + printable(name) + "': " + std::strerror(error);
  if (error == ENOSPC || error == EDQUOT)
    throw Error(ErrorKind::insufficient_storage, "archive-disk-full",
                "the server ran out of disk space while unpacking the archive; try again later", cause);
  throw Error(ErrorKind::internal, "archive-write-failed", "the archive could not be unpacked on the server", cause);
}

// The name split into its components, checked against every naming rule. In a zip a
// backslash is a Windows separator and becomes '/' before any check (so "..\\x" is
// refused like "../x" and "a\\b" and "a/b" are the same path); elsewhere it is refused.
std::vector<std::string> entry_components(std::string_view raw_name, bool zip, const UnpackLimits& limits) {
  std::string normalised(raw_name);
  if (zip) std::replace(normalised.begin(), normalised.end(), '\\', '/');
  const std::string_view name = normalised;
  if (name.empty()) refuse("archive-entry-empty-name", raw_name, "the entry has no name; give every entry a path");
  if (name.size() > limits.max_path_bytes)
    refuse("archive-entry-path-too-long", raw_name,
           "the path is longer than " + std::to_string(limits.max_path_bytes) + " bytes; use a shorter path");
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f)
      refuse("archive-entry-control-character", raw_name,
             "the name contains a control character; use printable characters only");
    if (c == '\\')
      refuse("archive-entry-backslash", raw_name,
             "the name contains a backslash; archive paths use '/' between directories");
  }
  if (!is_valid_utf8(name)) refuse("archive-entry-name-encoding", raw_name, "the name is not UTF-8; rename the file");
  if (name.front() == '/')
    refuse("archive-entry-absolute-path", raw_name,
           "the path is absolute; paths must be relative to the package's top directory");
  std::vector<std::string> components;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view part = name.substr(start, end - start);
    if (part == "..")
      refuse("archive-entry-parent-reference", raw_name,
             "the path goes up with '..'; paths must stay inside the package's top directory");
    if (part.size() > kMaxComponentBytes)
      refuse("archive-entry-path-too-long", raw_name,
             "a part of the path is longer than " + std::to_string(kMaxComponentBytes) + " bytes");
    if (!part.empty() && part != ".") components.emplace_back(part);
    start = end + 1;
  }
  if (components.size() > limits.max_depth)
    refuse("archive-entry-too-deep", raw_name,
           "the path is more than " + std::to_string(limits.max_depth) + " directories deep; flatten the tree");
  return components;
}

std::string join(const std::vector<std::string>& components, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out.push_back('/');
    out += components[i];
  }
  return out;
}

// One archive's entries written under one directory descriptor, with the set of paths
// created so far (for duplicates and hard links).
class TreeWriter {
 public:
  TreeWriter(int root_fd, int archive_fd, const UnpackLimits& limits, std::uint64_t archive_bytes,
             UnpackProgress& progress)
      : root_fd_(root_fd),
        archive_fd_(archive_fd),
        limits_(limits),
        archive_bytes_(archive_bytes),
        progress_(progress) {}

  void add(struct archive* reader, struct archive_entry* entry) {
    ++summary_.entries;
    ++progress_.entries;
    const char* raw = archive_entry_pathname_utf8(entry);
    if (raw == nullptr) raw = archive_entry_pathname(entry);
    const std::string name = raw != nullptr ? raw : "";
    if (summary_.entries > limits_.max_entries)
      refuse("archive-too-many-entries", name,
             "the archive has more than " + std::to_string(limits_.max_entries) + " entries");
    const bool zip = (archive_format(reader) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
    if (zip && !zip_names_checked_) {
      zip_names_checked_ = true;
      if (const auto cut = zip_name_with_nul(archive_fd_, archive_bytes_, limits_.max_entries + 1))
        refuse("archive-entry-control-character", *cut,
               "the name contains a NUL byte, which cuts it short; use printable characters only");
    }
    const std::vector<std::string> parts = entry_components(name, zip, limits_);
    const auto type = archive_entry_filetype(entry);
    if (parts.empty()) {
      if (type == AE_IFDIR && archive_entry_hardlink(entry) == nullptr) return;  // "./": the top itself
      refuse("archive-entry-empty-name", name, "the path names no file; give every entry a path");
    }
    if (archive_entry_hardlink(entry) != nullptr) return add_hardlink(entry, name, parts);
    switch (type) {
      case AE_IFREG:
        return add_file(reader, entry, name, parts);
      case AE_IFDIR:
        return add_directory(name, parts);
      case AE_IFLNK:
        refuse("archive-entry-symlink", name,
               "symbolic links are not accepted in packages; replace the link by the file it points to");
      default:
        refuse("archive-entry-special-file", name,
               "devices, fifos and sockets are not accepted in packages; only files and directories");
    }
  }

  const UnpackSummary& summary() const { return summary_; }

 private:
  enum class Kind { file, implicit_dir, explicit_dir };

  // Opens (creating when missing) every directory above the entry, each component
  // with O_NOFOLLOW from its parent's descriptor.
  UniqueFd open_parent(std::string_view name, const std::vector<std::string>& parts) {
    UniqueFd current(::fcntl(root_fd_, F_DUPFD_CLOEXEC, 0));
    if (current.get() < 0) io_failure("dup", name, errno);
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      const std::string prefix = join(parts, i + 1);
      const auto found = seen_.find(prefix);
      if (found != seen_.end() && found->second == Kind::file)
        refuse("archive-entry-duplicate", name, "'" + printable(prefix) + "' is a file earlier in the archive");
      const bool create = found == seen_.end();
      if (create) {
        if (::mkdirat(current.get(), parts[i].c_str(), 0700) != 0) {
          if (errno == EEXIST) refuse("archive-entry-duplicate", name, "'" + printable(prefix) + "' exists twice");
          io_failure("mkdir", prefix, errno);
        }
        seen_.emplace(prefix, Kind::implicit_dir);
      }
      UniqueFd next(::openat(current.get(), parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (next.get() < 0) io_failure("open directory", prefix, errno);
      if (create && ::fchmod(next.get(), 0755) != 0) io_failure("chmod", prefix, errno);
      current = std::move(next);
    }
    return current;
  }

  void claim(std::string_view name, const std::string& path, Kind kind) {
    const auto [it, inserted] = seen_.emplace(path, kind);
    if (inserted) return;
    if (kind == Kind::explicit_dir && it->second == Kind::implicit_dir) {
      it->second = Kind::explicit_dir;
      return;
    }
    refuse("archive-entry-duplicate", name, "the path appears twice in the archive; keep one entry per path");
  }

  void add_directory(std::string_view name, const std::vector<std::string>& parts) {
    const std::string path = join(parts, parts.size());
    const auto found = seen_.find(path);
    const bool exists = found != seen_.end() && found->second == Kind::implicit_dir;
    claim(name, path, Kind::explicit_dir);
    if (exists) return;
    const UniqueFd parent = open_parent(name, parts);
    if (::mkdirat(parent.get(), parts.back().c_str(), 0700) != 0) {
      if (errno == EEXIST) refuse("archive-entry-duplicate", name, "the path appears twice in the archive");
      io_failure("mkdir", name, errno);
    }
    const UniqueFd dir(::openat(parent.get(), parts.back().c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (dir.get() < 0 || ::fchmod(dir.get(), 0755) != 0) io_failure("chmod", name, errno);
  }

  void check_growth(std::string_view name, std::uint64_t file_bytes, std::size_t block) const {
    const std::uint64_t file_after = file_bytes + block;
    const std::uint64_t total_after = summary_.total_bytes + block;
    if (file_after > limits_.max_file_bytes)
      refuse("archive-file-size-limit", name,
             "the file is larger than " + std::to_string(limits_.max_file_bytes) + " bytes once unpacked");
    if (total_after > limits_.max_total_bytes)
      throw Error(ErrorKind::invalid_input, "archive-total-size-limit",
                  "the archive's files add up to more than " + std::to_string(limits_.max_total_bytes) +
                      " bytes once unpacked (stopped at '" + printable(name) + "')");
    const std::uint64_t ratio = limits_.max_compression_ratio;
    const bool ratio_fits = archive_bytes_ <= std::numeric_limits<std::uint64_t>::max() / (ratio == 0 ? 1 : ratio);
    if (total_after > limits_.ratio_threshold_bytes && ratio_fits && total_after > archive_bytes_ * ratio)
      throw Error(ErrorKind::invalid_input, "archive-compression-ratio",
                  "the archive unpacks to more than " + std::to_string(ratio) +
                      " times its own size, which is refused as a decompression bomb (stopped at '" + printable(name) +
                      "')");
  }

  void add_file(struct archive* reader, struct archive_entry* entry, std::string_view name,
                const std::vector<std::string>& parts) {
    if (archive_entry_sparse_count(entry) > 0)
      refuse("archive-entry-sparse", name, "sparse files are not accepted; archive the file without holes");
    const std::string path = join(parts, parts.size());
    claim(name, path, Kind::file);
    const UniqueFd parent = open_parent(name, parts);
    UniqueFd file(
        ::openat(parent.get(), parts.back().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (file.get() < 0) {
      if (errno == EEXIST) refuse("archive-entry-duplicate", name, "the path appears twice in the archive");
      io_failure("create", name, errno);
    }
    std::uint64_t written = 0;
    for (;;) {
      const void* block = nullptr;
      std::size_t size = 0;
      la_int64_t offset = 0;
      const int status = archive_read_data_block(reader, &block, &size, &offset);
      if (status == ARCHIVE_EOF) break;
      if (status != ARCHIVE_OK)
        throw Error(ErrorKind::invalid_input, "archive-corrupt",
                    "the archive is damaged or truncated at '" + printable(name) + "'; create it again",
                    archive_error_string(reader) ? archive_error_string(reader) : "read failed");
      if (offset < 0 || static_cast<std::uint64_t>(offset) != written)
        refuse("archive-entry-sparse", name, "sparse files are not accepted; archive the file without holes");
      check_growth(name, written, size);
      write_all(file.get(), static_cast<const char*>(block), size, name);
      written += size;
      summary_.total_bytes += size;
      progress_.bytes_written += size;
    }
    const bool executable = (archive_entry_perm(entry) & 0111) != 0;
    if (::fchmod(file.get(), executable ? 0755 : 0644) != 0) io_failure("chmod", name, errno);
    if (file.close() != 0) io_failure("close", name, errno);
    ++summary_.files;
  }

  static void write_all(int fd, const char* data, std::size_t size, std::string_view name) {
    while (size > 0) {
      const ssize_t n = ::write(fd, data, size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) io_failure("write", name, errno);
      if (n == 0) io_failure("write", name, ENOSPC);  // a regular file takes nothing more: full
      data += n;
      size -= static_cast<std::size_t>(n);
    }
  }

  void add_hardlink(struct archive_entry* entry, std::string_view name, const std::vector<std::string>& parts) {
    const char* raw = archive_entry_hardlink_utf8(entry);
    if (raw == nullptr) raw = archive_entry_hardlink(entry);
    const std::string target_name = raw != nullptr ? raw : "";
    std::vector<std::string> target;
    try {
      target = entry_components(target_name, false, limits_);  // zips have no hard links
    } catch (const Error&) {
      target.clear();  // an unsafe target name is reported as a bad hard link below
    }
    const auto found = seen_.find(join(target, target.size()));
    if (target.empty() || found == seen_.end() || found->second != Kind::file)
      refuse("archive-entry-hardlink", name,
             "a hard link must point to a regular file earlier in the same archive; '" + printable(target_name) +
                 "' is not one");
    const std::string path = join(parts, parts.size());
    claim(name, path, Kind::file);
    const UniqueFd from = open_parent(target_name, target);
    const UniqueFd to = open_parent(name, parts);
    // Flags 0: linkat does not follow a link at the source.
    if (::linkat(from.get(), target.back().c_str(), to.get(), parts.back().c_str(), 0) != 0) {
      if (errno == EEXIST) refuse("archive-entry-duplicate", name, "the path appears twice in the archive");
      io_failure("link", name, errno);
    }
    ++summary_.files;
  }

  int root_fd_;
  int archive_fd_;
  bool zip_names_checked_ = false;
  const UnpackLimits& limits_;
  std::uint64_t archive_bytes_;
  UnpackProgress& progress_;
  UnpackSummary summary_;
  std::unordered_map<std::string, Kind> seen_;
};

struct ReaderFree {
  void operator()(struct archive* a) const noexcept { archive_read_free(a); }
};

std::unique_ptr<struct archive, ReaderFree> make_reader() {
  std::unique_ptr<struct archive, ReaderFree> reader(archive_read_new());
  if (!reader) throw Error(ErrorKind::internal, "archive-library", "the archive could not be read", "no memory");
  // Built-in decompressors only: a filter that would run an external program is a
  // build problem, reported as such instead of being used.
  const bool ready = archive_read_support_format_zip(reader.get()) == ARCHIVE_OK &&
                     archive_read_support_format_tar(reader.get()) == ARCHIVE_OK &&
                     archive_read_support_format_gnutar(reader.get()) == ARCHIVE_OK &&
                     archive_read_support_filter_gzip(reader.get()) == ARCHIVE_OK &&
                     archive_read_support_filter_bzip2(reader.get()) == ARCHIVE_OK &&
                     archive_read_support_filter_xz(reader.get()) == ARCHIVE_OK;
  if (!ready)
    throw Error(ErrorKind::internal, "archive-library", "the archive could not be read",
                "libarchive lacks a built-in zip, tar, gzip, bzip2 or xz reader");
  return reader;
}

[[noreturn]] void unreadable(struct archive* reader, std::uint64_t entries) {
  const char* why = archive_error_string(reader);
  const std::string cause = why != nullptr ? why : "unknown libarchive error";
  if (entries == 0 && archive_format(reader) == 0)
    throw Error(ErrorKind::invalid_input, "archive-unsupported",
                "the file is not a zip or tar archive that can be read; upload a .zip or .tar.gz", cause);
  throw Error(ErrorKind::invalid_input, "archive-corrupt", "the archive is damaged or truncated; create it again",
              cause);
}

UnpackSummary unpack_into(int archive_fd, std::uint64_t archive_bytes, int root_fd, const UnpackLimits& limits,
                          UnpackProgress& progress) {
  auto reader = make_reader();
  if (archive_read_open_fd(reader.get(), archive_fd, std::size_t{64} * 1024) != ARCHIVE_OK) unreadable(reader.get(), 0);
  TreeWriter writer(root_fd, archive_fd, limits, archive_bytes, progress);
  for (;;) {
    struct archive_entry* entry = nullptr;
    const int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    // ARCHIVE_WARN is a header read whole with a remark (a name charset note).
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) unreadable(reader.get(), writer.summary().entries);
    writer.add(reader.get(), entry);
  }
  return writer.summary();
}

}  // namespace

UnpackSummary unpack_archive(const fs::path& archive_path, const fs::path& dest_dir, const UnpackLimits& limits,
                             UnpackProgress* progress) {
  UnpackProgress local_progress;
  UnpackProgress& seen = progress != nullptr ? *progress : local_progress;
  seen = {};
  UniqueFd archive_fd(::open(archive_path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat info {};
  if (archive_fd.get() < 0 || ::fstat(archive_fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    const std::string why = archive_fd.get() < 0 ? std::strerror(errno) : "not a regular file";
    throw Error(ErrorKind::internal, "archive-write-failed", "the uploaded archive could not be opened on the server",
                "open " + archive_path.string() + ": " + why);
  }
  const auto archive_bytes = static_cast<std::uint64_t>(info.st_size);
  if (archive_bytes > limits.max_archive_bytes)
    throw Error(ErrorKind::too_large, "archive-too-large",
                "the archive is larger than " + std::to_string(limits.max_archive_bytes) +
                    " bytes; remove data files or build artefacts from the package");
  if (::mkdir(dest_dir.c_str(), 0700) != 0) {
    const int error = errno;
    if (error == EEXIST)
      throw Error(ErrorKind::internal, "archive-destination-exists", "the archive could not be unpacked on the server",
                  "destination exists: " + dest_dir.string());
    io_failure("mkdir", dest_dir.string(), error);
  }
  try {
    UniqueFd root(::open(dest_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (root.get() < 0 || ::fchmod(root.get(), 0755) != 0) io_failure("open", dest_dir.string(), errno);
    return unpack_into(archive_fd.get(), archive_bytes, root.get(), limits, seen);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(dest_dir, ignored);
    throw;
  }
}

}  // namespace mecapy::packages
