#include "blob_store_suite.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "storage/sha256.hpp"

namespace mecapy::storage::testing {

std::string read_all(BlobReader& reader) {
  std::string out;
  char buf[7919];  // a prime, so reads never align with anything
  for (std::size_t n; (n = reader.read(buf, sizeof buf)) > 0;) out.append(buf, n);
  return out;
}

namespace {

BlobInfo put(BlobStore& store, const std::string& key, const std::string& content, std::size_t chunk = 1000) {
  auto w = store.create(key);
  for (std::size_t i = 0; i < content.size(); i += chunk) w->write(std::string_view(content).substr(i, chunk));
  return w->commit();
}

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  return s;
}

TEST_P(BlobStoreSuite, RoundTripsContentSizeAndHash) {
  const std::string content = pattern(300'000);
  const auto info = put(*store, "u1/f1", content);
  EXPECT_EQ(info.size, content.size());
  EXPECT_EQ(info.sha256, Sha256::of(content));
  EXPECT_EQ(store->size_of(info.key), content.size());
  auto r = store->open(info.key);
  EXPECT_EQ(read_all(*r), content);
}

TEST_P(BlobStoreSuite, RangesAndEmptyBlobs) {
  const std::string content = pattern(10'000);
  const auto info = put(*store, "u1/r", content);
  EXPECT_EQ(read_all(*store->open(info.key, 100, 50)), content.substr(100, 50));
  EXPECT_EQ(read_all(*store->open(info.key, 9'990)), content.substr(9'990));
  EXPECT_EQ(read_all(*store->open(info.key, 9'990, 1'000)), content.substr(9'990));
  const auto empty = put(*store, "u1/empty", "");
  EXPECT_EQ(empty.size, 0u);
  EXPECT_EQ(empty.sha256, Sha256::of(""));
  EXPECT_EQ(read_all(*store->open(empty.key)), "");
}

TEST_P(BlobStoreSuite, AbortAndDestructionLeaveNothing) {
  {
    auto w = store->create("u1/aborted");
    w->write(pattern(5000));
    w->abort();
  }
  {
    auto w = store->create("u1/dropped");
    w->write(pattern(5000));
  }  // destroyed without commit
  EXPECT_TRUE(store->list_keys().empty());
}

TEST_P(BlobStoreSuite, RemoveAndListAndMissingKeys) {
  const auto a = put(*store, "u1/a", "alpha");
  const auto b = put(*store, "u1/b", "beta");
  auto keys = store->list_keys();
  std::sort(keys.begin(), keys.end());
  auto expected = std::vector<std::string>{a.key, b.key};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(keys, expected);
  store->remove(a.key);
  store->remove(a.key);  // idempotent
  EXPECT_EQ(store->list_keys(), std::vector<std::string>{b.key});
  EXPECT_FALSE(store->size_of(a.key));
  try {
    store->open(a.key);
    FAIL() << "opened a removed blob";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
  }
  EXPECT_NO_THROW(store->check());
}

}  // namespace
}  // namespace mecapy::storage::testing
