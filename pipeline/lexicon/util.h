// Internal helpers of the lexicon: case mapping and tokens with their byte spans.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace sohoa::lexicon::detail {

std::string lower(std::string_view s);
std::string upper(std::string_view s);

enum class Shape { lower, upper, title, mixed };
Shape shape(std::string_view word);
/// replacement written in the shape of the word it replaces ("duyệt", UPPER -> "DUYỆT").
std::string reshape(std::string_view replacement, Shape s);

/// The same syllable with its tone mark on the other vowel of an open "oa", "oe" or "uy"
/// ("hòa" <-> "hoà", "thủy" <-> "thuỷ"): both placements are in use, hunspell-vi has the second.
/// "" when the syllable has no such pair.
std::string other_tone_placement(std::string_view low);

/// Byte offsets of the code point starts of s, plus s.size().
std::vector<size_t> boundaries(std::string_view s);
bool is_letter_cp(std::string_view s, size_t at);
bool has_digit(std::string_view s);
/// A word is letters only (after its leading/trailing punctuation is taken off).
bool letters_only(std::string_view s);
/// Leading and trailing non-alphanumeric bytes/code points split off: [prefix, core, suffix].
struct Parts {
  std::string_view prefix, core, suffix;
};
Parts split_punct(std::string_view word);

struct Token {
  size_t begin = 0, end = 0;  // bytes
  std::string text;           // as written
  std::string folded;         // text::fold; numbers without leading zeros
  bool hard_break_before = false;  // a comma, colon, newline, bracket... lies before it
};
/// Runs of letters and digits.
std::vector<Token> tokens(std::string_view text);
std::string strip_zeros(std::string s);

/// Levenshtein distance, capped: returns cap + 1 as soon as it must exceed cap.
int bounded_distance(std::string_view a, std::string_view b, int cap);

}  // namespace sohoa::lexicon::detail
