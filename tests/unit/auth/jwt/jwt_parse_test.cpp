#include "auth/jwt/jwt.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "auth/jwt/base64url.hpp"
#include "auth/jwt/token_error.hpp"
#include "test_signer.hpp"

namespace mecapy::auth::jwt {
namespace {

using testing::assemble_token;

TokenFailure failure_of(std::string_view token, std::size_t max_size = kDefaultMaxTokenSize) {
  try {
    parse_jwt(token, max_size);
  } catch (const TokenError& e) {
    return e.failure();
  }
  ADD_FAILURE() << "parsed: " << token;
  return TokenFailure::malformed;
}

std::string b64(std::string_view text) { return base64url_encode(text); }

TEST(ParseJwt, ReadsHeaderPayloadSignatureAndTheSigningInput) {
  const std::string token = assemble_token({{"alg", "RS256"}, {"kid", "k1"}, {"typ", "JWT"}}, {{"sub", "ada"}}, "sig");
  const ParsedJwt jwt = parse_jwt(token);
  EXPECT_EQ(jwt.alg, "RS256");
  EXPECT_EQ(jwt.kid, "k1");
  EXPECT_EQ(jwt.typ, "JWT");
  EXPECT_EQ(jwt.payload.at("sub"), "ada");
  EXPECT_EQ(jwt.signature, "sig");
  EXPECT_EQ(jwt.signing_input, token.substr(0, token.rfind('.')));
}

TEST(ParseJwt, LeavesKidAndTypEmptyWhenAbsent) {
  const ParsedJwt jwt = parse_jwt(assemble_token({{"alg", "ES256"}}, {}, ""));
  EXPECT_EQ(jwt.kid, "");
  EXPECT_EQ(jwt.typ, "");
  EXPECT_EQ(jwt.signature, "");
}

TEST(ParseJwt, RefusesWhatIsNotThreeSegments) {
  const std::string h = b64(R"({"alg":"RS256"})");
  const std::string p = b64(R"({"sub":"x"})");
  EXPECT_EQ(failure_of(""), TokenFailure::malformed);
  EXPECT_EQ(failure_of("Bearer"), TokenFailure::malformed);
  EXPECT_EQ(failure_of(h + "." + p), TokenFailure::malformed);
  EXPECT_EQ(failure_of(h + "." + p + ".c2ln.more"), TokenFailure::malformed);  // a JWE has five
  EXPECT_EQ(failure_of("." + p + ".c2ln"), TokenFailure::malformed);
  EXPECT_EQ(failure_of(h + "..c2ln"), TokenFailure::malformed);
  EXPECT_EQ(failure_of("..."), TokenFailure::malformed);
}

TEST(ParseJwt, RefusesSegmentsThatAreNotBase64urlJsonObjects) {
  const std::string p = b64(R"({"sub":"x"})");
  EXPECT_EQ(failure_of("e30=." + p + ".c2ln"), TokenFailure::malformed);  // padding
  EXPECT_EQ(failure_of(b64("not json") + "." + p + ".c2ln"), TokenFailure::malformed);
  EXPECT_EQ(failure_of(b64(R"(["RS256"])") + "." + p + ".c2ln"), TokenFailure::malformed);
  EXPECT_EQ(failure_of(b64(R"({"alg":"RS256"})") + "." + b64("42") + ".c2ln"), TokenFailure::malformed);
  EXPECT_EQ(failure_of(b64(R"({"alg":"RS256"})") + "." + p + ".c2l+"), TokenFailure::malformed);
}

TEST(ParseJwt, RequiresAStringAlgAndStringKidAndTyp) {
  EXPECT_EQ(failure_of(assemble_token({{"kid", "k"}}, {}, "s")), TokenFailure::malformed);
  EXPECT_EQ(failure_of(assemble_token({{"alg", 256}}, {}, "s")), TokenFailure::malformed);
  EXPECT_EQ(failure_of(assemble_token({{"alg", "RS256"}, {"kid", 7}}, {}, "s")), TokenFailure::malformed);
  EXPECT_EQ(failure_of(assemble_token({{"alg", "RS256"}, {"typ", true}}, {}, "s")), TokenFailure::malformed);
}

TEST(ParseJwt, RefusesCriticalExtensions) {
  EXPECT_EQ(
      failure_of(assemble_token({{"alg", "RS256"}, {"crit", boost::json::array{"b64"}}, {"b64", false}}, {}, "s")),
      TokenFailure::malformed);
}

TEST(ParseJwt, RefusesA64KiBTokenBeforeDecodingIt) {
  // Not even a JWT: the size alone decides, before any segment is looked at.
  EXPECT_EQ(failure_of(std::string(std::size_t{64} * 1024, '.')), TokenFailure::too_large);
  const std::string big = assemble_token({{"alg", "RS256"}}, {{"pad", std::string(std::size_t{64} * 1024, 'x')}}, "s");
  EXPECT_EQ(failure_of(big), TokenFailure::too_large);
  EXPECT_NO_THROW(parse_jwt(big, big.size()));
}

TEST(ParseJwt, ItsErrorIsAnInvalidTokenProblemWithTheReason) {
  try {
    parse_jwt(std::string(kDefaultMaxTokenSize + 1, 'a'));
    FAIL();
  } catch (const TokenError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unauthenticated);
    EXPECT_EQ(e.code(), "invalid-token");
    EXPECT_EQ(e.reason(), "too-large");
    EXPECT_EQ(e.members().at("reason"), "too-large");
    EXPECT_NE(std::string(e.what()).find("16384"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mecapy::auth::jwt
