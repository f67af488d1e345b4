#include "auth/jwt/key_source.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "auth/jwt/token_error.hpp"
#include "core/errors.hpp"
#include "test_signer.hpp"

namespace mecapy::auth::jwt {
namespace {

using std::chrono::seconds;
using testing::jwks;
using testing::TestKey;

const std::string kUrl = "https://sso.example.com/realms/mecapy/protocol/openid-connect/certs";

// A provider's JWKS endpoint: serves `document`, counts the fetches, fails on demand.
struct FakeProvider {
  std::mutex mutex;
  std::string document = jwks({TestKey::rsa().jwk(), TestKey::ec().jwk()});
  bool failing = false;
  std::atomic<int> fetches{0};
  std::string last_url;

  JwksFetch fetcher() {
    return [this](const std::string& url) {
      ++fetches;
      const std::lock_guard lock(mutex);
      last_url = url;
      if (failing) throw std::runtime_error("connection refused");
      return document;
    };
  }
  void serve(std::string next) {
    const std::lock_guard lock(mutex);
    document = std::move(next);
  }
};

struct FakeClock {
  std::atomic<std::int64_t> offset_s{0};
  const std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  MonotonicClock clock() {
    return [this] { return start + seconds(offset_s.load()); };
  }
  void advance(seconds by) { offset_s += by.count(); }
};

TokenFailure failure_of(JwksCache& cache, std::string_view kid, Algorithm alg) {
  try {
    cache.find(kid, alg);
  } catch (const TokenError& e) {
    return e.failure();
  }
  ADD_FAILURE() << "found " << kid;
  return TokenFailure::malformed;
}

class JwksCacheTest : public ::testing::Test {
 protected:
  FakeProvider provider;
  FakeClock time;
  JwksCache cache{kUrl, provider.fetcher(), JwksCacheOptions{seconds(30), seconds(600)}, time.clock()};
};

TEST_F(JwksCacheTest, FetchesOnFirstUseThenServesFromMemory) {
  EXPECT_EQ(cache.current(), nullptr);
  EXPECT_EQ(cache.find("rsa-1", Algorithm::rs256).kid(), "rsa-1");
  EXPECT_EQ(provider.fetches, 1);
  EXPECT_EQ(provider.last_url, kUrl);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(cache.find("ec-1", Algorithm::es256).kid(), "ec-1");
    time.advance(seconds(1));  // 100 s in all, well within max_age
  }
  EXPECT_EQ(provider.fetches, 1);
  EXPECT_EQ(cache.fetch_attempts(), 1u);
}

TEST_F(JwksCacheTest, AFloodOfUnknownKidsFetchesAtMostOncePerInterval) {
  cache.find("rsa-1", Algorithm::rs256);
  ASSERT_EQ(provider.fetches, 1);
  for (int i = 0; i < 1000; ++i)
    EXPECT_EQ(failure_of(cache, "random-" + std::to_string(i), Algorithm::rs256), TokenFailure::unknown_kid);
  EXPECT_EQ(provider.fetches, 1) << "within 30 s of the first fetch";

  time.advance(seconds(30));
  for (int i = 0; i < 1000; ++i) failure_of(cache, "random-" + std::to_string(i), Algorithm::rs256);
  EXPECT_EQ(provider.fetches, 2) << "one fetch for the whole flood once the interval passed";

  time.advance(seconds(29));
  for (int i = 0; i < 100; ++i) failure_of(cache, "again-" + std::to_string(i), Algorithm::es256);
  EXPECT_EQ(provider.fetches, 2);
  time.advance(seconds(1));
  for (int i = 0; i < 100; ++i) failure_of(cache, "again-" + std::to_string(i), Algorithm::es256);
  EXPECT_EQ(provider.fetches, 3);
}

TEST_F(JwksCacheTest, AConcurrentFloodFromManyThreadsFetchesOnce) {
  cache.find("rsa-1", Algorithm::rs256);
  time.advance(seconds(31));
  std::vector<std::thread> threads;
  threads.reserve(8);
  std::atomic<int> refused{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        if (failure_of(cache, "t" + std::to_string(t) + "-" + std::to_string(i), Algorithm::rs256) ==
            TokenFailure::unknown_kid)
          ++refused;
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(refused, 1600);
  EXPECT_EQ(provider.fetches, 2);
}

TEST_F(JwksCacheTest, PicksUpARotatedKeyOnItsFirstUnknownKid) {
  cache.find("rsa-1", Algorithm::rs256);
  provider.serve(jwks({TestKey::rsa_other().jwk(), TestKey::rsa().jwk()}));  // rsa-2 added
  time.advance(seconds(30));
  EXPECT_EQ(cache.find("rsa-2", Algorithm::rs256).kid(), "rsa-2");
  EXPECT_EQ(provider.fetches, 2);
  EXPECT_EQ(cache.find("rsa-1", Algorithm::rs256).kid(), "rsa-1");  // the old key still listed
}

TEST_F(JwksCacheTest, RefreshesAfterMaxAgeSoAWithdrawnKeyStopsWorking) {
  cache.find("rsa-1", Algorithm::rs256);
  provider.serve(jwks({TestKey::rsa_other().jwk()}));  // rsa-1 withdrawn
  time.advance(seconds(599));
  EXPECT_EQ(cache.find("rsa-1", Algorithm::rs256).kid(), "rsa-1");
  EXPECT_EQ(provider.fetches, 1);
  time.advance(seconds(1));
  EXPECT_EQ(failure_of(cache, "rsa-1", Algorithm::rs256), TokenFailure::unknown_kid);
  EXPECT_EQ(provider.fetches, 2);
  EXPECT_EQ(cache.find("rsa-2", Algorithm::rs256).kid(), "rsa-2");
  EXPECT_EQ(provider.fetches, 2);
}

TEST_F(JwksCacheTest, AFailedFetchKeepsThePreviousKeys) {
  cache.find("rsa-1", Algorithm::rs256);
  provider.failing = true;
  time.advance(seconds(601));
  EXPECT_EQ(cache.find("rsa-1", Algorithm::rs256).kid(), "rsa-1");  // stale, refetch failed: still served
  EXPECT_EQ(provider.fetches, 2);
  EXPECT_EQ(cache.find("ec-1", Algorithm::es256).kid(), "ec-1");
  EXPECT_EQ(provider.fetches, 2) << "the failed attempt counts for the rate limit";
  time.advance(seconds(30));
  provider.failing = false;
  cache.find("ec-1", Algorithm::es256);
  EXPECT_EQ(provider.fetches, 3);
}

TEST_F(JwksCacheTest, ADocumentThatIsNotAKeySetKeepsThePreviousKeys) {
  cache.find("rsa-1", Algorithm::rs256);
  provider.serve("<html>maintenance</html>");
  time.advance(seconds(30));
  EXPECT_EQ(failure_of(cache, "rsa-2", Algorithm::rs256), TokenFailure::unknown_kid);
  EXPECT_EQ(provider.fetches, 2);
  EXPECT_EQ(cache.find("rsa-1", Algorithm::rs256).kid(), "rsa-1");
}

TEST_F(JwksCacheTest, WithoutAnyKeysAnUnreachableProviderIsUnavailable) {
  provider.failing = true;
  for (int i = 0; i < 3; ++i) {
    try {
      cache.find("rsa-1", Algorithm::rs256);
      FAIL();
    } catch (const TokenError&) {
      FAIL() << "not a token problem";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::unavailable);
      EXPECT_EQ(e.code(), "identity-provider-unavailable");
      EXPECT_NE(e.cause().find("connection refused"), std::string::npos) << e.cause();
      EXPECT_EQ(std::string(e.what()).find("connection refused"), std::string::npos) << "the cause stays in the log";
    }
  }
  EXPECT_EQ(provider.fetches, 1);
  provider.failing = false;
  time.advance(seconds(30));
  EXPECT_EQ(cache.find("rsa-1", Algorithm::rs256).kid(), "rsa-1");
}

TEST_F(JwksCacheTest, AKidOfAnotherAlgorithmIsAMismatchAndFetchesNothing) {
  cache.find("rsa-1", Algorithm::rs256);
  time.advance(seconds(30));
  EXPECT_EQ(failure_of(cache, "rsa-1", Algorithm::es256), TokenFailure::alg_mismatch);
  EXPECT_EQ(provider.fetches, 1);
}

TEST_F(JwksCacheTest, TheGenerationMovesOnlyWhenTheKeysChange) {
  cache.find("rsa-1", Algorithm::rs256);
  const auto first = cache.generation();
  time.advance(seconds(601));
  cache.find("rsa-1", Algorithm::rs256);
  EXPECT_EQ(provider.fetches, 2);
  EXPECT_EQ(cache.generation(), first) << "the same keys fetched again";
  provider.serve(jwks({TestKey::ec().jwk(), TestKey::rsa().jwk(), TestKey::rsa_other().jwk()}));
  time.advance(seconds(30));
  cache.find("rsa-2", Algorithm::rs256);
  EXPECT_EQ(cache.generation(), first + 1);
}

TEST_F(JwksCacheTest, AFetchInProgressDoesNotBlockReadersOfKnownKids) {
  std::promise<void> fetch_started;
  std::promise<void> release_fetch;
  auto released = release_fetch.get_future().share();
  JwksCache slow(
      kUrl,
      [&, first = true](const std::string&) mutable {
        if (!first) {
          fetch_started.set_value();
          released.wait();
        }
        first = false;
        return jwks({TestKey::rsa().jwk()});
      },
      JwksCacheOptions{seconds(30), seconds(600)}, time.clock());
  slow.find("rsa-1", Algorithm::rs256);
  time.advance(seconds(30));
  auto unknown = std::async(std::launch::async, [&] { return failure_of(slow, "rsa-9", Algorithm::rs256); });
  fetch_started.get_future().wait();
  // The fetch is held open; a known kid is still answered (a lock held across the
  // fetch would deadlock here, and the test would never finish).
  EXPECT_EQ(slow.find("rsa-1", Algorithm::rs256).kid(), "rsa-1");
  release_fetch.set_value();
  EXPECT_EQ(unknown.get(), TokenFailure::unknown_kid);
}

}  // namespace
}  // namespace mecapy::auth::jwt
