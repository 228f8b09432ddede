#include "extract/extract.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "classify/layout.h"
#include "classify/mrz.h"
#include "classify/qr.h"
#include "core/text.h"
#include "doctypes/doctypes.h"
#include "doctypes/validators.h"
#include "extract/fields.h"
#include "lexicon/lexicon.h"
#include "extract/office_fields.h"

namespace sohoa::extract {

using layout::PageLayout;
using layout::Seg;

namespace {

/// Letters and digits of a folded word ("lộc," -> "loc").
std::string bare(const std::string& word) {
  std::string out;
  for (char c : text::fold(word))
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
  return out;
}

/// The value with the OCR words it was read from: their boxes and confidences, so that review
/// can tell a value read from doubtful words and the review desk can outline them.
MetadataValue mv(std::string v, const Seg& s, const Page& p) {
  MetadataValue m{std::move(v), p.info.text_source == "pdf_text" ? "pdf_text" : "ocr", s.page_no};
  if (m.source != "ocr" || !s.has_box) return m;
  std::string fv;
  for (char c : text::fold(m.value)) fv.push_back((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : ' ');
  fv = " " + text::collapse_spaces(fv) + " ";
  const std::string fvc = bare(m.value);
  double sum = 0, n = 0, lowest = 101;
  for (const OcrWord& w : p.ocr.words) {
    if (w.line != s.line || w.box.x + w.box.w <= s.box.x || w.box.x >= s.box.x + s.box.w) continue;
    const std::string b = bare(w.text);
    // A word of the value ("Vĩnh"), or a token that is all of it glued ("2788/QĐ-UBND").
    if (b.empty() || (fv.find(" " + b + " ") == std::string::npos && (b.size() < 3 || fvc.find(b) == std::string::npos))) continue;
    m.boxes.push_back(w.box);
    const double len = static_cast<double>(text::length(w.text));
    sum += w.confidence * len;
    n += len;
    lowest = std::min<double>(lowest, w.confidence);
  }
  if (n > 0) {
    m.word_confidence = sum / n;
    m.min_word_confidence = lowest;
  }
  return m;
}

/// The value's words with the OCR confidence each was read with on its page (the lowest of the
/// page's words with the same letters; 100, never corrected, for a word not found there).
std::vector<lexicon::WordConf> words_of(const MetadataValue& v, const Document& doc, const std::vector<Page>& pages) {
  std::map<std::string, float> conf;
  for (int idx : doc.pages) {
    if (idx < 0 || idx >= static_cast<int>(pages.size()) || pages[idx].info.number != v.page) continue;
    for (const OcrWord& w : pages[idx].ocr.words) {
      const std::string b = bare(w.text);
      if (b.empty()) continue;
      auto [it, fresh] = conf.emplace(text::nfc(w.text), w.confidence);
      if (!fresh) it->second = std::min(it->second, w.confidence);
    }
  }
  std::vector<lexicon::WordConf> out;
  size_t i = 0;
  const std::string& s = v.value;
  while (i < s.size()) {
    size_t e = s.find(' ', i);
    if (e == std::string::npos) e = s.size();
    if (e > i) {
      const std::string w = s.substr(i, e - i);
      float c = 100;
      // the word as printed, or inside a token OCR read with punctuation around it ("duyệt,")
      if (auto it = conf.find(w); it != conf.end()) c = it->second;
      else
        for (const auto& [ow, oc] : conf)
          if (ow.size() <= w.size() + 3 && ow.find(w) != std::string::npos) c = std::min(c, oc);
      out.push_back({w, c});
    }
    i = e + 1;
  }
  return out;
}

/// Whether what follows a label on its line (from folded offset `after`) is a value: the part
/// after the label's colon, or after its leader dots, without a parenthesis, holding a capital
/// or digits ("người khởi kiện (3)……" is the label's own words and an empty slot).
bool slot_has_value(const Seg& s, size_t after) {
  layout::Folded fm = layout::fold_map(s.text);
  std::string rest = s.text.substr(fm.from[std::min(after, fm.s.size())]);
  if (size_t colon = rest.find(':'); colon != std::string::npos) rest = rest.substr(colon + 1);
  else if (size_t dots = rest.find(".."); dots != std::string::npos) rest = rest.substr(rest.find_first_not_of(".…_ ", dots) == std::string::npos ? rest.size() : rest.find_first_not_of(".…_ ", dots));
  static const std::regex paren(R"(\([^)]*\)?)");
  rest = std::regex_replace(rest, paren, " ");
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(rest);
  int alnum = 0, strong = 0;
  for (int32_t i = 0; i < u.length();) {
    const UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (!u_isalnum(c)) continue;
    ++alnum;
    strong += u_isupper(c) || u_isdigit(c);
  }
  return alnum >= 3 && strong >= 1;
}

/// A word's letters, lower case, punctuation around it dropped ("Thi," -> "thi").
std::string lower_word(const std::string& w) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(w);
  u.toLower(icu::Locale("vi"));
  int32_t a = 0, b = u.length();
  while (a < b && !u_isalnum(u.char32At(a))) a = u.moveIndex32(a, 1);
  while (b > a && !u_isalnum(u.char32At(u.moveIndex32(b, -1)))) b = u.moveIndex32(b, -1);
  std::string out;
  u.tempSubStringBetween(a, b).toUTF8String(out);
  return out;
}

/// A subject's word whose marks the document itself spells otherwise: its phrase ("thỉ hành
/// án") recurs in the text, three times or more with the same other marks ("thi hành án") and
/// never as the subject has it. A bold subject line loses and gains marks more than the body.
std::vector<lexicon::Correction> document_spelling(const std::vector<lexicon::WordConf>& words, const Document& doc,
                                                   const std::vector<Page>& pages) {
  std::vector<std::string> tokens;
  for (int idx : doc.pages) {
    if (idx < 0 || idx >= static_cast<int>(pages.size())) continue;
    std::istringstream in(pages[idx].ocr.text);
    for (std::string t; in >> t;) tokens.push_back(lower_word(t));
  }
  std::vector<std::string> folded(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) folded[i] = bare(tokens[i]);
  std::vector<lexicon::Correction> out;
  // the word with both neighbours: one neighbour alone is too little context
  for (size_t i = 1; i + 1 < words.size(); ++i) {
    const std::string mine = lower_word(words[i].text);
    // a word with punctuation on it is left alone: the change replaces the whole word
    if (text::length(mine) != text::length(words[i].text)) continue;
    const std::string key[3] = {bare(words[i - 1].text), bare(mine), bare(words[i + 1].text)};
    if (key[0].empty() || key[1].empty() || key[2].empty()) continue;
    std::map<std::string, int> seen;
    for (size_t t = 1; t + 1 < tokens.size(); ++t)
      if (folded[t] == key[1] && folded[t - 1] == key[0] && folded[t + 1] == key[2]) ++seen[tokens[t]];
    // the subject's own line is in the text too: its spelling counts once for itself. The
    // other spelling must be the document's own by far (OCR slips in the body too).
    if (seen[mine] > 1) continue;
    seen.erase(mine);
    std::string other;
    int n = 0, rest = 0;
    for (const auto& [x, k] : seen) {
      rest += k;
      if (k > n) other = x, n = k;
    }
    rest -= n;
    if (n < 3 || n < 3 * rest) continue;
    // the value's case kept: "Thỉ" -> "Thi"
    std::string after = other;
    if (u_isupper(icu::UnicodeString::fromUTF8(words[i].text).char32At(0))) {
      icu::UnicodeString u = icu::UnicodeString::fromUTF8(other);
      u.replace(0, U16_LENGTH(u.char32At(0)), u_toupper(u.char32At(0)));
      after.clear();
      u.toUTF8String(after);
    }
    out.push_back({i, words[i].text, after, "the document writes \"" + words[i - 1].text + " " + other + " " + words[i + 1].text + "\" " +
                                         std::to_string(n) + " times, never with \"" + mine + "\""});
  }
  return out;
}

void mend(MetadataValue& v, lexicon::Field field, const Document& doc, const std::vector<Page>& pages) {
  const lexicon::Resplit rs = lexicon::resplit_glued(v.value);
  for (const lexicon::Correction& c : rs.changes) v.corrections.push_back({c.before, c.after, c.why});
  v.value = rs.text;
  std::vector<lexicon::WordConf> words = words_of(v, doc, pages);
  const std::vector<lexicon::Correction> cs = lexicon::correct_words(words, field);
  if (!cs.empty()) {
    for (const lexicon::Correction& c : cs) v.corrections.push_back({c.before, c.after, c.why});
    v.value = lexicon::apply_corrections(words, cs);
    for (const lexicon::Correction& c : cs)
      if (c.index < words.size()) words[c.index].text = c.after;
  }
  // What the same rules would change if OCR had been unsure: a slip read with confidence. A
  // tone or letter mark the phrase wants ("địch vụ" -> "dịch vụ") is put right, since the value
  // is then more often right than not, but it stays a doubt: a person confirms it. A change of
  // letters is only a doubt.
  // A subject's words also meet how Vietnamese is usually written: a valid syllable never seen
  // beside its neighbours where one with other marks is common ("tiên mặt" / "tiền mặt").
  std::vector<lexicon::Correction> usage, unknown;
  if (field == lexicon::Field::trich_yeu) {
    usage = lexicon::usage_doubts(words);
    unknown = lexicon::marked_non_syllables(words);
  }
  for (lexicon::WordConf& w : words) w.confidence = 0;
  std::vector<lexicon::Correction> marks;
  std::vector<bool> doubted(words.size(), false);
  for (const lexicon::Correction& c : lexicon::correct_words(words, field)) {
    const bool mark_only = text::fold(c.before) == text::fold(c.after);
    v.doubts.push_back({c.before, c.after, c.why, mark_only});
    if (mark_only) marks.push_back(c);
    if (c.index < doubted.size()) doubted[c.index] = true;
  }
  for (const lexicon::Correction& c : usage) {
    if (c.index >= doubted.size() || doubted[c.index]) continue;
    v.doubts.push_back({c.before, c.after, c.why, c.apply});
    if (c.apply) marks.push_back(c);
  }
  if (field == lexicon::Field::trich_yeu)
    for (const lexicon::Correction& c : document_spelling(words, doc, pages)) {
      if (c.index >= doubted.size() || doubted[c.index]) continue;
      v.doubts.push_back({c.before, c.after, c.why, true});
      marks.push_back(c);
      doubted[c.index] = true;
    }
  // A subject's word that no rule could mend but that is plainly no Vietnamese ("bù địp"): the
  // value keeps it, and a person is asked.
  for (const lexicon::Correction& c : unknown)
    if (c.index < doubted.size() && !doubted[c.index]) {
      v.doubts.push_back({c.before, c.after, c.why, false});
      doubted[c.index] = true;
    }
  if (!marks.empty()) v.value = lexicon::apply_corrections(words, marks);
  if (field == lexicon::Field::ho_ten) name_doubts(v);
}

/// The name as printed on the page (with its diacritics) whose letters are `ascii_name`'s (an
/// MRZ name, "NGUYEN VAN AN"), with the OCR words it was read from: the zone vouches for the
/// letters only, so those words' confidence is all that vouches for the diacritics. Nothing when
/// no run of words on a line spells it.
std::optional<MetadataValue> printed_name(const Page& page, const std::string& ascii_name, int page_no) {
  std::vector<std::string> want;
  {
    std::istringstream in(text::fold(ascii_name));
    for (std::string x; in >> x;) want.push_back(x);
  }
  if (want.empty()) return std::nullopt;
  std::map<int, std::vector<const OcrWord*>> lines;
  for (const OcrWord& w : page.ocr.words)
    if (!text::trim(w.text).empty()) lines[w.line].push_back(&w);
  for (auto& [line, words] : lines) {
    std::sort(words.begin(), words.end(), [](const OcrWord* a, const OcrWord* b) { return a->box.x < b->box.x; });
    for (size_t i = 0; i + want.size() <= words.size(); ++i) {
      size_t k = 0;
      while (k < want.size() && text::fold(words[i + k]->text) == want[k]) ++k;
      if (k < want.size()) continue;
      MetadataValue m{"", "mrz", page_no};
      double sum = 0, n = 0, lowest = 101;
      for (size_t j = 0; j < want.size(); ++j) {
        const OcrWord& w = *words[i + j];
        m.value += (j ? " " : "") + w.text;
        m.boxes.push_back(w.box);
        const double len = static_cast<double>(text::length(w.text));
        sum += w.confidence * len, n += len, lowest = std::min<double>(lowest, w.confidence);
      }
      m.word_confidence = sum / n;
      m.min_word_confidence = lowest;
      return m;
    }
  }
  return std::nullopt;
}

}  // namespace

/// A name syllable no one is known to bear while a name with its letters is common ("Hoang"
/// beside Hoàng, "Quần" beside Quân): OCR often drops or shifts a name's marks, and a person
/// checks; the value is kept, since rare names exist.
void name_doubts(MetadataValue& v) {
  const lexicon::Lexicon& lx = lexicon::lexicon();
  if (!lx.ok) return;
  std::istringstream in(v.value);
  size_t i = 0;
  for (std::string w; in >> w; ++i) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(w);
    u.toLower(icu::Locale("vi"));
    std::string low;
    u.toUTF8String(low);
    const auto& known = i == 0 ? lx.surnames : lx.given;
    if (known.count(low)) continue;
    auto it = lx.by_fold.find(text::fold(low));
    if (it == lx.by_fold.end()) continue;
    // The names offered in the case the word was read in ("Định" -> "Đinh", "QUẦN" -> "QUÂN").
    const icu::UnicodeString read = icu::UnicodeString::fromUTF8(w);
    const bool upper = u.length() > 1 && read == icu::UnicodeString(u).toUpper(icu::Locale("vi"));
    const bool title = u_isupper(read.char32At(0));
    auto as_read = [&](const std::string& c) {
      icu::UnicodeString n = icu::UnicodeString::fromUTF8(c);
      if (upper) n.toUpper(icu::Locale("vi"));
      else if (title) n.replace(0, n.moveIndex32(0, 1), icu::UnicodeString(n, 0, n.moveIndex32(0, 1)).toUpper(icu::Locale("vi")));
      std::string o;
      return n.toUTF8String(o);
    };
    std::string names;
    for (const std::string& c : it->second)
      if (c != low && known.count(c)) names += (names.empty() ? "" : " / ") + as_read(c);
    if (names.empty()) continue;
    v.doubts.push_back({w, names, "\"" + w + "\" is no known " + (i == 0 ? "surname" : "given-name syllable") + "; \"" + names + "\" " +
                                      (names.find('/') == std::string::npos ? "is" : "are"),
                        false});
  }
}

/// A code (number, serial) with a glyph no code has between its digits ("CB6ó08943", its mark
/// dropped "CB6o08943", "09218§388"): OCR's misreading of a digit, not another kind of value.
static bool garbled_code(const std::string& v) {
  static const std::regex re(R"([0-9](?:[^A-Z0-9 /.,:;()\-]|[^\x00-\x7F])+[0-9])");
  return std::regex_search(v, re);
}

std::map<std::string, MetadataValue> extract(const Document& doc, const std::vector<Page>& pages,
                                             const Classification& cls, std::map<std::string, std::string>* extra_out) {
  std::map<std::string, MetadataValue> out;
  std::map<std::string, std::string> scratch;
  std::map<std::string, std::string>& extra = extra_out ? *extra_out : scratch;
  std::vector<PageLayout> pls = layout::read(doc, pages);
  if (pls.empty()) return out;
  const std::string& t = cls.doc_type;
  if (std::getenv("SOHOA_DEBUG_LAYOUT"))
    for (const PageLayout& pl : pls)
      for (const Seg& s : pl.segs)
        std::fprintf(stderr, "p%d l%d [%d,%d %dx%d] %s\n", pl.page_no, s.line, s.box.x, s.box.y, s.box.w, s.box.h, s.text.c_str());
  auto page_of = [&](const Seg& s) -> const Page& { return pages[s.page_idx]; };
  const doctypes::Type& type = doctypes::catalogue().get(cls.doc_type);
  auto put = [&](const char* key, const std::optional<Found>& f) {
    if (!f || f->value.empty()) return;
    // A field the type may have but need not (a receipt's number): a value that fails its
    // validator is more likely something else read there, so none is given. A required field
    // keeps what was read, and review asks a person.
    if (!type.must_have(key)) {
      const auto& validators = doctypes::catalogue().field_validators;
      if (auto v = validators.find(key); v != validators.end() && !doctypes::check(v->second, f->value, type).empty()) {
        // ... unless it is a code OCR garbled ("CB6ó08943": a letter inside the digits): the
        // value is there on the paper, and a person reads it off.
        if (garbled_code(f->value))
          out["review." + std::string(key)] =
              mv("printed \"" + text::trim(f->seg.text) + "\", but OCR could not read every character of \"" + f->value + "\"", f->seg, page_of(f->seg));
        return;
      }
    }
    out[key] = mv(f->value, f->seg, page_of(f->seg));
    if (f->known) out[key].catalogue_match = "known_issuers of " + type.code;
    if (!f->read_as.empty()) out[key].doubts.push_back({f->read_as, f->value, f->doubt_why, true});
    else if (!f->doubt_why.empty()) out[key].doubts.push_back({f->value, f->doubt_after, f->doubt_why});
  };

  // The catalogue says which fields a type has: a field it does not name is never read, so a
  // number-like line on a receipt does not become its "số ký hiệu".
  auto wanted = [&](const char* key) { return type.expects(key); };
  if (wanted("so_ky_hieu")) put("so_ky_hieu", find_so_ky_hieu(pls, t));
  if (wanted("ngay_ban_hanh")) put("ngay_ban_hanh", find_issue_date(pls, t));
  if (wanted("co_quan_ban_hanh")) {
    std::optional<Found> issuer = find_issuer(pls, t);
    if (issuer && !issuer->unit.empty()) extra["don_vi"] = issuer->unit;
    put("co_quan_ban_hanh", issuer);
    // No issuer printed, or a line that is none ("PHÓ CHỦ TỊCH"): the catalogue's rule may say
    // who it is; a person confirms it, with what was read beside it.
    auto read = out.find("co_quan_ban_hanh");
    if (read == out.end() || !doctypes::check("authority", read->second.value, type).empty())
      if (std::optional<Found> f = issuer_by_address(pls, type)) {
        MetadataValue m = mv(f->value, f->seg, page_of(f->seg));
        m.source = "inferred";
        m.boxes.clear();
        m.word_confidence = m.min_word_confidence = -1;
        if (read != out.end()) m.other_readings.push_back({read->second.source, read->second.value});
        out["co_quan_ban_hanh"] = std::move(m);
      }
  }
  std::optional<Found> subject;
  if (wanted("trich_yeu")) {
    subject = find_trich_yeu(pls, t);
    put("trich_yeu", subject);
  }
  if (type.person == "named_in_subject") {
    if (subject && wanted("ho_ten")) put("ho_ten", person_in_subject(subject->value, subject->seg));
  } else if (type.person != "none") {
    PersonFields pf = find_person(pls, t);
    if (wanted("ho_ten")) put("ho_ten", pf.ho_ten);
    if (wanted("ngay_sinh")) put("ngay_sinh", pf.ngay_sinh);
    if (wanted("so_dinh_danh")) put("so_dinh_danh", pf.so_dinh_danh);
  }

  if (wanted("ngay_het_han")) {
    // A card's expiry decides whether the archive may reuse it; a printed label whose date
    // cannot be read is asked of a person rather than left out silently.
    Expiry ex = find_expiry(pls);
    if (ex.date) out["ngay_het_han"] = mv(ex.date->value, ex.date->seg, page_of(ex.date->seg));
    else if (ex.unreadable) out["review.ngay_het_han"] = mv(ex.unreadable->value, ex.unreadable->seg, page_of(ex.unreadable->seg));
  }

  // A value read as what the garbled words must be (find_issuer's council of a known unit) is
  // spelt by the gazetteer, not by OCR's words: the mending below would mend what it no longer holds.
  auto spelt_for_ocr = [](const MetadataValue& v) {
    return std::none_of(v.doubts.begin(), v.doubts.end(), [&](const Correction& d) { return d.applied && d.after == v.value; });
  };
  // Accents damaged in one place are read right in others: the document votes.
  for (const char* key : {"co_quan_ban_hanh", "ho_ten"})
    if (auto it = out.find(key); it != out.end() && spelt_for_ocr(it->second))
      it->second.value = respell(it->second.value, pls, std::string(key) == "ho_ten");

  // Glued words and low-confidence slips, mended only where one reading is clearly better; each
  // change is kept as evidence.
  for (const auto& [key, field] : {std::pair{"co_quan_ban_hanh", lexicon::Field::co_quan_ban_hanh},
                                   std::pair{"trich_yeu", lexicon::Field::trich_yeu}, std::pair{"ho_ten", lexicon::Field::ho_ten}}) {
    auto it = out.find(key);
    if (it == out.end() || it->second.source != "ocr" || !spelt_for_ocr(it->second)) continue;
    mend(it->second, field, doc, pages);
  }
  // A unit's name with its letters right and its marks not ("QUẬN HÁI CHẤU"): the gazetteer
  // spells it, and a person confirms.
  if (auto it = out.find("co_quan_ban_hanh"); it != out.end() && it->second.source == "ocr" && spelt_for_ocr(it->second))
    if (std::optional<std::string> spelt = lexicon::respell_place_names(it->second.value); spelt && *spelt != it->second.value) {
      it->second.doubts.push_back({it->second.value, *spelt, "the gazetteer writes the unit's name with these marks", true});
      it->second.value = *spelt;
    }
  // The archive's description of a văn bản (signature block, recipients, office stamps) on
  // papers an office issues; forms and cards have none.
  if (!type.has_cue("form") && !type.has_cue("card")) {
    find_office_fields(pls, pages, out);
    if (auto it = out.find("nguoi_ky"); it != out.end()) name_doubts(it->second);
  } else if (type.has_cue("form") && wanted("ngay_ban_hanh")) {
    find_form_date(pls, pages, out);
  }

  // Chip ID cards: the QR code's data beats OCR.
  bool card_like = t == "can_cuoc";
  for (const PageLayout& pl : pls) {
    if (pl.width > 0 && pl.dpi > 0) {
      double w = pl.width / pl.dpi * 25.4, h = pl.height / pl.dpi * 25.4;
      if (std::max(w, h) < 130 && std::min(w, h) < 90) card_like = true;
    }
  }
  if (card_like) {
    // The 2024 card's machine-readable zone: its check digits vouch for the number and the
    // birth date; its name, printed without diacritics, picks the printed name it matches.
    for (const PageLayout& pl : pls) {
      const Page& page = pages[pl.page_idx];
      for (const mrz::Td1& td : mrz::find_td1(page.ocr)) {
        if (!td.so_dinh_danh.empty() && valid_id12(td.so_dinh_danh, td.ngay_sinh))
          out["so_dinh_danh"] = {td.so_dinh_danh, "mrz", pl.page_no};
        out["ngay_sinh"] = {td.ngay_sinh, "mrz", pl.page_no};
        if (!td.ho_ten.empty()) {
          MetadataValue name = printed_name(page, td.ho_ten, pl.page_no).value_or(MetadataValue{td.ho_ten, "mrz", pl.page_no});
          name.value = proper_name(name.value);
          name_doubts(name);  // the marks are OCR's: "Quần" where Quân is the common name
          out["ho_ten"] = std::move(name);
        }
        break;
      }
    }
    for (const PageLayout& pl : pls) {
      // The codes prepare read from the page; decode the colour image (every turn) only when
      // none of them is a CCCD code.
      const Page& page = pages[pl.page_idx];
      const bool read = std::any_of(page.barcodes.begin(), page.barcodes.end(),
                                    [](const std::string& q) { return qr::parse_cccd(q).has_value(); });
      for (const std::string& q : read ? page.barcodes : qr::decode(page)) {
        std::optional<qr::CccdData> d = qr::parse_cccd(q);
        if (!d) continue;
        // The code is the authority when its number checks out; what the text said is kept
        // beside it, and a difference the code cannot settle goes to a person.
        const bool checked = valid_id12(d->so_dinh_danh, d->ngay_sinh);
        auto from_code = [&](const char* key, const std::string& value) {
          MetadataValue m{value, "qr", pl.page_no};
          m.authority_checked = checked;
          if (auto it = out.find(key); it != out.end() && !it->second.value.empty())
            m.other_readings.push_back({it->second.source, it->second.value});
          out[key] = std::move(m);
        };
        if (checked) from_code("so_dinh_danh", d->so_dinh_danh);
        from_code("ho_ten", proper_name(d->ho_ten));
        if (!d->ngay_sinh.empty()) from_code("ngay_sinh", d->ngay_sinh);
        // The card's issue date is printed on its back, which a front-only copy lacks: the
        // code carries it either way.
        if (!d->ngay_cap.empty() && wanted("ngay_ban_hanh") && doctypes::real_date(d->ngay_cap))
          from_code("ngay_ban_hanh", d->ngay_cap);
        break;
      }
    }
  }
  // A line that opens with a field's label and carries something ("Số định danh cá nhân:
  // 0401937176817", "Cấp cho: Ông (hà): DƯƠNG …") while no value was taken from it: the value
  // is on the paper and a person reads it off, rather than the record saying nothing.
  for (const auto& [key, labels] : doctypes::catalogue().field_slot_labels) {
    if (!wanted(key.c_str()) || out.count(key) || out.count("review." + key)) continue;
    const Seg* slot = nullptr;
    for (const PageLayout& pl : pls) {
      for (size_t si = 0; si < pl.segs.size(); ++si) {
        const Seg& s = pl.segs[si];
        // The label opens the line, after an item number at most ("1.3. Số định danh cá nhân:").
        size_t start = s.folded.find_first_of("abcdefghijklmnopqrstuvwxyz");
        if (start != std::string::npos && start + 2 < s.folded.size() && (s.folded[start + 1] == ')' || s.folded[start + 1] == '.') && s.folded[start + 2] == ' ')
          start = s.folded.find_first_of("abcdefghijklmnopqrstuvwxyz", start + 2);  // "a) Họ và tên:"
        if (start == std::string::npos || start > 8) continue;
        for (const std::string& label : labels) {
          if (s.folded.compare(start, label.size(), label) != 0) continue;
          // the value may stand apart, in the next segment of the same line
          Seg line = s;
          if (si + 1 < pl.segs.size() && pl.segs[si + 1].line == s.line) {
            line.text += " " + pl.segs[si + 1].text;
            line.folded += " " + pl.segs[si + 1].folded;
          }
          if (slot_has_value(line, start + label.size())) slot = &s;
          break;
        }
        if (slot) break;
      }
      if (slot) break;
    }
    if (!slot) continue;
    const std::string name = doctypes::catalogue().field_names.at(key);
    std::string printed = slot->text;
    for (const PageLayout& pl : pls)
      for (const Seg& s : pl.segs)
        if (&s != slot && s.page_idx == slot->page_idx && s.line == slot->line && s.box.x > slot->box.x) printed += " " + s.text;
    out["review." + key] = mv("printed \"" + text::trim(printed) + "\", but no " + name + " could be taken from it", *slot, page_of(*slot));
  }
  return out;
}

}  // namespace sohoa::extract
