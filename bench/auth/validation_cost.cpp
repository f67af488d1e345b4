// What validating a bearer token costs the server per request (Google Benchmark):
// TokenValidator::validate on a Keycloak-shaped access token (about 1 KiB: realm
// and client roles, profile claims), for RS256 (2048-bit key) and ES256 (P-256):
//   miss  every call a token the cache has not seen: size check, SHA-256, parse
//         (base64url, JSON), key lookup, signature, claims, cache insertion;
//   hit   the same token again: size check, SHA-256, cache lookup, expiry check.
// Beside them, the parts of a miss: parse_jwt alone, and the signature alone.
//
//   validation_cost [--export DIR] [Google Benchmark flags]
// --export DIR writes the benchmark's tokens and public keys (rs256.token,
// rs256.pem, es256.token, es256.pem, settings.json) for the PyJWT baseline, then runs.
#include <benchmark/benchmark.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "auth/jwt/jwt.hpp"
#include "auth/jwt/signature.hpp"
#include "auth/jwt/token_validator.hpp"
#include "core/log.hpp"
#include "test_signer.hpp"

namespace {

using mecapy::auth::jwt::ClaimPolicy;
using mecapy::auth::jwt::JwksCache;
using mecapy::auth::jwt::TokenValidator;
using mecapy::auth::jwt::VerificationKey;
using mecapy::auth::jwt::testing::TestKey;
namespace jwt = mecapy::auth::jwt;

const std::string kIssuer = "https://sso.example.com/realms/mecapy";
const std::string kAudience = "mecapy-api";
constexpr int kDistinctTokens = 1024;

const TestKey& key_for(bool rsa) { return rsa ? TestKey::rsa() : TestKey::ec(); }

// An access token as Keycloak 26 issues it for a dashboard user.
boost::json::object keycloak_claims(int serial) {
  const auto now = std::chrono::system_clock::now();
  auto claims = jwt::testing::access_claims(now, kIssuer, kAudience);
  claims["exp"] = jwt::testing::epoch_seconds(now) + 3600;
  claims["jti"] = "onrtac:6f0c0b1e-4d7a-4d52-9a51-" + std::to_string(100000000000 + serial);
  claims["typ"] = "Bearer";
  claims["sid"] = "f6a3a0b2-58c1-4f8e-9a43-0e9f5d2d1c7e";
  claims["acr"] = "1";
  claims["allowed-origins"] = boost::json::array{"http://localhost:3000"};
  claims["realm_access"] = {
      {"roles", boost::json::array{"default-roles-mecapy", "offline_access", "uma_authorization", "user"}}};
  claims["resource_access"] = {
      {"account", {{"roles", boost::json::array{"manage-account", "manage-account-links", "view-profile"}}}},
      {"mecapy-api", {{"roles", boost::json::array{"deploy", "run"}}}}};
  claims["email_verified"] = true;
  claims["name"] = "Ada Lovelace";
  claims["given_name"] = "Ada";
  claims["family_name"] = "Lovelace";
  claims["email"] = "ada@example.com";
  return claims;
}

struct Fixture {
  JwksCache keys{"https://sso.example.com/realms/mecapy/protocol/openid-connect/certs", [](const std::string&) {
                   return jwt::testing::jwks({TestKey::rsa().jwk(), TestKey::ec().jwk()});
                 }};
  std::vector<std::string> tokens;
  explicit Fixture(bool rsa) {
    tokens.reserve(kDistinctTokens);
    for (int i = 0; i < kDistinctTokens; ++i)
      tokens.push_back(jwt::testing::sign_token(key_for(rsa), keycloak_claims(i)));
  }
};

Fixture& fixture(bool rsa) {
  static Fixture rs(true);
  static Fixture es(false);
  return rsa ? rs : es;
}

void validate_miss(benchmark::State& state, bool rsa) {
  Fixture& f = fixture(rsa);
  // A one-entry cache over 1024 tokens in turn: every call misses, inserts, evicts.
  TokenValidator validator(f.keys, ClaimPolicy{kIssuer, kAudience}, 1);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(validator.validate(f.tokens[i]));
    i = (i + 1) % f.tokens.size();
  }
}

void validate_hit(benchmark::State& state, bool rsa) {
  Fixture& f = fixture(rsa);
  TokenValidator validator(f.keys, ClaimPolicy{kIssuer, kAudience});
  validator.validate(f.tokens[0]);
  for (auto _ : state) benchmark::DoNotOptimize(validator.validate(f.tokens[0]));
}

void parse_only(benchmark::State& state, bool rsa) {
  const std::string& token = fixture(rsa).tokens[0];
  for (auto _ : state) benchmark::DoNotOptimize(jwt::parse_jwt(token));
}

void signature_only(benchmark::State& state, bool rsa) {
  const jwt::ParsedJwt parsed = jwt::parse_jwt(fixture(rsa).tokens[0]);
  const VerificationKey key = VerificationKey::from_jwk(key_for(rsa).jwk());
  for (auto _ : state) benchmark::DoNotOptimize(jwt::signature_valid(key, parsed.signing_input, parsed.signature));
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

void export_for_baseline(const std::string& dir) {
  for (const bool rsa : {true, false}) {
    const std::string name = rsa ? "rs256" : "es256";
    write_file(dir + "/" + name + ".token", fixture(rsa).tokens[0]);
    write_file(dir + "/" + name + ".pem", key_for(rsa).public_pem());
  }
  write_file(dir + "/settings.json",
             boost::json::serialize(boost::json::object{{"issuer", kIssuer}, {"audience", kAudience}}));
}

}  // namespace

BENCHMARK_CAPTURE(validate_miss, RS256, true);
BENCHMARK_CAPTURE(validate_hit, RS256, true);
BENCHMARK_CAPTURE(validate_miss, ES256, false);
BENCHMARK_CAPTURE(validate_hit, ES256, false);
BENCHMARK_CAPTURE(parse_only, RS256, true);
BENCHMARK_CAPTURE(signature_only, RS256, true);
BENCHMARK_CAPTURE(signature_only, ES256, false);

int main(int argc, char** argv) {
  mecapy::configure_logging("bench-auth", mecapy::LogLevel::warning);
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::string(argv[i]) == "--export" && i + 1 < argc) {
      export_for_baseline(argv[++i]);
      continue;
    }
    args.push_back(argv[i]);
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
