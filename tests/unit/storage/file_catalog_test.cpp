// The file catalog over both metadata drivers and the local blob store.
#include "storage/file_catalog.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "db/migrations.hpp"
#include "storage/local_blob_store.hpp"
#include "support/postgres_peer.hpp"

namespace mecapy::storage {
namespace {
namespace fs = std::filesystem;

class CatalogTest : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mecapy-catalog-" + random_hex(6));
    const std::string url = GetParam() == db::Dialect::sqlite
                                ? "sqlite:" + (dir_ / "meta.db").string()
                                : test_peers::PostgresPeer::instance().create_database("catalog_" + random_hex(4));
    database_ = db::open_database(url, 4);
    db::Migrator(*database_, db::builtin_migrations(database_->dialect())).up();
    blobs_ = std::make_unique<LocalBlobStore>(dir_ / "blobs");
    FileLimits limits;
    limits.max_file_size = 1000;
    limits.user_quota = 2500;
    catalog_ = std::make_unique<FileCatalog>(*database_, *blobs_, limits);
  }
  void TearDown() override {
    catalog_.reset();
    database_.reset();
    fs::remove_all(dir_);
  }

  FileRecord upload(const std::string& owner, const std::string& name, const std::string& content) {
    auto u = catalog_->begin_upload(owner, name, "text/plain");
    u->write(content);
    return u->commit();
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

  fs::path dir_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<LocalBlobStore> blobs_;
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
  EXPECT_EQ(catalog_->collect_orphans(), 1u);
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

INSTANTIATE_TEST_SUITE_P(Drivers, CatalogTest, ::testing::Values(db::Dialect::sqlite, db::Dialect::postgres),
                         [](const auto& info) { return info.param == db::Dialect::sqlite ? "sqlite" : "postgres"; });

}  // namespace
}  // namespace mecapy::storage
