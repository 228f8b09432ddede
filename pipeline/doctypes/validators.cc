#include "doctypes/validators.h"

#include <unicode/uchar.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <regex>

#include "core/text.h"
#include "lexicon/lexicon.h"

namespace sohoa::doctypes {

namespace {

/// Words of the value, split on spaces.
std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> w;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) w.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return w;
}

std::string check_number(const std::string& v, const Type& type) {
  // "12/QĐ-UBND", "12/2020/NĐ-CP", "204/UBND-XNTTHN"; a register number "138" or "12/2024"; a
  // serial "B 1836054", "CS 03759", "50A89276420".
  static const std::regex symbol(R"(^[0-9]{1,6}[a-zA-Z]?(/[0-9]{4})?/[A-ZĐa-z0-9.]+(-[A-ZĐa-z0-9.]+)*$)");
  static const std::regex reg(R"(^[0-9]{1,6}(/[0-9]{4})?$)");
  static const std::regex serial(R"(^[A-ZĐ]{1,3} ?[0-9]{5,9}$|^[0-9]{2}[A-Z][0-9]{6,10}$)");
  if (std::regex_match(v, symbol)) return "";
  if ((type.so_ky_hieu_shape == "register" || type.so_ky_hieu_shape == "serial") && std::regex_match(v, reg)) return "";
  if (type.so_ky_hieu_shape == "serial" && std::regex_match(v, serial)) return "";
  if (type.so_ky_hieu_shape == "serial") return "not a serial or register number: " + v;
  if (type.so_ky_hieu_shape == "register") return "not a register number: " + v;
  return "not a number and symbol (like 12/QĐ-UBND): " + v;
}

/// Every "phường X", "huyện Y" an authority's name holds must be a unit of the gazetteer: "UBND
/// THÀNH PHỐ QUY" (the end of "Quy Nhơn" lost) is not.
std::string check_places(const std::string& v) {
  if (!lexicon::lexicon().ok) return "";
  // Type words as printed, with their marks: "QUẢN LÝ" is no "quận", and a word whose marks OCR
  // lost is not counted (the lookup alone decides then).
  static const std::regex type_word(R"((^|\s)(tỉnh|thành phố|quận|huyện|thị xã|thị trấn|phường|xã(?!\s+hội))\s+\S)");
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(text::nfc(v));
  u.toLower(icu::Locale("vi"));
  std::string f;
  u.toUTF8String(f);
  const auto named = std::distance(std::sregex_iterator(f.begin(), f.end(), type_word), std::sregex_iterator());
  const auto found = lexicon::find_places(v).size();
  if (static_cast<size_t>(named) > found)
    return "names a place the gazetteer does not know: " + v;
  return "";
}

/// An authority's name is made of Vietnamese words and abbreviations ("UBND", "TP.", "HĐND"):
/// a word of neither kind ("XẠA", OCR's reading of "XÃ") is a misread.
std::string check_words(const std::string& v) {
  if (!lexicon::lexicon().ok) return "";
  std::vector<std::string> pieces;  // "LAO ĐỘNG-THƯƠNG BINH": each side of a hyphen is a word
  for (const std::string& w : words(v))
    for (size_t i = 0, j; i <= w.size(); i = j + 1) {
      j = w.find('-', i);
      if (j == std::string::npos) j = w.size();
      if (j > i) pieces.push_back(w.substr(i, j - i));
    }
  for (const std::string& w : pieces) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(w);
    icu::UnicodeString letters;
    bool digit = false;
    for (int32_t i = 0; i < u.length();) {
      const UChar32 c = u.char32At(i);
      i += U16_LENGTH(c);
      if (u_isalpha(c)) letters.append(c);
      digit = digit || u_isdigit(c);
    }
    if (letters.isEmpty() || digit) continue;  // "-", "(Bên", "số 3"
    std::string core;
    letters.toUTF8String(core);
    icu::UnicodeString lower_u = letters;
    lower_u.toLower(icu::Locale("vi"));
    std::string low;
    lower_u.toUTF8String(low);
    // a syllable of the language, or of a place's or person's name ("Krông", "Đắk")
    if (lexicon::is_valid_syllable(core) || lexicon::lexicon().extra_syllables.count(low)) continue;
    // An abbreviation: up to five capitals without marks but Đ's ("UBND", "HĐND").
    bool abbreviation = letters.length() <= 5;
    for (int32_t i = 0; i < letters.length() && abbreviation; ++i) {
      const UChar32 c = letters.char32At(i);
      abbreviation = (c >= 'A' && c <= 'Z') || c == 0x0110;
    }
    if (abbreviation) continue;
    return "\"" + w + "\" is no Vietnamese word: " + v;
  }
  return "";
}

/// A piece of the "Số: 12/CT-UBND" line caught with the name: a "/", a "Số:" label, or a symbol
/// whose every hyphen-joined part is an abbreviation ("CT-UBND", "UBND-VP"; not "ĐỘNG-THƯƠNG").
std::string number_fragment(const std::string& v, const Catalogue& cat) {
  if (v.find('/') != std::string::npos) return "/";
  auto abbreviation = [&](const std::string& part) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(part);
    if (u.length() < 1 || !u_isupper(u.char32At(0))) return false;
    for (int32_t i = 0; i < u.length(); ++i)
      if (!u_isalpha(u.char32At(i))) return false;
    std::string folded;
    for (char c : text::fold(part))
      if (c >= 'a' && c <= 'z') folded.push_back(c);
    if (!cat.by_abbrev(folded).first.empty()) return true;
    for (const auto& [abbr, full] : cat.issuer_abbrevs)
      if (part == abbr) return true;
    // Not a syllable of the language (a syllable has a vowel nucleus and a legal ending): UBND, HCTP.
    return lexicon::lexicon().ok && !lexicon::is_valid_syllable(part);
  };
  for (const std::string& w : words(v)) {
    if (text::fold(w) == "so:") return w;
    if (w.find('-') == std::string::npos || w.front() == '-' || w.back() == '-') continue;
    bool all = true;
    for (size_t i = 0, j; all && i <= w.size(); i = j + 1) {
      j = w.find('-', i);
      if (j == std::string::npos) j = w.size();
      all = abbreviation(w.substr(i, j - i));
    }
    if (all) return w;
  }
  return "";
}

std::string check_authority(const std::string& v, const Catalogue& cat) {
  const std::string f = text::fold(v);
  if (const std::string frag = number_fragment(v, cat); !frag.empty())
    return "holds part of a number and symbol (\"" + frag + "\"), not only an authority's name: " + v;
  if (words(v).size() < 2) return "too short for an authority's name: " + v;
  for (const std::string& a : cat.authority_words) {
    const std::string fa = text::fold(a);
    if (f.compare(0, fa.size(), fa) == 0 && (f.size() == fa.size() || f[fa.size()] == ' ')) {
      const std::string misread = check_words(v);
      return misread.empty() ? check_places(v) : misread;
    }
  }
  return "does not start like an authority's name (Ủy ban nhân dân, Sở, Bộ, Trường …): " + v;
}

std::string check_name(const std::string& v) {
  const auto w = words(v);
  if (w.size() < 2 || w.size() > 7) return "a person's name has 2 to 7 words: " + v;
  for (const std::string& word : w) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(word);
    if (u.length() > 7) return "not a Vietnamese name syllable: " + word;
    for (int32_t i = 0; i < u.length(); ++i)
      if (!u_isalpha(u.char32At(i))) return "a name has letters only: " + v;
    if (!u_isupper(u.char32At(0))) return "each part of a name starts with a capital: " + v;
  }
  if (lexicon::lexicon().ok) {
    const lexicon::NameCheck nc = lexicon::check_vietnamese_name(v);
    if (!nc.plausible) return "not a Vietnamese name (" + (nc.reasons.empty() ? std::string() : nc.reasons.front()) + "): " + v;
  }
  return "";
}

std::string check_date(const std::string& v, bool birth) {
  if (!real_date(v)) return "not a real date: " + v;
  if (v > today_iso()) return "in the future: " + v;
  if (v < (birth ? "1900-01-01" : "1945-09-02")) return "too early: " + v;
  return "";
}

std::string check_subject(const std::string& v) {
  const auto w = words(v);
  if (w.size() < 3) return "too short for a subject line: " + v;
  if (w.size() > 60) return "too long for a subject line (" + std::to_string(w.size()) + " words)";
  return "";
}

}  // namespace

bool real_date(const std::string& iso) {
  int y = 0, m = 0, d = 0;
  if (iso.size() != 10 || std::sscanf(iso.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return false;
  static const int dim[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > dim[m - 1]) return false;
  return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

std::string today_iso() {
  std::time_t t = std::time(nullptr);
  if (const char* s = std::getenv("SOURCE_DATE_EPOCH")) t = static_cast<std::time_t>(std::strtoll(s, nullptr, 10));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char b[16];
  std::strftime(b, sizeof b, "%Y-%m-%d", &tm);
  return b;
}

std::string check_so_dinh_danh(const std::string& id, const std::string& birth) {
  if (id.size() != 12 || id.find_first_not_of("0123456789") != std::string::npos)
    return "a personal number has 12 digits: " + id;
  // The province codes are the gazetteer's (Thông tư 59/2021/TT-BCA uses the GSO codes).
  if (lexicon::lexicon().ok && !lexicon::is_valid_province_code(id.substr(0, 3)))
    return "no province has code " + id.substr(0, 3) + ": " + id;
  const int g = id[3] - '0';
  if (g > 3) return "century/sex digit " + id.substr(3, 1) + " is not 0-3 (born 1900-2099): " + id;
  if (birth.size() >= 4) {
    const int y = std::atoi(birth.substr(0, 4).c_str());
    if (y < 1900 || y >= 2100 || (g & 2) != (y < 2000 ? 0 : 2))
      return "century digit " + id.substr(3, 1) + " does not fit the birth year " + birth.substr(0, 4) + ": " + id;
    if (std::atoi(id.substr(4, 2).c_str()) != y % 100)
      return "digits 5-6 (" + id.substr(4, 2) + ") are not the birth year " + birth.substr(0, 4) + ": " + id;
  }
  return "";
}

std::string check(std::string_view validator, const std::string& value, const Type& type, const Catalogue& cat) {
  if (validator == "so_ky_hieu") return check_number(value, type);
  if (validator == "date_past") return check_date(value, false);
  if (validator == "date_of_birth") return check_date(value, true);
  if (validator == "date_expiry") return real_date(value) ? "" : "not a real date: " + value;  // past or future
  if (validator == "authority") return check_authority(value, cat);
  if (validator == "person_name") return check_name(value);
  if (validator == "so_dinh_danh") return check_so_dinh_danh(value, "");
  if (validator == "subject_line") return check_subject(value);
  return "";
}

}  // namespace sohoa::doctypes
