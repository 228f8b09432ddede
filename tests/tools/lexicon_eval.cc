// Measures the lexicon on a corpus's ground truth (not a test): how many truth values of
// co_quan_ban_hanh the place lookup finds, of ho_ten the name check accepts, how many true
// so_dinh_danh pass the validator with the true birth date, and how often re-splitting and the
// corrector (with every word taken as low-confidence) would change a value that is right.
// With a sohoa output folder of the same corpus as second argument, it also runs the corrector
// (trich_yeu rules, confidence < 80) and the re-splitter over every OCR line of the records'
// alto.xml and judges each change against the words of the document's true text.
//   lexicon_eval /tmp/sohoa-dev-corpus/truth.json [OUT]
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/text.h"
#include "lexicon/lexicon.h"
#include "lexicon/util.h"

using namespace sohoa::lexicon;

static long rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string k;
  long v = 0;
  while (in >> k) {
    if (k == "VmRSS:") {
      in >> v;
      return v;
    }
    std::getline(in, k);
  }
  return 0;
}

static std::vector<std::string> values(const nlohmann::json& v) {
  std::vector<std::string> out;
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_array())
    for (const auto& x : v)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

static std::vector<WordConf> all_low(const std::string& s) {
  std::vector<WordConf> w;
  std::istringstream ss(s);
  for (std::string x; ss >> x;) w.push_back({x, 0});
  return w;
}

static std::string unescape(std::string s) {
  const std::pair<const char*, const char*> k[] = {{"&quot;", "\""}, {"&apos;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}};
  for (auto [from, to] : k)
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) s.replace(at, strlen(from), to);
  return s;
}

static std::string attr(const std::string& tag, const std::string& name) {
  size_t a = tag.find(" " + name + "=\"");
  if (a == std::string::npos) return {};
  a += name.size() + 3;
  return unescape(tag.substr(a, tag.find('"', a) - a));
}

// Lines of OCR words with their confidences (0-100) from an ALTO file.
static std::vector<std::vector<WordConf>> alto_lines(const std::string& path) {
  std::ifstream in(path);
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::vector<WordConf>> lines;
  for (size_t at = xml.find('<'); at != std::string::npos; at = xml.find('<', at + 1)) {
    if (xml.compare(at, 9, "<TextLine") == 0) lines.emplace_back();
    if (xml.compare(at, 7, "<String") == 0 && !lines.empty()) {
      std::string tag = xml.substr(at, xml.find('>', at) - at);
      lines.back().push_back({attr(tag, "CONTENT"), std::stof("0" + attr(tag, "WC")) * 100});
    }
  }
  return lines;
}

static std::set<std::string> word_set(const std::string& text) {
  std::set<std::string> out;
  std::istringstream ss(text);
  for (std::string w; ss >> w;) {
    auto p = sohoa::lexicon::detail::split_punct(w);
    out.insert(sohoa::lexicon::detail::lower(p.core));
  }
  return out;
}

static void judge_ocr(const nlohmann::json& truth, const std::string& out_dir) {
  int fixes = 0, fix_right = 0, fix_wrong = 0, splits = 0, split_right = 0, split_wrong = 0, low_words = 0;
  for (const auto& e : std::filesystem::directory_iterator(out_dir + "/records")) {
    nlohmann::json rec = nlohmann::json::parse(std::ifstream(e.path() / "record.json"));
    const nlohmann::json* doc = nullptr;
    for (const auto& d : truth["documents"])
      if (d["path"] == rec["source"]["path"] && d["member"] == rec["source"]["member"] && d["pages"] == rec["source"]["pages"]) doc = &d;
    if (!doc || !std::filesystem::exists(e.path() / "alto.xml")) continue;
    std::set<std::string> tw = word_set(doc->value("text", std::string()));
    for (const auto& line : alto_lines(e.path() / "alto.xml")) {
      for (const WordConf& w : line) low_words += w.confidence < 80;
      for (const Correction& c : correct_words(line, Field::trich_yeu)) {
        ++fixes;
        std::string b = sohoa::lexicon::detail::lower(c.before), a = sohoa::lexicon::detail::lower(c.after);
        const char* verdict = "unclear";
        if (tw.count(a) && !tw.count(b)) ++fix_right, verdict = "right";
        if (tw.count(b) && !tw.count(a)) ++fix_wrong, verdict = "WRONG";
        std::cout << "  ocr fix " << verdict << ": " << c.before << " -> " << c.after << " (" << c.why << ")\n";
      }
      std::string text;
      for (const WordConf& w : line) text += (text.empty() ? "" : " ") + w.text;
      for (const Correction& c : resplit_glued(text).changes) {
        ++splits;
        bool all_in = true;
        std::istringstream ss(sohoa::lexicon::detail::lower(c.after));
        for (std::string p; ss >> p;) all_in = all_in && tw.count(p);
        const char* verdict = "unclear";
        if (all_in && !tw.count(sohoa::lexicon::detail::lower(c.before))) ++split_right, verdict = "right";
        if (tw.count(sohoa::lexicon::detail::lower(c.before))) ++split_wrong, verdict = "WRONG";
        std::cout << "  ocr split " << verdict << ": " << c.before << " -> " << c.after << "\n";
      }
    }
  }
  std::cout << "OCR lines of " << out_dir << ": " << low_words << " words under confidence 80; corrections " << fixes
            << " (right " << fix_right << ", wrong " << fix_wrong << ", unclear " << fixes - fix_right - fix_wrong
            << "); re-splits " << splits << " (right " << split_right << ", wrong " << split_wrong << ", unclear "
            << splits - split_right - split_wrong << ")\n";
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: lexicon_eval truth.json\n";
    return 2;
  }
  long rss0 = rss_kb();
  auto t0 = std::chrono::steady_clock::now();
  const Lexicon& lx = lexicon();
  // The other syllables with the same letters and other marks ("tiền" for "tiên").
  auto same_letters = [&](const std::string& low) {
    std::vector<std::string> out;
    if (auto it = lx.by_fold.find(sohoa::text::fold(low)); it != lx.by_fold.end())
      for (const std::string& c : it->second)
        if (c != low) out.push_back(c);
    return out;
  };
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "load: " << ms << " ms, RSS +" << (rss_kb() - rss0) / 1024.0 << " MB, ok=" << lx.ok << ", units "
            << lx.units.size() << ", syllables " << lx.syllables.size() << " + " << lx.extra_syllables.size()
            << " place/name, surnames " << lx.surnames.size() << ", phrase pairs " << lx.phrase_pairs.size()
            << ", place pairs " << lx.place_pairs.size() << "\n";
  nlohmann::json truth = nlohmann::json::parse(std::ifstream(argv[1]));
  int cq_unit_ctx = 0;
  int cq = 0, cq_found = 0, cq_unit = 0, ht = 0, ht_ok = 0, ty = 0, ty_valid = 0, id = 0, id_ok = 0;
  int changed_fields = 0, resplit_texts = 0, texts = 0;
  auto t1 = std::chrono::steady_clock::now();
  for (const auto& d : truth["documents"]) {
    const auto& m = d["metadata"];
    for (const std::string& v : values(m.value("co_quan_ban_hanh", nlohmann::json()))) {
      ++cq;
      auto p = find_place(v);
      if (p) ++cq_found;
      if (p && p->unit) ++cq_unit;
      auto pc = find_place(v, {}, d.value("text", std::string()));
      if (pc && pc->unit) ++cq_unit_ctx;
      std::cout << "  co_quan " << (p ? (p->unit ? "unit " : "place ") : "none ") << v;
      if (p) std::cout << " -> " << (p->unit ? p->unit->name : p->written) << " / " << (p->province ? p->province->name : "?")
                       << " (" << p->candidates.size() << " candidates)";
      std::cout << "\n";
    }
    for (const std::string& v : values(m.value("ho_ten", nlohmann::json()))) {
      ++ht;
      NameCheck c = check_vietnamese_name(v);
      ht_ok += c.plausible;
      if (!c.plausible) std::cout << "  ho_ten rejected " << v << ": " << c.reasons[0] << "\n";
    }
    for (const std::string& v : values(m.value("trich_yeu", nlohmann::json()))) {
      ++ty;
      bool all = true;
      for (const WordConf& w : all_low(v)) {
        std::string core;
        for (char c : w.text)
          if (c != ',' && c != '.' && c != '(' && c != ')' && c != '"') core += c;
        if (!core.empty() && !(core[0] >= '0' && core[0] <= '9') && !is_valid_syllable(core)) {
          all = false;
          std::cout << "  trich_yeu word not in hunspell: " << core << "\n";
        }
      }
      ty_valid += all;
    }
    // The corrector and re-splitter must leave right values alone.
    for (const char* key : {"co_quan_ban_hanh", "trich_yeu", "ho_ten"}) {
      Field f = std::string(key) == "ho_ten" ? Field::ho_ten : std::string(key) == "trich_yeu" ? Field::trich_yeu : Field::co_quan_ban_hanh;
      for (const std::string& v : values(m.value(key, nlohmann::json()))) {
        auto w = all_low(v);
        auto c = correct_words(w, f);
        Resplit r = resplit_glued(v);
        if (!c.empty() || !r.changes.empty()) {
          ++changed_fields;
          std::cout << "  WRONG CHANGE " << key << ": " << v << " -> " << apply_corrections(w, c) << " | " << r.text << "\n";
        }
      }
    }
    if (d.contains("text") && d["text"].is_string()) {
      ++texts;
      Resplit r = resplit_glued(d["text"].get<std::string>());
      if (!r.changes.empty()) {
        ++resplit_texts;
        for (const auto& c : r.changes) std::cout << "  text resplit: " << c.before << " -> " << c.after << "\n";
      }
    }
    auto ids = values(m.value("so_dinh_danh", nlohmann::json()));
    auto births = values(m.value("ngay_sinh", nlohmann::json()));
    for (size_t k = 0; k < ids.size(); ++k) {
      ++id;
      std::optional<int> year;
      if (k < births.size() && births[k].size() >= 4) year = std::stoi(births[k].substr(0, 4));
      auto f = validate_so_dinh_danh(ids[k], ids.size() == births.size() ? year : std::nullopt);
      id_ok += f.empty();
      if (!f.empty()) std::cout << "  so_dinh_danh " << ids[k] << " fails " << f[0].check << ": " << f[0].reason << "\n";
    }
  }
  // Simulated OCR slips: one word of a right value replaced by another syllable with the same
  // letters (a diacritic slip; valid or not), read with low confidence; the others high.
  for (const char* key : {"co_quan_ban_hanh", "trich_yeu", "ho_ten"}) {
  int slips = 0, restored = 0, kept = 0, wrong = 0;
  int glued = 0, unglued = 0, glue_kept = 0, glue_wrong = 0;
  for (const auto& d : truth["documents"]) {
    const auto& m = d["metadata"];
    {
      Field f = std::string(key) == "ho_ten" ? Field::ho_ten : std::string(key) == "trich_yeu" ? Field::trich_yeu : Field::co_quan_ban_hanh;
      for (const std::string& v : values(m.value(key, nlohmann::json()))) {
        auto w = all_low(v);
        for (auto& x : w) x.confidence = 95;
        for (size_t i = 0; i < w.size(); ++i) {
          std::string low = sohoa::lexicon::detail::lower(w[i].text);
          if (!lx.by_fold.count(sohoa::text::fold(low))) continue;
          std::vector<std::string> alts = same_letters(low);
          // d <-> đ at the start: often no syllable at all
          if (low.rfind("d", 0) == 0) alts.push_back("đ" + low.substr(1));
          else if (low.rfind("đ", 0) == 0) alts.push_back("d" + low.substr(std::string("đ").size()));
          for (const std::string& a : alts) {
            auto slipped = w;
            slipped[i] = {sohoa::lexicon::detail::reshape(a, sohoa::lexicon::detail::shape(w[i].text)), 30};
            ++slips;
            std::string out = apply_corrections(slipped, correct_words(slipped, f));
            if (out == v) ++restored;
            else if (out == apply_corrections(slipped, {})) ++kept;
            else ++wrong;
          }
        }
        // two neighbouring words glued: does re-splitting give the value back?
        for (size_t i = 0; i + 1 < w.size(); ++i) {
          std::string g;
          for (size_t k = 0; k < w.size(); ++k) g += (k && k != i + 1 ? " " : "") + w[k].text;
          ++glued;
          Resplit r = resplit_glued(g);
          if (r.text == v) ++unglued;
          else if (r.text == g) ++glue_kept;
          else ++glue_wrong;
        }
      }
    }
  }
  std::cout << key << ": simulated diacritic slips on right values " << slips << ", restored " << restored << ", left as read "
            << kept << ", changed to something else " << wrong << "; two words glued " << glued << ", re-split right "
            << unglued << ", left glued " << glue_kept << ", split wrong " << glue_wrong << "\n";
  }
  {
    // Usage doubts on right text (every line of every true page text, read as sure): how many
    // lines would ask a person for nothing; and on a right subject with one mark slipped into a
    // valid syllable (read as sure), how many slips they catch.
    int lines = 0, doubted_lines = 0, doubted_words = 0, slips = 0, caught = 0;
    for (const auto& d : truth["documents"]) {
      if (!d.contains("text") || !d["text"].is_string()) continue;
      std::istringstream in(d["text"].get<std::string>());
      for (std::string line; std::getline(in, line);) {
        auto w = all_low(line);
        if (w.size() < 2) continue;
        for (auto& x : w) x.confidence = 95;
        ++lines;
        auto u = usage_doubts(w);
        if (!u.empty()) ++doubted_lines;
        doubted_words += static_cast<int>(u.size());
        for (const auto& c : u) std::cout << "  usage doubt on right text: " << c.before << " -> " << c.after << " | " << line << "\n";
      }
      for (const std::string& v : values(d["metadata"].value("trich_yeu", nlohmann::json()))) {
        auto w = all_low(v);
        for (auto& x : w) x.confidence = 95;
        for (size_t i = 0; i < w.size(); ++i) {
          for (const std::string& a : same_letters(sohoa::lexicon::detail::lower(w[i].text))) {
            if (!lx.syllables.count(a)) continue;
            auto slipped = w;
            slipped[i].text = sohoa::lexicon::detail::reshape(a, sohoa::lexicon::detail::shape(w[i].text));
            ++slips;
            for (const auto& c : usage_doubts(slipped)) caught += c.index == i;
          }
        }
      }
    }
    std::cout << "usage doubts: right text lines doubted " << doubted_lines << "/" << lines << " (" << doubted_words
              << " words); trich_yeu valid-syllable mark slips caught " << caught << "/" << slips << "\n";
  }
  if (argc > 2) judge_ocr(truth, argv[2]);
  double run_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count();
  std::cout << "co_quan_ban_hanh: place found " << cq_found << "/" << cq << ", one unit " << cq_unit << "/" << cq
            << ", one unit with the document's text as context " << cq_unit_ctx << "/" << cq << "\n"
            << "ho_ten: plausible " << ht_ok << "/" << ht << "\n"
            << "trich_yeu: every word a hunspell syllable " << ty_valid << "/" << ty << "\n"
            << "so_dinh_danh: pass with true birth year " << id_ok << "/" << id << "\n"
            << "right values changed by corrector/resplit (all words low-confidence): " << changed_fields << "\n"
            << "document texts with a re-split: " << resplit_texts << "/" << texts << "\n"
            << "queries took " << run_ms << " ms\n";
}
