#include "storage/local_blob_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

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

BlobInfo commit_blob(BlobStore& store, std::string_view content) {
  auto writer = store.create("x");
  writer->write(content);
  return writer->commit();
}

INSTANTIATE_TEST_SUITE_P(Local, BlobStoreSuite,
                         ::testing::Values(StoreFactory{"local",
                                                        [] { return std::make_unique<LocalBlobStore>(fresh_dir()); }}),
                         [](const auto& info) { return info.param.name; });

TEST(LocalBlobStore, IdenticalContentIsStoredOnce) {
  const auto dir = fresh_dir();
  LocalBlobStore store(dir);
  const auto a = commit_blob(store, "same bytes");
  const auto b = commit_blob(store, "same bytes");
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

// A writer still uploading (in another process, say) holds its temporary file:
// recovery removes only what a dead writer left (it used to empty tmp/).
TEST(LocalBlobStore, RecoveryLeavesUploadsInProgressAlone) {
  const auto dir = fresh_dir();
  LocalBlobStore store(dir);
  auto w = store.create("x");
  w->write("still arriving");
  std::ofstream(dir / "tmp" / "crashed.part") << "left by a crash";
  EXPECT_EQ(store.recover(), 1u);
  LocalBlobStore another_process(dir);
  EXPECT_EQ(another_process.recover(), 0u);
  w->write(", and done");
  const auto info = w->commit();
  EXPECT_EQ(store.size_of(info.key), std::string("still arriving, and done").size());
  fs::remove_all(dir);
}

// Records which directories were synced, and fails on request.
class RecordingSync final : public FileSync {
 public:
  int sync_file(int fd) override { return fail_files ? file_error : FileSync::sync_file(fd); }
  int sync_directory(const fs::path& dir) override {
    synced.insert(fs::weakly_canonical(dir).string());
    return fail_directories ? EIO : FileSync::sync_directory(dir);
  }
  std::set<std::string> synced;
  bool fail_files = false;
  int file_error = EIO;
  bool fail_directories = false;
};

TEST(LocalBlobStore, ACommitSyncsTheNewDirectoriesAndTheirParents) {
  const auto dir = fresh_dir();
  RecordingSync sync;
  LocalBlobStore store(dir, &sync);
  const auto info = commit_blob(store, "durable");
  const auto blob = fs::weakly_canonical(store.path_of(info.key));
  // The directory holding the blob (its new entry), and each directory that gained
  // a new subdirectory on the way: objects/ab/ in objects/, objects/ab/cd/ in ab/.
  for (const auto& d :
       {blob.parent_path(), blob.parent_path().parent_path(), blob.parent_path().parent_path().parent_path()})
    EXPECT_TRUE(sync.synced.count(d.string())) << d << " was not synced";
  fs::remove_all(dir);
}

TEST(LocalBlobStore, SyncFailuresAreReportedAndLeaveNoBlob) {
  const auto dir = fresh_dir();
  RecordingSync sync;
  LocalBlobStore store(dir, &sync);
  sync.fail_files = true;
  auto w = store.create("x");
  w->write("not durable");
  try {
    w->commit();
    FAIL() << "a failed fsync went unnoticed";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
    EXPECT_EQ(std::string(e.what()).find(dir.string()), std::string::npos);  // no path in the public detail
  }
  EXPECT_TRUE(store.list_keys().empty());
  EXPECT_TRUE(fs::is_empty(dir / "tmp"));

  sync.file_error = ENOSPC;  // a full disk is its own problem: 507, not 503 or 413
  auto full = store.create("y");
  full->write("no room");
  try {
    full->commit();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::insufficient_storage);
    EXPECT_EQ(e.code(), "storage-full");
  }
  EXPECT_TRUE(fs::is_empty(dir / "tmp"));

  sync.fail_files = false;
  sync.fail_directories = true;  // the rename happened, but cannot be made durable
  auto d = store.create("z");
  d->write("directory sync fails");
  EXPECT_THROW(d->commit(), Error);
  EXPECT_TRUE(fs::is_empty(dir / "tmp"));
  fs::remove_all(dir);
}

TEST(LocalBlobStore, RemoveUnlessSparesRecentAndWantedContent) {
  const auto dir = fresh_dir();
  LocalBlobStore store(dir);
  const auto info = commit_blob(store, "content");
  const auto now = std::chrono::system_clock::now();
  EXPECT_FALSE(store.remove_unless(info.key, now - std::chrono::hours(1), [] { return false; }));  // recent
  EXPECT_FALSE(store.remove_unless(info.key, now + std::chrono::hours(1), [] { return true; }));   // wanted
  EXPECT_TRUE(store.size_of(info.key));
  EXPECT_TRUE(fs::is_empty(dir / "tmp"));  // what was taken out to be judged is back
  EXPECT_TRUE(store.remove_unless(info.key, now + std::chrono::hours(1), [] { return false; }));
  EXPECT_FALSE(store.size_of(info.key));
  EXPECT_FALSE(store.remove_unless(info.key, now + std::chrono::hours(1), [] { return false; }));
  EXPECT_THROW(store.refresh(info.key), Error);
  fs::remove_all(dir);
}

// Readiness probes are polled often: probe() must not write (check() writes and
// removes a probe file, and used to be what /ready called).
TEST(LocalBlobStore, ProbeWritesNothingAndNoticesAMissingDirectory) {
  const auto dir = fresh_dir();
  LocalBlobStore store(dir);
  store.check();
  const auto tmp_time = fs::last_write_time(dir / "tmp");
  const auto objects_time = fs::last_write_time(dir / "objects");
  for (int i = 0; i < 3; ++i) EXPECT_NO_THROW(store.probe());
  EXPECT_EQ(fs::last_write_time(dir / "tmp"), tmp_time);  // no entry was created or removed
  EXPECT_EQ(fs::last_write_time(dir / "objects"), objects_time);
  fs::remove_all(dir / "tmp");
  try {
    store.probe();
    FAIL() << "a missing directory went unnoticed";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
    EXPECT_EQ(std::string(e.what()).find(dir.string()), std::string::npos);  // the path is for the log only
    EXPECT_NE(e.cause().find("tmp"), std::string::npos);
  }
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
