#include "extract/authority_text.h"

#include <algorithm>
#include <optional>

#include "core/text.h"
#include "layout/layout.h"
#include "lexicon/util.h"

namespace sohoa::extract {
namespace {

namespace lx = lexicon::detail;

// Below this OCR was itself unsure of a word: the mark of glare, wear or a fold. A run OCR was
// sure of is printed that way, even when it differs from the code (another card's number).
constexpr float kDoubted = 80;
constexpr double kAlike = 0.5;

bool digits_field(const std::string& key) { return key == "so_dinh_danh" || key == "ngay_sinh"; }

/// The value as the card prints it: dates in dd/mm/yyyy.
std::string printed_form(const std::string& key, const std::string& value) {
  if (key == "ngay_sinh" && value.size() == 10 && value[4] == '-' && value[7] == '-')
    return value.substr(8, 2) + "/" + value.substr(5, 2) + "/" + value.substr(0, 4);
  return value;
}

std::string comparable(const std::string& key, const std::string& s) {
  std::string out;
  if (digits_field(key)) {
    for (char c : s)
      if (c >= '0' && c <= '9') out += c;
    return out;
  }
  for (char c : text::fold(s))
    if ((c >= 'a' && c <= 'z') || c == ' ') out += c;
  return text::collapse_spaces(out);
}

/// Whether a word can be part of the field as printed: a number's words are mostly digits (a
/// date's slashes aside), a name's are letters only.
bool fits(const std::string& key, const std::string& word) {
  int digits = 0, alnum = 0;
  for (const lx::Token& t : lx::tokens(word))
    for (char c : t.text) {
      ++alnum;
      digits += c >= '0' && c <= '9';
    }
  if (alnum == 0) return false;
  return digits_field(key) ? 2 * digits >= alnum : digits == 0;
}

struct Run {
  std::vector<int> ids;  // word indices, left to right
  double similarity = 0;
};

std::string joined(const OcrResult& ocr, const std::vector<int>& ids) {
  std::string s;
  for (int id : ids) s += (s.empty() ? "" : " ") + ocr.words[id].text;
  return s;
}

/// Writes the value over the run; returns the words as written.
std::string write_run(Page& page, const Run& run, const std::string& printed) {
  OcrResult& ocr = page.ocr;
  std::vector<std::string> target;
  {
    std::string cur;
    for (char c : printed) {
      if (c == ' ') {
        if (!cur.empty()) target.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) target.push_back(cur);
  }
  // The words keep the run's case ("NGUYỄN HỒNG LAN" on a card that prints names in capitals).
  lx::Shape shape = lx::shape(joined(ocr, run.ids));
  if (shape == lx::Shape::upper)
    for (std::string& w : target) w = lx::reshape(w, shape);

  Box u = ocr.words[run.ids.front()].box;
  for (int id : run.ids) u = unite(u, ocr.words[id].box);
  size_t read_units = 0, new_units = 0;
  for (int id : run.ids) read_units += text::length(ocr.words[id].text) + 1;
  for (const std::string& w : target) new_units += text::length(w) + 1;
  // Letters that were not read at all (a name's last word lost in the glare) lie on past the run.
  const int width = read_units > 0 && new_units > read_units ? static_cast<int>(u.w * double(new_units) / read_units) : u.w;

  const int line = ocr.words[run.ids.front()].line;
  const float confidence = ocr.words[run.ids.front()].confidence;
  std::vector<int> slots = run.ids;
  for (size_t k = slots.size(); k < target.size(); ++k) {
    OcrWord w;
    w.line = line;
    w.confidence = confidence;
    ocr.words.push_back(w);
    slots.push_back(static_cast<int>(ocr.words.size()) - 1);
  }
  // New words follow the run's last word in every line of the layout that holds it.
  if (slots.size() > run.ids.size()) {
    const int last = run.ids.back();
    for (Region& r : page.regions)
      for (RegionLine& l : r.lines)
        for (auto& cell : l.cells)
          if (auto it = std::find(cell.begin(), cell.end(), last); it != cell.end())
            cell.insert(it + 1, slots.begin() + static_cast<long>(run.ids.size()), slots.end());
  }
  double x = u.x;
  for (size_t k = 0; k < slots.size(); ++k) {
    OcrWord& w = ocr.words[slots[k]];
    if (k >= target.size()) {
      w.text.clear();  // skipped by the text, the ALTO and the PDF's text layer
      continue;
    }
    const double share = double(text::length(target[k]) + 1) / double(new_units);
    const double span = width * share;
    w.text = target[k];
    w.box = {static_cast<int>(x), u.y, std::max(1, static_cast<int>(span - width / double(new_units))), u.h};
    x += span;
  }
  std::string written;
  for (const std::string& w : target) written += (written.empty() ? "" : " ") + w;
  return written;
}

std::optional<Run> find_run(const Page& page, const std::string& key, const std::string& printed) {
  const OcrResult& ocr = page.ocr;
  const std::string want = comparable(key, printed);
  if (want.empty()) return std::nullopt;
  size_t words_in_value = 1 + static_cast<size_t>(std::count(printed.begin(), printed.end(), ' '));
  // Lines as the layout reads them (a card's number may be two of OCR's lines); OCR's own lines
  // when the page has no layout.
  std::vector<std::vector<int>> lines;
  for (const Region& r : page.regions)
    for (const RegionLine& l : r.lines) {
      lines.emplace_back();
      for (const auto& cell : l.cells)
        for (int id : cell)
          if (!ocr.words[id].text.empty()) lines.back().push_back(id);
    }
  if (page.regions.empty()) {
    lines.resize(ocr.lines.size());
    for (size_t i = 0; i < ocr.words.size(); ++i) {
      const OcrWord& w = ocr.words[i];
      if (w.line >= 0 && w.line < static_cast<int>(lines.size()) && !w.text.empty()) lines[w.line].push_back(static_cast<int>(i));
    }
    for (auto& ids : lines)
      std::sort(ids.begin(), ids.end(), [&](int a, int b) { return ocr.words[a].box.x < ocr.words[b].box.x; });
  }
  // A name's run shares at least one whole word with it: edit distance alone finds names in
  // any capitals of like length ("CĂN CƯỚC CÔNG DÂN").
  std::vector<std::string> value_words;
  if (!digits_field(key))
    for (const lx::Token& t : lx::tokens(printed)) value_words.push_back(t.folded);
  auto anchored = [&](const std::vector<int>& run) {
    if (value_words.empty()) return true;
    for (int id : run)
      for (const lx::Token& t : lx::tokens(ocr.words[id].text))
        if (std::find(value_words.begin(), value_words.end(), t.folded) != value_words.end()) return true;
    return false;
  };
  std::vector<Run> runs;
  for (const auto& ids : lines) {
    for (size_t i = 0; i < ids.size(); ++i) {
      std::vector<int> run;
      for (size_t j = i; j < ids.size() && run.size() < words_in_value + 2; ++j) {
        if (!fits(key, ocr.words[ids[j]].text)) break;
        run.push_back(ids[j]);
        const double s = authority_similarity(key, joined(ocr, run), printed);
        if (s >= kAlike && anchored(run)) runs.push_back({run, s});
      }
    }
  }
  if (runs.empty()) return std::nullopt;
  std::stable_sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.similarity > b.similarity; });
  const Run& best = runs.front();
  if (comparable(key, joined(ocr, best.ids)) == want) return std::nullopt;  // read right already
  // A second close run elsewhere (not part of the best one) could be the value's real place.
  for (const Run& r : runs) {
    const bool shares = std::any_of(r.ids.begin(), r.ids.end(), [&](int id) {
      return std::find(best.ids.begin(), best.ids.end(), id) != best.ids.end();
    });
    if (!shares) return std::nullopt;
  }
  const bool doubted = std::any_of(best.ids.begin(), best.ids.end(), [&](int id) { return ocr.words[id].confidence < kDoubted; });
  if (!doubted) return std::nullopt;
  return best;
}

}  // namespace

double authority_similarity(const std::string& key, const std::string& read, const std::string& value) {
  const std::string a = comparable(key, read), b = comparable(key, printed_form(key, value));
  const size_t longer = std::max(a.size(), b.size());
  if (longer == 0) return 0;
  const int cap = static_cast<int>(longer);
  return 1.0 - double(lx::bounded_distance(a, b, cap)) / double(longer);
}

void mend_text_from_authority(const std::map<std::string, MetadataValue>& metadata, std::vector<Page>& pages) {
  for (const char* key : {"so_dinh_danh", "ho_ten", "ngay_sinh"}) {
    auto it = metadata.find(key);
    if (it == metadata.end()) continue;
    const MetadataValue& v = it->second;
    // An MRZ's name has no check digit and no diacritics: only its number and date vouch.
    const bool vouched = v.authority_checked || (v.source == "mrz" && std::string(key) != "ho_ten");
    if (!vouched || v.value.empty()) continue;
    for (Page& page : pages) {
      if (page.info.number != v.page) continue;
      const std::string printed = printed_form(key, v.value);
      std::optional<Run> run = find_run(page, key, printed);
      if (!run) continue;
      const std::string before = joined(page.ocr, run->ids);
      const std::string after = write_run(page, *run, printed);
      page.info.text_mended.push_back({key, before, after, v.source});
      if (!page.regions.empty()) page.ocr.text = layout::text_of(page.ocr, page.regions);
    }
  }
}

}  // namespace sohoa::extract
