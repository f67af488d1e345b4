#include "storage/local_blob_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "blob_store_suite.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"

namespace mecapy::storage::testing {
namespace {
namespace fs = std::filesystem;

fs::path fresh_dir() {
  const auto dir = fs::temp_directory_path() / ("mecapy-blobs-" + random_hex(6));
  fs::create_directories(dir);
  return dir;
}

INSTANTIATE_TEST_SUITE_P(Local, BlobStoreSuite,
                         ::testing::Values(StoreFactory{"local",
                                                        [] { return std::make_unique<LocalBlobStore>(fresh_dir()); }}),
                         [](const auto& info) { return info.param.name; });

TEST(LocalBlobStore, IdenticalContentIsStoredOnce) {
  const auto dir = fresh_dir();
  LocalBlobStore store(dir);
  auto w1 = store.create("x");
  w1->write("same bytes");
  const auto a = w1->commit();
  auto w2 = store.create("y");
  w2->write("same bytes");
  const auto b = w2->commit();
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(store.list_keys().size(), 1u);
  EXPECT_TRUE(fs::is_empty(dir / "tmp"));
  fs::remove_all(dir);
}

TEST(LocalBlobStore, UncommittedBlobsAreInvisibleAndRecovered) {
  const auto dir = fresh_dir();
  LocalBlobStore store(dir);
  auto w = store.create("x");
  w->write("partial");
  EXPECT_TRUE(store.list_keys().empty());  // nothing visible before commit
  std::ofstream(dir / "tmp" / "crashed.part") << "left by a crash";
  EXPECT_GE(store.recover(), 1u);
  EXPECT_FALSE(fs::exists(dir / "tmp" / "crashed.part"));
  fs::remove_all(dir);
}

TEST(LocalBlobStore, KeysCannotEscapeTheStore) {
  const auto dir = fresh_dir();
  LocalBlobStore store(dir);
  for (const std::string& key :
       std::vector<std::string>{"../../etc/passwd", "/etc/passwd", "..", std::string(64, 'A'), std::string(63, 'a')}) {
    EXPECT_THROW(store.open(key), Error) << key;
    EXPECT_FALSE(store.size_of(key)) << key;
    EXPECT_NO_THROW(store.remove(key));
  }
  EXPECT_TRUE(fs::exists("/etc/passwd"));
  fs::remove_all(dir);
}

TEST(LocalBlobStore, UnwritableRootIsUnavailable) {
  LocalBlobStore store("/proc/mecapy-blobs");
  try {
    store.check();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  }
}

}  // namespace
}  // namespace mecapy::storage::testing
