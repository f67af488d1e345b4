// Test helper: runs one piece of work on several threads at once and collects what
// each found wrong, so a concurrency test states only its work and its checks.
#pragma once

#include <thread>
#include <vector>

namespace mecapy::packages {

// Starts `threads` threads, thread t running `work(t)`, which returns how many of its
// results were wrong; returns those counts, one per thread, once all have finished.
template <class Work>
std::vector<int> mismatches_in_threads(int threads, Work work) {
  std::vector<int> mismatches(static_cast<std::size_t>(threads), 0);
  std::vector<std::thread> running;
  running.reserve(mismatches.size());
  for (int t = 0; t < threads; ++t) {
    running.emplace_back([&mismatches, &work, t] { mismatches[static_cast<std::size_t>(t)] = work(t); });
  }
  for (std::thread& thread : running) thread.join();
  return mismatches;
}

}  // namespace mecapy::packages
