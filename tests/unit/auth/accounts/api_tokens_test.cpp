// API tokens on both drivers: creation (shown once, stored hashed, scopes checked),
// authentication and its refusals, the throttled last use, listing and revocation.
#include "auth/accounts/api_tokens.hpp"

#include "accounts_fixture.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

using namespace std::chrono_literals;

class ApiTokenTest : public testing::AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    create_users({"alice", "bob"});
  }
};

TEST_P(ApiTokenTest, ATokenIsShownOnceAndStoredAsItsDigest) {
  ApiTokenStore tokens(db());
  const auto created = tokens.create("alice", "ci", {"run", "read", "run"}, std::nullopt, now());
  EXPECT_EQ(created.plaintext.rfind("mcp_", 0), 0u);
  EXPECT_EQ(created.plaintext.size(), 47u);
  EXPECT_EQ(created.plaintext.find_first_not_of("mcp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos)
      << "base64url without padding";
  EXPECT_EQ(created.token.prefix, created.plaintext.substr(0, 10));
  EXPECT_EQ(created.token.scopes, (std::vector<std::string>{"read", "run"})) << "canonical order, no repeats";
  EXPECT_EQ(created.token.expires_at, "");
  const auto stored = db().execute("SELECT token_hash, prefix FROM api_tokens");
  ASSERT_EQ(stored.rows.size(), 1u);
  EXPECT_EQ(stored.rows[0].text(0).size(), 64u) << "SHA-256 hex";
  EXPECT_EQ(stored.rows[0].text(0).find(created.plaintext.substr(4)), std::string::npos);
  EXPECT_NE(tokens.create("alice", "ci", {"read"}, std::nullopt, now()).plaintext, created.plaintext);
}

TEST_P(ApiTokenTest, AValidTokenAuthenticatesItsUser) {
  ApiTokenStore tokens(db());
  const auto created = tokens.create("alice", "laptop", {"read", "deploy"}, now() + 24h, now());
  const auto auth = tokens.authenticate(created.plaintext, now() + 1h);
  ASSERT_EQ(auth.failure, TokenFailure::none);
  EXPECT_EQ(auth.token->id, created.token.id);
  EXPECT_EQ(auth.user->id, "alice");
  EXPECT_TRUE(auth.token->has_scope("deploy"));
  EXPECT_FALSE(auth.token->has_scope("run"));
}

TEST_P(ApiTokenTest, ScopesNamesAndExpiriesAreChecked) {
  ApiTokenStore tokens(db());
  EXPECT_EQ(testing::error_code([&] {
              tokens.create("alice", "t", {"read", "write"}, std::nullopt, now());
            }),
            "invalid-scope");
  EXPECT_EQ(testing::error_code([&] { tokens.create("alice", "t", {}, std::nullopt, now()); }), "invalid-scope");
  EXPECT_EQ(testing::error_code([&] { tokens.create("alice", "t", {"READ"}, std::nullopt, now()); }), "invalid-scope");
  EXPECT_EQ(testing::error_code([&] { tokens.create("alice", "", {"read"}, std::nullopt, now()); }),
            "invalid-token-name");
  EXPECT_EQ(testing::error_code([&] { tokens.create("alice", "a\nb", {"read"}, std::nullopt, now()); }),
            "invalid-token-name");
  EXPECT_EQ(testing::error_code([&] { tokens.create("alice", std::string(101, 'n'), {"read"}, std::nullopt, now()); }),
            "invalid-token-name");
  EXPECT_EQ(testing::error_code([&] { tokens.create("alice", "t", {"read"}, now(), now()); }), "invalid-expiry");
  EXPECT_EQ(testing::error_code([&] { tokens.create("nobody", "t", {"read"}, std::nullopt, now()); }),
            "user-not-found");
  EXPECT_TRUE(tokens.list("alice").empty()) << "nothing kept of a refused token";
  EXPECT_EQ(tokens.create("alice", "all", {"admin", "deploy", "run", "read"}, std::nullopt, now()).token.scopes,
            known_scopes());
}

TEST_P(ApiTokenTest, UnknownRevokedExpiredAndDisabledAreToldApart) {
  ApiTokenStore tokens(db());
  const auto created = tokens.create("alice", "t", {"read"}, now() + 1h, now());
  std::string forged = created.plaintext;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(tokens.authenticate(forged, now()).failure, TokenFailure::unknown);
  EXPECT_EQ(tokens.authenticate("mcp_short", now()).failure, TokenFailure::unknown);
  EXPECT_EQ(tokens.authenticate("", now()).failure, TokenFailure::unknown);
  EXPECT_EQ(tokens.authenticate(created.plaintext.substr(4), now()).failure, TokenFailure::unknown)
      << "the prefix is part of the token";
  EXPECT_EQ(tokens.authenticate(created.plaintext, now() + 1h).failure, TokenFailure::expired) << "at expires_at";
  EXPECT_EQ(tokens.authenticate(created.plaintext, now() + 59min).failure, TokenFailure::none);
  UserStore(db()).set_disabled("alice", true, now());
  const auto disabled = tokens.authenticate(created.plaintext, now());
  EXPECT_EQ(disabled.failure, TokenFailure::user_disabled);
  EXPECT_FALSE(disabled.token);
  UserStore(db()).set_disabled("alice", false, now());
  tokens.revoke("alice", created.token.id, now());
  const auto revoked = tokens.authenticate(created.plaintext, now());
  EXPECT_EQ(revoked.failure, TokenFailure::revoked);
  EXPECT_FALSE(revoked.token);
}

TEST_P(ApiTokenTest, LastUseIsWrittenAtMostOnceAMinute) {
  ApiTokenStore tokens(db());
  const auto created = tokens.create("alice", "t", {"read"}, std::nullopt, now());
  auto last_used = [&] { return tokens.list("alice").at(0).last_used_at; };
  EXPECT_EQ(last_used(), "");
  EXPECT_EQ(tokens.authenticate(created.plaintext, now()).token->last_used_at, "2030-01-01T00:00:00.000Z");
  EXPECT_EQ(last_used(), "2030-01-01T00:00:00.000Z");
  advance(59s);
  tokens.authenticate(created.plaintext, now());
  EXPECT_EQ(last_used(), "2030-01-01T00:00:00.000Z") << "within the minute: no write";
  advance(1s);
  tokens.authenticate(created.plaintext, now());
  EXPECT_EQ(last_used(), "2030-01-01T00:01:00.000Z");
}

TEST_P(ApiTokenTest, ListingAndRevokingAreTheOwnersOnly) {
  ApiTokenStore tokens(db());
  const auto first = tokens.create("alice", "first", {"read"}, std::nullopt, now());
  advance(1s);
  const auto second = tokens.create("alice", "second", {"run"}, std::nullopt, now());
  const auto bobs = tokens.create("bob", "bobs", {"read"}, std::nullopt, now());
  const auto listed = tokens.list("alice");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].name, "second") << "newest first";
  EXPECT_EQ(listed[1].name, "first");

  EXPECT_EQ(testing::error_code([&] { tokens.revoke("alice", bobs.token.id, now()); }), "token-not-found");
  EXPECT_EQ(tokens.authenticate(bobs.plaintext, now()).failure, TokenFailure::none) << "untouched";
  EXPECT_EQ(testing::error_code([&] { tokens.revoke("alice", "no-such-id", now()); }), "token-not-found");

  advance(1s);
  const auto revoked = tokens.revoke("alice", first.token.id, now());
  EXPECT_EQ(revoked.revoked_at, "2030-01-01T00:00:02.000Z");
  advance(1s);
  EXPECT_EQ(tokens.revoke("alice", first.token.id, now()).revoked_at, revoked.revoked_at) << "idempotent";

  EXPECT_EQ(tokens.revoke_all("alice", now()), 1u) << "only the live one left";
  EXPECT_EQ(tokens.authenticate(second.plaintext, now()).failure, TokenFailure::revoked);
  EXPECT_EQ(tokens.revoke_all("alice", now()), 0u);
  EXPECT_EQ(tokens.authenticate(bobs.plaintext, now()).failure, TokenFailure::none);
}

MECAPY_ON_BOTH_DRIVERS(ApiTokenTest);

}  // namespace
}  // namespace mecapy::auth::accounts
