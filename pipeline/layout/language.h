// The language of a page's regions (Vietnamese or English), told from their words, and the
// second reading of the regions in English: a bilingual page (a diploma, a certificate for use
// abroad) is read panel by panel, each with the model of the language it is printed in.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/types.h"

namespace sohoa::layout {

/// "en" when at least half of the words that say something about a language (letters only, two
/// or more of them, not a short all-capital code) are neither a Vietnamese syllable (hunspell-vi)
/// nor marked with Vietnamese diacritics, and there are at least `min_words` of them; else "vi".
std::string language_of(const std::vector<std::string>& words, int min_words = 3);

/// Every region's and line's language, from its words (a line too short to tell takes its
/// region's).
void detect_languages(const OcrResult& ocr, std::vector<Region>& regions);

/// Reads a box of the page (pixels of the prepared page) again, by itself; words come back in
/// page pixels. Each re-reading below says with which model and how.
using ReadPart = std::function<OcrResult(const Box&)>;

/// Regions found English are read again in English (`read` uses the English model). The English
/// reading replaces the first one only when it is surer (its mean confidence at least 1 point
/// higher) and about as long (0.6 to 1.6 times as many letters): a picture or a Vietnamese block
/// misjudged stays as it was read.
/// The page's words, regions and text are updated; returns how many regions were replaced.
int reread_english(Page& page, const ReadPart& read);

/// A Vietnamese region the page's reading is unsure of (letter-weighted mean confidence under
/// kUnsureRegionConfidence, at least kMinUnsureLetters letters) is read again by itself as one
/// block (`read` uses the Vietnamese model on one block). Tesseract's page segmentation splits a
/// small blurred header into scraps and reads each as a word of its own; read as a block, its
/// lines come back whole. The block reading
/// replaces the first one only when it is surer by kBlockGain points, holds more letters in
/// Vietnamese syllables, and is about as long (0.6 to 1.6 times the letters). Returns, for
/// each region read again, what was decided and the figures (for the page's `prepare` list).
inline constexpr double kUnsureRegionConfidence = 60;
inline constexpr size_t kMinUnsureLetters = 10;
inline constexpr double kBlockGain = 5;
std::vector<PrepareStep> reread_unsure(Page& page, const ReadPart& read);

}  // namespace sohoa::layout
