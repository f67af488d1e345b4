#include "http/multipart.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

using namespace mecapy;
using namespace mecapy::http;

namespace {

struct Part {
  PartHeaders headers;
  std::string data;
  bool ended = false;
};

// Feeds `body` in pieces of `step` bytes and collects the parts.
std::vector<Part> parse(const std::string& body, std::size_t step, const std::string& boundary = "XyZ") {
  std::vector<Part> parts;
  MultipartParser p(boundary,
                    {[&](const PartHeaders& h) {
                       parts.push_back({h, "", false});
                     },
                     [&](std::string_view d) { parts.back().data.append(d); }, [&] { parts.back().ended = true; }});
  for (std::size_t i = 0; i < body.size(); i += step) p.feed(std::string_view(body).substr(i, step));
  p.finish();
  return parts;
}

const std::string kBody =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
    "hello\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"a;b \\\"c\\\".txt\"\r\n"
    "Content-Type: text/plain\r\n\r\n"
    "line1\r\n--XyNOT a boundary\r\nline3\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"x\"; filename*=UTF-8''%C3%A9t%C3%A9.csv\r\n\r\n"
    "\r\n"
    "--XyZ--\r\nepilogue";

TEST(Multipart, ParsesPartsWhateverTheChunking) {
  for (std::size_t step : {1u, 2u, 3u, 7u, 64u, 100000u}) {
    const auto parts = parse(kBody, step);
    ASSERT_EQ(parts.size(), 3u) << step;
    EXPECT_EQ(parts[0].headers.name, "note");
    EXPECT_FALSE(parts[0].headers.filename);
    EXPECT_EQ(parts[0].data, "hello");
    EXPECT_EQ(parts[1].headers.filename, "a;b \"c\".txt");
    EXPECT_EQ(parts[1].headers.content_type, "text/plain");
    EXPECT_EQ(parts[1].data, "line1\r\n--XyNOT a boundary\r\nline3");
    EXPECT_EQ(parts[2].headers.filename, "\xC3\xA9t\xC3\xA9.csv");  // filename* wins
    EXPECT_EQ(parts[2].data, "");
    for (const auto& p : parts) EXPECT_TRUE(p.ended);
  }
}

TEST(Multipart, BinaryDataWithCrLfAndNul) {
  std::string data;
  for (int i = 0; i < 5000; ++i) data.push_back(static_cast<char>(i % 256));
  data += "\r\n--Xy\r\n\r\n";
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"b.bin\"\r\n\r\n" + data + "\r\n--XyZ--\r\n";
  for (std::size_t step : {1u, 13u, 4096u}) EXPECT_EQ(parse(body, step).at(0).data, data);
}

TEST(Multipart, MalformedBodiesAreRefused) {
  auto error_of = [](const std::string& body) {
    try {
      parse(body, 5);
    } catch (const Error& e) {
      return e.code();
    }
    return std::string("none");
  };
  EXPECT_EQ(error_of("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end"), "malformed-multipart");
  EXPECT_EQ(error_of("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--"), "malformed-multipart");
  EXPECT_EQ(error_of("--XyZ\r\nContent-Disposition: attachment\r\n\r\nx\r\n--XyZ--"), "malformed-multipart");
  EXPECT_EQ(error_of("--XyZ\r\n" + std::string(20000, 'h') + "\r\n\r\nx\r\n--XyZ--"), "malformed-multipart");
  EXPECT_EQ(error_of(std::string(70000, 'p')), "malformed-multipart");
  EXPECT_EQ(error_of("--XyZgarbage\r\n"), "malformed-multipart");
}

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(MultipartParser::boundary_of("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(MultipartParser::boundary_of("Multipart/Form-Data; charset=x; boundary=\"a b\""), "a b");
  EXPECT_FALSE(MultipartParser::boundary_of("multipart/form-data"));
  EXPECT_FALSE(MultipartParser::boundary_of("multipart/form-data; boundary="));
  EXPECT_FALSE(MultipartParser::boundary_of("text/plain; boundary=abc"));
  EXPECT_FALSE(MultipartParser::boundary_of("multipart/form-data; boundary=" + std::string(71, 'b')));
}

}  // namespace
