// Progress for people: a redrawn bar on a terminal, a plain line now and then otherwise.
#pragma once
#include <chrono>
#include <cstdio>

namespace sohoa::batch {

class Progress {
 public:
  Progress(FILE* out, int total_pages, bool enabled);
  /// Called from one thread only (the batch's main thread).
  void update(int pages_done, bool final = false);

 private:
  FILE* out_;
  int total_;
  bool enabled_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_line_;
  int last_reported_ = -1;
};

}  // namespace sohoa::batch
