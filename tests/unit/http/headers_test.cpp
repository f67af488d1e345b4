// Header fields are validated where they are stored: no CR, LF or NUL can enter a Headers object, so none can reach the
// wire; media types follow the RFC 9110 grammar.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "http/media_type.hpp"
#include "http/message.hpp"
#include "http/multipart.hpp"

using namespace mecapy;
using namespace mecapy::http;

namespace {

// The slug of the Error thrown by `f`, or "" when it does not throw.
template <class F>
std::string error_code_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return "";
}

}  // namespace

TEST(Headers, RefuseLineBreaksAndNulInValues) {
  for (const std::string& bad : std::initializer_list<std::string>{"a\r\nX-Injected: yes", "a\nX-Injected: yes", "a\rb",
                                                                   std::string("a\0b", 3), "\r", "\n"}) {
    Headers h;
    EXPECT_EQ(error_code_of([&] { h.add("X-Test", bad); }), "invalid-header") << bad;
    EXPECT_EQ(error_code_of([&] { h.set("X-Test", bad); }), "invalid-header") << bad;
    EXPECT_TRUE(h.fields().empty()) << "a refused field must not be stored";
  }
}

TEST(Headers, RefuseNamesThatAreNotTokens) {
  for (const std::string bad : {"", "X Test", "X-Test:", "X\r\nY", "X(y)"}) {
    Headers h;
    EXPECT_EQ(error_code_of([&] { h.add(bad, "v"); }), "invalid-header") << bad;
    EXPECT_TRUE(h.fields().empty());
  }
}

TEST(Headers, AcceptOrdinaryValues) {
  Headers h;
  h.add("Content-Disposition", "attachment; filename=\"a b.txt\"; filename*=UTF-8''a%20b.txt");
  h.add("X-Obs-Text", "caf\xc3\xa9 \t tab");
  h.set("Empty", "");
  EXPECT_EQ(h.fields().size(), 3u);
  EXPECT_EQ(*h.get("x-obs-text"), "caf\xc3\xa9 \t tab");
}

TEST(Headers, ValidityCheckIsExposed) {
  EXPECT_TRUE(is_valid_field_value("text/plain; charset=utf-8"));
  EXPECT_FALSE(is_valid_field_value("text/plain\nX: y"));
  EXPECT_TRUE(is_valid_field_name("X-Request-ID"));
  EXPECT_FALSE(is_valid_field_name("X Request"));
}

TEST(MediaType, AcceptsTheRfc9110Grammar) {
  for (const char* good :
       {"text/plain", "application/octet-stream", "model/stl", "application/vnd.ms-excel", "text/plain;charset=utf-8",
        "text/plain ; charset=\"utf-8\"", "text/plain;", "multipart/form-data; boundary=\"a b\\\"c\"",
        "Text/HTML; Charset=UTF-8", "application/x-thing;a=1;b=\"x;y\"", "text/plain;\tformat=flowed"})
    EXPECT_TRUE(is_media_type(good)) << good;
}

TEST(MediaType, RefusesWhatIsNotAMediaType) {
  for (const std::string& bad : std::initializer_list<std::string>{
           "", "text", "text/", "/plain", "text /plain", "text/ plain", "text/plain x", "text/plain; charset",
           "text/plain; charset=", "text/plain; =x", "text/plain; charset=\"utf-8", "text/plain; X-Injected: yes",
           "text/plain\r\nX-Injected: yes", "text/plain\nX-Injected: yes", std::string("text/plain\0", 11),
           "text/pl@in", "text/plain; a=b c", " text/plain", "text/plain; a=\"\x01\""})
    EXPECT_FALSE(is_media_type(bad)) << bad;
}

namespace {

// Parses a one-part body whose part header block is `headers`; returns the error
// slug, or "" when it parsed.
std::string parse_part(const std::string& headers) {
  return error_code_of([&] {
    MultipartParser p("B", {[](const PartHeaders&) {}, [](std::string_view) {}, [] {}});
    p.feed("--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n" + headers +
           "\r\n\r\ndata\r\n--B--\r\n");
    p.finish();
  });
}

}  // namespace

TEST(MultipartHeaders, RefuseBareLineBreaksNulAndFolding) {
  EXPECT_EQ(parse_part("Content-Type: text/plain"), "");
  EXPECT_EQ(parse_part("Content-Type: text/plain\nX-Injected: yes"), "invalid-header");
  EXPECT_EQ(parse_part("Content-Type: text/plain\rX-Injected: yes"), "invalid-header");
  EXPECT_EQ(parse_part(std::string("Content-Type: text/plain\0X", 26)), "invalid-header");
  EXPECT_EQ(parse_part("Content-Type: text/plain\r\n X-Injected: yes"), "malformed-multipart");
  EXPECT_EQ(parse_part("Content-Type: text/plain\r\n\tmore"), "malformed-multipart");
  EXPECT_EQ(parse_part("X-Other: a\nb"), "invalid-header");  // every part header, not only Content-Type
}

TEST(MultipartHeaders, RefuseAContentTypeThatIsNotAMediaType) {
  EXPECT_EQ(parse_part("Content-Type: text/plain; X-Injected: yes"), "invalid-content-type");
  EXPECT_EQ(parse_part("Content-Type: text"), "invalid-content-type");
  EXPECT_EQ(parse_part("Content-Type: text/plain; charset=\"utf-8\""), "");
}
