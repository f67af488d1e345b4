// What the job log receives from a run's output: pieces of one stream joined, entries
// bounded, text made valid UTF-8 without NUL, and a character cut between two reads
// kept back until it is whole (or the run is over).
#include "jobs/output_buffer.hpp"

#include <gtest/gtest.h>

namespace mecapy::jobs {
namespace {

TEST(OutputBuffer, PiecesOfOneStreamAreJoinedInReadingOrder) {
  OutputBuffer buffer;
  buffer.add("stdout", "a");
  buffer.add("stdout", "b\n");
  buffer.add("stderr", "e\n");
  buffer.add("stdout", "c\n");
  const auto entries = buffer.take(false);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].kind, "stdout");
  EXPECT_EQ(entries[0].text, "ab\n");
  EXPECT_EQ(entries[1].kind, "stderr");
  EXPECT_EQ(entries[2].text, "c\n");
  EXPECT_TRUE(buffer.take(false).empty());
}

TEST(OutputBuffer, EntriesAreBounded) {
  OutputBuffer buffer;
  buffer.add("stdout", std::string(OutputBuffer::kMaxEntry * 2 + 5, 'x'));
  const auto entries = buffer.take(true);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].text.size(), OutputBuffer::kMaxEntry);
  EXPECT_EQ(entries[2].text.size(), 5u);
}

TEST(OutputBuffer, MalformedBytesAndNulBecomeTheReplacementCharacter) {
  OutputBuffer buffer;
  buffer.add("stdout", std::string("a\0b\xff"
                                   "c",
                                   5));
  const auto entries = buffer.take(true);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].text,
            "a\xef\xbf\xbd"
            "b\xef\xbf\xbd"
            "c");
}

TEST(OutputBuffer, ACharacterCutBetweenTwoReadsIsKeptBackUntilWhole) {
  OutputBuffer buffer;
  buffer.add("stdout", "caf\xc3");   // é is C3 A9
  buffer.add("stderr", "\xe2\x82");  // € is E2 82 AC
  auto entries = buffer.take(false);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].text, "caf");
  buffer.add("stderr", "\xac!");
  buffer.add("stdout", "\xa9\n");
  entries = buffer.take(false);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].kind, "stderr");
  EXPECT_EQ(entries[0].text, "\xe2\x82\xac!");
  EXPECT_EQ(entries[1].text, "\xc3\xa9\n");
}

TEST(OutputBuffer, TheLastTakeGivesACutCharacterAsReplacement) {
  OutputBuffer buffer;
  buffer.add("stdout", "end\xc3");
  EXPECT_EQ(buffer.take(false).at(0).text, "end");
  const auto entries = buffer.take(true);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].text, "\xef\xbf\xbd");
}

}  // namespace
}  // namespace mecapy::jobs
