// Vietnamese text helpers: NFC normalisation, diacritic folding, whitespace.
#pragma once
#include <string>
#include <string_view>

namespace sohoa::text {

/// Unicode NFC; invalid UTF-8 sequences are replaced with U+FFFD.
std::string nfc(std::string_view utf8);
/// Lower case, diacritics removed, đ -> d: "Nguyễn Văn An" -> "nguyen van an".
std::string fold(std::string_view utf8);
/// Runs of whitespace to one space, trimmed.
std::string collapse_spaces(std::string_view s);
std::string trim(std::string_view s);
/// Whether the bytes are well-formed UTF-8.
bool valid_utf8(std::string_view s);
/// Number of Unicode code points.
size_t length(std::string_view utf8);

}  // namespace sohoa::text
