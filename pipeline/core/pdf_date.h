// Dates as PDF writes them ("D:20250108093000+07'00'"), for signatures read and written.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace sohoa::pdfdate {

/// "D:YYYYMMDDHHmmSSOHH'mm'" (every part after the year optional) to seconds since the epoch,
/// UTC; nullopt when it does not start with a year.
std::optional<long long> parse(std::string_view pdf_date);
/// Seconds to "D:YYYYMMDDHHmmSS+00'00'".
std::string format(long long epoch);
/// Seconds to "YYYY-MM-DD HH:MM:SS UTC", for messages.
std::string readable(long long epoch);

}  // namespace sohoa::pdfdate
