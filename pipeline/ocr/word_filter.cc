#include "ocr/word_filter.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace sohoa::ocr {
namespace {

constexpr float kDoubtedConfidence = 80;

/// Length in bytes of the UTF-8 sequence starting with this byte.
size_t seq_len(unsigned char c) { return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1; }

char32_t decode(std::string_view s, size_t at, size_t len) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[at + i]); };
  switch (len) {
    case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    case 4: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    default: return b(0);
  }
}

bool junk(char32_t c) {
  static constexpr char32_t kJunk[] = {U'|', U'_', U'`', U'~', U'¬', U'¡', U'¿', U'§', U'†', U'‡',
                                       U'‹', U'›', U'„', U'^', U'\\', U'ˆ', U'⁄', U'¨', U'´'};
  return std::find(std::begin(kJunk), std::end(kJunk), c) != std::end(kJunk);
}

/// Letters and digits: ASCII alphanumerics and every code point beyond Latin-1 punctuation that
/// Tesseract's Vietnamese model emits for letters (Latin-1 letters, Latin Extended, combining).
bool alnum(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  if (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) return true;  // Latin-1 letters, Latin Extended-A/B
  return (c >= 0x300 && c <= 0x36F) || (c >= 0x1E00 && c <= 0x1EFF);  // combining marks, Latin Extended Additional
}

struct Char {
  size_t at, len;
  char32_t c;
};

}  // namespace

std::string clean_word(std::string_view word, float confidence) {
  std::vector<Char> chars;
  for (size_t i = 0; i < word.size();) {
    size_t len = std::min(seq_len(static_cast<unsigned char>(word[i])), word.size() - i);
    chars.push_back({i, len, decode(word, i, len)});
    i += len;
  }
  size_t first = 0, last = chars.size();  // [first, last)
  for (bool changed = true; changed && first < last;) {
    changed = false;
    while (first < last && junk(chars[first].c)) ++first, changed = true;
    while (first < last && junk(chars[last - 1].c)) --last, changed = true;
    size_t dots = 0;
    while (first + dots < last && chars[first + dots].c == U'.') ++dots;
    if (dots >= 2) first += dots, changed = true;
    dots = 0;
    while (last - dots > first && chars[last - 1 - dots].c == U'.') ++dots;
    if (dots >= 2) last -= dots, changed = true;
  }
  if (first >= last) return {};
  const bool text = std::any_of(chars.begin() + first, chars.begin() + last, [](const Char& c) { return alnum(c.c); });
  if (!text && confidence < kDoubtedConfidence) return {};
  return std::string(word.substr(chars[first].at, chars[last - 1].at + chars[last - 1].len - chars[first].at));
}

bool speck(int word_w, int word_h, int line_h, float confidence) {
  constexpr float kRejected = 30;
  return confidence < kRejected && 4 * word_h < line_h && 4 * word_w < line_h;
}

}  // namespace sohoa::ocr
