#include "classify/layout.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <unordered_map>

#include "core/text.h"

namespace sohoa::layout {

namespace {

std::string join_words(const std::vector<const OcrWord*>& ws) {
  std::string s;
  for (const OcrWord* w : ws) {
    if (w->text.empty()) continue;
    if (!s.empty()) s += ' ';
    s += w->text;
  }
  return s;
}

Seg make_seg(const std::vector<const OcrWord*>& ws, int page_idx, int page_no, int line) {
  Seg s;
  s.text = text::collapse_spaces(join_words(ws));
  s.folded = text::collapse_spaces(text::fold(s.text));
  s.page_idx = page_idx;
  s.page_no = page_no;
  s.line = line;
  int x0 = 1 << 30, y0 = 1 << 30, x1 = 0, y1 = 0;
  double cs = 0, cn = 0;
  for (const OcrWord* w : ws) {
    x0 = std::min(x0, w->box.x);
    y0 = std::min(y0, w->box.y);
    x1 = std::max(x1, w->box.x + w->box.w);
    y1 = std::max(y1, w->box.y + w->box.h);
    double n = std::max<size_t>(1, text::length(w->text));
    cs += w->confidence * n;
    cn += n;
  }
  if (!ws.empty()) {
    s.box = {x0, y0, x1 - x0, y1 - y0};
    s.has_box = x1 > x0;
  }
  s.conf = cn > 0 ? cs / cn : 0;
  return s;
}

}  // namespace

std::vector<PageLayout> read(const Document& doc, const std::vector<Page>& pages) {
  std::vector<PageLayout> out;
  for (int idx : doc.pages) {
    if (idx < 0 || idx >= static_cast<int>(pages.size())) continue;
    const Page& p = pages[idx];
    PageLayout pl;
    pl.page_idx = idx;
    pl.page_no = p.info.number > 0 ? p.info.number : idx + 1;
    pl.width = p.image.width;
    pl.height = p.image.height;
    pl.dpi = p.info.dpi > 0 ? p.info.dpi : 300;
    const OcrResult& o = p.ocr;
    // Boxes that run taller than wide for most words do not match the upright text (a page
    // turned after recognition): read the words in OCR order without geometry then.
    int tall = 0, counted = 0;
    for (const OcrWord& w : o.words)
      if (text::length(w.text) >= 3) {
        ++counted;
        if (w.box.h > w.box.w) ++tall;
      }
    const bool boxes_ok = counted == 0 || tall * 2 < counted;
    if (!o.words.empty()) {
      std::map<int, std::vector<const OcrWord*>> by_line;
      for (const OcrWord& w : o.words)
        if (!text::trim(w.text).empty()) by_line[w.line].push_back(&w);
      // Segments are the layout stage's cells (a column's piece of a line, a table cell), listed
      // line by line, left to right.
      std::vector<Seg> cells;
      for (const Region& r : p.regions)
        for (const RegionLine& l : r.lines)
          for (const std::vector<int>& cell : l.cells) {
            std::vector<const OcrWord*> ws;
            for (int id : cell)
              if (id >= 0 && id < static_cast<int>(o.words.size()) && !text::trim(o.words[id].text).empty())
                ws.push_back(&o.words[id]);
            if (ws.empty()) continue;
            cells.push_back(make_seg(ws, idx, pl.page_no, ws.front()->line));
            cells.back().region = r.order;
            cells.back().role = r.role;
            cells.back().region_box = r.box;
          }
      std::stable_sort(cells.begin(), cells.end(), [](const Seg& a, const Seg& b) {
        return a.line != b.line ? a.line < b.line : a.box.x < b.box.x;
      });
      pl.segs = std::move(cells);
      for (auto& [li, ws] : by_line) pl.lines.push_back(make_seg(ws, idx, pl.page_no, li));
      if (!boxes_ok) {
        for (Seg& s : pl.segs) s.has_box = false, s.box = {};
        for (Seg& s : pl.lines) s.has_box = false, s.box = {};
      }
    } else {
      int li = 0;
      size_t start = 0;
      const std::string& t = o.text;
      while (start <= t.size()) {
        size_t e = t.find('\n', start);
        if (e == std::string::npos) e = t.size();
        std::string line = text::collapse_spaces(std::string_view(t).substr(start, e - start));
        if (!line.empty()) {
          Seg s;
          s.text = line;
          s.folded = text::collapse_spaces(text::fold(line));
          s.page_idx = idx;
          s.page_no = pl.page_no;
          s.line = li;
          s.conf = p.info.ocr_confidence;
          pl.segs.push_back(s);
          pl.lines.push_back(s);
        }
        ++li;
        start = e + 1;
      }
    }
    out.push_back(std::move(pl));
  }
  return out;
}

Folded fold_map(std::string_view original) {
  static std::mutex mu;
  static std::unordered_map<UChar32, std::string> cache;
  Folded f;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(original.size());
  const auto* s = reinterpret_cast<const uint8_t*>(original.data());
  while (i < n) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    std::string piece;
    if (c >= 0 && c < 0x80) {
      piece.assign(1, static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    } else if (c < 0) {
      piece = "?";
    } else {
      std::lock_guard<std::mutex> lock(mu);
      auto it = cache.find(c);
      if (it == cache.end()) {
        std::string one(original.substr(start, i - start));
        it = cache.emplace(c, text::fold(one)).first;
      }
      piece = it->second;
    }
    for (char ch : piece) {
      f.s.push_back(ch);
      f.from.push_back(static_cast<size_t>(start));
    }
  }
  f.from.push_back(original.size());
  return f;
}

double upper_ratio(std::string_view utf8) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(utf8.size());
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  int up = 0, letters = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0 || !u_isalpha(c)) continue;
    ++letters;
    if (u_isupper(c)) ++up;
  }
  return letters ? static_cast<double>(up) / letters : -1;
}

std::string compact(std::string_view folded) {
  std::string o;
  for (char c : folded)
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) o.push_back(c);
  return o;
}

}  // namespace sohoa::layout
