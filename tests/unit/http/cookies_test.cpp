#include "http/cookies.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace mecapy::http {
namespace {

Request with_cookies(std::initializer_list<const char*> fields) {
  Request r;
  for (const char* f : fields) r.headers.add("Cookie", f);
  return r;
}

TEST(Cookies, ReadsTheNamedCookieAmongOthersAndAcrossFields) {
  const auto r = with_cookies({"theme=dark; mecapy_session=abc-_1;lang=fr", "other=1"});
  EXPECT_EQ(cookie_value(r, "mecapy_session"), "abc-_1");
  EXPECT_EQ(cookie_value(r, "lang"), "fr");
  EXPECT_EQ(cookie_value(r, "other"), "1");
  EXPECT_FALSE(cookie_value(r, "session")) << "no prefix or suffix matches";
  EXPECT_FALSE(cookie_value(r, "mecapy"));
  EXPECT_EQ(cookie_value(with_cookies({"a=\"quoted\""}), "a"), "quoted");
  EXPECT_EQ(cookie_value(with_cookies({"broken; a=1"}), "a"), "1") << "a pair without '=' is skipped";
  EXPECT_FALSE(cookie_value(Request{}, "a"));
}

TEST(Cookies, SetCookieCarriesTheAttributesAndRefusesWhatCouldSplitAHeader) {
  Response res;
  set_cookie(res, {"mecapy_session", "abc", std::chrono::seconds(3600), true, true});
  set_cookie(res, {"mecapy_csrf", "xyz", std::chrono::seconds(3600), false, false});
  ASSERT_EQ(res.headers.fields().size(), 2u);
  EXPECT_EQ(res.headers.fields()[0].value, "mecapy_session=abc; Path=/; Max-Age=3600; SameSite=Lax; HttpOnly; Secure");
  EXPECT_EQ(res.headers.fields()[1].value, "mecapy_csrf=xyz; Path=/; Max-Age=3600; SameSite=Lax");
  EXPECT_THROW(set_cookie(res, {"a", "x;Domain=evil.example"}), std::invalid_argument);
  EXPECT_THROW(set_cookie(res, {"a", "x\r\nSet-Cookie: b=1"}), std::invalid_argument);
  EXPECT_THROW(set_cookie(res, {"a=b", "x"}), std::invalid_argument);
  EXPECT_EQ(res.headers.fields().size(), 2u) << "a refused cookie adds nothing";
}

}  // namespace
}  // namespace mecapy::http
