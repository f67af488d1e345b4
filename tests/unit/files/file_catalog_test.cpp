// The file catalog over both metadata drivers and the local blob store.
#include "files/file_catalog.hpp"
#include "files/upload_batch.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "db/migrations.hpp"
#include "storage/local_blob_store.hpp"
#include "support/postgres_peer.hpp"

namespace mecapy::files {
namespace {
namespace fs = std::filesystem;
using storage::LocalBlobStore;

class CatalogTest : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mecapy-catalog-" + random_hex(6));
    url_ = GetParam() == db::Dialect::sqlite
               ? "sqlite:" + (dir_ / "meta.db").string()
               : test_peers::PostgresPeer::instance().create_database("catalog_" + random_hex(4));
    database_ = db::open_database(url_, 4);
    db::Migrator(*database_, db::builtin_migrations(database_->dialect())).up();
    blobs_ = std::make_unique<LocalBlobStore>(dir_ / "blobs");
    limits_.max_file_size = 1000;
    limits_.user_quota = 2500;
    // No grace: what loses its last reference goes at once (the protocol itself is
    // tested below with a grace period).
    references_ = std::make_unique<storage::BlobReferences>(*database_, *blobs_, std::chrono::seconds(0));
    catalog_ = std::make_unique<FileCatalog>(*database_, *blobs_, *references_, limits_);
  }
  void TearDown() override {
    catalog_.reset();
    references_.reset();
    database_.reset();
    fs::remove_all(dir_);
  }

  FileRecord upload(const std::string& owner, const std::string& name, const std::string& content) {
    return staged_upload(*catalog_, owner, name, content, true);
  }
  // Writes one file through `catalog`; recorded (commit) or only staged.
  static FileRecord staged_upload(FileCatalog& catalog, const std::string& owner, const std::string& name,
                                  const std::string& content, bool record = false) {
    auto u = catalog.begin_upload(owner, name, "text/plain");
    u->write(content);
    return record ? u->commit() : u->stage();
  }
  std::int64_t count(const std::string& table) {
    return database_->execute("SELECT COUNT(*) FROM " + table).rows.at(0).int64(0);
  }
  std::string error_code(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.code();
    }
    return "none";
  }

  // Makes a stored blob look `age` old.
  void age_blob(const std::string& key, std::chrono::seconds age) {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() - age);
    const timespec times[2] = {{t, 0}, {t, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, blobs_->path_of(key).c_str(), times, 0), 0);
  }
  std::string content_of(const FileRecord& f) {
    auto reader = blobs_->open(f.blob_key);
    std::string out(f.size + 1, '\0');
    out.resize(reader->read(out.data(), out.size()));
    return out;
  }

  fs::path dir_;
  std::string url_;
  FileLimits limits_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<LocalBlobStore> blobs_;
  std::unique_ptr<storage::BlobReferences> references_;
  std::unique_ptr<FileCatalog> catalog_;
};

TEST_P(CatalogTest, DedupAndRefcountedDelete) {
  const auto a = upload("alice", "a.txt", "same content");
  const auto b = upload("alice", "../b.txt", "same content");
  EXPECT_EQ(b.filename, "b.txt");
  EXPECT_EQ(b.original_filename, "../b.txt");
  EXPECT_EQ(a.blob_key, b.blob_key);
  EXPECT_EQ(blobs_->list_keys().size(), 1u);
  catalog_->remove("alice", a.id);
  EXPECT_TRUE(blobs_->size_of(b.blob_key));  // still used by b
  catalog_->remove("alice", b.id);
  EXPECT_FALSE(blobs_->size_of(b.blob_key));
  EXPECT_EQ(count("blobs"), 0);
  EXPECT_EQ(error_code([&] { catalog_->remove("alice", b.id); }), "file-not-found");
}

TEST_P(CatalogTest, LimitsLeaveNothingBehind) {
  EXPECT_EQ(error_code([&] { upload("bob", "big", std::string(1001, 'x')); }), "file-too-large");
  upload("bob", "one", std::string(1000, '1'));
  upload("bob", "two", std::string(1000, '2'));
  EXPECT_EQ(error_code([&] { upload("bob", "three", std::string(600, '3')); }), "quota-exceeded");
  EXPECT_EQ(count("files"), 2);
  EXPECT_EQ(blobs_->list_keys().size(), 2u);
  EXPECT_TRUE(fs::is_empty(dir_ / "blobs" / "tmp"));
  EXPECT_EQ(catalog_->used_bytes("bob"), 2000u);
  EXPECT_EQ(catalog_->used_bytes("carol"), 0u);
}

TEST_P(CatalogTest, OwnersOnlySeeTheirFiles) {
  const auto f = upload("alice", "mine.txt", "x");
  EXPECT_FALSE(catalog_->find("mallory", f.id));
  EXPECT_EQ(error_code([&] { catalog_->remove("mallory", f.id); }), "file-not-found");
  EXPECT_EQ(catalog_->list("mallory", {}).total, 0);
  EXPECT_TRUE(catalog_->find("alice", f.id));
}

TEST_P(CatalogTest, ListPaginatesSearchesAndSorts) {
  for (int i = 0; i < 5; ++i) upload("dan", "load_case_" + std::to_string(i) + ".csv", std::string(i + 1, 'c'));
  upload("dan", "100%_done.txt", "z");
  FileQuery q;
  q.per_page = 2;
  q.sort = "size";
  auto page = catalog_->list("dan", q);
  EXPECT_EQ(page.total, 6);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].size, 1u);
  q.page = 3;
  EXPECT_EQ(catalog_->list("dan", q).items.size(), 2u);
  q = {};
  q.search = "CASE_3";
  EXPECT_EQ(catalog_->list("dan", q).total, 1);
  q.search = "100%";  // LIKE wildcards are taken literally
  EXPECT_EQ(catalog_->list("dan", q).total, 1);
  q.search = "%";
  EXPECT_EQ(catalog_->list("dan", q).total, 1);
  q = {};
  q.sort = "name; DROP TABLE files";
  EXPECT_EQ(error_code([&] { catalog_->list("dan", q); }), "invalid-query");
}

TEST_P(CatalogTest, OrphansAndPurge) {
  const auto kept = upload("eve", "kept", "kept");
  auto w = blobs_->create("x");
  w->write("orphan left by a crash");
  const auto orphan = w->commit();
  EXPECT_EQ(references_->collect_orphans(), 1u);
  EXPECT_FALSE(blobs_->size_of(orphan.key));
  EXPECT_TRUE(blobs_->size_of(kept.blob_key));
  EXPECT_EQ(catalog_->purge_created_before("9999-01-01T00:00:00.000Z"), 1u);
  EXPECT_EQ(count("files"), 0);
  EXPECT_TRUE(blobs_->list_keys().empty());
}

TEST_P(CatalogTest, AbandonedUploadStoresNothing) {
  {
    auto u = catalog_->begin_upload("fay", "gone.bin", "");
    u->write("partial");
  }
  EXPECT_EQ(count("files"), 0);
  EXPECT_TRUE(blobs_->list_keys().empty());
  EXPECT_TRUE(fs::is_empty(dir_ / "blobs" / "tmp"));
}

// The files of one request draw from one budget: the third part is refused while its
// bytes arrive (each part used to be granted the whole remaining quota, and the
// total was checked only once everything had been written to the store).
TEST_P(CatalogTest, ARequestsPartsShareOneBudgetWhileBytesArrive) {
  auto budget = catalog_->request_budget("gus");
  std::vector<FileRecord> staged;
  for (const char* name : {"one", "two"}) {
    auto u = catalog_->begin_upload("gus", name, "", budget);
    u->write(std::string(1000, 'x'));
    staged.push_back(u->stage());
  }
  auto third = catalog_->begin_upload("gus", "three", "", budget);
  third->write(std::string(400, 'y'));
  EXPECT_EQ(error_code([&] { third->write(std::string(200, 'y')); }), "quota-exceeded");
  third.reset();
  catalog_->discard(staged);
  EXPECT_EQ(count("files"), 0);
  EXPECT_EQ(catalog_->used_bytes("gus"), 0u);
  EXPECT_TRUE(fs::is_empty(dir_ / "blobs" / "tmp"));
  // Another request starts with the whole quota again.
  catalog_->record({[&] {
    auto u = catalog_->begin_upload("gus", "again", "", catalog_->request_budget("gus"));
    u->write(std::string(1000, 'z'));
    return u->stage();
  }()});
  EXPECT_EQ(catalog_->used_bytes("gus"), 1000u);
}

// An UploadBatch is the files of one request: all recorded together, or none —
// a batch given up (the request failed) leaves no file, no blob, no upload.
TEST_P(CatalogTest, AnUploadBatchRecordsAllItsFilesOrLeavesNothing) {
  {
    UploadBatch batch(*catalog_, "hal");
    for (const char* name : {"a.txt", "b.txt"}) {
      batch.begin(name, "text/plain");
      batch.write(std::string(600, name[0]));
      batch.end();
    }
    batch.begin("c.txt", "");
    batch.write("unfinished");
    EXPECT_EQ(batch.staged().size(), 2u);
  }
  EXPECT_EQ(count("files"), 0);
  EXPECT_TRUE(blobs_->list_keys().empty());
  EXPECT_TRUE(fs::is_empty(dir_ / "blobs" / "tmp"));

  UploadBatch batch(*catalog_, "hal");
  for (const char* name : {"../a.txt", "b.txt"}) {
    batch.begin(name, "");
    batch.write(std::string(1000, 'q'));
    batch.end();
  }
  batch.begin("c.txt", "");
  EXPECT_EQ(error_code([&] { batch.write(std::string(600, 'q')); }), "quota-exceeded");  // one budget for all
  const auto recorded = batch.record();
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0].filename, "a.txt");
  EXPECT_EQ(recorded[1].content_type, "application/octet-stream");
  EXPECT_TRUE(batch.staged().empty());
  EXPECT_EQ(count("files"), 2);
  EXPECT_EQ(catalog_->used_bytes("hal"), 2000u);
}

// Two catalogs on one database and one store are two API instances: their
// concurrent uploads share one quota, exactly.
TEST_P(CatalogTest, TheQuotaHoldsAcrossInstancesUploadingAtOnce) {
  auto other_db = db::open_database(url_, 4);
  LocalBlobStore other_blobs(dir_ / "blobs");
  storage::BlobReferences other_references(*other_db, other_blobs, std::chrono::seconds(0));
  FileCatalog other(*other_db, other_blobs, other_references, limits_);
  std::atomic<int> stored{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      FileCatalog& catalog = t % 2 ? other : *catalog_;
      for (int i = 0; i < 4; ++i) {
        try {
          auto u = catalog.begin_upload("hal", "f" + std::to_string(t) + "_" + std::to_string(i), "");
          u->write(std::string(300, static_cast<char>('a' + t)) + std::to_string(i));
          u->commit();
          ++stored;
        } catch (const Error& e) {
          EXPECT_EQ(e.code(), "quota-exceeded");
        }
      }
    });
  for (auto& th : threads) th.join();
  const auto used = catalog_->used_bytes("hal");
  EXPECT_LE(used, limits_.user_quota);
  EXPECT_EQ(static_cast<std::int64_t>(used),
            database_->execute("SELECT COALESCE(SUM(size), 0) FROM files WHERE owner_id = 'hal'").rows[0].int64(0));
  EXPECT_EQ(count("files"), stored.load());
  EXPECT_EQ(stored.load(), 8);  // 2500 / 301 bytes
}

// A blob staged by an upload that has not recorded its file yet (another instance,
// a long multipart request) is no orphan: the collector must leave it.
TEST_P(CatalogTest, CollectionSparesBlobsStagedMomentsAgo) {
  storage::BlobReferences with_grace(*database_, *blobs_, std::chrono::hours(1));
  FileCatalog catalog(*database_, *blobs_, with_grace, limits_);
  const FileRecord staged = staged_upload(catalog, "ivy", "mesh.step", "staged, not yet recorded");
  EXPECT_EQ(with_grace.collect_orphans(), 0u);
  const auto recorded = catalog.record({staged});
  EXPECT_EQ(content_of(recorded.at(0)), "staged, not yet recorded");

  auto w = blobs_->create("x");
  w->write("left by a crash long ago");
  const auto orphan = w->commit();
  age_blob(orphan.key, std::chrono::hours(2));
  EXPECT_EQ(with_grace.collect_orphans(), 1u);
  EXPECT_FALSE(blobs_->size_of(orphan.key));
  EXPECT_TRUE(blobs_->size_of(recorded[0].blob_key));
}

// Content-addressed sharing: a file is deleted while another upload of the same
// content is staged. The content may go with the deleted file; the staged upload
// must then fail cleanly (503 blob-vanished, retry) and never record a file
// without content. Uploaded again, it is whole.
TEST_P(CatalogTest, DeletingTheLastFileWhileTheSameContentIsStagedNeverLeavesAnEmptyFile) {
  storage::BlobReferences with_grace(*database_, *blobs_, std::chrono::hours(1));
  FileCatalog catalog(*database_, *blobs_, with_grace, limits_);
  const FileRecord a = staged_upload(catalog, "jo", "a.csv", "same bytes", true);
  age_blob(a.blob_key, std::chrono::hours(2));                               // an old file
  const FileRecord b = staged_upload(catalog, "jo", "b.csv", "same bytes");  // a fresh commit of it
  catalog.remove("jo", a.id);                                                // the last reference of the blob goes
  EXPECT_EQ(error_code([&] { catalog.record({b}); }), "blob-vanished");
  EXPECT_EQ(count("files"), 0);
  EXPECT_EQ(catalog.used_bytes("jo"), 0u);
  EXPECT_EQ(content_of(staged_upload(catalog, "jo", "b.csv", "same bytes", true)), "same bytes");
}

TEST_P(CatalogTest, ABlobThatVanishedBeforeRecordingIsReportedAndNothingKept) {
  const FileRecord staged = staged_upload(*catalog_, "kim", "gone.bin", "soon gone");
  blobs_->remove(staged.blob_key);
  EXPECT_EQ(error_code([&] { catalog_->record({staged}); }), "blob-vanished");
  EXPECT_EQ(count("files"), 0);
  EXPECT_EQ(catalog_->used_bytes("kim"), 0u);
}

INSTANTIATE_TEST_SUITE_P(Drivers, CatalogTest, ::testing::Values(db::Dialect::sqlite, db::Dialect::postgres),
                         [](const auto& info) { return info.param == db::Dialect::sqlite ? "sqlite" : "postgres"; });

}  // namespace
}  // namespace mecapy::files
