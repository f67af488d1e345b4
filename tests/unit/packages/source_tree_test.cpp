// package_root and source_tree_sha256 on trees built on disk. The normal form is
// pinned by rebuilding its text by hand from the header's definition: a change to the
// checksum's rules fails here instead of silently renaming every stored version.
#include "packages/source_tree.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <random>
#include <string>

#include "core/errors.hpp"
#include "storage/sha256.hpp"

namespace mecapy::packages {
namespace {

namespace fs = std::filesystem;
using storage::Sha256;

void write_text(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

void set_exec(const fs::path& path, bool exec) {
  const auto perms = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;
  fs::permissions(path, exec ? perms | fs::perms::owner_exec : perms);
}

class SourceTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device seed;
    root_ = fs::temp_directory_path() / ("mecapy-tree-" + std::to_string(seed()) + std::to_string(seed()));
    write_text(root_ / "mecapy.yml", "name: demo\n");
    write_text(root_ / "pkg" / "calc.py", "def f(x):\n    return x\n");
    set_exec(root_ / "pkg" / "calc.py", true);
    write_text(root_ / "pkg.py", "import pkg\n");
    fs::create_symlink("pkg/calc.py", root_ / "link");
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string sum() const { return source_tree_sha256(root_); }

  fs::path root_;
};

std::string nul(const std::string& field) { return field + std::string(1, '\0'); }

TEST_F(SourceTreeTest, ChecksumIsTheDocumentedNormalForm) {
  // Bytewise order: "pkg" < "pkg.py" < "pkg/calc.py" ('.' is 0x2e, '/' is 0x2f), which
  // is not the order of a walk of the tree.
  const std::string normal_form =
      nul("symlink") + nul("link") + nul("pkg/calc.py") +                                                       //
      nul("file") + nul("mecapy.yml") + nul("-") + nul(Sha256::of("name: demo\n")) + nul("dir") + nul("pkg") +  //
      nul("file") + nul("pkg.py") + nul("-") + nul(Sha256::of("import pkg\n")) + nul("file") + nul("pkg/calc.py") +
      nul("x") + nul(Sha256::of("def f(x):\n    return x\n"));
  EXPECT_EQ(sum(), Sha256::of(normal_form));
}

TEST(SourceTreeOrder, PathsCompareAsUnsignedBytes) {
  std::random_device seed;
  const fs::path root = fs::temp_directory_path() / ("mecapy-order-" + std::to_string(seed()));
  write_text(root / "z.py", "z");
  write_text(root / "\xc3\xa9.py", "e");  // 0xc3 sorts after 'z' (0x7a) as an unsigned byte
  const std::string normal_form = nul("file") + nul("z.py") + nul("-") + nul(Sha256::of("z")) + nul("file") +
                                  nul("\xc3\xa9.py") + nul("-") + nul(Sha256::of("e"));
  EXPECT_EQ(source_tree_sha256(root), Sha256::of(normal_form));
  fs::remove_all(root);
}

TEST_F(SourceTreeTest, IgnoredEntriesAndEmptyDirectoriesDoNotCount) {
  const std::string before = sum();
  write_text(root_ / "pkg" / "__pycache__" / "calc.cpython-311.pyc", "bytecode");
  write_text(root_ / "pkg" / "old.pyc", "bytecode");
  write_text(root_ / ".git" / "HEAD", "ref: refs/heads/main\n");
  write_text(root_ / ".DS_Store", "finder");
  write_text(root_ / "pkg" / ".DS_Store", "finder");
  fs::create_directories(root_ / "empty" / "nested");
  write_text(root_ / "only-ignored" / "x.pyc", "bytecode");
  EXPECT_EQ(sum(), before);
}

TEST_F(SourceTreeTest, TimesAndNonExecPermissionsDoNotCount) {
  const std::string before = sum();
  fs::last_write_time(root_ / "mecapy.yml", fs::file_time_type::clock::now() - std::chrono::hours(1000));
  fs::permissions(root_ / "mecapy.yml", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(sum(), before);
}

TEST_F(SourceTreeTest, ContentNameExecBitAndLinkTargetChangeIt) {
  const std::string original = sum();
  write_text(root_ / "pkg.py", "import pkg \n");
  const std::string content_changed = sum();
  EXPECT_NE(content_changed, original);
  write_text(root_ / "pkg.py", "import pkg\n");
  EXPECT_EQ(sum(), original);

  fs::rename(root_ / "pkg.py", root_ / "pkg2.py");
  EXPECT_NE(sum(), original);
  fs::rename(root_ / "pkg2.py", root_ / "pkg.py");

  set_exec(root_ / "pkg" / "calc.py", false);
  EXPECT_NE(sum(), original);
  set_exec(root_ / "pkg" / "calc.py", true);

  fs::remove(root_ / "link");
  fs::create_symlink("pkg.py", root_ / "link");
  EXPECT_NE(sum(), original);
  fs::remove(root_ / "link");
  fs::create_symlink("pkg/calc.py", root_ / "link");

  write_text(root_ / "data" / "table.csv", "");  // an empty file is not an empty directory
  EXPECT_NE(sum(), original);
}

TEST_F(SourceTreeTest, MovingAFileBetweenDirectoriesChangesIt) {
  const std::string original = sum();
  fs::create_directory(root_ / "sub");
  fs::rename(root_ / "pkg.py", root_ / "sub" / "pkg.py");
  EXPECT_NE(sum(), original);
}

TEST_F(SourceTreeTest, RefusesSpecialFiles) {
  ASSERT_EQ(::mkfifo((root_ / "pipe").c_str(), 0644), 0);
  try {
    sum();
    ADD_FAILURE() << "a fifo was hashed";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "source-tree-unsupported-entry");
  }
}

TEST_F(SourceTreeTest, PackageRootAtTheTop) { EXPECT_EQ(package_root(root_), root_); }

TEST_F(SourceTreeTest, PackageRootInsideTheOnlyTopDirectory) {
  const fs::path unpacked = root_.string() + "-unpacked";
  fs::create_directories(unpacked);
  fs::rename(root_, unpacked / "demo-main");
  write_text(unpacked / ".DS_Store", "finder");
  write_text(unpacked / "__MACOSX" / "._demo-main", "resource fork");
  EXPECT_EQ(package_root(unpacked), unpacked / "demo-main");
  fs::rename(unpacked / "demo-main", root_);
  fs::remove_all(unpacked);
}

TEST_F(SourceTreeTest, PackageRootIsMissing) {
  const fs::path unpacked = root_.string() + "-unpacked";
  const auto expect_missing = [&]() {
    try {
      package_root(unpacked);
      ADD_FAILURE() << "a root was found";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "manifest-missing");
      EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
      EXPECT_NE(std::string(e.what()).find("top level"), std::string::npos);
    }
  };
  fs::create_directories(unpacked / "a");
  expect_missing();  // one top directory, no manifest in it
  fs::rename(root_, unpacked / "b");
  expect_missing();  // two top directories
  fs::remove_all(unpacked / "a");
  write_text(unpacked / "README", "readme");
  expect_missing();  // a top directory and a file beside it
  fs::remove(unpacked / "README");
  fs::rename(unpacked / "b", root_);
  fs::create_directories(unpacked / "c" / "mecapy.yml");
  expect_missing();  // mecapy.yml is a directory
  fs::remove_all(unpacked);
}

}  // namespace
}  // namespace mecapy::packages
