// Syllable validity, re-splitting glued words and low-confidence word correction.
#include <algorithm>
#include <cctype>
#include <set>

#include "core/text.h"
#include "lexicon/lexicon.h"
#include "lexicon/util.h"

namespace sohoa::lexicon {

using detail::lower;

namespace {

bool ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// A word that is a syllable, possibly written without its diacritics, or a place/name syllable.
bool known_word(const std::string& low, const Lexicon& lx) {
  return lx.syllables.count(low) || lx.extra_syllables.count(low) || lx.known_folds.count(text::fold(low));
}

// A piece of a glued word: a hunspell syllable; an acronym of hunspell's ("UBND", "HĐND") only
// when written in capitals and 3+ letters long ("TV" in "TVỊ" is more likely a slip).
bool valid_piece(std::string_view piece, const Lexicon& lx) {
  std::string low = lower(piece);
  if (lx.acronyms.count(low)) return text::length(piece) >= 3 && detail::upper(piece) == piece;
  return lx.syllables.count(low) > 0;
}

bool known_pair(const std::string& a, const std::string& b, bool places, const Lexicon& lx) {
  std::string k = a + " " + b;
  return lx.phrase_pairs.count(k) || (places && lx.place_pairs.count(k));
}

/// The lower-case words left and right of word i that no punctuation cuts off from it; empty
/// where there is none.
std::pair<std::string, std::string> neighbours(const std::vector<detail::Parts>& parts, size_t i) {
  const detail::Parts& p = parts[i];
  std::string left, right;
  if (i > 0 && p.prefix.empty() && parts[i - 1].suffix.empty() && detail::letters_only(parts[i - 1].core))
    left = lower(parts[i - 1].core);
  if (i + 1 < parts.size() && p.suffix.empty() && parts[i + 1].prefix.empty() && detail::letters_only(parts[i + 1].core))
    right = lower(parts[i + 1].core);
  return {left, right};
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

}  // namespace

bool is_valid_syllable(std::string_view word, const Lexicon& lx) { return lx.syllables.count(lower(text::nfc(word))) > 0; }

size_t syllable_letters(std::string_view t, const Lexicon& lx) {
  while (!t.empty() && std::ispunct(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::ispunct(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  return !t.empty() && is_valid_syllable(t, lx) ? text::length(std::string(t)) : 0;
}

Resplit resplit_glued(std::string_view text_in, const Lexicon& lx) {
  Resplit r;
  std::string text = text::nfc(text_in);
  r.text.reserve(text.size() + 16);
  if (!lx.ok) {
    r.text = text;
    return r;
  }
  // Lower-case words before and after each position, for phrase evidence between the pieces and
  // their neighbours.
  size_t i = 0;
  std::string prev_low;
  while (i < text.size()) {
    size_t ws = text.find_first_not_of(" \t\n\r\f", i);
    r.text.append(text, i, (ws == std::string::npos ? text.size() : ws) - i);
    if (ws == std::string::npos) break;
    size_t we = text.find_first_of(" \t\n\r\f", ws);
    if (we == std::string::npos) we = text.size();
    std::string_view word = std::string_view(text).substr(ws, we - ws);
    detail::Parts p = detail::split_punct(word);
    std::string low = lower(p.core);
    i = we;
    std::vector<size_t> b = detail::boundaries(p.core);
    const size_t n = b.size() - 1;  // code points
    // A word without diacritics is left alone: it is more often a foreign word ("origin",
    // "online") than Vietnamese that lost its marks, and its pieces would be guesses.
    if (n < 2 || !detail::letters_only(p.core) || ascii(p.core) || known_word(low, lx)) {
      r.text.append(word);
      prev_low = low;
      continue;
    }
    std::vector<std::vector<std::string>> splits;
    for (size_t k = 1; k < n; ++k) {
      std::string_view a = p.core.substr(0, b[k]), c = p.core.substr(b[k]);
      if (k > 1 && n - k > 1 && valid_piece(a, lx) && valid_piece(c, lx))  // one-letter pieces are mostly OCR debris
        splits.push_back({std::string(a), std::string(c)});
    }
    if (splits.empty())  // three pieces only when no two do
      for (size_t k = 1; k < n; ++k)
        for (size_t j = k + 1; j < n; ++j) {
          std::string_view a = p.core.substr(0, b[k]), c = p.core.substr(b[k], b[j] - b[k]), d = p.core.substr(b[j]);
          if (k > 1 && j > k + 1 && n - j > 1 &&  // no one-letter piece
              valid_piece(a, lx) && valid_piece(c, lx) && valid_piece(d, lx))
            splits.push_back({std::string(a), std::string(c), std::string(d)});
        }
    std::string why;
    int chosen = -1;
    if (splits.size() == 1) {
      chosen = 0;
      why = "\"" + std::string(p.core) + "\" is no Vietnamese syllable and \"" + join(splits[0], "\" + \"") +
            "\" is its only split into syllables";
    } else if (splits.size() > 1) {
      // Tie-break by known pairs among the pieces and with the neighbouring words.
      size_t next_ws = text.find_first_not_of(" \t\n\r\f", we);
      std::string next_low;
      if (next_ws != std::string::npos) {
        size_t next_we = text.find_first_of(" \t\n\r\f", next_ws);
        next_low = lower(detail::split_punct(std::string_view(text).substr(next_ws, next_we - next_ws)).core);
      }
      int best = 0, second = 0;
      for (size_t s = 0; s < splits.size(); ++s) {
        std::vector<std::string> l;
        for (const std::string& x : splits[s]) l.push_back(lower(x));
        int score = 0;
        if (!prev_low.empty() && p.prefix.empty()) score += known_pair(prev_low, l.front(), true, lx);
        for (size_t k = 0; k + 1 < l.size(); ++k) score += known_pair(l[k], l[k + 1], true, lx);
        if (!next_low.empty() && p.suffix.empty()) score += known_pair(l.back(), next_low, true, lx);
        if (score > best) {
          second = best;
          best = score;
          chosen = static_cast<int>(s);
        } else if (score == best) {
          second = score;
        }
      }
      if (best == 0 || second == best) chosen = -1;
      if (chosen >= 0)
        why = "\"" + std::string(p.core) + "\" is no Vietnamese syllable; of its " + std::to_string(splits.size()) +
              " splits into syllables only \"" + join(splits[chosen], " ") + "\" forms a known phrase";
    }
    if (chosen < 0) {
      r.text.append(word);
      prev_low = low;
      continue;
    }
    std::string after = join(splits[chosen], " ");
    r.changes.push_back({ws + p.prefix.size(), std::string(p.core), after, why});
    r.text.append(p.prefix);
    r.text.append(after);
    r.text.append(p.suffix);
    prev_low = lower(splits[chosen].back());
  }
  return r;
}

std::vector<Correction> correct_words(const std::vector<WordConf>& words, Field field, float low_conf,
                                      const Lexicon& lx) {
  std::vector<Correction> out;
  if (!lx.ok) return out;
  const bool places = field != Field::ho_ten;
  std::vector<detail::Parts> parts;
  std::vector<std::string> nfcs;
  nfcs.reserve(words.size());
  for (const WordConf& w : words) nfcs.push_back(text::nfc(w.text));
  for (const std::string& s : nfcs) parts.push_back(detail::split_punct(s));
  for (size_t i = 0; i < words.size(); ++i) {
    const detail::Parts& p = parts[i];
    if (!detail::letters_only(p.core)) continue;
    const std::string low = lower(p.core);
    // OCR can be sure of a word that no Vietnamese syllable spells ("đuyệt"): that word is
    // wrong whatever the confidence, so its diacritic fix stands on the phrase evidence alone.
    const bool sure = words[i].confidence >= low_conf;
    if (sure && (field == Field::ho_ten || lx.syllables.count(low) || lx.extra_syllables.count(low))) continue;
    const detail::Shape sh = detail::shape(p.core);
    // Place-name pairs are evidence only inside a place name, after its type word ("PHƯỜNG VĨNH
    // HẢI"): elsewhere they are mostly personal-name syllables ("Vũ Hồng Linh" is no Hồng Lĩnh).
    bool in_place = false;
    for (size_t k = i >= 3 ? i - 3 : 0; k < i && places; ++k) {
      std::string f = text::fold(parts[k].core);
      std::string f2 = k + 1 < i ? f + " " + text::fold(parts[k + 1].core) : std::string();
      for (const char* t : {"xa", "phuong", "huyen", "quan", "tinh", "tp", "tx"}) in_place = in_place || f == t;
      for (const char* t : {"thi xa", "thi tran", "thanh pho", "dac khu"}) in_place = in_place || f2 == t;
    }
    const bool place_pairs = places && in_place;
    const auto [left, right] = neighbours(parts, i);
    auto evidence = [&](const std::string& c) {
      return (left.empty() ? 0 : known_pair(left, c, place_pairs, lx)) + (right.empty() ? 0 : known_pair(c, right, place_pairs, lx));
    };
    auto pair_text = [&](const std::string& c) {
      if (!left.empty() && known_pair(left, c, place_pairs, lx)) return left + " " + c;
      return c + " " + right;
    };
    std::vector<std::string> same_letters;  // diacritic-level variants
    if (auto it = lx.by_fold.find(text::fold(low)); it != lx.by_fold.end())
      for (const std::string& c : it->second)
        if (c != low) same_letters.push_back(c);
    // The candidate with the most evidence, if it alone has the most and has some.
    auto unique_best = [&](const std::vector<std::string>& cands) -> std::string {
      int best = 0, count = 0;
      std::string arg;
      for (const std::string& c : cands) {
        int e = evidence(c);
        if (e > best) {
          best = e;
          count = 1;
          arg = c;
        } else if (e == best && e > 0) {
          ++count;
        }
      }
      return best > 0 && count == 1 ? arg : std::string();
    };
    std::string fix, why;
    const std::string conf = std::to_string(static_cast<int>(words[i].confidence));
    if (field == Field::ho_ten) {
      const bool first = i == 0;
      bool ok = first ? lx.surnames.count(low) > 0 : (lx.syllables.count(low) || lx.given.count(low));
      if (ok) continue;
      std::vector<std::string> names, sylls;
      for (const std::string& c : same_letters) {
        if (first ? lx.surnames.count(c) : lx.given.count(c)) names.push_back(c);
        if (lx.syllables.count(c)) sylls.push_back(c);
      }
      if (names.size() == 1) {
        fix = names[0];
        why = "\"" + std::string(p.core) + "\" (OCR confidence " + conf + ") is no " + (first ? "surname" : "name syllable") +
              "; \"" + fix + "\" is the only " + (first ? "surname" : "given-name syllable") + " with these letters";
      } else if (!first && names.empty() && sylls.size() == 1) {
        fix = sylls[0];
        why = "\"" + std::string(p.core) + "\" (OCR confidence " + conf + ") is no syllable; \"" + fix +
              "\" is the only valid syllable with these letters";
      }
    } else {
      const bool valid = lx.syllables.count(low) || lx.extra_syllables.count(low);
      if (!valid) {
        std::string best = unique_best(same_letters);
        // A lone valid variant without such evidence is not enough: OCR that got the diacritics
        // wrong often got a letter wrong too ("HUỔ" is no "HUƠ").
        bool any_valid = std::any_of(same_letters.begin(), same_letters.end(),
                                     [&](const std::string& c) { return lx.syllables.count(c) > 0; });
        if (!best.empty()) {
          fix = best;
          why = "\"" + std::string(p.core) + "\" (OCR confidence " + conf + ") is no syllable; of its diacritic variants only \"" +
                fix + "\" forms a known phrase: \"" + pair_text(fix) + "\"";
        } else if (!any_valid && !sure) {
          // One letter away (after folding), only with phrase evidence.
          std::string f = text::fold(low);
          std::set<std::string> variants;
          for (size_t k = 0; k <= f.size(); ++k) {
            if (k < f.size()) variants.insert(f.substr(0, k) + f.substr(k + 1));
            for (char c = 'a'; c <= 'z'; ++c) {
              if (k < f.size()) variants.insert(f.substr(0, k) + c + f.substr(k + 1));
              variants.insert(f.substr(0, k) + c + f.substr(k));
            }
          }
          std::vector<std::string> near;
          for (const std::string& v : variants)
            if (auto it = lx.by_fold.find(v); it != lx.by_fold.end() && v != f)
              for (const std::string& c : it->second) near.push_back(c);
          std::string b2 = unique_best(near);
          if (!b2.empty()) {
            fix = b2;
            why = "\"" + std::string(p.core) + "\" (OCR confidence " + conf + ") is no syllable; of the syllables one letter away only \"" +
                  fix + "\" forms a known phrase: \"" + pair_text(fix) + "\"";
          }
        }
      } else if (evidence(low) == 0) {
        std::string best = unique_best(same_letters);
        if (!best.empty()) {
          fix = best;
          why = "\"" + std::string(p.core) + "\" (OCR confidence " + conf + ") forms no known phrase with its neighbours; \"" +
                pair_text(fix) + "\" is a known " + (lx.phrase_pairs.count(pair_text(fix)) ? "phrase" : "place name");
        }
      }
    }
    if (fix.empty()) continue;
    out.push_back({i, std::string(p.core), detail::reshape(fix, sh), why});
  }
  return out;
}

std::vector<Correction> usage_doubts(const std::vector<WordConf>& words, const Lexicon& lx) {
  // A variant must be seen this often beside the neighbour: one or two sightings in a help text
  // are chance; a phrase or place pair counts as many.
  constexpr int kMinUses = 3, kKnownPhrase = 100;
  std::vector<Correction> out;
  if (!lx.ok || lx.word_pairs.empty()) return out;
  std::vector<std::string> nfcs;
  std::vector<detail::Parts> parts;
  for (const WordConf& w : words) nfcs.push_back(text::nfc(w.text));
  for (const std::string& s : nfcs) parts.push_back(detail::split_punct(s));
  auto uses = [&](const std::string& a, const std::string& b) {
    const std::string k = a + " " + b;
    if (lx.phrase_pairs.count(k) || lx.place_pairs.count(k)) return kKnownPhrase;
    auto it = lx.word_pairs.find(k);
    return it == lx.word_pairs.end() ? 0 : it->second;
  };
  for (size_t i = 0; i < words.size(); ++i) {
    const detail::Parts& p = parts[i];
    if (!detail::letters_only(p.core)) continue;
    // A capitalised word inside a line is a name or a place; the corpus says nothing of those.
    if (i > 0 && detail::shape(p.core) != detail::Shape::lower) continue;
    const std::string low = lower(p.core);
    // A word of the administrative phrases is the domain's own; the counts come from other text.
    if (!lx.syllables.count(low) || lx.phrase_words.count(low)) continue;
    const auto [left, right] = neighbours(parts, i);
    if (left.empty() && right.empty()) continue;
    auto evidence = [&](const std::string& c) { return (left.empty() ? 0 : uses(left, c)) + (right.empty() ? 0 : uses(c, right)); };
    if (evidence(low) > 0) continue;
    auto it = lx.by_fold.find(text::fold(low));
    if (it == lx.by_fold.end()) continue;
    int best = 0, second = 0;
    std::string arg;
    for (const std::string& c : it->second) {
      if (c == low || !lx.syllables.count(c)) continue;
      const int e = evidence(c);
      if (e > best) {
        second = best;
        best = e;
        arg = c;
      } else if (e > second) {
        second = e;
      }
    }
    if (best < kMinUses || second * 3 > best) continue;
    // Both neighbours, where there are two, must know the variant to put it in: a pair on one
    // side alone is as often a different word the text meant ("tỉnh Bình Định" is no "tịnh
    // bình"). The word is still never seen beside either: it is asked about.
    const bool both = left.empty() || right.empty() || (uses(left, arg) > 0 && uses(arg, right) > 0);
    const std::string pair = !left.empty() && uses(left, arg) ? left + " " + arg : arg + " " + right;
    const std::string conf = std::to_string(static_cast<int>(words[i].confidence));
    out.push_back({i, std::string(p.core), detail::reshape(arg, detail::shape(p.core)),
                   "\"" + std::string(p.core) + "\" (OCR confidence " + conf + ") is never seen beside its neighbours; \"" + pair +
                       "\" is " + (best >= kKnownPhrase ? std::string("a known phrase") : "seen " + std::to_string(best) + " times in Vietnamese text"),
                   both});
  }
  return out;
}

std::vector<Correction> marked_non_syllables(const std::vector<WordConf>& words, const Lexicon& lx) {
  std::vector<Correction> out;
  if (!lx.ok) return out;
  std::vector<detail::Parts> parts;
  std::vector<std::string> nfcs;
  for (const WordConf& w : words) nfcs.push_back(text::nfc(w.text));
  for (const std::string& s : nfcs) parts.push_back(detail::split_punct(s));
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string_view core = parts[i].core;
    if (!detail::letters_only(core)) continue;
    const std::string low = lower(core);
    // Unmarked words may be foreign ("website", "online"); Vietnamese marks on a non-syllable
    // are a misread mark or letter.
    const std::string folded = text::fold(low);
    if (low.size() == 1 && core == low && !lx.syllables.count(low)) {  // one Latin letter: "đ" (đồng) is two bytes
      out.push_back({i, std::string(core), "?", "\"" + std::string(core) + "\" is a lone letter, no word: a word OCR cut short"});
      continue;
    }
    if (folded == low) continue;
    // No vowel, no syllable meant: an abbreviation ("QĐ", "NĐ", "đ" for đồng).
    if (folded.find_first_of("aeiouy") == std::string::npos) continue;
    if (lx.syllables.count(low) || lx.extra_syllables.count(low) || lx.acronyms.count(low)) continue;
    // What it may have been: the syllables with its letters, the one its neighbours go with first.
    std::vector<std::string> variants;
    if (auto it = lx.by_fold.find(folded); it != lx.by_fold.end())
      for (const std::string& c : it->second)
        if (lx.syllables.count(c)) variants.push_back(c);
    const auto [left, right] = neighbours(parts, i);
    auto seen = [&](const std::string& c) {
      int n = 0;
      if (auto it = lx.word_pairs.find(left + " " + c); !left.empty() && it != lx.word_pairs.end()) n += it->second;
      if (auto it = lx.word_pairs.find(c + " " + right); !right.empty() && it != lx.word_pairs.end()) n += it->second;
      if (!left.empty() && known_pair(left, c, true, lx)) n += 100;
      if (!right.empty() && known_pair(c, right, true, lx)) n += 100;
      return n;
    };
    std::stable_sort(variants.begin(), variants.end(), [&](const std::string& a, const std::string& b) { return seen(a) > seen(b); });
    if (variants.size() > 3) variants.resize(3);
    for (std::string& v : variants) v = detail::reshape(v, detail::shape(core));
    const std::string conf = std::to_string(static_cast<int>(words[i].confidence));
    out.push_back({i, std::string(core), variants.empty() ? "?" : join(variants, " / "),
                   "\"" + std::string(core) + "\" (OCR confidence " + conf + ") carries Vietnamese marks but is no Vietnamese syllable"});
  }
  return out;
}

std::string apply_corrections(const std::vector<WordConf>& words, const std::vector<Correction>& corrections) {
  std::vector<std::string> ws;
  for (const WordConf& w : words) ws.push_back(text::nfc(w.text));
  for (const Correction& c : corrections) {
    if (c.index >= ws.size()) continue;
    size_t at = ws[c.index].find(c.before);
    if (at != std::string::npos) ws[c.index].replace(at, c.before.size(), c.after);
  }
  return join(ws, " ");
}

}  // namespace sohoa::lexicon
