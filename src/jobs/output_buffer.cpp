#include "jobs/output_buffer.hpp"

#include <algorithm>

#include "core/utf8.hpp"

namespace mecapy::jobs {
namespace {

std::string valid_text(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char32_t cp : decode_utf8(raw)) append_utf8(out, cp == 0 ? char32_t{0xFFFD} : cp);
  return out;
}

}  // namespace

void OutputBuffer::add(std::string_view kind, std::string_view piece) {
  std::lock_guard lock(mutex_);
  std::string joined;
  joined.swap(held(kind));
  joined.append(piece);
  std::string_view chunk = joined;
  while (!chunk.empty()) {
    if (pending_.empty() || pending_.back().kind != kind || pending_.back().text.size() >= kMaxEntry)
      pending_.push_back({0, std::string(kind), {}});
    auto& text = pending_.back().text;
    const std::size_t room = kMaxEntry - text.size();
    text.append(chunk.substr(0, room));
    chunk.remove_prefix(std::min(room, chunk.size()));
  }
}

std::vector<LogEntry> OutputBuffer::take(bool last) {
  std::vector<LogEntry> raw;
  {
    std::lock_guard lock(mutex_);
    raw.swap(pending_);
    for (const char* kind : {"stdout", "stderr"}) {
      // The last piece of each stream may end inside a character: keep that back.
      auto last_of_kind = std::find_if(raw.rbegin(), raw.rend(), [kind](const LogEntry& e) { return e.kind == kind; });
      if (!last && last_of_kind != raw.rend()) {
        const std::size_t cut = incomplete_utf8_tail(last_of_kind->text);
        held(kind) = last_of_kind->text.substr(last_of_kind->text.size() - cut);
        last_of_kind->text.resize(last_of_kind->text.size() - cut);
      }
      if (last && !held(kind).empty()) {
        std::string tail;
        tail.swap(held(kind));
        raw.push_back({0, kind, std::move(tail)});
      }
    }
  }
  std::vector<LogEntry> out;
  for (auto& entry : raw) {
    if (entry.text.empty()) continue;
    out.push_back({0, std::move(entry.kind), valid_text(entry.text)});
  }
  return out;
}

}  // namespace mecapy::jobs
