#include "core/pdf_date.h"

#include <cctype>
#include <ctime>

namespace sohoa::pdfdate {

namespace {

std::string strftime_utc(long long epoch, const char* fmt) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

}  // namespace

std::optional<long long> parse(std::string_view s) {
  if (s.rfind("D:", 0) == 0) s.remove_prefix(2);
  if (s.size() < 4) return std::nullopt;
  for (size_t i = 0; i < 4; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  auto num = [&](size_t at, size_t len, int def) {
    if (s.size() < at + len) return def;
    int v = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return def;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  std::tm tm{};
  tm.tm_year = num(0, 4, 1970) - 1900;
  tm.tm_mon = num(4, 2, 1) - 1;
  tm.tm_mday = num(6, 2, 1);
  tm.tm_hour = num(8, 2, 0);
  tm.tm_min = num(10, 2, 0);
  tm.tm_sec = num(12, 2, 0);
  long long t = timegm(&tm);
  if (s.size() > 14 && (s[14] == '+' || s[14] == '-')) {
    const int sign = s[14] == '+' ? 1 : -1;
    t -= sign * (num(15, 2, 0) * 3600LL + num(18, 2, 0) * 60LL);
  }
  return t;
}

std::string format(long long epoch) { return strftime_utc(epoch, "D:%Y%m%d%H%M%S+00'00'"); }

std::string readable(long long epoch) { return strftime_utc(epoch, "%Y-%m-%d %H:%M:%S UTC"); }

}  // namespace sohoa::pdfdate
