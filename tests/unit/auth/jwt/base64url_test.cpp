#include "auth/jwt/base64url.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mecapy::auth::jwt {
namespace {

TEST(Base64url, EncodesTheRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64url, UsesTheUrlSafeAlphabet) {
  EXPECT_EQ(base64url_encode("\xfb\xff\xbf"), "-_-_");
  EXPECT_EQ(base64url_decode("-_-_"), std::string("\xfb\xff\xbf"));
}

TEST(Base64url, RoundTripsEveryByteAtEveryLength) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    bytes.push_back(static_cast<char>((i * 151 + 7) & 0xFF));
    const auto decoded = base64url_decode(base64url_encode(bytes));
    ASSERT_TRUE(decoded) << i;
    EXPECT_EQ(*decoded, bytes) << i;
  }
}

TEST(Base64url, RefusesPaddingWhiteSpaceAndTheStandardAlphabet) {
  EXPECT_FALSE(base64url_decode("Zg=="));
  EXPECT_FALSE(base64url_decode("Zm9v\n"));
  EXPECT_FALSE(base64url_decode("Zm 9v"));
  EXPECT_FALSE(base64url_decode("+/+/"));
  EXPECT_FALSE(base64url_decode(std::string("Zm9v\0", 5)));
}

TEST(Base64url, RefusesImpossibleLengthsAndNonCanonicalTrailingBits) {
  EXPECT_FALSE(base64url_decode("Z"));
  EXPECT_FALSE(base64url_decode("Zm9vY"));
  // "Zh" carries 'f' plus non-zero unused bits; only "Zg" is the encoding of "f".
  EXPECT_FALSE(base64url_decode("Zh"));
  EXPECT_FALSE(base64url_decode("Zm9"));
  EXPECT_EQ(base64url_decode("Zm8"), std::string("fo"));
}

TEST(Base64url, RefusesATextLongerThanTheBound) {
  const std::string text(400, 'A');
  EXPECT_TRUE(base64url_decode(text, 400));
  EXPECT_FALSE(base64url_decode(text, 399));
}

}  // namespace
}  // namespace mecapy::auth::jwt
