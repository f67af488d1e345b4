// unpack_archive against well-formed and hostile archives, and pack_directory.
//
// Hostile archives are written entry by entry with libarchive's writer (ArchiveWriter
// below): it stores whatever header it is given, so names such as "../../x" or
// absolute paths, links, devices, duplicates and sizes the data never reaches end up
// in the archive as an attacker would make them. Every refusal checks the error code
// and kind, that the destination is gone and that nothing appeared beside it.
#include "packages/archive_unpacker.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/errors.hpp"
#include "packages/archive_packer.hpp"
#include "packages/source_tree.hpp"

namespace mecapy::packages {
namespace {

namespace fs = std::filesystem;

enum class Container { zip, zip64, tar, tar_gz, tar_bz2, tar_xz };

// Writes an archive entry by entry with hand-made headers.
class ArchiveWriter {
 public:
  ArchiveWriter(const fs::path& path, Container container) : writer_(archive_write_new()) {
    if (container == Container::zip || container == Container::zip64) {
      archive_write_set_format_zip(writer_);
      if (container == Container::zip64) {
        EXPECT_EQ(archive_write_set_options(writer_, "zip:zip64"), ARCHIVE_OK);
      }
    } else {
      archive_write_set_format_pax_restricted(writer_);
      if (container == Container::tar_gz) archive_write_add_filter_gzip(writer_);
      if (container == Container::tar_bz2) archive_write_add_filter_bzip2(writer_);
      if (container == Container::tar_xz) archive_write_add_filter_xz(writer_);
    }
    EXPECT_EQ(archive_write_open_filename(writer_, path.c_str()), ARCHIVE_OK);
  }
  ~ArchiveWriter() {
    close();
    archive_write_free(writer_);
  }
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  ArchiveWriter& file(const std::string& name, const std::string& content, int perm = 0644, time_t mtime = 1'000'000) {
    header(name, AE_IFREG, perm, static_cast<la_int64_t>(content.size()), mtime);
    EXPECT_EQ(archive_write_data(writer_, content.data(), content.size()), static_cast<la_ssize_t>(content.size()));
    return *this;
  }
  // `bytes` zeros, streamed, so the archive holds them (compressed).
  ArchiveWriter& zeros(const std::string& name, std::uint64_t bytes) {
    header(name, AE_IFREG, 0644, static_cast<la_int64_t>(bytes), 1'000'000);
    const std::string block(1 << 16, '\0');
    for (std::uint64_t left = bytes; left > 0;) {
      const std::size_t n = left < block.size() ? static_cast<std::size_t>(left) : block.size();
      EXPECT_EQ(archive_write_data(writer_, block.data(), n), static_cast<la_ssize_t>(n));
      left -= n;
    }
    return *this;
  }
  // A header declaring `bytes` and no data written: libarchive pads the entry with
  // zeros to the declared size when it is finished.
  ArchiveWriter& declared(const std::string& name, std::uint64_t bytes) {
    header(name, AE_IFREG, 0644, static_cast<la_int64_t>(bytes), 1'000'000);
    return *this;
  }
  ArchiveWriter& dir(const std::string& name, int perm = 0755, time_t mtime = 1'000'000) {
    header(name, AE_IFDIR, perm, 0, mtime);
    return *this;
  }
  ArchiveWriter& symlink(const std::string& name, const std::string& target) {
    prepare(name, AE_IFLNK, 0777, 0, 1'000'000);
    archive_entry_set_symlink(entry_.get(), target.c_str());
    write_header();
    return *this;
  }
  ArchiveWriter& hardlink(const std::string& name, const std::string& target) {
    prepare(name, AE_IFREG, 0644, 0, 1'000'000);
    archive_entry_set_hardlink(entry_.get(), target.c_str());
    write_header();
    return *this;
  }
  ArchiveWriter& special(const std::string& name, unsigned type) {
    prepare(name, type, 0644, 0, 1'000'000);
    archive_entry_set_rdevmajor(entry_.get(), 1);
    archive_entry_set_rdevminor(entry_.get(), 3);
    write_header();
    return *this;
  }
  void close() {
    if (open_) {
      EXPECT_EQ(archive_write_close(writer_), ARCHIVE_OK) << archive_error_string(writer_);
    }
    open_ = false;
  }

 private:
  struct EntryFree {
    void operator()(archive_entry* e) const { archive_entry_free(e); }
  };

  void prepare(const std::string& name, unsigned type, int perm, la_int64_t size, time_t mtime) {
    entry_.reset(archive_entry_new());
    // UTF-8 when the name is UTF-8 (so it survives the C locale), its bytes as they are
    // otherwise.
    if (archive_entry_update_pathname_utf8(entry_.get(), name.c_str()) == 0)
      archive_entry_set_pathname(entry_.get(), name.c_str());
    archive_entry_set_filetype(entry_.get(), type);
    archive_entry_set_perm(entry_.get(), static_cast<mode_t>(perm));
    archive_entry_set_size(entry_.get(), size);
    archive_entry_set_mtime(entry_.get(), mtime, 0);
  }
  void write_header() {
    // ARCHIVE_WARN: written, with a remark (a name that is not UTF-8 goes in as bytes).
    EXPECT_GE(archive_write_header(writer_, entry_.get()), ARCHIVE_WARN) << archive_error_string(writer_);
  }
  void header(const std::string& name, unsigned type, int perm, la_int64_t size, time_t mtime) {
    prepare(name, type, perm, size, mtime);
    write_header();
  }

  archive* writer_;
  std::unique_ptr<archive_entry, EntryFree> entry_;
  bool open_ = true;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

int mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
  return static_cast<int>(info.st_mode & 07777);
}

// Every path under `root`, relative, without following links.
std::set<std::string> listing(const fs::path& root) {
  std::set<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    out.insert(entry.path().lexically_relative(root).generic_string());
  return out;
}

class UnpackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device seed;
    work_ = fs::temp_directory_path() / ("mecapy-archive-" + std::to_string(seed()) + std::to_string(seed()));
    fs::create_directories(work_ / "d1" / "d2");
    archive_ = work_ / "upload.bin";  // no telling extension: formats come from content
    dest_ = work_ / "d1" / "d2" / "out";
  }
  void TearDown() override { fs::remove_all(work_); }

  // What the work directory holds before unpacking; after a refusal it must hold
  // exactly this again.
  std::set<std::string> baseline() const { return {"upload.bin", "d1", "d1/d2"}; }

  Error refused(const std::string& code, ErrorKind kind, const UnpackLimits& limits = {},
                UnpackProgress* progress = nullptr) {
    try {
      unpack_archive(archive_, dest_, limits, progress);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.what() << " / " << e.cause();
      EXPECT_EQ(e.kind(), kind) << e.code();
      EXPECT_FALSE(fs::exists(fs::symlink_status(dest_))) << "the destination was left behind";
      EXPECT_EQ(listing(work_), baseline()) << "something was written outside the destination";
      return e;
    }
    ADD_FAILURE() << "the archive was accepted; expected " << code;
    return Error(ErrorKind::internal, "none", "none");
  }

  fs::path work_;
  fs::path archive_;
  fs::path dest_;
};

// --- Happy paths ---------------------------------------------------------------

TEST_F(UnpackTest, PackedZipAndTarGzUnpackToTheSameFiles) {
  const fs::path src = work_ / "src";
  const std::string manifest = "name: bolts\n";
  const std::string code = "def torque(F, d):\n    return 0.2 * F * d\n";
  const std::string script = "#!/bin/sh\n";
  write_text(src / "mecapy.yml", manifest);
  write_text(src / "bolts" / "__init__.py", "");
  write_text(src / "bolts" / "torque.py", code);
  write_text(src / "run.sh", script);
  fs::permissions(src / "run.sh", fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  for (ArchiveFormat format : {ArchiveFormat::zip, ArchiveFormat::tar_gz}) {
    const fs::path out = work_ / (format == ArchiveFormat::zip ? "zip" : "tgz");
    pack_directory(src, archive_, format);
    const UnpackSummary summary = unpack_archive(archive_, out);
    EXPECT_EQ(summary.files, 4u);
    EXPECT_EQ(summary.entries, 5u);  // the directory bolts/ is an entry of its own
    EXPECT_EQ(summary.total_bytes, manifest.size() + code.size() + script.size());
    EXPECT_EQ(read_text(out / "bolts" / "torque.py"), code);
    EXPECT_EQ(read_text(out / "mecapy.yml"), manifest);
    EXPECT_EQ(mode_of(out / "run.sh"), 0755);
    EXPECT_EQ(mode_of(out / "mecapy.yml"), 0644);
    EXPECT_EQ(mode_of(out / "bolts"), 0755);
    EXPECT_EQ(listing(out), listing(src));
  }
}

TEST_F(UnpackTest, TarWithAnyCompressionIsRecognisedFromItsContent) {
  for (Container container : {Container::tar, Container::tar_gz, Container::tar_bz2, Container::tar_xz}) {
    const fs::path out = work_ / ("out" + std::to_string(static_cast<int>(container)));
    { ArchiveWriter(archive_, container).file("mecapy.yml", "name: x\n").file("pkg/m.py", "x = 1\n"); }
    const UnpackSummary summary = unpack_archive(archive_, out);
    EXPECT_EQ(summary.files, 2u);
    EXPECT_EQ(read_text(out / "pkg" / "m.py"), "x = 1\n");
  }
}

TEST_F(UnpackTest, PermissionsAreNormalisedAndTimesNotRestored) {
  {
    ArchiveWriter(archive_, Container::tar)
        .dir("private/", 0700)
        .dir("shared/", 03777)
        .file("private/setuid", "x", 04755)
        .file("private/secret", "y", 0600)
        .file("shared/group-exec", "z", 02010);
  }
  unpack_archive(archive_, dest_);
  EXPECT_EQ(mode_of(dest_), 0755);
  EXPECT_EQ(mode_of(dest_ / "private"), 0755);
  EXPECT_EQ(mode_of(dest_ / "shared"), 0755);
  EXPECT_EQ(mode_of(dest_ / "private" / "setuid"), 0755);
  EXPECT_EQ(mode_of(dest_ / "private" / "secret"), 0644);
  EXPECT_EQ(mode_of(dest_ / "shared" / "group-exec"), 0755);
  // The archive says 1970-01-12; the files are as old as the unpacking.
  const auto age = fs::file_time_type::clock::now() - fs::last_write_time(dest_ / "private" / "secret");
  EXPECT_LT(std::chrono::duration_cast<std::chrono::hours>(age).count(), 1);
}

TEST_F(UnpackTest, DotComponentsAndImplicitDirectoriesAreAccepted) {
  {
    ArchiveWriter(archive_, Container::tar)
        .dir("./")
        .file("./a//b/c.py", "c")
        .dir("a/")  // after a/ was created as a parent: the same directory, not a duplicate
        .dir("a/b/");
  }
  const UnpackSummary summary = unpack_archive(archive_, dest_);
  EXPECT_EQ(summary.entries, 4u);
  EXPECT_EQ(listing(dest_), (std::set<std::string>{"a", "a/b", "a/b/c.py"}));
}

TEST_F(UnpackTest, HardLinkToAnEarlierFileIsKept) {
  { ArchiveWriter(archive_, Container::tar).file("pkg/a.py", "shared\n").hardlink("b.py", "pkg/a.py"); }
  const UnpackSummary summary = unpack_archive(archive_, dest_);
  EXPECT_EQ(summary.files, 2u);
  EXPECT_EQ(read_text(dest_ / "b.py"), "shared\n");
  EXPECT_EQ(fs::hard_link_count(dest_ / "b.py"), 2u);
}

TEST_F(UnpackTest, SameFilesInDifferentArchivesHaveOneChecksum) {
  std::vector<std::string> sums;
  { ArchiveWriter(archive_, Container::zip).file("mecapy.yml", "name: p\n").file("p/f.py", "1\n", 0755); }
  unpack_archive(archive_, work_ / "a");
  sums.push_back(source_tree_sha256(package_root(work_ / "a")));
  {
    // Other order, other times, explicit directories, a wrapping top directory.
    ArchiveWriter(archive_, Container::tar_gz)
        .dir("p-main/", 0700, 5)
        .dir("p-main/p/", 0755, 7)
        .file("p-main/p/f.py", "1\n", 0700, 123456789)
        .file("p-main/mecapy.yml", "name: p\n", 0600, 987654321);
  }
  unpack_archive(archive_, work_ / "b");
  sums.push_back(source_tree_sha256(package_root(work_ / "b")));
  EXPECT_EQ(sums[0], sums[1]);
  { ArchiveWriter(archive_, Container::zip).file("mecapy.yml", "name: p\n").file("p/f.py", "1\n", 0644); }
  unpack_archive(archive_, work_ / "c");
  EXPECT_NE(source_tree_sha256(package_root(work_ / "c")), sums[0]) << "the exec bit is part of the checksum";
}

// --- Names ---------------------------------------------------------------------

TEST_F(UnpackTest, RefusesZipSlip) {
  { ArchiveWriter(archive_, Container::zip).file("ok.py", "1").file("../../x", "pwned"); }
  const Error e = refused("archive-entry-parent-reference", ErrorKind::invalid_input);
  EXPECT_NE(std::string(e.what()).find("'../../x'"), std::string::npos) << e.what();
}

TEST_F(UnpackTest, RefusesParentReferenceInsideATarPath) {
  { ArchiveWriter(archive_, Container::tar_gz).file("a/../../../x", "pwned"); }
  refused("archive-entry-parent-reference", ErrorKind::invalid_input);
}

TEST_F(UnpackTest, RefusesAbsolutePaths) {
  // Pointing into the test's own directory, so a failure would show up in listing().
  { ArchiveWriter(archive_, Container::tar).file((work_ / "escaped").string(), "pwned"); }
  refused("archive-entry-absolute-path", ErrorKind::invalid_input);
  fs::remove(archive_);
  { ArchiveWriter(archive_, Container::zip).file("/etc/x", "pwned"); }
  refused("archive-entry-absolute-path", ErrorKind::invalid_input);
}

TEST_F(UnpackTest, RefusesControlCharactersAndShowsThemEscaped) {
  { ArchiveWriter(archive_, Container::tar).file("a\nb\x1b[31m.py", "1"); }
  const Error e = refused("archive-entry-control-character", ErrorKind::invalid_input);
  const std::string detail = e.what();
  EXPECT_NE(detail.find("a\\x0ab\\x1b[31m.py"), std::string::npos) << detail;
  EXPECT_EQ(detail.find('\n'), std::string::npos);
  EXPECT_EQ(detail.find('\x1b'), std::string::npos);
}

// A zip stores each name with its length, so it can hold a NUL, which libarchive's
// C strings would cut: "evil_" + NUL + "name" would arrive as "evil_". The NUL is put
// in by editing the archive's bytes (same length, so every offset stays right).
void put_nul_in_names(const fs::path& zip, const std::string& marked, std::size_t where, bool central, bool local) {
  std::string bytes = read_text(zip);
  const std::size_t first = bytes.find(marked);
  const std::size_t last = bytes.rfind(marked);
  ASSERT_NE(first, last) << "the name is in the local header and in the central directory";
  if (local) bytes[first + where] = '\0';
  if (central) bytes[last + where] = '\0';
  write_text(zip, bytes);
}

TEST_F(UnpackTest, RefusesNulInZipNames) {
  for (const auto& [central, local] : std::vector<std::pair<bool, bool>>{{true, true}, {false, true}, {true, false}}) {
    { ArchiveWriter(archive_, Container::zip).file("ok.py", "1").file("evil_Xname.py", "2"); }
    put_nul_in_names(archive_, "evil_Xname", 5, central, local);
    const Error e = refused("archive-entry-control-character", ErrorKind::invalid_input);
    EXPECT_NE(std::string(e.what()).find("evil_\\x00name.py"), std::string::npos) << e.what();
    fs::remove(archive_);
  }
}

// The end of central directory record's 32-bit fields set to "see the zip64 record"
// (APPNOTE.TXT 4.4.1.4), as a zip64 writer may leave them.
void defer_to_zip64_record(const fs::path& zip) {
  std::string bytes = read_text(zip);
  const std::size_t end = bytes.rfind("PK\x05\x06");
  ASSERT_NE(end, std::string::npos);
  ASSERT_NE(bytes.find("PK\x06\x06"), std::string::npos) << "no zip64 record";
  bytes.replace(end + 8, 4, 4, '\xff');   // entries on this disk, total entries
  bytes.replace(end + 16, 4, 4, '\xff');  // central directory offset
  write_text(zip, bytes);
}

TEST_F(UnpackTest, RefusesNulInZip64Names) {
  { ArchiveWriter(archive_, Container::zip64).file("ok.py", "1").file("evil_Xname.py", "2"); }
  put_nul_in_names(archive_, "evil_Xname", 5, false, true);
  defer_to_zip64_record(archive_);
  refused("archive-entry-control-character", ErrorKind::invalid_input);
  fs::remove(archive_);
  { ArchiveWriter(archive_, Container::zip64).file("ok.py", "1").file("fine.py", "2"); }
  defer_to_zip64_record(archive_);
  unpack_archive(archive_, dest_);
  EXPECT_EQ(read_text(dest_ / "fine.py"), "2");
}

TEST_F(UnpackTest, BackslashesInZipNamesAreSeparators) {
  { ArchiveWriter(archive_, Container::zip).file("pkg/sub\\calc.py", "1").file("top\\m.py", "2"); }
  unpack_archive(archive_, dest_);
  EXPECT_EQ(listing(dest_), (std::set<std::string>{"pkg", "pkg/sub", "pkg/sub/calc.py", "top", "top/m.py"}));
}

TEST_F(UnpackTest, BackslashesInZipNamesAreCheckedAsSeparators) {
  { ArchiveWriter(archive_, Container::zip).file("ok/a.py", "1").file("ok/..\\..\\..\\x", "pwned"); }
  refused("archive-entry-parent-reference", ErrorKind::invalid_input);
  fs::remove(archive_);
  { ArchiveWriter(archive_, Container::zip).file("a/b.py", "1").file("a/x\\..\\b.py", "2"); }
  refused("archive-entry-parent-reference", ErrorKind::invalid_input);
  fs::remove(archive_);
  { ArchiveWriter(archive_, Container::zip).file("a/b/c.py", "1").file("a/b\\c.py", "2"); }
  refused("archive-entry-duplicate", ErrorKind::invalid_input);
}

TEST_F(UnpackTest, RefusesBackslashesInTarNames) {
  { ArchiveWriter(archive_, Container::tar).file("pkg\\calc.py", "1"); }
  const Error e = refused("archive-entry-backslash", ErrorKind::invalid_input);
  EXPECT_NE(std::string(e.what()).find("pkg\\x5ccalc.py"), std::string::npos) << e.what();
}

TEST_F(UnpackTest, RefusesNamesThatAreNotUtf8) {
  { ArchiveWriter(archive_, Container::tar).file("caf\xe9.py", "1"); }
  const Error e = refused("archive-entry-name-encoding", ErrorKind::invalid_input);
  EXPECT_NE(std::string(e.what()).find("caf\\xe9.py"), std::string::npos) << e.what();
}

TEST_F(UnpackTest, AcceptsUtf8Names) {
  const std::string name =
      "donn\xc3\xa9"
      "es/\xe5\x8a\x9b.py";
  for (Container container : {Container::tar, Container::zip}) {
    const fs::path out = work_ / ("out" + std::to_string(static_cast<int>(container)));
    { ArchiveWriter(archive_, container).file(name, "1"); }
    unpack_archive(archive_, out);
    EXPECT_EQ(read_text(out / name), "1");
  }
  const fs::path src = work_ / "src";
  write_text(src / name, "2");
  for (ArchiveFormat format : {ArchiveFormat::zip, ArchiveFormat::tar_gz}) {
    const fs::path out = work_ / ("packed" + std::to_string(static_cast<int>(format)));
    pack_directory(src, archive_, format);
    unpack_archive(archive_, out);
    EXPECT_EQ(read_text(out / name), "2");
  }
}

TEST_F(UnpackTest, LongNamesAreCutInMessages) {
  UnpackLimits limits;
  limits.max_path_bytes = 300;
  const std::string name = std::string(199, 'a') + "\xc3\xa9" + std::string(99, 'b');  // 300 bytes
  { ArchiveWriter(archive_, Container::tar).file(name + "x", "1"); }
  const Error e = refused("archive-entry-path-too-long", ErrorKind::invalid_input, limits);
  const std::string detail = e.what();
  EXPECT_NE(detail.find("'" + std::string(199, 'a') + "\xc3\xa9...'"), std::string::npos) << detail;
}

TEST_F(UnpackTest, RefusesAFileWithoutAName) {
  { ArchiveWriter(archive_, Container::tar).file(".", "1"); }
  refused("archive-entry-empty-name", ErrorKind::invalid_input);
}

TEST_F(UnpackTest, RefusesPathsPastTheLengthAndDepthLimits) {
  UnpackLimits limits;
  limits.max_path_bytes = 40;
  limits.max_depth = 3;
  { ArchiveWriter(archive_, Container::tar).file("a/b/c.py", "1").file(std::string(41, 'n'), "1"); }
  refused("archive-entry-path-too-long", ErrorKind::invalid_input, limits);
  fs::remove(archive_);
  { ArchiveWriter(archive_, Container::tar).file("a/b/c.py", "1").file("a/b/c/d.py", "1"); }
  refused("archive-entry-too-deep", ErrorKind::invalid_input, limits);
  fs::remove(archive_);
  { ArchiveWriter(archive_, Container::tar).file(std::string(256, 'n'), "1"); }
  refused("archive-entry-path-too-long", ErrorKind::invalid_input);
}

// --- Links and special files -----------------------------------------------------

TEST_F(UnpackTest, RefusesASymlinkOutAndTheWriteThroughIt) {
  fs::create_directory(work_ / "outside");
  {
    ArchiveWriter(archive_, Container::tar)
        .symlink("link", (work_ / "outside").string())
        .file("link/passwd", "root::0:0::/:/bin/sh\n");
  }
  try {
    unpack_archive(archive_, dest_);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "archive-entry-symlink");
  }
  EXPECT_FALSE(fs::exists(dest_));
  EXPECT_TRUE(fs::is_empty(work_ / "outside"));
  fs::remove(archive_);
  { ArchiveWriter(archive_, Container::tar).symlink("etc", "/etc").file("etc/mecapy-test", "x"); }
  fs::remove(work_ / "outside");
  refused("archive-entry-symlink", ErrorKind::invalid_input);
}

// The attacker here is local: while the unpacker works, a thread swaps the directory
// being filled for a link to another place. Components are opened with O_NOFOLLOW from
// their parent's descriptor, so the link is never followed: the unpacking either ends
// before the swap or fails, and nothing lands in the other place.
TEST_F(UnpackTest, ADirectorySwappedForALinkMidwayIsNotFollowed) {
  fs::create_directory(work_ / "outside");
  {
    ArchiveWriter writer(archive_, Container::tar);
    writer.dir("a/");
    for (int i = 0; i < 3000; ++i) writer.file("a/f" + std::to_string(i) + ".py", "x");
  }
  std::atomic<bool> stop{false};
  std::atomic<bool> swapped{false};
  std::thread attacker([&] {
    std::error_code ec;
    while (!stop && !swapped) {
      if (!fs::is_directory(fs::symlink_status(dest_ / "a", ec))) continue;
      fs::rename(dest_ / "a", dest_ / "moved", ec);
      if (!ec) fs::create_directory_symlink(work_ / "outside", dest_ / "a", ec);
      swapped = !ec;
    }
  });
  std::string code = "accepted";
  try {
    unpack_archive(archive_, dest_);
  } catch (const Error& e) {
    code = e.code();
  }
  stop = true;
  attacker.join();
  EXPECT_TRUE(fs::is_empty(work_ / "outside"));
  if (swapped) {
    EXPECT_EQ(code, "archive-write-failed");
  }
}

TEST_F(UnpackTest, RefusesSymlinksUpAndInside) {
  { ArchiveWriter(archive_, Container::tar).symlink("up", "../.."); }
  refused("archive-entry-symlink", ErrorKind::invalid_input);
  fs::remove(archive_);
  // Links inside the tree are refused as well (a documented decision).
  { ArchiveWriter(archive_, Container::zip).file("a.py", "1").symlink("b.py", "a.py"); }
  refused("archive-entry-symlink", ErrorKind::invalid_input);
}

TEST_F(UnpackTest, RefusesHardLinksToAnythingButAnEarlierFile) {
  const std::vector<std::string> targets = {"../x", (work_ / "upload.bin").string(), "/etc/passwd", "later.py", "dir",
                                            "dir/"};
  for (const std::string& target : targets) {
    { ArchiveWriter(archive_, Container::tar).dir("dir/").hardlink("h", target).file("later.py", "1"); }
    refused("archive-entry-hardlink", ErrorKind::invalid_input);
    fs::remove(archive_);
  }
}

TEST_F(UnpackTest, RefusesDevicesAndFifos) {
  for (unsigned type : {AE_IFCHR, AE_IFBLK, AE_IFIFO}) {
    { ArchiveWriter(archive_, Container::tar).file("ok.py", "1").special("dev/thing", type); }
    refused("archive-entry-special-file", ErrorKind::invalid_input);
    fs::remove(archive_);
  }
}

// --- Duplicates ------------------------------------------------------------------

TEST_F(UnpackTest, RefusesDuplicatePaths) {
  const auto twice = [&](auto build) {
    {
      ArchiveWriter writer(archive_, Container::tar);
      build(writer);
    }
    refused("archive-entry-duplicate", ErrorKind::invalid_input);
    fs::remove(archive_);
  };
  twice([](ArchiveWriter& w) { w.file("a.py", "1").file("a.py", "2"); });
  twice([](ArchiveWriter& w) { w.file("a.py", "1").file("./a.py", "2"); });
  twice([](ArchiveWriter& w) { w.file("a", "1").dir("a/"); });
  twice([](ArchiveWriter& w) { w.dir("a/").file("a", "1"); });
  twice([](ArchiveWriter& w) { w.dir("a/").dir("a/"); });
  twice([](ArchiveWriter& w) { w.file("a", "1").file("a/b.py", "2"); });
  twice([](ArchiveWriter& w) { w.file("a/b.py", "1").file("a", "2"); });
  twice([](ArchiveWriter& w) { w.file("a.py", "1").hardlink("b.py", "a.py").file("b.py", "2"); });
}

// --- Limits ----------------------------------------------------------------------

TEST_F(UnpackTest, RefusesTooManyEntries) {
  UnpackLimits limits;
  limits.max_entries = 3;
  { ArchiveWriter(archive_, Container::zip).file("a", "1").file("b", "2").file("c", "3").file("d", "4"); }
  UnpackProgress progress;
  refused("archive-too-many-entries", ErrorKind::invalid_input, limits, &progress);
  EXPECT_EQ(progress.entries, 4u);
}

TEST_F(UnpackTest, RefusesAnArchiveOverTheSizeLimitBeforeReadingIt) {
  UnpackLimits limits;
  { ArchiveWriter(archive_, Container::tar).file("a.py", "1"); }
  limits.max_archive_bytes = fs::file_size(archive_) - 1;
  UnpackProgress progress;
  refused("archive-too-large", ErrorKind::too_large, limits, &progress);
  EXPECT_EQ(progress.entries, 0u);
  limits.max_archive_bytes += 1;
  EXPECT_EQ(unpack_archive(archive_, dest_, limits).files, 1u);
}

TEST_F(UnpackTest, StopsAFileAtItsSizeLimitWhateverTheHeaderSays) {
  // A tar entry declaring 4 MiB and carrying no data: the writer pads it with zeros,
  // so its content is there, 4 MiB of it, in an archive of a few KiB.
  { ArchiveWriter(archive_, Container::tar_gz).file("small.py", "1").declared("big.bin", 4 << 20); }
  UnpackLimits limits;
  limits.max_file_bytes = 1 << 20;
  limits.max_compression_ratio = 1'000'000;  // this test is about the file limit
  UnpackProgress progress;
  const Error e = refused("archive-file-size-limit", ErrorKind::invalid_input, limits, &progress);
  EXPECT_NE(std::string(e.what()).find("big.bin"), std::string::npos);
  EXPECT_LE(progress.bytes_written, 1u + (1u << 20));
  EXPECT_GT(progress.bytes_written, 1u);  // it did start on the big file
}

TEST_F(UnpackTest, RefusesAHeaderClaimingMoreThanTheArchiveHolds) {
  { ArchiveWriter(archive_, Container::tar).file("huge.bin", "1"); }
  // Hand-edit the ustar header: size field (offset 124, 12 bytes, octal) set to
  // 8 GiB - 1, checksum (offset 148, 8 bytes) recomputed over the header with the
  // checksum field read as spaces (POSIX.1-2017, pax "ustar Interchange Format").
  std::string bytes = read_text(archive_);
  ASSERT_EQ(bytes.substr(0, 8), "huge.bin");
  bytes.replace(124, 12, std::string("77777777777") + '\0');
  bytes.replace(148, 8, std::string(8, ' '));
  unsigned sum = 0;
  for (int i = 0; i < 512; ++i) sum += static_cast<unsigned char>(bytes[i]);
  char field[8];
  std::snprintf(field, sizeof field, "%06o", sum);
  bytes.replace(148, 8, std::string(field, 6) + '\0' + ' ');
  write_text(archive_, bytes);
  UnpackProgress progress;
  refused("archive-corrupt", ErrorKind::invalid_input, UnpackLimits{}, &progress);
  EXPECT_EQ(progress.entries, 1u);  // the edited header was read, then its data ran out
  EXPECT_LE(progress.bytes_written, bytes.size());
}

TEST_F(UnpackTest, StopsAtTheTotalSizeLimit) {
  const std::string chunk(std::size_t{400} * 1024, 'x');
  { ArchiveWriter(archive_, Container::tar).file("a", chunk).file("b", chunk).file("c", chunk); }
  UnpackLimits limits;
  limits.max_total_bytes = 1 << 20;
  UnpackProgress progress;
  refused("archive-total-size-limit", ErrorKind::invalid_input, limits, &progress);
  EXPECT_LE(progress.bytes_written, limits.max_total_bytes);
  EXPECT_GE(progress.bytes_written, 2 * chunk.size());
}

TEST_F(UnpackTest, StopsAZipBombEarly) {
  constexpr std::uint64_t kBomb = 32ULL << 20;  // zeros deflate about 1000:1
  { ArchiveWriter(archive_, Container::zip).zeros("zeros.bin", kBomb); }
  const std::uint64_t archive_bytes = fs::file_size(archive_);
  ASSERT_LT(archive_bytes, kBomb / 500);
  UnpackProgress progress;
  const auto started = std::chrono::steady_clock::now();
  refused("archive-compression-ratio", ErrorKind::invalid_input, UnpackLimits{}, &progress);
  EXPECT_LE(progress.bytes_written, 200 * archive_bytes);
  EXPECT_GT(progress.bytes_written, UnpackLimits{}.ratio_threshold_bytes);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500));
}

TEST_F(UnpackTest, SmallArchivesOfTextPassTheRatioCheck) {
  // 512 KiB of one repeated line compresses far past 200:1, but stays under the 1 MiB
  // threshold.
  std::string text;
  while (text.size() < std::size_t{512} * 1024) text += "value = 1.0\n";
  { ArchiveWriter(archive_, Container::zip).file("table.py", text); }
  ASSERT_LT(fs::file_size(archive_) * 200, text.size());
  EXPECT_EQ(unpack_archive(archive_, dest_).total_bytes, text.size());
}

// --- Damaged and foreign files ---------------------------------------------------

TEST_F(UnpackTest, RefusesTruncatedArchives) {
  const std::string chunk(std::size_t{300} * 1024, 'q');
  for (Container container : {Container::tar_gz, Container::tar, Container::zip}) {
    {
      std::string noise;
      std::mt19937 random(7);
      for (int i = 0; i < 200000; ++i) noise.push_back(static_cast<char>('a' + random() % 26));
      ArchiveWriter(archive_, container).file("a.txt", noise).file("b.txt", chunk);
    }
    fs::resize_file(archive_, fs::file_size(archive_) / 2);
    refused("archive-corrupt", ErrorKind::invalid_input);
    fs::remove(archive_);
  }
}

// Random damage anywhere (headers, central directory, compressed data): every run
// either unpacks or throws a mecapy::Error, and a failed one leaves nothing behind.
TEST_F(UnpackTest, RandomlyDamagedArchivesFailCleanly) {
  std::mt19937 random(2024);
  for (Container container : {Container::zip, Container::zip64, Container::tar_gz}) {
    { ArchiveWriter(archive_, container).file("mecapy.yml", "name: x\n").dir("p/").file("p/m.py", "m = 1\n", 0755); }
    const std::string pristine = read_text(archive_);
    for (int round = 0; round < 100; ++round) {
      std::string bytes = pristine;
      for (int flips = 1 + static_cast<int>(random() % 4); flips > 0; --flips)
        bytes[random() % bytes.size()] = static_cast<char>(random());
      write_text(archive_, bytes);
      try {
        unpack_archive(archive_, dest_);
        fs::remove_all(dest_);
      } catch (const Error& e) {
        EXPECT_FALSE(fs::exists(fs::symlink_status(dest_))) << e.code();
        EXPECT_EQ(listing(work_), baseline()) << e.code();
      }
    }
  }
}

TEST_F(UnpackTest, RefusesGarbageAndEmptyFiles) {
  std::string garbage;
  std::mt19937 random(42);
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>(random()));
  write_text(archive_, garbage);
  const Error e = refused("archive-unsupported", ErrorKind::invalid_input);
  EXPECT_NE(std::string(e.what()).find(".zip or .tar.gz"), std::string::npos);
  write_text(archive_, "");
  refused("archive-unsupported", ErrorKind::invalid_input);
  write_text(archive_, "name: not an archive\n");
  refused("archive-unsupported", ErrorKind::invalid_input);
}

// --- Destination -------------------------------------------------------------------

TEST_F(UnpackTest, AnExistingDestinationIsLeftAlone) {
  { ArchiveWriter(archive_, Container::tar).file("a.py", "1"); }
  write_text(dest_ / "keep.txt", "mine");
  try {
    unpack_archive(archive_, dest_);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "archive-destination-exists");
  }
  EXPECT_EQ(listing(dest_), std::set<std::string>{"keep.txt"});
}

TEST_F(UnpackTest, ADestinationThatIsALinkIsNotFollowed) {
  { ArchiveWriter(archive_, Container::tar).file("a.py", "1"); }
  fs::create_directory_symlink(work_ / "outside", dest_);  // dangling: mkdir must not create the target
  EXPECT_THROW(unpack_archive(archive_, dest_), Error);
  EXPECT_FALSE(fs::exists(work_ / "outside"));
  EXPECT_TRUE(fs::is_symlink(dest_));
}

// --- Packer ------------------------------------------------------------------------

TEST(PackDirectory, SameTreeGivesTheSameBytes) {
  std::random_device seed;
  const fs::path work = fs::temp_directory_path() / ("mecapy-pack-" + std::to_string(seed()));
  write_text(work / "src" / "mecapy.yml", "name: a\n");
  write_text(work / "src" / "z" / "m.py", "m = 2\n");
  write_text(work / "src" / "b.py", "b = 1\n");
  for (ArchiveFormat format : {ArchiveFormat::zip, ArchiveFormat::tar_gz}) {
    pack_directory(work / "src", work / "one", format);
    fs::last_write_time(work / "src" / "b.py", fs::file_time_type::clock::now() - std::chrono::hours(50));
    pack_directory(work / "src", work / "two", format);
    EXPECT_EQ(read_text(work / "one"), read_text(work / "two"));
    write_text(work / "src" / "b.py", "b = 2\n");
    pack_directory(work / "src", work / "three", format);
    EXPECT_NE(read_text(work / "one"), read_text(work / "three"));
    write_text(work / "src" / "b.py", "b = 1\n");
  }
  fs::remove_all(work);
}

TEST(PackDirectory, RefusesLinks) {
  std::random_device seed;
  const fs::path work = fs::temp_directory_path() / ("mecapy-pack-" + std::to_string(seed()));
  write_text(work / "src" / "a.py", "a\n");
  fs::create_symlink("a.py", work / "src" / "b.py");
  try {
    pack_directory(work / "src", work / "out.zip", ArchiveFormat::zip);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "pack-unsupported-entry");
    EXPECT_NE(std::string(e.what()).find("b.py"), std::string::npos);
  }
  fs::remove_all(work);
}

}  // namespace
}  // namespace mecapy::packages
