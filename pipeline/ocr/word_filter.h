// Marks Tesseract makes of what is not text: rule remnants, specks, leader dots.
#pragma once
#include <string>
#include <string_view>

namespace sohoa::ocr {

/// A recognised word without the junk at its edges; "" when nothing of it is text.
/// - Characters Vietnamese administrative print never uses (| _ ` ~ ¬ ¡ ¿ § † ‡ ‹ › „ ^ \ ˆ)
///   are what Tesseract reads from a table rule, a speck or a scratch: taken off both edges.
/// - Two or more dots at an edge are what is left of a dotted leader ("tên chồng:...").
/// - A word of punctuation alone that Tesseract itself doubts (confidence under 80) is a speck.
std::string clean_word(std::string_view word, float confidence);

/// A "word" far smaller than any letter of its line (its box under a quarter of the line's
/// height each way) that Tesseract all but rejects: a speck or a photo's edge, not text.
bool speck(int word_w, int word_h, int line_h, float confidence);

}  // namespace sohoa::ocr
