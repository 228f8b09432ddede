#include "ocr/reading_order.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sohoa::ocr {
namespace {

struct Segment {
  int left = 0, right = 0;
  std::string text;
};

struct Row {
  std::vector<Segment> segs;
  bool new_block = false;  // Tesseract started a new block here: keep a blank line before it
};

/// Splits each line into segments at gaps wider than a column gutter.
std::vector<Row> rows_of(const OcrResult& ocr, int page_width) {
  std::vector<Row> rows(ocr.lines.size());
  for (size_t i = 0; i < ocr.words.size(); ++i) {
    const OcrWord& w = ocr.words[i];
    if (w.line < 0 || w.line >= static_cast<int>(rows.size())) continue;
    const OcrLine& line = ocr.lines[w.line];
    const int gutter = std::max(static_cast<int>(2.5 * line.box.h), page_width / 20);
    Row& row = rows[w.line];
    if (w.text.find_first_not_of(' ') == std::string::npos) continue;
    if (row.segs.empty() || w.box.x - row.segs.back().right > gutter) {
      row.segs.push_back({w.box.x, w.box.x + w.box.w, w.text});
    } else {
      row.segs.back().text += ' ' + w.text;
      row.segs.back().right = std::max(row.segs.back().right, w.box.x + w.box.w);
    }
  }
  return rows;
}

/// Column of a segment among the split points, or -1 when it straddles one.
int column_of(const Segment& s, const std::vector<int>& splits) {
  int col = 0;
  for (int split : splits) {
    if (s.right <= split) return col;
    if (s.left < split) return -1;
    ++col;
  }
  return col;
}

}  // namespace

std::string reading_order_text(const OcrResult& ocr, int page_width) {
  if (ocr.lines.empty() || page_width <= 0) return ocr.text;
  std::vector<Row> rows = rows_of(ocr, page_width);
  // Blocks: Tesseract's own block starts are kept as blank lines.
  std::vector<bool> block_start(rows.size(), false);
  {
    // The text already carries "\n\n" between blocks; recover which lines start one.
    size_t line = 0;
    for (size_t i = 0; i + 1 < ocr.text.size() && line + 1 < rows.size(); ++i)
      if (ocr.text[i] == '\n') {
        ++line;
        if (ocr.text[i + 1] == '\n') {
          block_start[line] = true;
          ++i;
        }
      }
  }

  std::string out;
  auto emit = [&out](const std::string& line, bool blank_before) {
    if (!out.empty()) out += blank_before ? "\n\n" : "\n";
    out += line;
  };
  size_t i = 0;
  while (i < rows.size()) {
    const Row& row = rows[i];
    if (row.segs.size() < 2) {
      std::string joined;
      for (const auto& s : row.segs) joined += (joined.empty() ? "" : " ") + s.text;
      if (!joined.empty()) emit(joined, block_start[i]);
      ++i;
      continue;
    }
    // A zone of side-by-side columns starts here: split points at the gutters of this row.
    std::vector<int> splits;
    for (size_t k = 1; k < row.segs.size(); ++k) splits.push_back((row.segs[k - 1].right + row.segs[k].left) / 2);
    std::vector<std::vector<std::string>> columns(splits.size() + 1);
    std::vector<std::vector<const Segment*>> members(splits.size() + 1);
    size_t j = i;
    for (; j < rows.size(); ++j) {
      if (j > i && rows[j].segs.empty()) continue;
      bool fits = true;
      for (const auto& s : rows[j].segs) fits = fits && column_of(s, splits) >= 0;
      // A line that crosses a gutter (a centred title, a full-width paragraph) ends the zone.
      if (!fits) break;
      for (const auto& s : rows[j].segs) {
        columns[column_of(s, splits)].push_back(s.text);
        members[column_of(s, splits)].push_back(&s);
      }
    }
    // Many rows that fill every column are a table: those are read row by row.
    int full_rows = 0;
    for (size_t r = i; r < j; ++r) full_rows += rows[r].segs.size() == columns.size();
    // Blocks set side by side (authority block, national header, signatures) are centred in
    // their column; fields on a form row ("Ngày sinh: ...   Giới tính: ...") are left-aligned
    // and read across the row.
    double left_spread = 0, centre_spread = 0;
    for (const auto& col : members) {
      if (col.size() < 2) continue;
      double left_mean = 0, centre_mean = 0;
      for (const Segment* s : col) {
        left_mean += s->left;
        centre_mean += (s->left + s->right) / 2.0;
      }
      left_mean /= col.size();
      centre_mean /= col.size();
      for (const Segment* s : col) {
        left_spread += std::fabs(s->left - left_mean);
        centre_spread += std::fabs((s->left + s->right) / 2.0 - centre_mean);
      }
    }
    const bool centred_blocks = centre_spread < left_spread;
    if (full_rows >= 5 || !centred_blocks) {
      for (size_t r = i; r < j; ++r) {
        std::string joined;
        for (const auto& s : rows[r].segs) joined += (joined.empty() ? "" : " ") + s.text;
        if (!joined.empty()) emit(joined, r == i && block_start[i]);
      }
      i = j;
      continue;
    }
    bool first = true;
    for (const auto& col : columns)
      for (const auto& text : col) {
        emit(text, first && block_start[i]);
        first = false;
      }
    i = j;
  }
  return out;
}

}  // namespace sohoa::ocr
