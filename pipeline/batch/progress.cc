#include "batch/progress.h"

#include <unistd.h>

#include <string>

namespace sohoa::batch {

Progress::Progress(FILE* out, int total_pages, bool enabled)
    : out_(out), total_(total_pages), enabled_(enabled), tty_(::isatty(::fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()), last_line_(start_) {}

static std::string duration(double seconds) {
  if (seconds < 0 || seconds > 1e7) return "--";
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, s / 60 % 60);
  else std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  return buf;
}

void Progress::update(int done, bool final) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (!tty_ && !final) {
    // Logs get a line every 10 s at most, and only when something moved.
    if (done == last_reported_ || now - last_line_ < std::chrono::seconds(10)) return;
    last_line_ = now;
  }
  last_reported_ = done;
  const double per_min = elapsed > 0 ? done * 60.0 / elapsed : 0;
  const double eta = done > 0 ? elapsed / done * (total_ - done) : -1;
  const int pct = total_ > 0 ? done * 100 / total_ : 100;
  if (tty_) {
    constexpr int width = 30;
    const int filled = total_ > 0 ? done * width / total_ : width;
    std::string bar(filled, '#');
    bar.resize(width, '.');
    std::fprintf(out_, "\r[%s] %3d%%  %d/%d pages  %.1f pages/min  %s left ", bar.c_str(), pct, done, total_,
                 per_min, final ? "0m00s" : duration(eta).c_str());
    if (final) std::fputc('\n', out_);
  } else {
    std::fprintf(out_, "progress: %d/%d pages (%d%%), %.1f pages/min, %s left\n", done, total_, pct, per_min,
                 final ? "0m00s" : duration(eta).c_str());
  }
  std::fflush(out_);
}

}  // namespace sohoa::batch
