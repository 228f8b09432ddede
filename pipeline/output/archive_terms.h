// Names the archive uses: Vietnamese names of the doc_type codes, and the clock of the output.
#pragma once
#include <cstdlib>
#include <ctime>
#include <string>

#include "doctypes/doctypes.h"

namespace sohoa::output {

/// "giay_khai_sinh" -> "Giấy khai sinh" (tên loại văn bản, from the document-type catalogue);
/// unknown codes come back unchanged.
inline std::string doc_type_name(const std::string& code) { return doctypes::name_of(code); }

/// Seconds since the epoch for dates sohoa writes: SOURCE_DATE_EPOCH when set (reproducible
/// builds convention, makes packages byte-identical across runs), else the clock.
inline long long output_epoch() {
  if (const char* s = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    const long long v = std::strtoll(s, &end, 10);
    if (end && *end == '\0' && v >= 0) return v;
  }
  return static_cast<long long>(std::time(nullptr));
}

/// "2025-03-01T08:00:00Z".
inline std::string iso_utc(long long epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace sohoa::output
