#include "classify/mrz.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "core/text.h"

namespace sohoa::mrz {
namespace {

constexpr int kLine = 30;

/// What OCR made of an MRZ line in the zone's own alphabet: upper-case A-Z, digits and '<'.
/// '«' is two fillers; spaces (OCR splits the line into words) and other marks go.
std::string normalise(const std::string& raw) {
  std::string s;
  for (size_t i = 0; i < raw.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c == 0xC2 && i + 1 < raw.size() && static_cast<unsigned char>(raw[i + 1]) == 0xAB) {  // «
      s += "<<";
      ++i;
    } else if (c == 0xE2 && i + 2 < raw.size() && static_cast<unsigned char>(raw[i + 1]) == 0x80 &&
               static_cast<unsigned char>(raw[i + 2]) == 0xB9) {  // ‹
      s += '<';
      i += 2;
    } else if (c >= 0x80) {
      continue;  // letters with diacritics are not the zone's; their base letter is kept below
    } else if (c == '<' || (c >= '0' && c <= '9')) {
      s += static_cast<char>(c);
    } else if (c >= 'a' && c <= 'z') {
      s += static_cast<char>(c - 'a' + 'A');
    } else if (c >= 'A' && c <= 'Z') {
      s += static_cast<char>(c);
    }
  }
  return s;
}

/// A field that must be digits, with the letters OCR mistakes for digits mended.
std::string as_digits(std::string s) {
  static const std::map<char, char> fix = {{'O', '0'}, {'Q', '0'}, {'D', '0'}, {'U', '0'}, {'I', '1'}, {'L', '1'},
                                           {'Z', '2'}, {'S', '5'}, {'B', '8'}, {'G', '6'}};
  for (char& c : s)
    if (auto it = fix.find(c); it != fix.end()) c = it->second;
  return s;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_filler(char c) { return c == '<' || c == 'K'; }  // Tesseract reads a lone '<' as K at times

bool check_ok(const std::string& field, char digit) { return digit >= '0' && digit <= '9' && check_digit(field) == digit - '0'; }

/// YYMMDD as ISO, with the century given; empty when not a date.
std::string iso_date(const std::string& yymmdd, int century) {
  if (!all_digits(yymmdd) || yymmdd.size() != 6) return {};
  const int yy = std::stoi(yymmdd.substr(0, 2)), mm = std::stoi(yymmdd.substr(2, 2)), dd = std::stoi(yymmdd.substr(4, 2));
  if (mm < 1 || mm > 12 || dd < 1 || dd > 31) return {};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", century + yy, mm, dd);
  return buf;
}

/// The optional-data run after a fixed prefix, as it must have been printed: `size` characters,
/// the letters OCR mistakes for digits mended in its leading run of digits. A run of fillers
/// read longer or shorter than printed is put back to its length, keeping the one character
/// after it (a check digit); what follows that (the next card's text on a merged line) is
/// dropped. One reading only: each extra guess would be another chance for the one-digit
/// composite check to pass by accident.
std::optional<std::string> optional_field(const std::string& rest, size_t size) {
  size_t head = 0;
  while (head < rest.size() && !is_filler(rest[head])) ++head;
  size_t end = head;
  while (end < rest.size() && is_filler(rest[end])) ++end;
  const std::string digits = as_digits(rest.substr(0, head));
  if (rest.size() == size || end == head) {
    if (rest.size() < size) return std::nullopt;
    return (digits + rest.substr(head)).substr(0, size);
  }
  const std::string tail = end < rest.size() ? as_digits(rest.substr(end, 1)) : "";
  if (digits.size() + tail.size() >= size) return std::nullopt;
  return digits + std::string(size - digits.size() - tail.size(), '<') + tail;
}

int current_year() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

}  // namespace

int check_digit(const std::string& field) {
  static const int weights[3] = {7, 3, 1};
  int sum = 0;
  for (size_t i = 0; i < field.size(); ++i) {
    const char c = field[i];
    const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 0;
    sum += v * weights[i % 3];
  }
  return sum % 10;
}

std::optional<Td1> parse_td1(const std::string& raw1, const std::string& raw2, const std::string& raw3) {
  const std::string n1 = normalise(raw1), n2 = normalise(raw2);
  // Line 1: ID VNM document-number(9) check(1) optional(15).
  const size_t p1 = n1.find("VNM");
  if (p1 == std::string::npos || p1 < 2 || n1.size() < p1 + 3 + 10) return std::nullopt;
  const std::string l1 = n1.substr(p1 - 2);
  const std::string doc = as_digits(l1.substr(5, 9));
  const char doc_check = as_digits(l1.substr(14, 1))[0];
  if (!check_ok(doc, doc_check)) return std::nullopt;
  // Line 2: birth(6) check sex expiry(6) check VNM optional(11) composite.
  size_t p2 = n2.find("VNM", 15);
  if (p2 == std::string::npos || p2 < 15) return std::nullopt;
  const std::string l2 = n2.substr(p2 - 15);
  const std::string birth = as_digits(l2.substr(0, 6)), expiry = as_digits(l2.substr(8, 6));
  const char birth_check = as_digits(l2.substr(6, 1))[0], expiry_check = as_digits(l2.substr(14, 1))[0];
  char sex = l2[7];
  if (sex == 'H') sex = 'M';  // the zone's M and an H are a stroke apart
  // Dates are digits: a letter left in one could still satisfy the weighted check.
  if (!all_digits(birth) || !all_digits(expiry)) return std::nullopt;
  if ((sex != 'M' && sex != 'F' && sex != '<') || !check_ok(birth, birth_check) || !check_ok(expiry, expiry_check))
    return std::nullopt;

  const std::optional<std::string> opt1_read = optional_field(l1.substr(15), 15);
  const std::optional<std::string> opt2_read = optional_field(l2.substr(18), 12);
  if (!opt1_read || !opt2_read) return std::nullopt;
  const std::string& opt1 = *opt1_read;
  const std::string& opt2_composite = *opt2_read;
  const std::string opt2 = opt2_composite.substr(0, 11);
  const char composite = opt2_composite[11];
  const std::string line1 = "IDVNM" + doc + doc_check + opt1;
  const std::string line2 = birth + birth_check + sex + expiry + expiry_check + "VNM" + opt2 + composite;
  if (!check_ok(line1.substr(5) + line2.substr(0, 7) + line2.substr(8, 7) + line2.substr(18, 11), composite))
    return std::nullopt;
  Td1 out;
  out.lines[0] = line1;
  out.lines[1] = line2;
  out.document_number = doc;
  // The 2024 card carries the 12-digit personal number in the optional data; the document
  // number is its last nine digits.
  if (all_digits(opt1.substr(0, 12)) && opt1.substr(3, 9) == doc) out.so_dinh_danh = opt1.substr(0, 12);
  int century = 0;
  if (!out.so_dinh_danh.empty()) {
    century = 1900 + 100 * ((out.so_dinh_danh[3] - '0') / 2);  // 0/1: 1900s, 2/3: 2000s, 4/5: 2100s
  } else {
    century = (2000 + std::stoi(birth.substr(0, 2)) > current_year()) ? 1900 : 2000;
  }
  out.ngay_sinh = iso_date(birth, century);
  out.het_han = iso_date(expiry, 2000);
  if (out.ngay_sinh.empty() || out.het_han.empty()) return std::nullopt;
  out.gioi_tinh = sex == 'M' ? "Nam" : sex == 'F' ? "Nữ" : "";
  // Line 3: SURNAME<<GIVEN<NAMES, padded with fillers. No check digit covers it: a name is
  // kept only when it is made of letters and single fillers, as a name line must be.
  std::string n3 = normalise(raw3);
  while (!n3.empty() && is_filler(n3.back())) n3.pop_back();
  const size_t split = n3.find("<<");
  const bool letters = !n3.empty() && std::all_of(n3.begin(), n3.end(), [](char c) { return c == '<' || (c >= 'A' && c <= 'Z'); });
  if (letters && split != std::string::npos && split > 0 && n3.find("<<", split + 2) == std::string::npos) {
    std::string name = n3.substr(0, split) + " " + n3.substr(split + 2);
    std::replace(name.begin(), name.end(), '<', ' ');
    out.ho_ten = text::collapse_spaces(name);
    out.lines[2] = n3 + std::string(n3.size() < kLine ? kLine - n3.size() : 0, '<');
  }
  return out;
}

std::vector<Td1> find_td1(const OcrResult& ocr) {
  // Each recognised line as one string (the zone has no spaces; OCR splits it into words).
  struct Line {
    std::string text;
    Box box;
  };
  std::vector<Line> lines(ocr.lines.size());
  for (size_t i = 0; i < ocr.lines.size(); ++i) lines[i].box = ocr.lines[i].box;
  for (const OcrWord& w : ocr.words)
    if (w.line >= 0 && static_cast<size_t>(w.line) < lines.size()) lines[w.line].text += w.text;
  std::vector<size_t> firsts, seconds;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string n = normalise(lines[i].text);
    const size_t p = n.find("VNM");
    if (p == std::string::npos) continue;
    if (p >= 2 && n.size() >= p + 13) firsts.push_back(i);
    if (n.find("VNM", 15) != std::string::npos) seconds.push_back(i);
  }
  std::vector<Td1> out;
  std::vector<bool> used(lines.size(), false);
  for (const size_t a : firsts)
    for (const size_t b : seconds) {
      if (a == b || used[a] || used[b] || lines[b].box.y <= lines[a].box.y) continue;
      // The name line: the nearest line under the dates line that overlaps it across.
      const Box& bb = lines[b].box;
      size_t c = lines.size();
      for (size_t k = 0; k < lines.size(); ++k) {
        const Box& kb = lines[k].box;
        if (k == a || k == b || kb.y <= bb.y || kb.y > bb.y + 3 * std::max(1, bb.h)) continue;
        // A line whose words were read again elsewhere (batch's MRZ re-read) keeps its box, empty.
        if (lines[k].text.empty()) continue;
        if (kb.x > bb.x + bb.w || kb.x + kb.w < bb.x) continue;
        if (c == lines.size() || kb.y < lines[c].box.y) c = k;
      }
      std::optional<Td1> td = parse_td1(lines[a].text, lines[b].text, c < lines.size() ? lines[c].text : "");
      if (!td) continue;
      used[a] = used[b] = true;
      Box box = lines[a].box;
      for (const size_t k : {b, c}) {
        if (k >= lines.size()) continue;
        const Box& kb = lines[k].box;
        const int x1 = std::max(box.x + box.w, kb.x + kb.w), y1 = std::max(box.y + box.h, kb.y + kb.h);
        box.x = std::min(box.x, kb.x), box.y = std::min(box.y, kb.y);
        box.w = x1 - box.x, box.h = y1 - box.y;
      }
      td->box = box;
      out.push_back(std::move(*td));
    }
  return out;
}

std::optional<Box> unchecked_zone(const OcrResult& ocr) {
  std::map<int, std::pair<std::string, Box>> lines;
  for (const OcrWord& w : ocr.words) {
    auto& [text, box] = lines[w.line];
    text += w.text;
    box = unite(box, w.box);
  }
  std::optional<Box> zone;
  int found = 0;
  for (const auto& [l, line] : lines) {
    const std::string& text = line.first;
    const size_t alphabet = std::count_if(text.begin(), text.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
    });
    const bool filler = text.find("<<") != std::string::npos || text.find("\u00ab") != std::string::npos;
    if (text.size() < 20 || !filler || 10 * alphabet < 9 * text.size()) continue;
    zone = zone ? unite(*zone, line.second) : line.second;
    ++found;
  }
  if (found < 2) return std::nullopt;
  return zone;
}

}  // namespace sohoa::mrz
