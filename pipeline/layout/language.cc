#include "layout/language.h"

#include <cctype>

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

int reread_english(Page& page, const ReadEnglish& read) {
  OcrResult& ocr = page.ocr;
  struct Replacement {
    size_t region;
    OcrResult english;
  };
  std::vector<Replacement> replaced;
  for (size_t ri = 0; ri < page.regions.size(); ++ri) {
    const Region& r = page.regions[ri];
    if (r.language != "en") continue;
    std::vector<const OcrWord*> first;
    for (const RegionLine& l : r.lines)
      for (const auto& cell : l.cells)
        for (int id : cell) first.push_back(&ocr.words[id]);
    OcrResult english = read(r.box);
    std::vector<const OcrWord*> second;
    for (const OcrWord& w : english.words) second.push_back(&w);
    const Reading a = reading_of(first), b = reading_of(second);
    if (a.letters == 0 || b.letters == 0) continue;
    const double ratio = static_cast<double>(b.letters) / static_cast<double>(a.letters);
    if (b.confidence < a.confidence + 1 || ratio < 0.6 || ratio > 1.6) continue;
    replaced.push_back({ri, std::move(english)});
  }
  if (replaced.empty()) return 0;

  // The replaced regions' first words go; the others keep theirs under new indices.
  std::vector<char> drop(ocr.words.size(), 0);
  for (const Replacement& rep : replaced)
    for (const RegionLine& l : page.regions[rep.region].lines)
      for (const auto& cell : l.cells)
        for (int id : cell) drop[id] = 1;
  std::vector<int> index(ocr.words.size(), -1);
  std::vector<OcrWord> words;
  for (size_t i = 0; i < ocr.words.size(); ++i)
    if (!drop[i]) {
      index[i] = static_cast<int>(words.size());
      words.push_back(std::move(ocr.words[i]));
    }
  for (Region& r : page.regions)
    for (RegionLine& l : r.lines)
      for (auto& cell : l.cells)
        for (int& id : cell) id = index[id];
  for (Replacement& rep : replaced) {
    Region& r = page.regions[rep.region];
    r.lines.clear();
    int last_line = -1;
    for (OcrWord& w : rep.english.words) {
      if (w.line != last_line || r.lines.empty()) {
        last_line = w.line;
        ocr.lines.push_back(rep.english.lines[w.line]);
        r.lines.push_back(RegionLine{{std::vector<int>{}}, "en"});
      }
      w.line = static_cast<int>(ocr.lines.size()) - 1;
      r.lines.back().cells[0].push_back(static_cast<int>(words.size()));
      words.push_back(std::move(w));
    }
  }
  ocr.words = std::move(words);
  ocr.text = text_of(ocr, page.regions);
  std::vector<const OcrWord*> all;
  for (const OcrWord& w : ocr.words) all.push_back(&w);
  ocr.mean_confidence = static_cast<float>(reading_of(all).confidence);
  return static_cast<int>(replaced.size());
}

}  // namespace sohoa::layout
