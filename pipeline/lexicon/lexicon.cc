#include "lexicon/lexicon.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/models_dir.h"
#include "core/text.h"
#include "lexicon/util.h"

namespace sohoa::lexicon {

using detail::lower;

namespace {

constexpr const char* kGazetteer = "gazetteer.tsv";
constexpr const char* kNames = "names.tsv";
constexpr const char* kPhrases = "phrases.txt";
constexpr const char* kWordPairs = "word_pairs.tsv";
constexpr const char* kHunspell = "/usr/share/hunspell/vi_VN.dic";

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  size_t s = 0;
  while (true) {
    size_t e = line.find('\t', s);
    out.push_back(line.substr(s, e == std::string::npos ? std::string::npos : e - s));
    if (e == std::string::npos) break;
    s = e + 1;
  }
  return out;
}

std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream ss{std::string(s)};
  std::string w;
  while (ss >> w) out.push_back(w);
  return out;
}

// "Huyện Tĩnh Gia" of type "Huyện" -> "Tĩnh Gia". Province-level cities are typed
// "Thành phố trung ương" but named "Thành phố Hà Nội", so the name's own prefix is tried too.
std::string bare_name(const std::string& name, const std::string& type) {
  static const std::vector<std::string> kPrefixes = [] {
    std::vector<std::string> v;
    for (const char* p : {"Thành phố", "Thị xã", "Thị trấn", "Đặc khu", "Tỉnh", "Huyện", "Quận", "Phường", "Xã"})
      v.push_back(lower(p) + " ");
    return v;
  }();
  std::string lname = lower(name);
  if (!type.empty() && lname.rfind(lower(type) + " ", 0) == 0) return name.substr(type.size() + 1);
  for (const std::string& lp : kPrefixes)
    if (lname.rfind(lp, 0) == 0) return name.substr(lp.size());  // lower case keeps the byte length here
  return name;
}

void add_syllable_fold(Lexicon& lx, const std::string& low) { lx.known_folds.insert(text::fold(low)); }

// A place or name syllable hunspell-vi lacks ("gai" of Hồng Gai is there, "krông" is not).
void add_extra(Lexicon& lx, const std::string& low) {
  add_syllable_fold(lx, low);
  if (lx.syllables.count(low) || !lx.extra_syllables.insert(low).second) return;
  lx.by_fold[text::fold(low)].push_back(low);
}

void load_gazetteer(Lexicon& lx, const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = split_tabs(line);
    if (f.size() < 9) continue;
    AdminUnit u;
    u.era = f[0].empty() ? 'o' : f[0][0];
    u.level = std::atoi(f[1].c_str());
    u.code = f[2];
    u.parent = f[3];
    u.type = f[4];
    u.name = text::nfc(f[5]);
    u.bare = bare_name(u.name, u.type);
    u.from = f[6];
    u.until = f[7];
    std::stringstream ss(f[8]);
    for (std::string s; std::getline(ss, s, ',');)
      if (!s.empty()) u.successors.push_back(s);
    lx.units.push_back(std::move(u));
  }
  // Parents: districts by (era, code), the province of each unit by walking up.
  std::unordered_map<std::string, uint32_t> district;
  for (uint32_t i = 0; i < lx.units.size(); ++i) {
    const AdminUnit& u = lx.units[i];
    std::string key = std::string(1, u.era) + u.code;
    if (u.level == 1) lx.province_index[key] = i;  // a later row (the newer name) wins
    if (u.level == 2) district[key] = i;
  }
  for (uint32_t i = 0; i < lx.units.size(); ++i) {
    AdminUnit& u = lx.units[i];
    if (u.level == 1) {
      u.province = u.code;
    } else if (u.level == 2 || u.era == 'n') {
      u.province = u.parent;
    } else if (auto it = district.find(std::string(1, u.era) + u.parent); it != district.end()) {
      u.province = lx.units[it->second].parent;
    }
    std::vector<std::string> toks;
    for (const detail::Token& t : detail::tokens(u.bare)) toks.push_back(t.folded);
    std::string key;
    for (const std::string& t : toks) key += (key.empty() ? "" : " ") + t;
    lx.by_name[key].push_back(i);
    std::vector<std::string> ws = words_of(lower(u.bare));
    for (size_t k = 0; k < ws.size(); ++k) {
      if (!detail::letters_only(ws[k])) continue;
      add_extra(lx, ws[k]);
      if (k + 1 < ws.size()) lx.place_pairs.insert(ws[k] + " " + ws[k + 1]);
    }
  }
}

void load_names(Lexicon& lx, const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = split_tabs(line);
    if (f.size() < 3) continue;
    std::string v = lower(text::nfc(f[1]));
    int n = std::atoi(f[2].c_str());
    if (f[0] == "surname") lx.surnames[v] = n;
    else if (f[0] == "given") lx.given[v] = n;
    else continue;
    add_extra(lx, v);
  }
}

void load_phrases(Lexicon& lx, const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> ws = words_of(lower(text::nfc(line)));
    lx.phrase_words.insert(ws.begin(), ws.end());
    for (size_t k = 0; k + 1 < ws.size(); ++k) {
      lx.phrase_pairs.insert(ws[k] + " " + ws[k + 1]);
      lx.phrase_pairs_folded.insert(text::fold(ws[k] + " " + ws[k + 1]));
    }
  }
}

void load_word_pairs(Lexicon& lx, const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    lx.word_pairs[text::nfc(line.substr(0, tab))] = std::atoi(line.c_str() + tab + 1);
  }
}

}  // namespace

Lexicon load(const std::string& models_dir, const std::string& hunspell_dic) {
  Lexicon lx;
  lx.models_dir = models_dir;
  lx.hunspell_path = hunspell_dic;
  std::ifstream dic(hunspell_dic);
  std::string line;
  bool first = true;
  while (std::getline(dic, line)) {
    if (first) {  // the word count
      first = false;
      continue;
    }
    std::string w = line.substr(0, line.find('/'));
    if (w.empty()) continue;
    std::string low = lower(text::nfc(w));
    if (text::length(w) >= 2 && detail::upper(w) == w) lx.acronyms.insert(low);
    for (const std::string& v : {low, detail::other_tone_placement(low)}) {
      if (v.empty() || !lx.syllables.insert(v).second) continue;
      lx.by_fold[text::fold(v)].push_back(v);
      add_syllable_fold(lx, v);
    }
  }
  load_gazetteer(lx, models_dir + "/" + kGazetteer);
  load_names(lx, models_dir + "/" + kNames);
  load_phrases(lx, models_dir + "/" + kPhrases);
  load_word_pairs(lx, models_dir + "/" + kWordPairs);
  lx.ok = !lx.units.empty() && !lx.syllables.empty();
  return lx;
}

const Lexicon& lexicon() {
  static const Lexicon lx = [] {
    std::string dic = kHunspell;
    if (const char* env = std::getenv("SOHOA_HUNSPELL_VI"); env && *env) dic = env;
    std::string gz = models::find(kGazetteer);
    std::string dir = gz.empty() ? std::string() : gz.substr(0, gz.size() - std::string(kGazetteer).size() - 1);
    return load(dir, dic);
  }();
  return lx;
}

// ---- identity numbers -------------------------------------------------------------------

namespace {

const AdminUnit* old_province(std::string_view code3, const Lexicon& lx) {
  if (code3.size() != 3 || code3[0] != '0') return nullptr;
  for (char c : code3)
    if (c < '0' || c > '9') return nullptr;
  auto it = lx.province_index.find("o" + std::string(code3.substr(1)));
  return it == lx.province_index.end() ? nullptr : &lx.units[it->second];
}

int current_year() {
  auto now = std::chrono::system_clock::now();
  std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(now)};
  return static_cast<int>(ymd.year());
}

}  // namespace

bool is_valid_province_code(std::string_view code3, const Lexicon& lx) { return old_province(code3, lx) != nullptr; }

std::optional<IdProvince> province_for_code(std::string_view code3, const Lexicon& lx) {
  const AdminUnit* p = old_province(code3, lx);
  if (!p) return std::nullopt;
  IdProvince r{std::string(code3), p->name, p->name};
  if (!p->successors.empty()) {
    auto it = lx.province_index.find("n" + p->successors.front());
    if (it != lx.province_index.end()) r.current_name = lx.units[it->second].name;
  }
  return r;
}

std::vector<IdCheckFailure> validate_so_dinh_danh(std::string_view number, std::optional<int> birth_year,
                                                  std::optional<Gender> gender, const Lexicon& lx) {
  std::vector<IdCheckFailure> fails;
  std::string d;
  for (char c : number)
    if (c != ' ') d.push_back(c);
  bool digits = !d.empty();
  for (char c : d) digits = digits && c >= '0' && c <= '9';
  if (!digits || d.size() != 12) {
    fails.push_back({"format", "a số định danh has exactly 12 digits; got \"" + std::string(number) + "\""});
    return fails;
  }
  if (!is_valid_province_code(d.substr(0, 3), lx))
    fails.push_back({"province", "the first three digits " + d.substr(0, 3) + " are no province's code"});
  const int g = d[3] - '0';
  const int century_start = 1900 + 100 * (g / 2);
  const int yy = (d[4] - '0') * 10 + (d[5] - '0');
  const int implied_year = century_start + yy;
  const Gender implied_gender = g % 2 == 0 ? Gender::male : Gender::female;
  if (birth_year) {
    if (*birth_year < century_start || *birth_year > century_start + 99) {
      fails.push_back({"century", "the 4th digit " + std::string(1, d[3]) + " means born " + std::to_string(century_start) +
                                      "-" + std::to_string(century_start + 99) + ", but the birth year is " +
                                      std::to_string(*birth_year)});
    } else if (*birth_year % 100 != yy) {
      fails.push_back({"birth_year", "digits 5-6 (" + d.substr(4, 2) + ") are not the last two digits of the birth year " +
                                         std::to_string(*birth_year)});
    }
  }
  if (!birth_year && implied_year > current_year())
    fails.push_back({"century", "digits 4-6 (" + d.substr(3, 3) + ") mean born in " + std::to_string(implied_year) +
                                    ", which is in the future"});
  if (gender && *gender != implied_gender)
    fails.push_back({"gender", std::string("the 4th digit ") + d[3] + " is for a " +
                                   (implied_gender == Gender::male ? "man" : "woman") + ", but the gender read is " +
                                   (*gender == Gender::male ? "male" : "female")});
  return fails;
}

// ---- names ------------------------------------------------------------------------------

NameCheck check_vietnamese_name(std::string_view name, const Lexicon& lx) {
  NameCheck r;
  std::vector<std::string> ws = words_of(lower(text::nfc(name)));
  if (ws.size() < 2 || ws.size() > 6) r.reasons.push_back("a name has 2 to 6 syllables; got " + std::to_string(ws.size()));
  if (!ws.empty() && !lx.surnames.count(ws[0])) r.reasons.push_back("\"" + ws[0] + "\" is no known surname");
  for (const std::string& w : ws)
    if (!lx.syllables.count(w) && !lx.given.count(w) && !lx.surnames.count(w))
      r.reasons.push_back("\"" + w + "\" is no Vietnamese syllable");
  r.plausible = r.reasons.empty();
  return r;
}

bool is_plausible_vietnamese_name(std::string_view name, const Lexicon& lx) { return check_vietnamese_name(name, lx).plausible; }

}  // namespace sohoa::lexicon
