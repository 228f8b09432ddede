// Pages built from OCR-like text for the classify/extract tests.
//   "LEFT || RIGHT"  two columns on one OCR line (authority block | national header)
//   "^TEXT"          a centred line
#pragma once
#include <sstream>
#include <string>
#include <vector>

#include "core/text.h"
#include "core/types.h"
#include "layout/layout.h"

namespace sohoa::testutil {

inline void add_words(Page& p, const std::string& s, int x, int y, int line) {
  std::istringstream in(s);
  std::string w;
  while (in >> w) {
    int len = static_cast<int>(text::length(w));
    p.ocr.words.push_back({w, {x, y, len * 22, 40}, 90.f, line});
    x += len * 22 + 14;
  }
}

inline int text_width(const std::string& s) { return static_cast<int>(text::length(s)) * 22 + 20; }

/// An A4 page at 300 dpi (or card-sized when card == true).
inline Page make_page(const std::vector<std::string>& lines, bool card = false, int number = 1) {
  Page p;
  p.info.number = number;
  p.info.dpi = 300;
  p.image.width = card ? 1071 : 2480;
  p.image.height = card ? 698 : 3508;
  std::string text;
  int y = 150;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string l = lines[i];
    int li = static_cast<int>(p.ocr.lines.size());
    size_t bar = l.find(" || ");
    if (bar != std::string::npos) {
      std::string a = l.substr(0, bar), b = l.substr(bar + 4);
      add_words(p, a, 150, y, li);
      add_words(p, b, 1250, y, li);
      l = a + " " + b;
    } else if (!l.empty() && l[0] == '^') {
      l = l.substr(1);
      add_words(p, l, (p.image.width - text_width(l)) / 2, y, li);
    } else {
      add_words(p, l, card ? 40 : 180, y, li);
    }
    p.ocr.lines.push_back({{100, y, 2000, 40}, y + 40});
    if (!text.empty()) text += '\n';
    text += l;
    y += card ? 45 : 60;
  }
  p.ocr.text = text;
  // As the batch hands pages on: laid out (the classifier and the extractor read the regions).
  p.regions = layout::analyze(p.ocr, p.image.width, p.image.height, p.info.dpi);
  p.width_pt = p.image.width * 72.0 / 300;
  p.height_pt = p.image.height * 72.0 / 300;
  return p;
}

inline Document doc_of(const std::vector<Page>& pages) {
  Document d;
  d.source.path = "x.png";
  for (size_t i = 0; i < pages.size(); ++i) d.pages.push_back(static_cast<int>(i));
  d.first_page = 1;
  d.last_page = static_cast<int>(pages.size());
  return d;
}

}  // namespace sohoa::testutil
