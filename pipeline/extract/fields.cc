#include "extract/fields.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstring>
#include <regex>
#include <set>
#include <sstream>

#include "core/text.h"
#include "doctypes/doctypes.h"
#include "doctypes/validators.h"
#include "lexicon/lexicon.h"

namespace sohoa::extract {

using layout::PageLayout;
using layout::Seg;

namespace {

std::string orig(const Seg& s, const layout::Folded& fm, size_t fb, size_t fe) {
  fb = std::min(fb, fm.s.size());
  fe = std::min(fe, fm.s.size());
  if (fe <= fb) return {};
  size_t ob = fm.from[fb];
  // end: the start of the code point that produced folded byte fe
  size_t oe = fm.from[fe];
  return s.text.substr(ob, oe - ob);
}

std::string strip(std::string s, const std::string& junk = " .,:;|'\"`~-_—–…*•", bool back = true) {
  auto is_junk = [&](size_t i, size_t len) {
    return static_cast<unsigned char>(s[i]) < 0x80 && junk.find(s.substr(i, len)) != std::string::npos;
  };
  while (!s.empty()) {
    if (is_junk(0, 1)) s.erase(0, 1);
    else if (s.size() >= 3 && (s.compare(0, 3, "—") == 0 || s.compare(0, 3, "–") == 0 || s.compare(0, 3, "…") == 0)) s.erase(0, 3);
    else break;
  }
  while (back && !s.empty()) {
    if (is_junk(s.size() - 1, 1)) s.pop_back();
    else if (s.size() >= 3 && (s.compare(s.size() - 3, 3, "—") == 0 || s.compare(s.size() - 3, 3, "…") == 0 ||
                               s.compare(s.size() - 3, 3, "–") == 0))
      s.resize(s.size() - 3);
    else break;
  }
  return text::collapse_spaces(s);
}

std::string strip_front(std::string s, const std::string& junk) { return strip(std::move(s), junk, false); }

int digit_of(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c == 'o' || c == 'O') return 0;
  if (c == 'l' || c == 'I' || c == 'i' || c == '|') return 1;
  return -1;
}

/// A number read with O/0 and l/1 confusions undone; -1 when it is not one.
int num(const std::string& s) {
  if (s.empty() || s.size() > 4) return -1;
  int v = 0;
  for (char c : s) {
    int d = digit_of(c);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

bool upper_line(const Seg& s) { return layout::upper_ratio(s.text) >= 0.75; }

bool national(const std::string& folded) {
  std::string c = layout::compact(folded);
  return c.find("conghoa") != std::string::npos || c.find("chunghiaviet") != std::string::npos ||
         c.find("doclap") != std::string::npos || c.find("hanhphuc") != std::string::npos ||
         c.find("socialist") != std::string::npos;
}

/// Dotted leaders ("Họ và tên:......... An") become one space.
std::string deleader(const std::string& s) {
  static const std::regex re(R"((?:[._]|…)(?:\s*(?:[._]|…)){2,})");
  return text::collapse_spaces(std::regex_replace(s, re, " "));
}

std::vector<const Seg*> all_lines(const std::vector<PageLayout>& pls) {
  std::vector<const Seg*> v;
  for (const PageLayout& pl : pls)
    for (const Seg& s : pl.lines) v.push_back(&s);
  return v;
}

}  // namespace

std::string iso_date(int d, int m, int y) {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return {};
  static const int dim[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d > dim[m - 1]) return {};
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return {};
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
  return b;
}

bool valid_id12(const std::string& id, const std::string& birth) {
  return doctypes::check_so_dinh_danh(id, birth).empty();
}

std::string proper_name(const std::string& name) {
  std::string n = text::collapse_spaces(name);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(n);
  u.toLower(icu::Locale("vi"));
  icu::UnicodeString o;
  bool start = true;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (start && u_isalpha(c)) c = u_toupper(c);
    start = c == ' ' || c == '-';
    o.append(c);
  }
  std::string r;
  o.toUTF8String(r);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Spelling by the document's own votes
// ---------------------------------------------------------------------------------------------
namespace {

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> w;
  std::istringstream in(s);
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

std::string upper_vi(const std::string& s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  u.toUpper(icu::Locale("vi"));
  std::string r;
  u.toUTF8String(r);
  return r;
}

bool has_upper(const std::string& w) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(w);
  return u.length() > 0 && u_isupper(u.char32At(0));
}

}  // namespace

std::string respell(const std::string& value, const std::vector<PageLayout>& pls, bool person) {
  std::vector<std::string> w = split_words(value);
  if (w.empty()) return value;
  // which words are voted on: the whole name, or the place name after the last unit word
  size_t from = 0;
  if (!person) {
    static const std::set<std::string> units = {"xa", "phuong", "huyen", "quan", "tinh", "pho", "tran", "ubnd"};
    for (size_t i = 0; i < w.size(); ++i)
      if (units.count(layout::compact(text::fold(w[i])))) from = i + 1;
    if (from == 0 || from >= w.size()) return value;
  }
  std::vector<std::string> key;
  for (size_t i = from; i < w.size(); ++i) key.push_back(layout::compact(text::fold(w[i])));
  for (const std::string& k : key)
    if (k.empty()) return value;
  // every occurrence of the folded word sequence, capitalised, in any line
  // each occurrence weighs what OCR was sure of its line (bold header capitals lose accents first)
  std::vector<std::map<std::string, double>> votes(key.size());
  for (const PageLayout& pl : pls)
    for (const Seg& s : pl.lines) {
      std::vector<std::string> lw = split_words(s.text);
      std::vector<std::string> lf;
      for (const std::string& x : lw) lf.push_back(layout::compact(text::fold(x)));
      for (size_t i = 0; i + key.size() <= lw.size(); ++i) {
        bool ok = true;
        for (size_t k = 0; k < key.size() && ok; ++k) ok = lf[i + k] == key[k];
        // a name is capitalised wherever it is written
        for (size_t k = 0; k < key.size() && ok; ++k) ok = has_upper(strip(lw[i + k]));
        if (!ok) continue;
        for (size_t k = 0; k < key.size(); ++k) {
          std::string x = upper_vi(strip(lw[i + k], " .,:;|'\"`~-_()[]"));
          if (layout::compact(text::fold(x)) == key[k]) votes[k][x] += std::max(1.0, s.conf);
        }
      }
    }
  std::string out;
  for (size_t i = 0; i < w.size(); ++i) {
    std::string word = w[i];
    if (i >= from) {
      const auto& v = votes[i - from];
      std::string mine = upper_vi(word);
      double best = v.count(mine) ? v.at(mine) : 0;
      std::string pick = mine;
      for (const auto& [x, n] : v)
        if (n > best) best = n, pick = x;  // a strict majority over the value's own spelling
      if (pick != mine) word = person ? proper_name(pick) : pick;
    }
    out += (out.empty() ? "" : " ") + word;
  }
  if (person) {
    // the usual spelling of a surname or middle name whose accents were lost or garbled
    static const std::map<std::string, std::string> common = {
        {"nguyen", "Nguyễn"}, {"tran", "Trần"},   {"le", "Lê"},       {"pham", "Phạm"},   {"hoang", "Hoàng"},
        {"huynh", "Huỳnh"},   {"phan", "Phan"},   {"vu", "Vũ"},       {"vo", "Võ"},       {"dang", "Đặng"},
        {"bui", "Bùi"},       {"do", "Đỗ"},       {"ho", "Hồ"},       {"ngo", "Ngô"},     {"duong", "Dương"},
        {"ly", "Lý"},         {"dinh", "Đinh"},   {"dao", "Đào"},     {"trinh", "Trịnh"}, {"truong", "Trương"},
        {"lam", "Lâm"},       {"luong", "Lương"}, {"ta", "Tạ"},       {"chau", "Châu"},   {"quach", "Quách"},
        {"luu", "Lưu"},       {"kieu", "Kiều"},   {"thai", "Thái"}};
    std::vector<std::string> ow = split_words(out);
    auto fix = [&](size_t i, const std::map<std::string, std::string>& lex) {
      auto it = lex.find(layout::compact(text::fold(ow[i])));
      if (it != lex.end()) ow[i] = layout::upper_ratio(ow[i]) > 0.5 ? upper_vi(it->second) : it->second;
    };
    if (ow.size() >= 2) fix(0, common);
    static const std::map<std::string, std::string> middle = {{"thi", "Thị"}, {"van", "Văn"}};
    if (ow.size() >= 3) fix(1, middle);
    out.clear();
    for (const std::string& x : ow) out += (out.empty() ? "" : " ") + x;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Số, ký hiệu
// ---------------------------------------------------------------------------------------------
namespace {

/// Clean a number as printed: no stray spaces, O/0 and l/1 undone where digits belong.
std::string clean_number(std::string v) {
  std::string o;
  for (char c : v)
    if (c != ' ') o.push_back(c);
  while (!o.empty() && std::string(".,;:)'\"").find(o.back()) != std::string::npos) o.pop_back();
  // the running number before the first '/' (and a year after it) is digits
  size_t slash = o.find('/');
  size_t end = slash == std::string::npos ? o.size() : slash;
  bool digits_part = true;
  for (size_t i = 0; i < end; ++i)
    if (digit_of(o[i]) < 0) digits_part = false;
  if (digits_part)
    for (size_t i = 0; i < end; ++i) o[i] = static_cast<char>('0' + digit_of(o[i]));
  // in the letters after it, a 0 between letters is an O
  for (size_t i = end; i < o.size(); ++i) {
    if (o[i] == '0' && i > 0 && i + 1 < o.size() && std::isupper(static_cast<unsigned char>(o[i - 1])) &&
        (std::isupper(static_cast<unsigned char>(o[i + 1])) || o[i + 1] == '-'))
      o[i] = 'O';
  }
  return o;
}

/// The number with a dot between the letters of its symbol ("2294/UBND.VP", "UBND.-VP") made a
/// hyphen: a hyphen blurred to a dot is OCR's, a dot there is rare on paper. Nothing when the
/// symbol has no such dot. A dot beside a hyphen goes.
std::optional<std::string> dots_as_hyphens(const std::string& v) {
  const size_t slash = v.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::string o = v.substr(0, slash + 1);
  bool changed = false;
  for (size_t i = slash + 1; i < v.size(); ++i) {
    if (v[i] != '.') {
      o.push_back(v[i]);
      continue;
    }
    changed = true;
    const bool by_hyphen = (!o.empty() && o.back() == '-') || (i + 1 < v.size() && v[i + 1] == '-');
    if (!by_hyphen) o.push_back('-');
  }
  if (!changed) return std::nullopt;
  return o;
}

/// Abbreviations are Latin capitals and Đ: an accented letter there is an OCR error ("TNHŠ").
std::string ascii_abbrev(const std::string& v) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(v);
  icu::UnicodeString o;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (c >= 0x80 && c != 0x110 && c != 0x111) {
      icu::UnicodeString one(c);
      std::string tmp, f;
      one.toUTF8String(tmp);
      f = text::fold(tmp);
      if (f.size() == 1 && std::isalpha(static_cast<unsigned char>(f[0])))
        c = u_isupper(c) ? std::toupper(f[0]) : f[0];
    }
    o.append(c);
  }
  std::string r;
  o.toUTF8String(r);
  return r;
}

}  // namespace

std::optional<Found> find_so_ky_hieu(const std::vector<PageLayout>& pls, const std::string& doc_type) {
  // "Số: 123/QĐ-UBND", "So: 12 / TB-BTP", "Sổ 45/2023/TLKS-BS"
  // A dot beside a hyphen ("UBND.-VP") is a speck of a blurred hyphen, not an end.
  static const std::regex re_so(
      R"(^[^a-z0-9]{0,3}s[o0]\s*[:;.,]?\s*([0-9oil|]{1,6}(?:\s*(?:[/\-]|\.\s*-|-\s*\.)\s*[a-z0-9]+(?:\.[a-z0-9]+)?)*))");
  static const std::regex re_cert(
      R"((?:ma so (?:ho kinh doanh|doanh nghiep|hop tac xa)|so vao so cap (?:gcn|giay chung nhan)|so hieu(?: van bang| chung chi| bang)?)\s*[:;.]?\s*([a-z]{0,3}\s?[0-9][0-9a-z./\-]*[0-9]))");
  // Certificates are numbered by a printed serial ("Số hiệu", "Số vào sổ cấp GCN"), not by a
  // "Số: 12/QĐ-…" line (the catalogue's so_ky_hieu_shape); an unknown type may be either.
  const bool cert = doctypes::catalogue().get(doc_type).so_ky_hieu_shape == "serial" || doc_type == "khac";
  if (cert) {
    for (const Seg* line : all_lines(pls)) {
      // "C§45604": § and $ are how OCR reads a small S
      Seg fixed = *line;
      for (const char* sym : {"§", "$"})
        for (size_t at; (at = fixed.text.find(sym)) != std::string::npos;) fixed.text.replace(at, std::string(sym).size(), "S");
      const Seg* s = &fixed;
      layout::Folded fm = layout::fold_map(s->text);
      std::smatch m;
      if (!std::regex_search(fm.s, m, re_cert)) continue;
      size_t b = m.position(1), e = b + m.length(1);
      std::string o;
      for (char c : strip(orig(*s, fm, b, e)))
        if (c != ' ') o.push_back(c);
      if (o.size() >= 3) return Found{ascii_abbrev(o), *s};
    }
  }
  const PageLayout& first = pls.front();
  int n = 0;
  for (const Seg& s : first.segs) {
    if (++n > 40) break;
    if (s.has_box && first.height > 0 && s.box.y > first.height * 0.45) break;
    layout::Folded fm = layout::fold_map(s.text);
    std::smatch m;
    if (!std::regex_search(fm.s, m, re_so)) continue;
    size_t b = m.position(1), e = b + m.length(1);
    std::string v = ascii_abbrev(clean_number(strip(orig(s, fm, b, e))));
    if (v.empty() || digit_of(v[0]) < 0) continue;
    Found f{v, s};
    if (std::optional<std::string> hyphens = dots_as_hyphens(v)) {
      f.read_as = v;
      f.value = *hyphens;
      f.doubt_why = "a symbol's parts are joined by hyphens (NĐ 30/2020): the dot OCR read is taken for a blurred hyphen";
      return f;
    }
    // The number runs on in a glyph OCR could not read ("Số: 2§6/TLKT-BS" gives "2"): kept as
    // far as it was read, and asked with what was printed.
    if (e < fm.s.size() && fm.s[e] != ' ' && !std::strchr(".,;:)", fm.s[e])) {
      const size_t end = fm.s.find(' ', e);
      f.doubt_after = strip(orig(s, fm, b, end == std::string::npos ? fm.s.size() : end));
      f.doubt_why = "the number runs on in characters OCR could not read";
    }
    return f;
  }
  // "Số" misread ("S6: 6042/TNHŠ", "20: 9010/TNHS"): a label of two characters and a colon, then
  // a whole "number/ABBREVIATION" and nothing else, in the left half above the title
  static const std::regex re_loose(R"(^[^a-z0-9]{0,3}[a-z0-9]{2}\s*[:;]\s*([0-9oil]{1,6}\s*/\s*[a-z]{2,}(?:[\-/][a-z0-9]+)*)\s*[.,]?$)");
  n = 0;
  for (const Seg& s : first.segs) {
    if (++n > 40) break;
    if (s.has_box && first.height > 0 && s.box.y > first.height * 0.45) break;
    if (s.has_box && first.width > 0 && s.box.x + s.box.w / 2 > first.width / 2) continue;
    layout::Folded fm = layout::fold_map(s.text);
    std::smatch m;
    if (!std::regex_search(fm.s, m, re_loose)) continue;
    size_t b = m.position(1), e = b + m.length(1);
    std::string v = ascii_abbrev(clean_number(strip(orig(s, fm, b, e))));
    if (!v.empty() && digit_of(v[0]) >= 0) return Found{v, s};
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Ngày ban hành
// ---------------------------------------------------------------------------------------------
std::optional<Found> find_issue_date(const std::vector<PageLayout>& pls, const std::string& doc_type) {
  static const std::regex re_place(
      R"((?:ngay|[a-z]{1,2}ay)\s*([0-9oil]{1,2})\s*[,.]?\s*(?:thang|th[a-z]{1,2}ng|[a-z]{0,2}ang)\s*([0-9oil]{1,2})\s*[,.]?\s*(?:nam|[a-z]am|n[a-z]m)\s*([0-9oil]{4}))");
  static const std::regex re_label(
      R"((?:ngay,? thang,? nam|date,? month,? year|ngay cap|cap ngay)[^:0-9]{0,40}[:]?\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{4}))");
  struct Cand {
    int score;
    int order;
    Found f;
  };
  std::vector<Cand> cands;
  int order = 0;
  // A registration certificate's own dates: the latest of them is the issue date when no
  // place-and-date line says otherwise.
  const std::vector<std::string>& own_labels = doctypes::catalogue().get(doc_type).issue_date_labels;
  std::optional<Found> latest_own;
  bool place_date_unread = false;  // a place-and-date line near the top that does not parse
  // A date begun at a line's end and wrapped onto the next ("…, ngày 21 tháng 08 năm" /
  // "2024", "… ngày 13 tháng" / "05 năm 2024"): read with the next line joined.
  static const std::regex re_open_date(
      R"((?:ngay|[a-z]{1,2}ay)\s*[0-9oil]{1,2}\s*[,.]?\s*(?:(?:thang|[a-z]{0,2}ang)\s*(?:[0-9oil]{1,2}\s*[,.]?\s*(?:(?:nam|[a-z]am|n[a-z]m)\s*)?)?)?$)");
  for (const PageLayout& pl : pls) {
    for (size_t si = 0; si < pl.segs.size(); ++si) {
      const Seg& s = pl.segs[si];
      ++order;
      layout::Folded fm = layout::fold_map(s.text);
      std::string f = fm.s;
      if (si + 1 < pl.segs.size() && std::regex_search(f, re_open_date)) f += " " + pl.segs[si + 1].folded;
      static const std::regex re_place_date_line(R"([a-z]{2,}\s*,\s*ngay\s*\S{1,3}\s*[,.]?\s*thang\s*\S{1,3}\s*[,.]?\s*nam\s*[0-9]{4})");
      if (doc_type != "can_cuoc" && order <= 12 && !std::regex_search(f, re_place) && std::regex_search(f, re_place_date_line))
        place_date_unread = true;
      if (doc_type != "can_cuoc") {
        for (std::sregex_iterator it(f.begin(), f.end(), re_place), end; it != end; ++it) {
          const std::smatch& m = *it;
          std::string iso = iso_date(num(m[1]), num(m[2]), num(m[3]));
          if (iso.empty()) continue;
          std::string before = f.substr(0, m.position(0));
          if (std::any_of(own_labels.begin(), own_labels.end(), [&](const std::string& l) { return before.find(l) != std::string::npos; })) {
            if (!latest_own || iso > latest_own->value) latest_own = Found{iso, s};
            continue;
          }
          int score = 0;
          // the place-date line: "Nha Trang, ngày …"
          static const std::regex re_pl(R"([a-z]{2,}\s*,\s*$)");
          if (std::regex_search(before, re_pl)) score += 3;
          static const std::regex re_bad(
              R"((sinh|cap|dang ky|lan dau|tu|den|han|het|chet|ky|hieu luc|vao luc|phut|so|quyet dinh|thong bao|cong van|ke hoach)\s*(vao\s*)?[:,]?\s*$)");
          if (std::regex_search(before, re_bad)) score -= 4;
          if (s.has_box && pl.height > 0 && pl.page_no == pls.front().page_no && s.box.y < pl.height * 0.3) score += 1;
          if (f.find("lam tai") != std::string::npos) score += 1;
          if (pl.page_no == pls.front().page_no && order <= 8) score += 2;
          // a date of another document cited in the text ("Căn cứ Luật … ngày …", "Công văn số 19/KH ngày …")
          static const std::regex re_cite(R"((^[^a-z]{0,3}(can cu|thuc hien|theo)\b)|so\s*[0-9]+\s*/\s*[a-z])");
          if (std::regex_search(before, re_cite)) score -= 4;
          static const std::regex re_cua(R"(^\s*(cua|ve|tai|quy dinh|ban hanh|;))");  // ";" ends a "Căn cứ" item
          if (std::regex_search(f.substr(m.position(0) + m.length(0)), re_cua)) score -= 4;
          cands.push_back({score, order, {iso, s}});
        }
      }
      std::smatch m;
      // "Giấy báo tử số 344/GBT do … cấp ngày 13/06/2019": the date of a document it cites.
      static const std::regex re_cited(R"(so\s*[0-9oil]+\s*/\s*[a-z])");
      if (std::regex_search(f, m, re_label) && f.find("sinh") == std::string::npos &&
          f.find("birth") == std::string::npos && f.find("gia tri") == std::string::npos &&
          !std::regex_search(f.substr(0, m.position(0)), re_cited)) {
        std::string iso = iso_date(std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]));
        if (!iso.empty()) cands.push_back({doc_type == "can_cuoc" ? 3 : 0, order, {iso, s}});
      }
    }
  }
  std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.score > b.score; });
  // A place-and-date line OCR could not read ("Thái Bình, ngày 20 tháng T0 năm 2023") is the
  // paper's date all the same: another date of the text (a registration's, a birth's) is not
  // taken in its place; the field is left for the unreadable-slot check or a person.
  if (place_date_unread && (cands.empty() || cands.front().score < 3)) return std::nullopt;
  // The place-and-date line, where the certificate has one, is the day it was issued.
  if (cands.empty() || cands.front().score < 0) return latest_own;
  return cands.front().f;
}

Expiry find_expiry(const std::vector<PageLayout>& pls) {
  static const std::regex re_label(R"((co gia tri den|gia tri den|date of expiry|expiry date|ngay het han|het han ngay))");
  static const std::regex re_date(R"(([0-9oil]{1,2})\s*[/.\-]\s*([0-9oil]{1,2})\s*[/.\-]\s*([0-9oil]{4}))");
  static const std::regex re_none(R"(khong (co )?thoi han|khong xac dinh thoi han|indefinite|no expiry)");
  Expiry e;
  for (const PageLayout& pl : pls)
    for (size_t si = 0; si < pl.segs.size(); ++si) {
      const std::string& f = pl.segs[si].folded;
      std::smatch m;
      if (!std::regex_search(f, m, re_label)) continue;
      // The value follows on the line or, on the bilingual cards, under the label's two lines.
      for (size_t k = si; k < pl.segs.size() && k <= si + 2; ++k) {
        const std::string rest = k == si ? f.substr(m.position(0) + m.length(0)) : pl.segs[k].folded;
        if (std::regex_search(rest, re_none)) {
          e.none = true;
          return e;
        }
        std::smatch d;
        if (std::regex_search(rest, d, re_date)) {
          const std::string iso = iso_date(num(d[1]), num(d[2]), num(d[3]));
          if (!iso.empty()) {
            e.date = Found{iso, pl.segs[k]};
            return e;
          }
        }
      }
      if (!e.unreadable) e.unreadable = Found{"expiry date not readable after \"" + text::trim(pl.segs[si].text) + "\"", pl.segs[si]};
    }
  return e;
}

// ---------------------------------------------------------------------------------------------
// Cơ quan ban hành
// ---------------------------------------------------------------------------------------------
namespace {

/// The words every authority name is built from, restored when OCR lost their marks
/// ("UY BAN NHAN DAN PHƯƠNG X" -> "ỦY BAN NHÂN DÂN PHƯỜNG X"); place names are left as read.
std::string restore_keywords(const std::string& v) {
  static const std::vector<std::pair<std::vector<std::string>, std::string>> lex = {
      {{"uy", "ban", "nhan", "dan"}, "ỦY BAN NHÂN DÂN"}, {{"uybannhandan"}, "ỦY BAN NHÂN DÂN"},
      {{"hoi", "dong", "nhan", "dan"}, "HỘI ĐỒNG NHÂN DÂN"}, {{"thanh", "pho"}, "THÀNH PHỐ"},
      {{"thi", "tran"}, "THỊ TRẤN"}, {{"thi", "xa"}, "THỊ XÃ"}, {{"phuong"}, "PHƯỜNG"}, {{"xa"}, "XÃ"},
      {{"huyen"}, "HUYỆN"}, {{"quan"}, "QUẬN"}, {{"tinh"}, "TỈNH"}, {{"so"}, "SỞ"}, {{"phong"}, "PHÒNG"},
      {{"bo"}, "BỘ"}, {{"cuc"}, "CỤC"}, {{"chi", "cuc"}, "CHI CỤC"}};
  // phrases of agency names, unambiguous wherever they stand ("PHÒNG ĐANG KY KINHDOANH")
  static const std::vector<std::pair<std::vector<std::string>, std::string>> phrases = {
      {{"dang", "ky", "kinh", "doanh"}, "ĐĂNG KÝ KINH DOANH"}, {{"dang", "ky", "kinhdoanh"}, "ĐĂNG KÝ KINH DOANH"},
      {{"tai", "chinh", "", "ke", "hoach"}, "TÀI CHÍNH - KẾ HOẠCH"}, {{"tu", "phap"}, "TƯ PHÁP"},
      {{"tai", "nguyen", "va", "moi", "truong"}, "TÀI NGUYÊN VÀ MÔI TRƯỜNG"}, {{"noi", "vu"}, "NỘI VỤ"},
      {{"quan", "ly", "do", "thi"}, "QUẢN LÝ ĐÔ THỊ"}, {{"xay", "dung"}, "XÂY DỰNG"},
      {{"tiep", "nhan", "va", "tra", "ket", "qua"}, "TIẾP NHẬN VÀ TRẢ KẾT QUẢ"},
      {{"dang", "ky", "dat", "dai"}, "ĐĂNG KÝ ĐẤT ĐAI"}, {{"van", "phong"}, "VĂN PHÒNG"}};
  std::vector<std::string> w;
  std::istringstream in(v);
  for (std::string x; in >> x;) w.push_back(x);
  std::vector<std::string> f;
  for (const std::string& x : w) f.push_back(layout::compact(text::fold(x)));
  std::string out;
  bool unit_next = true;  // keywords only where a unit name starts, never inside a place name
  for (size_t i = 0; i < w.size();) {
    size_t used = 0;
    std::string rep;
    if (unit_next)
      for (const auto& [ks, r] : lex) {
        if (i + ks.size() > w.size()) continue;
        bool ok = true;
        for (size_t k = 0; k < ks.size() && ok; ++k) ok = f[i + k] == ks[k];
        if (ok && ks.size() > used) used = ks.size(), rep = r;
      }
    bool phrase = false;
    if (!used)
      for (const auto& [ks, r] : phrases) {
        if (i + ks.size() > w.size()) continue;
        bool ok = true;
        for (size_t k = 0; k < ks.size() && ok; ++k) ok = f[i + k] == ks[k];
        if (ok && ks.size() > used) used = ks.size(), rep = r, phrase = true;
      }
    if (used && layout::upper_ratio(w[i]) >= 0.5) {
      out += (out.empty() ? "" : " ") + rep;
      i += used;
      unit_next = !phrase && (rep == "ỦY BAN NHÂN DÂN" || rep == "HỘI ĐỒNG NHÂN DÂN" || rep == "CHI CỤC");
    } else {
      out += (out.empty() ? "" : " ") + w[i];
      unit_next = f[i] == "ubnd";
      ++i;
    }
  }
  return out;
}

std::string clean_body(const std::string& s) {
  std::string v = restore_keywords(strip(s));
  // trailing junk after the name ("THỊ XÃ HƯƠNG THỦY ˆ si)"): words with neither a capital letter
  // nor a digit ("UBND QUẬN 3" keeps its number)
  {
    std::vector<std::string> w = split_words(v);
    auto junk = [](const std::string& x) {
      double u = layout::upper_ratio(x);
      return u < 0 ? x.find_first_of("0123456789") == std::string::npos : u <= 0.5;
    };
    while (w.size() > 1 && junk(w.back())) w.pop_back();
    std::string j;
    for (const std::string& x : w) j += (j.empty() ? "" : " ") + x;
    v = strip(j, " .,:;|'\"`~-_()");
  }
  // "BỘ TƯ PHÁP. CỘNG HÒA …" when the columns ran together
  layout::Folded fm = layout::fold_map(v);
  // (or "UBND HUYỆN X Độc lập - Tự do - Hạnh phúc" on the second line)
  size_t p = std::string::npos;
  for (const char* h : {"cong hoa", "doc lap"}) p = std::min(p, fm.s.find(h));
  if (p != std::string::npos && p > 0) v = strip(v.substr(0, fm.from[p]));
  return v;
}

bool continuation(const std::string& folded) {
  // the second line of a two-line name: "ỦY BAN NHÂN DÂN" / "PHƯỜNG VĨNH HẢI"
  static const std::regex re(
      R"(^(phuong|xa|thi tran|thi xa|quan|huyen|thanh pho|tinh|ve |va |quan ly|hanh chinh|trat tu|dan so|dat dai|nha nuoc))");
  return std::regex_search(folded, re);
}

bool bare_council(const std::string& folded) {
  std::string c = layout::compact(folded);
  return c == "uybannhandan" || c == "hoidongnhandan" || c == "ubnd" || c == "bophan" || c == "cuccanhsat";
}

std::string drop_person_title(const std::string& s) {
  layout::Folded fm = layout::fold_map(s);
  static const std::regex re(R"(^(cuc truong|giam doc|hieu truong|chu tich|truong phong|vien truong|bo truong)[.,:]?\s+)");
  std::smatch m;
  if (std::regex_search(fm.s, m, re)) {
    std::string rest = fm.s.substr(m.length(0));
    // keep "GIÁM ĐỐC" when nothing follows
    if (!rest.empty()) return strip(s.substr(fm.from[m.length(0)]));
  }
  return s;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> d(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) d[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t prev = d[0];
    d[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cur = d[j];
      d[j] = std::min({d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return d[b.size()];
}

/// The entry of the type's closed list of issuers (catalogue known_issuers) a name read close to
/// it is ("CỤC | CẢNH SÁT QUẬN LÝ … VỆ TRẬT TỰ" -> the real spelling); none when it is not close
/// to any: one letter in five may be misread.
std::optional<std::string> known_issuer(const std::string& v, const doctypes::Type& type) {
  std::string c = layout::compact(text::fold(v));
  for (const std::string& b : type.known_issuers) {
    std::string cb = layout::compact(text::fold(b));
    if (edit_distance(c, cb) * 5 <= cb.size()) return b;
  }
  return std::nullopt;
}

}  // namespace

namespace {

/// A unit the catalogue lists as a desk without legal standing ("Bộ phận một cửa").
bool desk_unit(const std::string& folded) {
  const std::string c = layout::compact(folded);
  for (const std::string& d : doctypes::catalogue().desk_units) {
    const std::string dc = layout::compact(text::fold(d));
    if (c.compare(0, dc.size(), dc) == 0) return true;
  }
  return false;
}

}  // namespace

std::optional<Found> find_issuer(const std::vector<PageLayout>& pls, const std::string& doc_type) {
  const PageLayout& first = pls.front();
  // 1. Diplomas: the line above "cấp".
  if (doc_type == "van_bang") {
    for (const PageLayout& pl : pls)
      for (size_t i = 1; i < pl.segs.size(); ++i)
        if (layout::compact(pl.segs[i].folded) == "cap" && upper_line(pl.segs[i - 1]))
          return Found{drop_person_title(clean_body(pl.segs[i - 1].text)), pl.segs[i - 1]};
  }
  // 2. ID cards: "CỤC TRƯỞNG CỤC CẢNH SÁT / QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI".
  if (doc_type == "can_cuoc") {
    for (const PageLayout& pl : pls)
      for (size_t i = 0; i < pl.segs.size(); ++i) {
        const Seg& s = pl.segs[i];
        if (layout::compact(s.folded).rfind("cuctruong", 0) != 0 || !upper_line(s)) continue;
        std::string v = drop_person_title(clean_body(s.text));
        if (i + 1 < pl.segs.size() && upper_line(pl.segs[i + 1]) && continuation(pl.segs[i + 1].folded))
          v += " " + clean_body(pl.segs[i + 1].text);
        const std::optional<std::string> known = known_issuer(v, doctypes::catalogue().get(doc_type));
        Found f{known.value_or(v), s};
        f.known = known.has_value();
        return f;
      }
    return std::nullopt;
  }
  // 3. The authority block at top left, above the number line and the title.
  std::vector<Seg> block;
  int n = 0;
  for (const Seg& s : first.segs) {
    if (++n > 30) break;
    if (s.has_box && first.height > 0 && s.box.y > first.height * 0.3) break;
    std::string c = layout::compact(s.folded);
    bool left = !s.has_box || first.width <= 0 || s.box.x + s.box.w / 2 < first.width * 0.45;
    if (c.rfind("so", 0) == 0 && c.size() > 2 && std::isdigit(static_cast<unsigned char>(c[2]))) break;
    // ... and "Số: /CT-UBND" with its number handwritten and not read: "Số" then a colon, which
    // a "Sở …" of the authority never has.
    static const std::regex re_number_slot(R"(^[^a-z0-9]{0,3}so\s*[:.])");
    if (std::regex_search(s.folded, re_number_slot)) break;
    // the number line with "Số" misread ("20: 9010/TNHS"): an authority name has no "123/"
    static const std::regex re_number(R"([0-9oil]{1,6}\s*/\s*[a-z0-9])");
    if (std::regex_search(s.folded, re_number)) break;
    // "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI …": the two columns read as one segment still start left
    bool left_start = !s.has_box || first.width <= 0 || s.box.x < first.width * 0.3;
    if (!left && !(left_start && national(s.folded))) continue;
    if (national(s.folded)) {
      std::string v = clean_body(s.text);
      if (!v.empty() && !national(layout::fold_map(v).s) && layout::upper_ratio(v) >= 0.75) {
        Seg t = s;
        t.text = v;
        t.folded = text::fold(v);
        block.push_back(t);
      }
      if (!s.has_box) break;  // without boxes the header marks the end of the block
      continue;
    }
    if (!upper_line(s) || c.size() < 3) {
      if (!block.empty()) break;
      continue;
    }
    block.push_back(s);
  }
  // A name too long for its column wraps onto a short line under it ("UBND THÀNH PHỐ QUY" /
  // "NHƠN", "BỆNH VIỆN ĐA KHOA TỈNH" / "KHÁNH HÒA"): the tail starts no authority of its own,
  // and the line above ends with a unit word or names no known place until the tail is added.
  {
    const doctypes::Catalogue& cat = doctypes::catalogue();
    const doctypes::Type& type = cat.get(doc_type);
    auto starts_authority = [&](const std::string& folded) {
      for (const std::string& a : cat.authority_words) {
        const std::string fa = text::fold(a);
        if (folded.compare(0, fa.size(), fa) == 0 && (folded.size() == fa.size() || folded[fa.size()] == ' ')) return true;
      }
      return false;
    };
    static const std::regex re_unit_end(R"((^| )(tinh|thanh pho|quan|huyen|thi xa|phuong|xa|thi tran)$)");
    for (size_t k = 1; k < block.size();) {
      const Seg &above = block[k - 1], &tail = block[k];
      const std::string tail_text = clean_body(tail.text), above_text = clean_body(above.text);
      const size_t tail_words = split_words(tail_text).size();
      const bool same_column = !above.has_box || !tail.has_box ||
                               (tail.box.x < above.box.x + above.box.w && above.box.x < tail.box.x + tail.box.w);
      const std::string joined = above_text + " " + tail_text;
      const bool wraps = tail_words >= 1 && tail_words <= 3 && same_column && !starts_authority(text::fold(tail_text)) &&
                         (std::regex_search(text::fold(above_text), re_unit_end) ||
                          (!doctypes::check("authority", above_text, type, cat).empty() &&
                           doctypes::check("authority", joined, type, cat).empty()));
      if (!wraps) {
        ++k;
        continue;
      }
      block[k - 1].text = joined;
      block[k - 1].folded = text::fold(joined);
      block.erase(block.begin() + static_cast<long>(k));
    }
  }
  std::optional<Found> res;
  // OCR junk ("1y EN l NI ĐẠN", "SHed ĐAU DUNŠ") is no name: no single letters, no digits glued
  // to letters, no lower case inside a word of capitals
  auto plausible = [](const std::string& v) {
    std::istringstream ws(v);
    for (std::string w; ws >> w;) {
      std::string f = layout::fold_map(w).s;
      if (layout::compact(f).empty()) continue;  // "PHÒNG TÀI CHÍNH - KẾ HOẠCH": a dash is no word
      bool has_d = f.find_first_of("0123456789") != std::string::npos;
      bool has_a = f.find_first_not_of("0123456789") != std::string::npos;
      if ((has_d && has_a) || (f.size() == 1 && !has_d)) return false;
      if (layout::upper_ratio(w) > 0 && layout::upper_ratio(w) < 1) return false;
    }
    return layout::compact(layout::fold_map(v).s).size() >= 5 && v.find(' ') != std::string::npos;
  };
  const std::vector<Seg> whole_block = block;
  // the last plausible line of the block (a garbled number line may trail it)
  std::optional<Seg> dropped;  // the first line dropped, right under the last kept
  while (!block.empty() && !plausible(clean_body(block.back().text))) {
    dropped = block.back();
    block.pop_back();
  }
  // A dropped line of one to three Vietnamese syllables in capitals, in the same column right
  // under the name, may be the name's wrapped end that OCR misread.
  auto wrapped_end = [&](const Seg& above) -> std::string {
    if (!dropped || !upper_line(*dropped)) return {};
    const std::string tail = clean_body(dropped->text);
    const std::vector<std::string> words = split_words(tail);
    if (words.empty() || words.size() > 3 || layout::compact(text::fold(tail)).size() < 3) return {};
    const lexicon::Lexicon& lx = lexicon::lexicon();
    for (const std::string& w : words)
      if (!lx.by_fold.count(layout::compact(text::fold(w)))) return {};
    if (above.has_box && dropped->has_box &&
        (dropped->box.x >= above.box.x + above.box.w || above.box.x >= dropped->box.x + dropped->box.w ||
         dropped->box.y - (above.box.y + above.box.h) > above.box.h))
      return {};
    return tail;
  };
  if (!block.empty()) {
    size_t last = block.size() - 1;
    // A desk inside the organ ("BỘ PHẬN MỘT CỬA") has no legal standing: the organ above it
    // issues the paper, and the desk is kept as the unit.
    std::string unit;
    if (last > 0 && desk_unit(block[last].folded)) {
      unit = clean_body(block[last].text);
      --last;
    }
    std::string v = clean_body(block[last].text);
    const Seg* where = &block[last];
    if (last > 0 && (continuation(block[last].folded) || bare_council(block[last - 1].folded))) {
      v = clean_body(block[last - 1].text) + " " + v;
      where = &block[last - 1];
    }
    if (plausible(v)) {
      res = Found{v, *where, unit};
      if (unit.empty() && last + 1 == block.size())
        if (const std::string tail = wrapped_end(block[last]); !tail.empty()) {
          res->doubt_after = v + " " + tail;
          res->doubt_why = "the short line under it, \"" + tail + "\", may be its end";
        }
    }
  }
  // A header OCR garbled (a small or blurred photo) that is plainly still a people's committee
  // of a unit the gazetteer knows: read so, and kept in doubt beside what OCR read.
  const doctypes::Type& type = doctypes::catalogue().get(doc_type);
  if (!whole_block.empty() && (!res || !doctypes::check("authority", res->value, type).empty()))
    for (size_t k = whole_block.size(); k-- > 0;) {
      const std::string line = clean_body(whole_block[k].text);
      const std::string above = k > 0 ? clean_body(whole_block[k - 1].text) : std::string();
      std::optional<lexicon::CouncilReading> council = above.empty() ? std::nullopt : lexicon::read_as_council(above, line);
      std::string read = above + " " + line;
      if (!council) {  // the head on the same line
        council = lexicon::read_as_council("", line);
        read = line;
      }
      if (!council) continue;
      Found f{council->value, whole_block[k]};
      f.read_as = text::trim(read);
      f.doubt_why = "the people's committee of " + council->unit->name + " (gazetteer) is " +
                    std::to_string(council->edits) + " letters from what OCR read";
      return f;
    }
  if (res) return res;
  // 4. Certificates signed without a header block: the body named under the place-date line.
  static const std::regex re_date(R"(ngay\s*[0-9oil]{1,2}\s*thang\s*[0-9oil]{1,2}\s*nam\s*[0-9oil]{4})");
  for (const PageLayout& pl : pls)
    for (size_t i = 0; i + 1 < pl.segs.size(); ++i) {
      if (!std::regex_search(pl.segs[i].folded, re_date)) continue;
      for (size_t k = i + 1; k < pl.segs.size() && k <= i + 2; ++k) {
        const Seg& s = pl.segs[k];
        static const std::regex re_sig(R"(^(tm|kt|tl|q|tuq)\s*[.:])");
        if (std::regex_search(s.folded, re_sig)) break;
        if (upper_line(s) && layout::compact(s.folded).size() >= 6 && !national(s.folded))
          return Found{drop_person_title(clean_body(s.text)), s};
      }
    }
  return std::nullopt;
}

std::optional<Found> issuer_by_address(const std::vector<PageLayout>& pls, const doctypes::Type& type) {
  if (type.issuer_address_labels.empty()) return std::nullopt;
  static const std::regex re_bare_council(R"(^[^a-z]{0,3}t\s*/?\s*m\s*[.:]?\s*(uy ban nhan dan|ubnd)\s*[.:]?$)");
  bool bare = false;
  for (const Seg* s : all_lines(pls)) bare = bare || std::regex_search(s->folded, re_bare_council);
  if (!bare) return std::nullopt;
  const std::vector<const Seg*> lines = all_lines(pls);
  for (const std::string& label : type.issuer_address_labels) {
    const std::string fl = text::fold(label);
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string& f = lines[i]->folded;
      const size_t at = f.find(fl);
      if (at == std::string::npos) continue;
      if (std::any_of(type.issuer_address_not_labels.begin(), type.issuer_address_not_labels.end(),
                      [&](const std::string& n) { return f.find(text::fold(n)) != std::string::npos; }))
        continue;
      // The address may wrap onto the next line ("… quận Hải Châu," / "thành phố Đà Nẵng").
      std::string addr = lines[i]->text;
      if (i + 1 < lines.size() && lines[i + 1]->text.find(':') == std::string::npos) addr += " " + lines[i + 1]->text;
      for (const lexicon::PlaceMatch& m : lexicon::find_places(addr)) {
        if (!m.unit || m.unit->level != 2) continue;
        return Found{"UBND " + upper_vi(m.unit->type + " " + m.unit->bare), *lines[i]};
      }
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Trích yếu
// ---------------------------------------------------------------------------------------------
std::optional<Found> find_trich_yeu(const std::vector<PageLayout>& pls, const std::string& doc_type) {
  (void)doc_type;
  const PageLayout& first = pls.front();
  const auto& segs = first.segs;
  static const std::regex re_vv(R"(^[^a-z]{0,3}(v\s*/\s*[vyu]|ve viec)\s*[:.]?\s*)");
  static const std::regex re_stop(R"(^[^a-z]{0,3}(kinh gui|can cu|thuc hien|xet|theo|quyet dinh|chu tich|uy ban|ubnd|giam doc|so\s*[:0-9]|noi nhan|i\.|1\.))");
  auto gather = [&](size_t i, size_t b_folded) -> std::optional<Found> {
    const Seg& s = segs[i];
    layout::Folded fm = layout::fold_map(s.text);
    // A comma ending a line belongs to the subject when the next line continues it ("hộ gia
    // đình,\n cá nhân"): only the whole subject's ends are trimmed of punctuation.
    std::string v = strip(strip_front(orig(s, fm, b_folded, fm.s.size()), " .,:;|'\"`~-_"), " |'\"`~_");
    bool left = s.has_box && first.width > 0 && s.box.x + s.box.w < first.width * 0.55;
    int prev_bottom = s.has_box ? s.box.y + s.box.h : 0, line_gap = -1;
    for (size_t k = i + 1; k < segs.size() && k <= i + 3; ++k) {
      const Seg& t = segs[k];
      if (s.has_box && t.has_box && !(left && t.box.x > first.width * 0.5)) {
        // The subject's lines follow each other closely; the body starts after a wider gap.
        const int gap = t.box.y - prev_bottom;
        if (gap > (line_gap >= 0 ? std::max(2 * line_gap, s.box.h * 3 / 4) : s.box.h * 6 / 5)) break;
        line_gap = std::max(0, gap);
        prev_bottom = t.box.y + t.box.h;
      }
      if (std::regex_search(t.folded, re_stop) || upper_line(t) || national(t.folded)) break;
      if (s.has_box && t.has_box) {
        if (left && t.box.x > first.width * 0.5) continue;  // the other column
        // (k - i) as int: a next line that overlaps this one's box (a negative gap) must not
        // turn into a huge unsigned number and end the subject.
        if (t.box.y - (s.box.y + s.box.h) > 4 * std::max(10, s.box.h) * static_cast<int>(k - i)) break;
        if (!left && std::abs((t.box.x + t.box.w / 2) - first.width / 2) > first.width * 0.2) break;
      }
      if (layout::compact(t.folded).rfind("ngay", 0) == 0) break;
      // The place-date line of the header's right column, set lower than the subject's first
      // line and reaching left over the middle in a wide font, is no part of a left-column
      // subject: a place, then the date ("Thái Bình, ngày 01 tháng 01 năm 2023"), running into
      // the right half. A subject's own line citing a date stays in its column.
      static const std::regex re_place_date(R"(^[^0-9,/]{2,40}, *ngay [^ ]{1,4} *thang [^ ]{1,4} *nam)");
      if (left && t.has_box && t.box.x + t.box.w > first.width * 0.55 && std::regex_search(t.folded, re_place_date)) continue;
      v += " " + strip(t.text, " |'\"`~_");
    }
    v = strip(v, " .,:;|'\"`~-_");
    if (layout::compact(layout::fold_map(v).s).size() < 6) return std::nullopt;
    return Found{v, s};
  };
  // "V/v …" / "Về việc …", above the body: a body line may open with "về việc" where a sentence
  // citing another paper wraps ("… Quyết định số 12/QĐ-UBND" / "về việc công bố …").
  static const std::regex re_body(R"(^[^a-z]{0,3}(kinh gui|can cu|thuc hien|xet)(?![a-z]))");
  for (size_t i = 0; i < segs.size() && i < 40; ++i) {
    if (std::regex_search(segs[i].folded, re_body)) break;
    layout::Folded fm = layout::fold_map(segs[i].text);
    std::smatch m;
    if (std::regex_search(fm.s, m, re_vv)) {
      if (auto f = gather(i, m.length(0))) return f;
    }
  }
  // Otherwise the line right under the title (báo cáo, kế hoạch: "Kết quả …").
  // The titles are those of the catalogue's kinds that carry a subject line.
  auto subject_title = [&](const Seg& seg) {
    const std::string c = layout::compact(seg.folded);
    for (const doctypes::TitlePattern& p : doctypes::catalogue().titles)
      if (p.compact == c && (p.code == "quyet_dinh" || !p.kind.empty())) return true;
    return false;
  };
  for (size_t i = 0; i + 1 < segs.size() && i < 40; ++i) {
    if (!upper_line(segs[i]) || !subject_title(segs[i])) continue;
    size_t k = i + 1;
    if (upper_line(segs[k]) || std::regex_search(segs[k].folded, re_stop)) return std::nullopt;
    return gather(k, 0);
  }
  return std::nullopt;
}

std::optional<Found> person_in_subject(const std::string& subject, const Seg& where) {
  layout::Folded fm = layout::fold_map(subject);
  static const std::regex re(R"((?:^|\s)(ong|ba)\s+)");
  std::smatch m;
  if (!std::regex_search(fm.s, m, re)) return std::nullopt;
  std::string rest = subject.substr(fm.from[m.position(0) + m.length(0)]);
  // capitalised words make the name
  std::string name;
  size_t i = 0;
  int words = 0;
  while (i < rest.size()) {
    size_t e = rest.find(' ', i);
    std::string w = rest.substr(i, e == std::string::npos ? std::string::npos : e - i);
    std::string wc = strip(w);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(wc);
    if (u.isEmpty() || !u_isupper(u.char32At(0))) break;
    name += (name.empty() ? "" : " ") + wc;
    ++words;
    if (w != wc) break;  // a comma ends the name
    if (e == std::string::npos) break;
    i = e + 1;
  }
  if (words < 2 || words > 6) return std::nullopt;
  return Found{proper_name(name), where};
}

// ---------------------------------------------------------------------------------------------
// The person: họ tên, ngày sinh, số định danh
// ---------------------------------------------------------------------------------------------
namespace {

enum class Rank { none, subject, applicant, other };

struct Label {
  Rank rank = Rank::none;
  size_t value_at = 0;  // offset into the original text where the value starts
};

/// The role a name label's qualifier gives ("Họ và tên người mẹ" -> other).
Rank qualifier_rank(const std::string& q) {
  static const std::regex re_other(R"(me|cha|chu ho|di khai|ky|tiep nhan|phung duong|cham soc|lam chung|bi kien|nguoi co quyen|giam ho|nguoi dai dien theo)");
  static const std::regex re_appq(R"(yeu cau|de nghi|khai|lam don|dai dien|khoi kien|nop)");
  std::string c = layout::compact(q);
  if (c.empty() || c == "chong" || c == "vo" || c.find("fullname") != std::string::npos) return Rank::subject;
  if (std::regex_search(q, re_other)) return Rank::other;
  if (std::regex_search(q, re_appq)) return Rank::applicant;
  return Rank::other;
}

/// Where the value starts after a label whose colon OCR may have lost: the qualifier is
/// lower-case words ("người đề nghị", "/ Full name"), leaders and junk; the value starts after a
/// colon or at the first word with a capital. `rest` is the original text after the label.
size_t value_start(const std::string& rest, std::string* qualifier) {
  size_t i = 0;
  int words = 0;
  while (i < rest.size() && words < 8) {
    while (i < rest.size() && rest[i] == ' ') ++i;
    size_t e = rest.find(' ', i);
    if (e == std::string::npos) e = rest.size();
    std::string tok = rest.substr(i, e - i);
    size_t colon = tok.find(':');
    std::string before = colon == std::string::npos ? tok : tok.substr(0, colon);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(before);
    UChar32 first = 0;
    for (int32_t k = 0; k < u.length();) {
      UChar32 c = u.char32At(k);
      k += U16_LENGTH(c);
      if (u_isalpha(c)) { first = c; break; }
    }
    std::string ft = text::fold(before);
    bool english = ft.find("full") != std::string::npos || ft.find("name") != std::string::npos;
    if (first && u_isupper(first) && !english && colon == std::string::npos) return i;  // the value
    if (qualifier) *qualifier += (qualifier->empty() ? "" : " ") + before;
    if (colon != std::string::npos) return i + colon + 1;
    ++words;
    i = e;
  }
  return std::string::npos;
}

Label person_label(const std::string& f, const std::string& text, const layout::Folded& fm) {
  Label l;
  // An item number before the label: "1.1.", or a section's Roman one, which is also how OCR
  // reads the 1 of "1.1." in some fonts ("I.1."). Then up to two short junk tokens (a photo's
  // edge on ID cards).
  static const std::regex re_name(
      R"(^[^a-z]{0,8}(?:[0-9.]+\s*|[ivxl]{1,4}[.)][0-9.]*\s*)?(?:[a-z0-9]{1,3}[,.]?\s*[^a-z\s]{0,3}\s*)?(?:[a-z0-9]{1,2}[,.]?\s*[^a-z\s]{0,3}\s*)?(c[a-z]{1,2}\s*d[a-z]m,?\s*(?:va\s*)?ten|ho\s*va\s*ten|ho\s*,?\s*ten)\b)");
  static const std::regex re_hint(R"(ghi ro|ky,)");  // "(Ký, ghi rõ họ tên)" under a signature
  static const std::regex re_app(
      R"(^[^a-z]{0,8}(?:[0-9.]+\s*|[ivxl]{1,4}[.)][0-9.]*\s*)?(?:(toi ten la|(?:cap cho|cho)?\s*ong\s*/\s*ba|ong\s*\(\s*ba\s*\)|cap cho:?\s*ong\s*\(\s*ba\s*\)|nguoi yeu cau|nguoi de nghi)[^a-z0-9]{0,4}|(ong|ba|cho|cap cho|ten chu dau tu[^:]*|ten to chuc, ca nhan[^:]*|ten(?:\s*\([^)]*\))?)\s*[:]\s*))");
  std::smatch m;
  if (std::regex_search(f, m, re_name) && !std::regex_search(f, re_hint)) {
    size_t at = m.position(1) + m.length(1);
    std::string rest = text.substr(fm.from[std::min(at, fm.s.size())]);
    std::string q;
    size_t vs = value_start(rest, &q);
    // "(viết chữ in hoa)" tells how to fill the field, not whose name it is.
    static const std::regex re_paren(R"(\([^)]*\)?)");
    l.rank = qualifier_rank(text::collapse_spaces(std::regex_replace(text::fold(q), re_paren, " ")));
    l.value_at = vs == std::string::npos ? text.size() : text.size() - rest.size() + vs;
    return l;
  }
  if (std::regex_search(f, m, re_app)) {
    l.rank = Rank::applicant;
    l.value_at = fm.from[std::min<size_t>(m.length(0), fm.s.size())];
  }
  return l;
}

bool is_name(const std::string& v) {
  if (v.empty() || text::length(v) > 40) return false;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(v);
  int words = 1;
  bool start = true;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (c == ' ') {
      ++words;
      start = true;
      continue;
    }
    if (!u_isalpha(c)) return false;
    if (start && !u_isupper(c)) return false;
    start = false;
  }
  return words >= 2 && words <= 6;
}

/// The name after a label: up to a comma, a dotted leader or the next label.
std::string name_value(const std::string& after) {
  std::string v = after;
  layout::Folded fm = layout::fold_map(v);
  static const std::regex re_end(R"((,|;|\s+(sinh|ngay|nam sinh|gioi tinh|cccd|cmnd|so dinh|dan toc|quoc tich|dia chi)\b))");
  std::smatch m;
  if (std::regex_search(fm.s, m, re_end)) v = v.substr(0, fm.from[m.position(0)]);
  // the longest run of name-like words
  std::string name;
  std::istringstream in(v);
  std::string w;
  int words = 0;
  while (in >> w) {
    std::string c = strip(w, " .,:;|'\"`~-_*");
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(c);
    bool letters = false;
    for (int32_t i = 0; i < u.length();) {
      UChar32 ch = u.char32At(i);
      i += U16_LENGTH(ch);
      if (u_isupper(ch) || u_islower(ch)) letters = true;  // "ˆ" is a letter to ICU, not to a name
    }
    if (!letters) {  // leaders, a photo's edge ("ˆ", ":§") before the name
      bool ascii = c.empty() || std::all_of(c.begin(), c.end(), [](char x) { return static_cast<unsigned char>(x) < 0x80; });
      if (words && ascii) break;  // punctuation ends the name; a stray symbol ("Dương € Gia Sơn") does not
      continue;
    }
    if (!words && text::length(c) == 1) continue;  // a lone letter before the name is junk (a photo's edge)
    bool ok = u.length() > 0 && u_isupper(u.char32At(0));
    for (int32_t i = 0; ok && i < u.length();) {
      UChar32 ch = u.char32At(i);
      i += U16_LENGTH(ch);
      if (!u_isalpha(ch)) ok = false;
    }
    if (!ok) break;
    name += (name.empty() ? "" : " ") + c;
    ++words;
    if (c != strip(w, " ")) break;  // leader dots glued to the last word
  }
  return name;
}

std::optional<std::string> date_in(const std::string& f, bool labelled_only) {
  static const std::regex re_lab(
      R"((?:ngay,?\s*thang,?\s*nam sinh|ngay sinh|sinh ngay|date of birth)[^0-9]{0,40}([0-9oil]{1,2})\s*[/.\-]\s*([0-9oil]{1,2})\s*[/.\-]\s*([0-9oil]{4}))");
  std::smatch m;
  if (std::regex_search(f, m, re_lab)) return iso_date(num(m[1]), num(m[2]), num(m[3]));
  (void)labelled_only;
  return std::nullopt;
}

std::vector<std::string> ids_in(const std::string& text) {
  // 12 digits, possibly with O/l confusions or split in groups by stray spaces
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (cur.size() == 12) out.push_back(cur);
    cur.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    int d = digit_of(c);
    bool letter_ctx = d >= 0 && !std::isdigit(static_cast<unsigned char>(c)) &&
                      ((i > 0 && std::isalpha(static_cast<unsigned char>(text[i - 1]))) ||
                       (i + 1 < text.size() && std::isalpha(static_cast<unsigned char>(text[i + 1]))));
    if (d >= 0 && !letter_ctx) {
      cur.push_back(static_cast<char>('0' + d));
    } else if (c == ' ' && !cur.empty() && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
               cur.size() < 12) {
      continue;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

}  // namespace

PersonFields find_person(const std::vector<PageLayout>& pls, const std::string& doc_type) {
  PersonFields pf;
  std::vector<Seg> clean;
  for (const Seg* s : all_lines(pls)) {
    clean.push_back(*s);
    clean.back().text = deleader(s->text);
  }
  std::vector<const Seg*> lines;
  for (const Seg& s : clean) lines.push_back(&s);
  struct Hit {
    Rank rank;
    size_t line;
    std::string name;
  };
  std::vector<Hit> hits;
  std::vector<size_t> label_lines;
  std::vector<Label> labels(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) labels[i] = person_label(layout::fold_map(lines[i]->text).s, lines[i]->text, layout::fold_map(lines[i]->text));
  for (size_t i = 0; i < lines.size(); ++i) {
    const Seg& s = *lines[i];
    const Label& l = labels[i];
    if (l.rank == Rank::none) continue;
    label_lines.push_back(i);
    std::string v = name_value(s.text.substr(std::min(l.value_at, s.text.size())));
    // The value beside the label on the same row, when OCR made it a line of its own (a
    // diploma's "Cho:" with the name in a column further right).
    if (v.empty() && s.has_box) {
      const Seg* beside = nullptr;
      for (const Seg* o : lines) {
        if (o == &s || !o->has_box || o->box.x < s.box.x + s.box.w) continue;
        const int overlap = std::min(o->box.y + o->box.h, s.box.y + s.box.h) - std::max(o->box.y, s.box.y);
        if (2 * overlap < std::min(o->box.h, s.box.h)) continue;
        if (!beside || o->box.x < beside->box.x) beside = o;
      }
      if (beside) v = name_value(beside->text);
    }
    // the value on a following line (ID cards: "Họ và tên / Full name:", a photo's edge, the name)
    for (size_t k = i + 1; v.empty() && k < lines.size() && k <= i + 3 && labels[k].rank == Rank::none; ++k)
      v = name_value(lines[k]->text);
    // A label whose value is unreadable still marks where the person's fields are.
    hits.push_back({l.rank, i, is_name(v) ? v : std::string()});
  }
  // Old ID cards print "Họ tên: X" too; birth papers name the child first, forms the applicant.
  const Hit* best = nullptr;
  for (Rank r : {Rank::subject, Rank::applicant}) {
    for (const Hit& h : hits)
      if (h.rank == r && !h.name.empty()) { best = &h; break; }
    if (best) break;
    for (const Hit& h : hits)
      if (h.rank == r) { best = &h; break; }
    if (best) break;
  }
  if (!best) return pf;
  if (!best->name.empty()) pf.ho_ten = Found{proper_name(best->name), *lines[best->line]};
  // Until the next person's label: their birth date and ID number.
  size_t stop = lines.size();
  for (size_t li : label_lines)
    if (li > best->line) { stop = li; break; }
  stop = std::min(stop, best->line + 12);
  std::string birth;
  for (size_t i = best->line; i < stop; ++i) {
    layout::Folded fm = layout::fold_map(lines[i]->text);
    if (auto d = date_in(fm.s, true); d && !d->empty()) {
      birth = *d;
      pf.ngay_sinh = Found{birth, *lines[i]};
      break;
    }
  }
  auto id_between = [&](size_t from, size_t to) -> std::optional<Found> {
    // A number that is a personal number by itself but not of the birth year read beside it: one
    // of the two is misread (an 8 read as 6 in "1989"). Dropping the number left the wrong date
    // unasked; kept, review finds the two disagree and asks a person.
    std::optional<Found> of_another_year;
    for (size_t i = from; i < to; ++i)
      for (const std::string& id : ids_in(lines[i]->text)) {
        if (valid_id12(id, birth)) return Found{id, *lines[i]};
        if (!of_another_year && !birth.empty() && valid_id12(id, "")) of_another_year = Found{id, *lines[i]};
      }
    return of_another_year;
  };
  pf.so_dinh_danh = id_between(best->line, stop);
  // The person asked for is the one who asks ("Quan hệ: Bản thân"): the same name under the
  // applicant's label carries the identity papers.
  if (!pf.so_dinh_danh && !best->name.empty()) {
    for (const Hit& h : hits) {
      if (&h == best || h.rank != Rank::applicant || text::fold(h.name) != text::fold(best->name)) continue;
      size_t end = lines.size();
      for (size_t li : label_lines)
        if (li > h.line) { end = li; break; }
      pf.so_dinh_danh = id_between(h.line, std::min(end, h.line + 12));
      if (pf.so_dinh_danh) break;
    }
  }
  // ID cards print the number above the name.
  if (!pf.so_dinh_danh && doc_type == "can_cuoc") {
    for (size_t i = 0; i < best->line; ++i)
      for (const std::string& id : ids_in(lines[i]->text))
        if (valid_id12(id, birth)) {
          pf.so_dinh_danh = Found{id, *lines[i]};
          return pf;
        }
  }
  return pf;
}

}  // namespace sohoa::extract

