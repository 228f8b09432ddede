// Finding administrative units named in a line of text.
#include <algorithm>
#include <set>

#include "core/text.h"
#include "lexicon/lexicon.h"
#include "lexicon/util.h"

namespace sohoa::lexicon {

using detail::Token;

namespace {

constexpr int kMaxNameTokens = 5;
constexpr size_t kMinFuzzyLetters = 5;  // shorter names are too close to each other for a slip

struct TypeWord {
  std::vector<std::string> folded;  // the word(s) as folded tokens
  std::string written;              // lower case, with diacritics, for "written like the type"
  std::vector<std::string> types;   // lower-case unit types it names
};

const std::vector<TypeWord>& type_words() {
  static const std::vector<TypeWord> k = {
      {{"thanh", "pho"}, "thành phố", {"thành phố", "thành phố trung ương"}},
      {{"thi", "xa"}, "thị xã", {"thị xã"}},
      {{"thi", "tran"}, "thị trấn", {"thị trấn"}},
      {{"dac", "khu"}, "đặc khu", {"đặc khu"}},
      {{"tinh"}, "tỉnh", {"tỉnh"}},
      {{"huyen"}, "huyện", {"huyện"}},
      {{"quan"}, "quận", {"quận"}},
      {{"phuong"}, "phường", {"phường"}},
      {{"xa"}, "xã", {"xã"}},
      {{"tp"}, "tp", {"thành phố", "thành phố trung ương"}},
      {{"tx"}, "tx", {"thị xã"}},
      {{"tt"}, "tt", {"thị trấn"}},
  };
  return k;
}

bool has_diacritics(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return true;
  return false;
}

// A type word counts when written as the type ("Quận", "QUẬN") or without any diacritics
// ("QUAN"): "quản lý" and "quan hệ" are no districts.
bool written_as_type(const std::vector<Token>& t, size_t i, const TypeWord& tw) {
  if (i + tw.folded.size() > t.size()) return false;
  std::string written;
  for (size_t k = 0; k < tw.folded.size(); ++k) {
    if (t[i + k].folded != tw.folded[k]) return false;
    if (k > 0 && t[i + k].hard_break_before) return false;
    written += (k ? " " : "") + t[i + k].text;
  }
  return !has_diacritics(written) || detail::lower(written) == tw.written;
}

std::string join_folded(const std::vector<Token>& t, size_t b, size_t e) {
  std::string s;
  for (size_t k = b; k < e; ++k) s += (k > b ? " " : "") + t[k].folded;
  return s;
}

bool in_force(const AdminUnit& u, std::string_view date) {
  if (date.empty()) return true;
  if (!u.from.empty() && std::string_view(u.from) > date) return false;
  if (!u.until.empty() && std::string_view(u.until) <= date) return false;
  return true;
}

struct Hit {
  size_t name_end = 0;  // token index after the name
  std::vector<uint32_t> units;
  bool exact = false;
  int edits = 0;
};

// The longest run of tokens from `from` that names a unit of one of `types`.
Hit match_name(const std::vector<Token>& t, size_t from, const std::vector<std::string>& types, std::string_view date,
               const Lexicon& lx, bool fuzzy = true) {
  Hit best;
  size_t max_end = from;
  while (max_end < t.size() && max_end - from < kMaxNameTokens && (max_end == from || !t[max_end].hard_break_before))
    ++max_end;
  auto type_ok = [&](const AdminUnit& u) {
    std::string lt = detail::lower(u.type);
    return std::find(types.begin(), types.end(), lt) != types.end() && in_force(u, date);
  };
  for (size_t e = max_end; e > from; --e) {
    auto it = lx.by_name.find(join_folded(t, from, e));
    if (it == lx.by_name.end()) continue;
    std::vector<uint32_t> units, exact;
    std::string written;
    for (size_t k = from; k < e; ++k) written += (k > from ? " " : "") + t[k].text;
    std::string wl = detail::lower(written);
    for (uint32_t i : it->second) {
      if (!type_ok(lx.units[i])) continue;
      units.push_back(i);
      if (detail::lower(lx.units[i].bare) == wl) exact.push_back(i);
    }
    if (units.empty()) continue;
    best.name_end = e;
    best.exact = !exact.empty();
    best.units = exact.empty() ? units : exact;
    return best;
  }
  // One OCR slip (after folding) in a name of 5+ letters, when only one name fits.
  if (!fuzzy) return best;
  std::set<std::string> keys;
  size_t key_end = 0;
  for (size_t e = max_end; e > from; --e) {
    std::string cand = join_folded(t, from, e);
    if (cand.size() < kMinFuzzyLetters || detail::has_digit(cand)) continue;
    for (const auto& [key, idx] : lx.by_name) {
      if (key.size() + 1 < cand.size() || key.size() > cand.size() + 1) continue;
      if (detail::bounded_distance(key, cand, 1) != 1) continue;
      if (std::none_of(idx.begin(), idx.end(), [&](uint32_t i) { return type_ok(lx.units[i]); })) continue;
      if (keys.insert(key).second) key_end = e;
    }
    if (!keys.empty()) break;  // the longest run with a near name decides
  }
  if (keys.size() != 1) return best;
  for (uint32_t i : lx.by_name.at(*keys.begin()))
    if (type_ok(lx.units[i])) best.units.push_back(i);
  best.name_end = key_end;
  best.edits = 1;
  return best;
}

bool is_ancestor(const AdminUnit& anc, const AdminUnit& u) {
  if (anc.era != u.era || anc.level >= u.level) return false;
  if (anc.level == 1) return u.province == anc.code;
  return u.level == 3 && u.parent == anc.code;  // a district and its commune
}

}  // namespace

const AdminUnit* province_of(const AdminUnit& u, const Lexicon& lx) {
  auto it = lx.province_index.find(std::string(1, u.era) + u.province);
  return it == lx.province_index.end() ? nullptr : &lx.units[it->second];
}

std::vector<PlaceMatch> find_places(std::string_view text_in, std::string_view on_date, std::string_view context,
                                    const Lexicon& lx) {
  std::vector<PlaceMatch> out;
  if (!lx.ok) return out;
  std::vector<PlaceMatch> around;
  if (!context.empty()) around = find_places(context, on_date, {}, lx);
  std::string nfc = text::nfc(text_in);
  std::string_view text = nfc;
  std::vector<Token> t = detail::tokens(text);
  std::vector<Hit> hits;
  std::vector<std::pair<size_t, size_t>> spans;  // token [begin, end) of each hit
  for (size_t i = 0; i < t.size();) {
    bool found = false;
    for (const TypeWord& tw : type_words()) {
      if (!written_as_type(t, i, tw)) continue;
      size_t name_from = i + tw.folded.size();
      if (name_from >= t.size() || t[name_from].hard_break_before) continue;
      // "xã hội" (society), "quận chúa": a type word that forms a common phrase with the next
      // word names a unit only when the name matches exactly.
      bool phrase = lx.phrase_pairs_folded.count(t[i + tw.folded.size() - 1].folded + " " + t[name_from].folded) > 0;
      Hit h = match_name(t, name_from, tw.types, on_date, lx, !phrase);
      if (h.units.empty()) continue;
      hits.push_back(h);
      spans.emplace_back(i, h.name_end);
      i = h.name_end;
      found = true;
      break;
    }
    if (!found) ++i;
  }
  if (hits.empty()) {  // a province named alone: "SỞ Y TẾ NGHỆ AN" (two syllables at least)
    for (size_t i = 0; i < t.size();) {
      Hit h = match_name(t, i, {"tỉnh", "thành phố", "thành phố trung ương"}, on_date, lx);
      std::erase_if(h.units, [&](uint32_t u) { return lx.units[u].level != 1; });
      if (h.edits == 0 && !h.units.empty() && h.name_end - i >= 2) {
        hits.push_back(h);
        spans.emplace_back(i, h.name_end);
        i = h.name_end;
      } else {
        ++i;
      }
    }
  }
  for (size_t h = 0; h < hits.size(); ++h) {
    PlaceMatch m;
    m.begin = t[spans[h].first].begin;
    m.end = t[spans[h].second - 1].end;
    m.written = std::string(text.substr(m.begin, m.end - m.begin));
    m.diacritics_exact = hits[h].exact;
    m.edits = hits[h].edits;
    std::vector<const AdminUnit*> cands;
    for (uint32_t i : hits[h].units) cands.push_back(&lx.units[i]);
    // Narrow by the other places named: keep candidates inside one of them.
    for (size_t o = 0; o < hits.size(); ++o) {
      if (o == h) continue;
      std::vector<const AdminUnit*> kept;
      for (const AdminUnit* c : cands)
        for (uint32_t a : hits[o].units)
          if (is_ancestor(lx.units[a], *c)) {
            kept.push_back(c);
            break;
          }
      if (!kept.empty()) cands = kept;
    }
    // Then by the places of the context: the candidates inside its most specific place (a
    // district before a province), or equal to a unit it names unambiguously.
    if (cands.size() > 1 && !around.empty()) {
      std::vector<const AdminUnit*> kept;
      int best = 0;
      for (const AdminUnit* c : cands) {
        int score = 0;
        for (const PlaceMatch& a : around) {
          for (const AdminUnit* u : a.candidates)
            if (is_ancestor(*u, *c)) score = std::max(score, u->level);
          if (a.unit && a.candidates.size() == 1 && a.unit == c) score = std::max(score, 3);
        }
        if (score > best) kept.clear(), best = score;
        if (score == best && score > 0) kept.push_back(c);
      }
      if (!kept.empty()) cands = kept;
    }
    m.candidates = cands;
    m.level = cands.front()->level;
    std::set<std::string> prov_names, places;
    for (const AdminUnit* c : cands) {
      const AdminUnit* p = province_of(*c, lx);
      prov_names.insert(p ? p->name : "");
      places.insert(std::to_string(c->level) + "|" + c->bare + "|" + (p ? p->name : ""));
    }
    if (prov_names.size() == 1 && !prov_names.begin()->empty()) {
      // the most recent era's province for the name
      const AdminUnit* best = nullptr;
      for (const AdminUnit* c : cands) {
        const AdminUnit* p = province_of(*c, lx);
        if (!best || (p->until.empty() ? "9" : p->until) > (best->until.empty() ? "9" : best->until)) best = p;
      }
      m.province = best;
    }
    if (places.size() == 1) {
      const AdminUnit* best = nullptr;
      for (const AdminUnit* c : cands)
        if (!best || (c->until.empty() ? "9" : c->until) > (best->until.empty() ? "9" : best->until)) best = c;
      m.unit = best;
    }
    m.level = m.unit ? m.unit->level : cands.front()->level;
    out.push_back(std::move(m));
  }
  return out;
}

std::optional<PlaceMatch> find_place(std::string_view text, std::string_view on_date, std::string_view context,
                                     const Lexicon& lx) {
  std::vector<PlaceMatch> all = find_places(text, on_date, context, lx);
  if (all.empty()) return std::nullopt;
  return all.front();
}

namespace {
std::string compact_folded(const std::vector<Token>& t, size_t b, size_t e) {
  std::string s;
  for (size_t k = b; k < e; ++k) s += t[k].folded;
  return s;
}

/// How many letters a type word may differ by: none for "xã", one for a word of four, two for
/// longer ones ("huyen", "phuong", "thanhpho").
int type_word_slack(size_t letters) { return letters <= 3 ? 0 : letters == 4 ? 1 : 2; }
}  // namespace

std::optional<std::string> respell_place_names(std::string_view text_in, const Lexicon& lx) {
  const std::string text = text::nfc(text_in);
  std::string out;
  size_t done = 0;
  for (const PlaceMatch& m : find_places(text, {}, {}, lx)) {
    if (m.diacritics_exact || m.edits != 0 || m.candidates.empty()) continue;
    const std::string& bare = m.candidates.front()->bare;
    if (std::any_of(m.candidates.begin(), m.candidates.end(), [&](const AdminUnit* u) { return u->bare != bare; })) continue;
    // The name is the written unit's last words, as many as the gazetteer's name has.
    const std::vector<Token> written = detail::tokens(m.written), name = detail::tokens(bare);
    if (name.empty() || written.size() <= name.size()) continue;
    const size_t from = m.begin + written[written.size() - name.size()].begin;
    const std::string_view as_written = std::string_view(text).substr(from, m.end - from);
    // "THỦY" for the gazetteer's "Thuỷ": both placements of the tone are in use.
    const std::vector<Token> as_words = detail::tokens(as_written);
    bool same = as_words.size() == name.size();
    for (size_t k = 0; same && k < name.size(); ++k) {
      const std::string a = detail::lower(as_words[k].text), b = detail::lower(name[k].text);
      same = a == b || detail::other_tone_placement(a) == b;
    }
    if (same) continue;
    out += text.substr(done, from - done);
    out += detail::shape(as_written) == detail::Shape::upper ? detail::upper(bare) : bare;
    done = m.end;
  }
  if (done == 0) return std::nullopt;
  out += text.substr(done);
  return out;
}

std::optional<CouncilReading> read_as_council(std::string_view head, std::string_view unit_line, const Lexicon& lx) {
  static const std::string kCouncil = "uybannhandan";
  constexpr int kCouncilSlack = 3;  // of its 12 letters
  std::vector<Token> h = detail::tokens(head), t = detail::tokens(unit_line);
  if (h.empty()) {
    // "UBND HUYỆN ..." or "ỦY BAN NHÂN DÂN HUYỆN ..." on one line: the head is its first 1 or 4 words.
    for (size_t n : {size_t{1}, size_t{4}}) {
      if (t.size() <= n) continue;
      const std::string c = compact_folded(t, 0, n);
      if (c == "ubnd" || (n == 4 && detail::bounded_distance(c, kCouncil, kCouncilSlack) <= kCouncilSlack)) {
        h.assign(t.begin(), t.begin() + static_cast<long>(n));
        t.erase(t.begin(), t.begin() + static_cast<long>(n));
        break;
      }
    }
  }
  if (h.empty() || t.size() < 2) return std::nullopt;
  const std::string hc = compact_folded(h, 0, h.size());
  const bool abbreviated = hc == "ubnd";
  const int head_edits = abbreviated ? 0 : detail::bounded_distance(hc, kCouncil, kCouncilSlack);
  if (head_edits > kCouncilSlack) return std::nullopt;

  std::vector<CouncilReading> found;
  for (const TypeWord& tw : type_words()) {
    if (tw.written == tw.folded.front()) continue;  // the abbreviations "tp", "tx", "tt": too short to be near
    const size_t n = tw.folded.size();
    if (t.size() <= n) continue;
    std::string want;
    for (const std::string& f : tw.folded) want += f;
    const int slack = type_word_slack(want.size());
    const int type_edits = detail::bounded_distance(compact_folded(t, 0, n), want, slack);
    if (type_edits > slack) continue;
    // A word that is another Vietnamese word ("PHÒNG", "QUÂN") is that word, not a slip.
    if (type_edits > 0 && std::any_of(t.begin(), t.begin() + static_cast<long>(n),
                                      [&](const Token& w) { return is_valid_syllable(w.text, lx); }))
      continue;
    // The rest of the line is the name, as find_places matches one: exactly, or one letter off
    // one name only.
    const Hit hit = match_name(t, n, tw.types, {}, lx);
    if (hit.units.empty() || hit.name_end != t.size()) continue;
    const AdminUnit* unit = nullptr;
    for (uint32_t i : hit.units)
      if (!unit || (unit->era == 'n' && lx.units[i].era == 'o')) unit = &lx.units[i];  // councils of the old era sign most papers
    CouncilReading r;
    r.unit = unit;
    r.edits = head_edits + type_edits + hit.edits;
    r.value = (abbreviated ? std::string("UBND") : std::string("ỦY BAN NHÂN DÂN")) + " " + detail::upper(tw.written) + " " +
              detail::upper(unit->bare);
    found.push_back(std::move(r));
  }
  // One reading only: two types or names that fit (a slip away from each other) are a guess.
  if (found.size() != 1) return std::nullopt;
  return found.front();
}

}  // namespace sohoa::lexicon
