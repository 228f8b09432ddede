#include "layout/language.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string_view>

#include "core/text.h"
#include "layout/layout.h"
#include "lexicon/lexicon.h"

namespace sohoa::layout {
namespace {

enum class Says { nothing, vietnamese, foreign };

// What one word says about its language. Digits, codes ("HCTP", "UBND"), single letters and
// words with inner punctuation say nothing; a Vietnamese mark says Vietnamese.
Says says(const std::string& word, const lexicon::Lexicon& lx) {
  size_t a = 0, b = word.size();
  auto punct = [](unsigned char c) { return c < 0x80 && !std::isalnum(c); };
  while (a < b && punct(word[a])) ++a;
  while (b > a && punct(word[b - 1])) --b;
  if (b - a < 2) return Says::nothing;
  bool marked = false, upper = true;
  std::string lower;
  for (size_t i = a; i < b; ++i) {
    const unsigned char c = word[i];
    if (c >= 0x80) {
      marked = true;
      continue;
    }
    if (!std::isalpha(c)) return Says::nothing;
    upper = upper && std::isupper(c);
    lower += static_cast<char>(std::tolower(c));
  }
  if (marked) return Says::vietnamese;
  if (upper && lower.size() <= 4) return Says::nothing;
  if (lx.syllables.count(lower) || lx.extra_syllables.count(lower) || lx.acronyms.count(lower)) return Says::vietnamese;
  return Says::foreign;
}

std::vector<std::string> words_of(const OcrResult& ocr, const RegionLine& l) {
  std::vector<std::string> out;
  for (const auto& cell : l.cells)
    for (int id : cell) out.push_back(ocr.words[id].text);
  return out;
}

struct Reading {
  double confidence = 0;  // letter-weighted mean
  size_t letters = 0;
};

Reading reading_of(const std::vector<const OcrWord*>& words) {
  double sum = 0;
  size_t n = 0;
  for (const OcrWord* w : words) {
    const size_t len = text::length(w->text);
    sum += w->confidence * static_cast<double>(len);
    n += len;
  }
  return {n ? sum / static_cast<double>(n) : 0, n};
}

}  // namespace

namespace {
// "en", "vi", or "" when fewer than min_words words tell.
std::string tell(const std::vector<std::string>& words, int min_words) {
  const lexicon::Lexicon& lx = lexicon::lexicon();
  if (lx.syllables.empty()) return "";  // without the syllable list nothing can be told
  int foreign = 0, counted = 0;
  for (const std::string& w : words) {
    const Says s = says(w, lx);
    if (s == Says::nothing) continue;
    ++counted;
    foreign += s == Says::foreign;
  }
  if (counted < min_words) return "";
  return 2 * foreign >= counted ? "en" : "vi";
}
}  // namespace

std::string language_of(const std::vector<std::string>& words, int min_words) {
  const std::string t = tell(words, min_words);
  return t.empty() ? "vi" : t;
}

void detect_languages(const OcrResult& ocr, std::vector<Region>& regions) {
  for (Region& r : regions) {
    std::vector<std::string> all;
    for (const RegionLine& l : r.lines) {
      auto w = words_of(ocr, l);
      all.insert(all.end(), w.begin(), w.end());
    }
    r.language = language_of(all);
    for (RegionLine& l : r.lines) {
      const std::string t = tell(words_of(ocr, l), 3);
      l.language = t.empty() ? r.language : t;
    }
  }
}

namespace {

struct Replacement {
  size_t region;
  OcrResult reading;
  std::string language;
};

/// The replaced regions' first words go; the others keep theirs under new indices. Each
/// replaced region takes its new reading's lines, in the new reading's order, where its first
/// line was: line numbers are the page's reading order, which later stages sort by.
void replace_regions(Page& page, std::vector<Replacement>& replaced) {
  OcrResult& ocr = page.ocr;
  const int old_lines = static_cast<int>(ocr.lines.size());
  std::vector<char> drop(ocr.words.size(), 0);
  std::vector<int> anchor(replaced.size(), old_lines);  // where each region's new lines go
  for (size_t k = 0; k < replaced.size(); ++k)
    for (const RegionLine& l : page.regions[replaced[k].region].lines)
      for (const auto& cell : l.cells)
        for (int id : cell) {
          drop[id] = 1;
          anchor[k] = std::min(anchor[k], ocr.words[id].line);
        }
  // The new line list: old lines in order, each replacement's lines before its anchor.
  std::vector<OcrLine> lines;
  std::vector<int> line_index(old_lines, -1);
  std::vector<int> first_new(replaced.size(), -1);
  for (int i = 0; i <= old_lines; ++i) {
    for (size_t k = 0; k < replaced.size(); ++k)
      if (anchor[k] == i) {
        first_new[k] = static_cast<int>(lines.size());
        lines.insert(lines.end(), replaced[k].reading.lines.begin(), replaced[k].reading.lines.end());
      }
    if (i < old_lines) {
      line_index[i] = static_cast<int>(lines.size());
      lines.push_back(ocr.lines[i]);
    }
  }
  std::vector<int> index(ocr.words.size(), -1);
  std::vector<OcrWord> words;
  for (size_t i = 0; i < ocr.words.size(); ++i)
    if (!drop[i]) {
      index[i] = static_cast<int>(words.size());
      OcrWord& w = ocr.words[i];
      if (w.line >= 0 && w.line < old_lines) w.line = line_index[w.line];
      words.push_back(std::move(w));
    }
  for (Region& r : page.regions)
    for (RegionLine& l : r.lines)
      for (auto& cell : l.cells)
        for (int& id : cell) id = index[id];
  for (size_t k = 0; k < replaced.size(); ++k) {
    Replacement& rep = replaced[k];
    Region& r = page.regions[rep.region];
    r.lines.clear();
    int last_line = -1;
    for (OcrWord& w : rep.reading.words) {
      if (w.line != last_line || r.lines.empty()) {
        last_line = w.line;
        r.lines.push_back(RegionLine{{std::vector<int>{}}, rep.language});
      }
      w.line += first_new[k];
      r.lines.back().cells[0].push_back(static_cast<int>(words.size()));
      words.push_back(std::move(w));
    }
  }
  ocr.lines = std::move(lines);
  ocr.words = std::move(words);
  ocr.text = text_of(ocr, page.regions);
  std::vector<const OcrWord*> all;
  for (const OcrWord& w : ocr.words) all.push_back(&w);
  ocr.mean_confidence = static_cast<float>(reading_of(all).confidence);
}

std::vector<const OcrWord*> words_in(const OcrResult& ocr, const Region& r) {
  std::vector<const OcrWord*> out;
  for (const RegionLine& l : r.lines)
    for (const auto& cell : l.cells)
      for (int id : cell) out.push_back(&ocr.words[id]);
  return out;
}

size_t syllable_letters(const std::vector<const OcrWord*>& words) {
  size_t n = 0;
  for (const OcrWord* w : words) n += lexicon::syllable_letters(w->text);
  return n;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

int reread_english(Page& page, const ReadPart& read) {
  std::vector<Replacement> replaced;
  for (size_t ri = 0; ri < page.regions.size(); ++ri) {
    const Region& r = page.regions[ri];
    if (r.language != "en") continue;
    const std::vector<const OcrWord*> first = words_in(page.ocr, r);
    OcrResult english = read(r.box);
    std::vector<const OcrWord*> second;
    for (const OcrWord& w : english.words) second.push_back(&w);
    const Reading a = reading_of(first), b = reading_of(second);
    if (a.letters == 0 || b.letters == 0) continue;
    const double ratio = static_cast<double>(b.letters) / static_cast<double>(a.letters);
    if (b.confidence < a.confidence + 1 || ratio < 0.6 || ratio > 1.6) continue;
    replaced.push_back({ri, std::move(english), "en"});
  }
  if (!replaced.empty()) replace_regions(page, replaced);
  return static_cast<int>(replaced.size());
}

std::vector<PrepareStep> reread_unsure(Page& page, const ReadPart& read) {
  std::vector<Replacement> replaced;
  std::vector<PrepareStep> outcomes;
  for (size_t ri = 0; ri < page.regions.size(); ++ri) {
    const Region& r = page.regions[ri];
    if (r.language != "vi") continue;
    const std::vector<const OcrWord*> first = words_in(page.ocr, r);
    const Reading a = reading_of(first);
    if (a.letters < kMinUnsureLetters || a.confidence >= kUnsureRegionConfidence) continue;
    OcrResult block = read(r.box);
    std::vector<const OcrWord*> second;
    for (const OcrWord& w : block.words) second.push_back(&w);
    const Reading b = reading_of(second);
    const size_t sa = syllable_letters(first), sb = syllable_letters(second);
    const double ratio = a.letters ? static_cast<double>(b.letters) / static_cast<double>(a.letters) : 0;
    const bool better = b.confidence >= a.confidence + kBlockGain && sb > sa && ratio >= 0.6 && ratio <= 1.6;
    outcomes.push_back({"reread_unsure_region", better,
                        std::string(better ? "read again as one block" : "kept the page's reading") + " at " +
                            std::to_string(r.box.x) + "," + std::to_string(r.box.y) + " " + std::to_string(r.box.w) + "x" +
                            std::to_string(r.box.h) + ": mean confidence " + fmt(b.confidence) + " vs " + fmt(a.confidence) +
                            ", letters in Vietnamese syllables " + std::to_string(sb) + " vs " + std::to_string(sa) +
                            ", letters " + std::to_string(b.letters) + " vs " + std::to_string(a.letters)});
    if (better) replaced.push_back({ri, std::move(block), "vi"});
  }
  if (!replaced.empty()) replace_regions(page, replaced);
  return outcomes;
}

}  // namespace sohoa::layout
