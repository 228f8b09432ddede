#include "extract/office_fields.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <sstream>

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include "core/text.h"
#include "doctypes/doctypes.h"
#include "extract/fields.h"

namespace sohoa::extract {
namespace {

using layout::PageLayout;
using layout::Seg;

MetadataValue at(std::string v, const Seg& s, const std::vector<Page>& pages) {
  const std::string& src = pages[s.page_idx].info.text_source;
  return {std::move(v), src == "pdf_text" ? "pdf_text" : "ocr", s.page_no};
}

/// Folded text without punctuation around it: "- HỎA TỐC -" -> "hoa toc".
std::string bare(const std::string& folded) {
  static const std::regex edges(R"(^[^a-z0-9]+|[^a-z0-9]+$)");
  return std::regex_replace(folded, edges, "");
}

// Marks are stamps of their own: the whole line (or column segment) is the mark, so "khẩn
// trương" in the body is not one.
void marks(const std::vector<PageLayout>& pls, const std::vector<Page>& pages, std::map<std::string, MetadataValue>& out) {
  static const std::vector<std::pair<std::string, std::string>> urgency = {
      {"thuong khan", "THƯỢNG KHẨN"}, {"hoa toc", "HỎA TỐC"}, {"hoa toc hen gio", "HỎA TỐC"}, {"khan", "KHẨN"}};
  static const std::vector<std::pair<std::string, std::string>> secrecy = {
      {"tuyet mat", "TUYỆT MẬT"}, {"toi mat", "TỐI MẬT"}, {"mat", "MẬT"}};
  if (pls.empty()) return;
  for (const Seg& s : pls.front().segs) {  // marks sit on the first page, by the header
    const std::string b = bare(s.folded);
    for (const auto& [key, value] : urgency)
      if (b == key && !out.count("do_khan")) out["do_khan"] = at(value, s, pages);
    for (const auto& [key, value] : secrecy)
      if (b == key && !out.count("do_mat")) out["do_mat"] = at(value, s, pages);
  }
}

/// A folded phrase of the catalogue as a pattern: its words apart by any spaces.
std::string phrase(const std::string& folded) {
  std::string out;
  for (char c : folded) out += c == ' ' ? std::string(R"(\s*)") : std::string(1, c);
  return out;
}

/// The stamp's number and date from its text (folded): the first number after a number label,
/// the first day/month/year after a date label (a two-digit year is this century's).
void read_arrival(const std::string& stamp_text, const Seg& at_seg, const std::vector<Page>& pages,
                  std::map<std::string, MetadataValue>& out) {
  const doctypes::ArrivalStamp& a = doctypes::catalogue().arrival_stamp;
  std::smatch m;
  // OCR reads a stamped "/" as the fraction slash (U+2044) or a division slash (U+2215).
  const std::string text = std::regex_replace(std::regex_replace(stamp_text, std::regex("\xE2\x81\x84"), "/"),
                                              std::regex("\xE2\x88\x95"), "/");
  for (const std::string& label : a.number_labels) {
    const std::regex number("(?:^|[^a-z0-9])" + phrase(label) + R"(\s*[:.]?[\s.…]*(\d{1,6})\b)");
    if (std::regex_search(text, m, number)) {
      out["van_ban_den.so_den"] = at(m[1], at_seg, pages);
      break;
    }
  }
  for (const std::string& label : a.date_labels) {
    const std::regex day("(?:^|[^a-z0-9])" + phrase(label) +
                         R"(\s*[:.]?[\s.…]*(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}|\d{2})\b)?)");
    if (!std::regex_search(text, m, day)) continue;
    if (m[3].matched) {
      int y = std::stoi(m[3]);
      if (y < 100) y += 2000;
      const std::string iso = iso_date(std::stoi(m[1]), std::stoi(m[2]), y);
      if (!iso.empty()) out["van_ban_den.ngay_den"] = at(iso, at_seg, pages);
    }
    break;
  }
}

/// "CV ĐẾN Số: 345 Ngày: 21/3/2018": the arrival stamp, wherever it was stamped. The layout's
/// stamp region (its ruled frame) first; else a line that opens with a head in capitals and the
/// two after it (the stamp's two or three short lines).
void arrival_stamp(const std::vector<PageLayout>& pls, const std::vector<Page>& pages,
                   std::map<std::string, MetadataValue>& out) {
  const doctypes::ArrivalStamp& a = doctypes::catalogue().arrival_stamp;
  for (const PageLayout& pl : pls) {
    std::string text;
    const Seg* first = nullptr;
    int region = -1;
    for (const Seg& s : pl.segs) {
      if (s.role != RegionRole::stamp || (first && s.region != region)) continue;
      if (!first) first = &s, region = s.region;
      text += s.folded + " ";
    }
    if (first) return read_arrival(text, *first, pages, out);
  }
  for (const PageLayout& pl : pls) {
    for (size_t i = 0; i < pl.lines.size(); ++i) {
      const Seg& l = pl.lines[i];
      const std::string t = text::trim(l.text);
      const layout::Folded f = layout::fold_map(t);
      const std::string* head = nullptr;
      for (const std::string& h : a.heads)
        if (f.s.compare(0, h.size(), h) == 0 && (f.s.size() == h.size() || !std::isalnum(static_cast<unsigned char>(f.s[h.size()])))) {
          head = &h;
          break;
        }
      // The head as printed: its words in capitals ("Đến ngày …" in a sentence is no stamp).
      if (!head || layout::upper_ratio(t.substr(0, f.from[head->size()])) < 1) continue;
      std::string window;
      for (size_t k = i; k < std::min(pl.lines.size(), i + 3); ++k) window += pl.lines[k].folded + " ";
      return read_arrival(window.substr(head->size()), l, pages, out);
    }
  }
}

/// The segments under `top` in its column (the signature block and the recipient list share
/// lines side by side), top to bottom; in reading order when the page has no boxes.
std::vector<const Seg*> column_below(const PageLayout& pl, size_t top) {
  std::vector<const Seg*> out;
  const Seg& t = pl.segs[top];
  const int tol = std::max(t.box.h * 3, pl.width / 12);
  for (size_t i = top + 1; i < pl.segs.size(); ++i) {
    const Seg& s = pl.segs[i];
    if (!t.has_box || !s.has_box) {
      out.push_back(&s);
      continue;
    }
    const int tc = t.box.x + t.box.w / 2, sc = s.box.x + s.box.w / 2;
    const bool same_column = std::abs(s.box.x - t.box.x) <= tol || std::abs(sc - tc) <= tol;
    if (same_column && s.box.y > t.box.y) out.push_back(&s);
  }
  if (t.has_box)
    std::stable_sort(out.begin(), out.end(), [](const Seg* a, const Seg* b) { return a->box.y < b->box.y; });
  return out;
}

bool authority_line(const std::string& folded) {
  static const std::regex re(R"(^(kt|tm|tl|ttl|q|tuq)\s*[.:]\s*[a-z ]{3,}$)");
  return std::regex_match(bare(folded), re);
}

/// The signer's position a line of capitals starts with (catalogue signer_positions, "Phó"
/// before any), spelt as the catalogue has it ("PHO CHU TỊCH" -> "PHÓ CHỦ TỊCH") and the rest
/// of the line as read; empty when the line is no position.
std::string position_of(const Seg& s) {
  if (layout::upper_ratio(s.text) <= 0.7) return {};
  std::string rest = bare(s.folded);
  const bool deputy = rest.rfind("pho ", 0) == 0;
  if (deputy) rest = rest.substr(4);
  for (const std::string& name : doctypes::catalogue().signer_positions) {
    const std::string f = text::fold(name);
    if (rest.compare(0, f.size(), f) != 0 || (rest.size() > f.size() && rest[f.size()] != ' ')) continue;
    icu::UnicodeString u = icu::UnicodeString::fromUTF8((deputy ? "Phó " : "") + name);
    u.toUpper(icu::Locale("vi"));
    std::string value;
    u.toUTF8String(value);
    // The words after the position's own, as printed ("PHÓ CHỦ TỊCH THƯỜNG TRỰC").
    size_t words = (deputy ? 1 : 0) + 1 + static_cast<size_t>(std::count(f.begin(), f.end(), ' '));
    std::istringstream in(text::trim(s.text));
    size_t k = 0;
    for (std::string w; in >> w;)
      if (++k > words) value += " " + w;
    return value;
  }
  return {};
}

bool position_line(const Seg& s) { return !position_of(s).empty(); }

/// A person's name as printed under a signature: 2-5 words, each starting with a capital, the
/// rest in small letters (not a heading), no digits.
bool name_line(const std::string& text) {
  const std::string t = text::trim(text);
  if (t.empty() || t.find_first_of("0123456789:;,.()") != std::string::npos) return false;
  int words = 0;
  for (size_t i = 0; i < t.size();) {
    size_t j = t.find(' ', i);
    if (j == std::string::npos) j = t.size();
    const std::string w = t.substr(i, j - i);
    const unsigned char lead = static_cast<unsigned char>(w[0]);
    const size_t first = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (w.size() < 2 || layout::upper_ratio(w.substr(0, first)) < 1 || layout::upper_ratio(w.substr(first)) > 0) return false;
    ++words;
    i = j + 1;
  }
  return words >= 2 && words <= 5;
}

/// "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / (signature, seal) / "Trần Hoàng Tuấn".
void signature_block(const std::vector<PageLayout>& pls, const std::vector<Page>& pages,
                     std::map<std::string, MetadataValue>& out) {
  if (pls.empty()) return;
  const PageLayout& pl = pls.back();  // the block closes the document
  for (size_t i = 0; i < pl.segs.size(); ++i) {
    const Seg& s = pl.segs[i];
    if (!authority_line(s.folded)) continue;
    const std::vector<const Seg*> below = column_below(pl, i);
    std::string authority = text::trim(s.text);
    size_t k = 0;
    while (k < below.size() && authority_line(below[k]->folded)) authority += " " + text::trim(below[k++]->text);
    out["tham_quyen_ky"] = at(authority, s, pages);
    if (k < below.size() && position_line(*below[k])) out["chuc_vu_nguoi_ky"] = at(position_of(*below[k]), *below[k], pages), ++k;
    // The signature and the seal come between: OCR makes specks of them, skip a few lines.
    for (size_t n = k; n < std::min(below.size(), k + 8); ++n)
      if (name_line(below[n]->text)) {
        out["nguoi_ky"] = at(text::trim(below[n]->text), *below[n], pages);
        break;
      }
    return;
  }
}

/// "Nơi nhận:" and its "- …;" items, continuation lines joined, up to the signature block.
void recipients(const std::vector<PageLayout>& pls, const std::vector<Page>& pages,
                std::map<std::string, MetadataValue>& out) {
  static const std::regex head(R"(^noi nhan\s*[:.]?\s*(.*)$)");
  for (const PageLayout& pl : pls) {
    for (size_t i = 0; i < pl.segs.size(); ++i) {
      std::smatch m;
      if (!std::regex_match(pl.segs[i].folded, m, head)) continue;
      std::vector<std::string> items;
      for (const Seg* sp : column_below(pl, i)) {
        const Seg& s = *sp;
        std::string t = text::trim(s.text);
        if (t.empty()) continue;
        if (authority_line(s.folded) || position_line(s)) break;
        const bool item = t[0] == '-' || t[0] == '+' || t.rfind("•", 0) == 0;
        if (item) {
          t = text::trim(t.substr(t[0] == '-' || t[0] == '+' ? 1 : 3));
          if (!t.empty()) items.push_back(t);
        } else if (!items.empty() && items.back().back() != ';' && items.back().back() != '.') {
          items.back() += " " + t;  // an item wrapped onto the next line
        } else {
          break;
        }
        if (s.folded.rfind("- luu", 0) == 0 || s.folded.rfind("luu", 0) == 0) break;
      }
      std::string joined;
      for (std::string it : items) {
        it = text::trim(it);
        while (!it.empty() && (it.back() == ';' || it.back() == '.' || it.back() == ',')) it.pop_back();
        it = text::trim(it);
        if (!it.empty()) joined += (joined.empty() ? "" : "\n") + it;
      }
      if (!joined.empty()) out["noi_nhan"] = at(joined, pl.segs[i], pages);
      return;
    }
  }
}

/// The slot's handwriting as the digit recogniser read it on the segment's line; null when it
/// was not read (or not on this line).
const HandwrittenSlot* handwritten(const Seg& s, const std::vector<Page>& pages, const char* slot) {
  for (const HandwrittenSlot& h : pages[s.page_idx].info.handwritten) {
    if (h.slot != slot) continue;
    // On the segment's line: the ink's middle within the line's height (boxes of a text layer
    // page have none: no handwriting was read there).
    const int mid = h.box.y + h.box.h / 2;
    if (!s.has_box || mid < s.box.y - s.box.h / 2 || mid > s.box.y + s.box.h + s.box.h / 2) continue;
    return &h;
  }
  return nullptr;
}

MetadataValue read_by_hand(std::string v, const HandwrittenSlot& h, const Seg& s) {
  MetadataValue out{std::move(v), "handwritten", s.page_no};
  out.boxes = {h.box};
  out.min_word_confidence = out.word_confidence = std::round(h.min_p * 1000) / 10;
  return out;
}

/// "Số: /CT-UBND" and "ngày 8O tháng 3 năm 2018" whose handwritten part OCR could not read: the
/// digit recogniser's reading when it read every digit surely and the value is a possible one
/// (a day of that month; not after the arrival stamp's date), else the field stays empty and says
/// why, for a person to fill in.
void unreadable_slots(const std::vector<PageLayout>& pls, const std::vector<Page>& pages,
                      std::map<std::string, MetadataValue>& out, bool number_slot_too = true) {
  if (pls.empty()) return;
  static const std::regex number_slot(R"(\bso\s*[:.]\s*[^a-z0-9]{0,4}(/\s*[a-z0-9]+(?:-[a-z0-9]+)*)\b)");
  // OCR glues a handwritten day to the words around it ("ngàyZ0tháng"): no spaces needed.
  static const std::regex date_slot(R"(\bngay\s*(\S{0,3}?)\s*thang\s+(\d{1,2})\s+nam\s+(\d{4}))");
  // A wide slot with handwriting in it splits the printed line for OCR ("Số:" and "/CT-UBND" apart):
  // the words on each slot's line, by their boxes, left and right of the handwriting, joined.
  std::vector<Seg> lines = pls.front().segs;
  for (const HandwrittenSlot& h : pages[pls.front().page_idx].info.handwritten) {
    std::vector<const Seg*> on_line;
    for (const Seg& s : pls.front().segs) {
      if (!s.has_box) continue;
      const int mid = s.box.y + s.box.h / 2, cx = s.box.x + s.box.w / 2;
      if (mid > h.box.y && mid < h.box.y + h.box.h && (cx < h.box.x || cx > h.box.x + h.box.w)) on_line.push_back(&s);
    }
    if (on_line.size() < 2) continue;
    std::sort(on_line.begin(), on_line.end(), [](const Seg* a, const Seg* b) { return a->box.x < b->box.x; });
    Seg joined = *on_line.front();
    joined.text.clear(), joined.folded.clear();
    for (const Seg* s : on_line) {
      joined.text += (joined.text.empty() ? "" : " ") + s->text;
      joined.folded += (joined.folded.empty() ? "" : " ") + s->folded;
      joined.box = unite(joined.box, s->box);
    }
    lines.push_back(std::move(joined));
  }
  // On a form only the place-and-date line ("Nha Trang, ngày …") is the form's date: its other
  // "ngày … tháng … năm" are the people's (a birth, an ID's issue).
  static const std::regex place_date(R"([a-z]{2,}\s*,\s*ngay)");
  auto own_date_line = [&](const Seg& s, const std::smatch& m) {
    return number_slot_too || std::regex_search(s.folded.substr(0, m.position(0) + 4), place_date);
  };
  for (const Seg& s : lines) {
    std::smatch m;
    if (number_slot_too && !out.count("so_ky_hieu") && !out.count("review.so_ky_hieu") &&
        std::regex_search(s.folded, m, number_slot)) {
      std::string printed = text::trim(s.text.substr(s.text.find('/')));
      printed = printed.substr(0, printed.find(' '));  // up to the end of the symbol
      const HandwrittenSlot* h = handwritten(s, pages, "so");
      if (h && !h->digits.empty() && std::stoi(h->digits) > 0) {
        out["so_ky_hieu"] = read_by_hand(h->digits + printed, *h, s);
      } else {
        const std::string why = h && !h->why_not.empty() ? " (" + h->why_not + ")" : "";
        out["review.so_ky_hieu"] = at("handwritten number not readable" + why + "; printed: Số: …" + printed, s, pages);
      }
    }
    // A day OCR read ("ngày 11 tháng 05 năm 2022") makes no slot: the date was left for a reason
    // (the registration the paper records, a cited paper's), not for want of reading it.
    // OCR's "80" for a handwritten 20 is no day it read.
    static const std::regex read_day(R"(0?[1-9]|[12][0-9]|3[01])");
    // A date whose day or month (or both) the digit recogniser read: a possible date, not after the
    // arrival stamp's, else `why` not.
    auto by_hand = [&](const std::string& day, const HandwrittenSlot* hd, const std::string& month,
                       const HandwrittenSlot* hm, const std::string& year, std::string& why) {
      const std::string d = hd ? hd->digits : day, mo = hm ? hm->digits : month;
      if (d.empty() || mo.empty()) return false;
      const std::string iso = iso_date(std::stoi(d), std::stoi(mo), std::stoi(year));
      auto arrived = out.find("van_ban_den.ngay_den");
      const std::string read = hd && hm ? d + "/" + mo : hd ? d : mo;
      if (iso.empty()) {
        why = "read as " + read + (hd && !hm ? ", not a day of that month" : ", no date");
        return false;
      }
      if (arrived != out.end() && iso > arrived->second.value) {
        why = "read as " + read + ", after the arrival stamp's " + arrived->second.value;
        return false;
      }
      // The least sure of the handwritten parts stands for the value.
      const HandwrittenSlot& h = !hm || (hd && hd->min_p <= hm->min_p) ? *hd : *hm;
      MetadataValue v = read_by_hand(iso, h, s);
      if (hd && hm) v.boxes = {hd->box, hm->box};
      out["ngay_ban_hanh"] = v;
      return true;
    };
    if (!out.count("ngay_ban_hanh") && !out.count("review.ngay_ban_hanh") && std::regex_search(s.folded, m, date_slot) &&
        !std::regex_match(m[1].str(), read_day) && own_date_line(s, m)) {
      const HandwrittenSlot* h = handwritten(s, pages, "ngay");
      std::string why = h ? h->why_not : "";
      if (!(h && by_hand("", h, m[2].str(), nullptr, m[3].str(), why)))
        out["review.ngay_ban_hanh"] = at("handwritten day not readable" + (why.empty() ? "" : " (" + why + ")") +
                                             "; printed: tháng " + m[2].str() + " năm " + m[3].str(), s, pages);
    }
    // The day read but not the month ("ngày 29 tháng 0Š năm 2023", or a month by hand): the
    // recogniser's month, else no date and a person asked.
    static const std::regex month_slot(R"(\bngay\s*(\d{1,2})\s*[,.]?\s*thang\s*(\S{0,3}?)\s*[,.]?\s*nam\s*(\d{4}))");
    static const std::regex read_month(R"(0?[1-9]|1[0-2])");
    if (!out.count("ngay_ban_hanh") && !out.count("review.ngay_ban_hanh") && std::regex_search(s.folded, m, month_slot) &&
        !std::regex_match(m[2].str(), read_month) && std::regex_match(m[1].str(), read_day) && own_date_line(s, m)) {
      const HandwrittenSlot* h = handwritten(s, pages, "thang");
      std::string why = h ? h->why_not : "";
      if (!(h && by_hand(m[1].str(), nullptr, "", h, m[3].str(), why)))
        out["review.ngay_ban_hanh"] = at("month not readable" + (why.empty() ? "" : " (" + why + ")") + "; printed: ngày " +
                                             m[1].str() + " tháng … năm " + m[3].str(), s, pages);
    }
    // Day and month both misread or both by hand ("ngày 2Š tháng 0ï năm 2024", "ngày tháng năm
    // 2024" with the pen's digits lost to OCR): the recogniser's day and month, else a date was
    // written (a digit in it, or ink in the slots), none could be taken, a person reads it off.
    static const std::regex any_slot(R"(\bngay\s*(\S{0,3}?)\s*[,.]?\s*thang\s*(\S{0,3}?)\s*[,.]?\s*nam\s*(\d{4}))");
    static const std::regex digit(R"([0-9])");
    if (!out.count("ngay_ban_hanh") && !out.count("review.ngay_ban_hanh") && std::regex_search(s.folded, m, any_slot) &&
        !(std::regex_match(m[1].str(), read_day) && std::regex_match(m[2].str(), read_month)) && own_date_line(s, m)) {
      const HandwrittenSlot *hd = handwritten(s, pages, "ngay"), *hm = handwritten(s, pages, "thang");
      std::string why = hd && hd->digits.empty() ? hd->why_not : hm && hm->digits.empty() ? hm->why_not : "";
      const bool written = std::regex_search(m[1].str(), digit) || std::regex_search(m[2].str(), digit) || hd || hm;
      if (written && !(hd && hm && by_hand("", hd, "", hm, m[3].str(), why)))
        out["review.ngay_ban_hanh"] = at("day and month not readable" + (why.empty() ? "" : " (" + why + ")") +
                                             "; printed: " + text::trim(s.text), s, pages);
    }
  }
}

}  // namespace

void find_office_fields(const std::vector<PageLayout>& pls, const std::vector<Page>& pages,
                        std::map<std::string, MetadataValue>& found) {
  marks(pls, pages, found);
  arrival_stamp(pls, pages, found);
  signature_block(pls, pages, found);
  recipients(pls, pages, found);
  unreadable_slots(pls, pages, found);
}

void find_form_date(const std::vector<layout::PageLayout>& pls, const std::vector<Page>& pages,
                    std::map<std::string, MetadataValue>& found) {
  unreadable_slots(pls, pages, found, false);
}

void check_handwritten_date(std::map<std::string, MetadataValue>& metadata, const std::vector<DigitalSignature>& signatures) {
  auto it = metadata.find("ngay_ban_hanh");
  if (it == metadata.end() || it->second.source != "handwritten") return;
  for (const DigitalSignature& sig : signatures) {
    if (sig.signing_time.size() < 10) continue;
    int y = 0, m = 0, d = 0;
    if (std::sscanf(sig.signing_time.c_str(), "%d-%d-%d", &y, &m, &d) != 3) continue;
    const std::chrono::sys_days next = std::chrono::sys_days{std::chrono::year{y} / m / d} + std::chrono::days{1};
    const std::chrono::year_month_day nd{next};
    const std::string latest = iso_date(static_cast<unsigned>(nd.day()), static_cast<unsigned>(nd.month()), static_cast<int>(nd.year()));
    if (latest.empty() || it->second.value <= latest) continue;
    MetadataValue note = it->second;
    note.source = "ocr";
    note.value = "handwritten day not readable (read as " + it->second.value + ", after the signature of " +
                 sig.signing_time.substr(0, 10) + ")";
    metadata.erase(it);
    metadata["review.ngay_ban_hanh"] = note;
    return;
  }
}

void check_signer(std::map<std::string, MetadataValue>& metadata, const std::vector<DigitalSignature>& signatures) {
  auto it = metadata.find("nguoi_ky");
  if (it == metadata.end()) return;
  MetadataValue& v = it->second;
  auto words = [](const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
  };
  const std::vector<std::string> printed = words(v.value);
  for (const DigitalSignature& sig : signatures) {
    if (!sig.bytes_intact || sig.signer_name.empty()) continue;
    const std::vector<std::string> signed_as = words(text::nfc(sig.signer_name));
    if (signed_as.size() != printed.size() || text::fold(sig.signer_name) != text::fold(v.value)) continue;
    std::string spelt;
    for (size_t i = 0; i < printed.size(); ++i) {
      // The printed case (a name line is usually "Trần Hoàng Tuấn"), the certificate's marks.
      icu::UnicodeString p = icu::UnicodeString::fromUTF8(printed[i]), upper = p;
      upper.toUpper(icu::Locale("vi"));
      icu::UnicodeString c = icu::UnicodeString::fromUTF8(signed_as[i]);
      std::string w;
      if (p == upper && p.length() > 1) c.toUpper(icu::Locale("vi")).toUTF8String(w);
      else w = proper_name(signed_as[i]);
      spelt += (i ? " " : "") + w;
    }
    v.doubts.clear();
    if (spelt != v.value) {
      v.corrections.push_back({v.value, spelt, "spelt as the digital signature's certificate (" + sig.signer_name + ") has it", true});
      v.value = spelt;
    }
    return;
  }
}

}  // namespace sohoa::extract
