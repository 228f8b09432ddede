// Reading a document's OCR as lines and column segments, with diacritic-folded twins, for the
// classifier and the metadata extractor. The segments are the cells of the layout stage's regions
// (Page::regions); this file only reads them.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace sohoa::layout {

/// A piece of an OCR line: the whole line, or one column of it where the layout put its words in
/// different regions or cells (the authority block and the national header share a line in
/// Tesseract's output).
struct Seg {
  std::string text;    // as printed, NFC
  std::string folded;  // text::fold(text), spaces collapsed
  Box box;             // pixels; zero when the page has no word boxes
  bool has_box = false;
  int page_idx = 0;    // index into the input's pages
  int page_no = 0;     // 1-based page number within the input
  int line = 0;        // line index within the page (segments of a line share it)
  double conf = 0;     // mean word confidence, 0-100
  int region = -1;     // reading index of its region on the page (Page::regions); -1 without one
  RegionRole role = RegionRole::body;  // that region's role
  Box region_box;      // that region's box (pixels); zero without one
};

struct PageLayout {
  int page_idx = 0, page_no = 0;
  int width = 0, height = 0;  // pixels (0 when unknown)
  double dpi = 300;
  std::vector<Seg> segs;   // in reading order: line by line, left to right
  std::vector<Seg> lines;  // whole lines (segments joined)
};

/// Lines and segments of every non-blank page of the document.
std::vector<PageLayout> read(const Document& doc, const std::vector<Page>& pages);

/// Folded text with, for every byte of it, the byte offset of the code point it came from.
struct Folded {
  std::string s;
  std::vector<size_t> from;  // size s.size() + 1; last entry = original size
};
Folded fold_map(std::string_view original);

/// Upper-case share of the letters (0-1), on the original text; -1 when it has no letters.
double upper_ratio(std::string_view utf8);
/// Only [a-z0-9] of a folded string.
std::string compact(std::string_view folded);

}  // namespace sohoa::layout
