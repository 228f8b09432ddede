#include "lexicon/util.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>

#include "core/text.h"

namespace sohoa::lexicon::detail {

namespace {

UChar32 cp_at(std::string_view s, size_t at) {
  int32_t i = static_cast<int32_t>(at);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(s.size()), c);
  return c;
}

const icu::Locale& vi() {
  static const icu::Locale k("vi");
  return k;
}

bool is_alnum_cp(UChar32 c) { return c >= 0 && (u_isalpha(c) || u_isdigit(c) || u_getCombiningClass(c) != 0); }

}  // namespace

std::string lower(std::string_view s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  u.toLower(vi());
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::string upper(std::string_view s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  u.toUpper(vi());
  std::string out;
  u.toUTF8String(out);
  return out;
}

Shape shape(std::string_view word) {
  int up = 0, low = 0;
  bool first_up = false, seen = false;
  std::vector<size_t> b = boundaries(word);
  for (size_t k = 0; k + 1 < b.size(); ++k) {
    UChar32 c = cp_at(word, b[k]);
    if (!u_isalpha(c)) continue;
    bool is_up = u_isupper(c);
    if (!seen) first_up = is_up;
    seen = true;
    (is_up ? up : low)++;
  }
  if (up > 0 && low == 0) return Shape::upper;
  if (up == 0) return Shape::lower;
  if (up == 1 && first_up) return Shape::title;
  return Shape::mixed;
}

std::string reshape(std::string_view replacement, Shape s) {
  switch (s) {
    case Shape::upper: return upper(replacement);
    case Shape::title: {
      std::vector<size_t> b = boundaries(replacement);
      if (b.size() < 2) return std::string(replacement);
      return upper(replacement.substr(0, b[1])) + lower(replacement.substr(b[1]));
    }
    case Shape::lower:
    case Shape::mixed: return lower(replacement);
  }
  return std::string(replacement);
}

std::string other_tone_placement(std::string_view low) {
  UErrorCode st = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(st);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(st);
  if (U_FAILURE(st)) return {};
  icu::UnicodeString u = nfd->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(low.data(), low.size())), st);
  if (U_FAILURE(st)) return {};
  // clusters: a base letter and the marks after it
  std::vector<std::pair<UChar32, std::vector<UChar32>>> cl;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (u_getCombiningClass(c) != 0 && !cl.empty()) cl.back().second.push_back(c);
    else cl.push_back({c, {}});
  }
  auto is_tone = [](UChar32 m) { return m == 0x300 || m == 0x301 || m == 0x303 || m == 0x309 || m == 0x323; };
  const size_t n = cl.size();
  if (n < 2) return {};
  UChar32 a = cl[n - 2].first, b = cl[n - 1].first;
  bool pair = (a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y' && !(n >= 3 && cl[n - 3].first == 'q'));
  if (!pair) return {};
  // only the tone may sit on the two vowels (no circumflex, breve or horn)
  int tone_at = -1;
  UChar32 tone = 0;
  for (size_t k = n - 2; k < n; ++k)
    for (UChar32 m : cl[k].second) {
      if (!is_tone(m)) return {};
      tone_at = static_cast<int>(k);
      tone = m;
    }
  if (tone_at < 0) return {};
  cl[tone_at].second.clear();
  cl[tone_at == static_cast<int>(n - 2) ? n - 1 : n - 2].second.push_back(tone);
  icu::UnicodeString out;
  for (const auto& [base, marks] : cl) {
    out.append(base);
    for (UChar32 m : marks) out.append(m);
  }
  std::string r;
  nfc->normalize(out, st).toUTF8String(r);
  return U_FAILURE(st) ? std::string() : r;
}

std::vector<size_t> boundaries(std::string_view s) {
  std::vector<size_t> out;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    out.push_back(static_cast<size_t>(i));
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
  }
  out.push_back(s.size());
  return out;
}

bool is_letter_cp(std::string_view s, size_t at) {
  UChar32 c = cp_at(s, at);
  return c >= 0 && (u_isalpha(c) || u_getCombiningClass(c) != 0);
}

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool letters_only(std::string_view s) {
  if (s.empty()) return false;
  std::vector<size_t> b = boundaries(s);
  for (size_t k = 0; k + 1 < b.size(); ++k)
    if (!is_letter_cp(s, b[k])) return false;
  return true;
}

Parts split_punct(std::string_view word) {
  std::vector<size_t> b = boundaries(word);
  size_t first = 0, last = b.size() - 1;  // code point indices [first, last)
  while (first < last && !is_alnum_cp(cp_at(word, b[first]))) ++first;
  while (last > first && !is_alnum_cp(cp_at(word, b[last - 1]))) --last;
  return {word.substr(0, b[first]), word.substr(b[first], b[last] - b[first]), word.substr(b[last])};
}

std::string strip_zeros(std::string s) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return s;
  size_t z = s.find_first_not_of('0');
  return z == std::string::npos ? "0" : s.substr(z);
}

std::vector<Token> tokens(std::string_view text) {
  std::vector<Token> out;
  std::vector<size_t> b = boundaries(text);
  bool hard = false;
  size_t k = 0;
  while (k + 1 < b.size()) {
    UChar32 c = cp_at(text, b[k]);
    if (!is_alnum_cp(c)) {
      if (c == ',' || c == ';' || c == ':' || c == '\n' || c == '(' || c == ')' || c == '\f' ||
          c == '"' || c == '/' || c == 0x2013 || c == 0x2014)
        hard = true;
      ++k;
      continue;
    }
    size_t s = k;
    while (k + 1 < b.size() && is_alnum_cp(cp_at(text, b[k]))) ++k;
    Token t;
    t.begin = b[s];
    t.end = b[k];
    t.text = std::string(text.substr(t.begin, t.end - t.begin));
    t.folded = strip_zeros(text::fold(t.text));
    t.hard_break_before = hard;
    hard = false;
    out.push_back(std::move(t));
  }
  return out;
}

int bounded_distance(std::string_view a, std::string_view b, int cap) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > cap) return cap + 1;
  std::vector<int> prev(m + 1), cur(m + 1);
  for (int j = 0; j <= m; ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return prev[m];
}

}  // namespace sohoa::lexicon::detail
