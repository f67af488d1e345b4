#include "files/filename.hpp"

#include <gtest/gtest.h>

using mecapy::files::content_disposition;
using mecapy::files::sanitize_filename;

TEST(Filename, DropsDirectoriesAndTraversal) {
  EXPECT_EQ(sanitize_filename("../../etc/passwd"), "passwd");
  EXPECT_EQ(sanitize_filename("..\\..\\windows\\win.ini"), "win.ini");
  EXPECT_EQ(sanitize_filename("/abs/path/report.pdf"), "report.pdf");
  EXPECT_EQ(sanitize_filename(".."), "file");
  EXPECT_EQ(sanitize_filename("../"), "file");
  EXPECT_EQ(sanitize_filename(".hidden"), "hidden");
  EXPECT_EQ(sanitize_filename(""), "file");
}

TEST(Filename, RemovesControlsAndReservedCharacters) {
  EXPECT_EQ(sanitize_filename(std::string("a\0b\nc\r\x7f.txt", 11)), "abc.txt");
  EXPECT_EQ(sanitize_filename("a<b>c:d\"e|f?g*h.csv"), "a_b_c_d_e_f_g_h.csv");
  EXPECT_EQ(sanitize_filename("name. . "), "name");
  EXPECT_EQ(sanitize_filename("\xC2\x85line"), "line");  // C1 control U+0085
}

TEST(Filename, NormalisesUnicodeAndRepairsBadUtf8) {
  EXPECT_EQ(sanitize_filename("e\xCC\x81t\xC3\xA9.txt"), "\xC3\xA9t\xC3\xA9.txt");  // NFD -> NFC
  EXPECT_EQ(sanitize_filename("bad\xFF\xFEname"), "bad\xEF\xBF\xBD\xEF\xBF\xBDname");
  EXPECT_EQ(sanitize_filename("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
}

TEST(Filename, CapsLengthKeepingTheExtension) {
  const std::string long_name = std::string(300, 'a') + ".step";
  const auto s = sanitize_filename(long_name);
  EXPECT_LE(s.size(), 255u);
  EXPECT_TRUE(s.ends_with(".step"));
  std::string accents;
  for (int i = 0; i < 200; ++i) accents += "\xC3\xA9";  // 400 bytes
  const auto cut = sanitize_filename(accents);
  EXPECT_LE(cut.size(), 255u);
  EXPECT_EQ(cut.size() % 2, 0u);  // never cut inside a character
}

TEST(Filename, ContentDispositionIsSafe) {
  EXPECT_EQ(content_disposition("attachment", "r\xC3\xA9sum\xC3\xA9 \"v2\".pdf"),
            "attachment; filename=\"r_sum_ _v2_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22.pdf");
}
