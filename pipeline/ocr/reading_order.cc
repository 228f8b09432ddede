#include "ocr/reading_order.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace sohoa::ocr {
namespace {

struct Segment {
  int left = 0, right = 0;
  std::string text;
  int column = -1;  // set when the line was cut at known gutters
};

struct Row {
  std::vector<Segment> segs;
  std::vector<Segment> words;  // left to right
  int height = 0;              // line height in pixels
  int top = 0, bottom = 0;
};

/// A speck or a stray mark recognised as one or two characters (photo texture on an ID card, a
/// dot left of a leader): it neither makes nor fills a column.
bool is_minor(const Segment& s) {
  int chars = 0;
  for (unsigned char c : s.text) chars += (c & 0xC0) != 0x80 && c != ' ';
  return chars <= 2;
}

int major_count(const std::vector<Segment>& segs) {
  return static_cast<int>(std::count_if(segs.begin(), segs.end(), [](const Segment& s) { return !is_minor(s); }));
}

double centre(const Segment& s) { return (s.left + s.right) / 2.0; }

/// Extends a segment by the next word to its right.
void append(Segment& seg, const Segment& word) {
  seg.text += ' ' + word.text;
  seg.right = std::max(seg.right, word.right);
}

/// A row's segments joined into one line of text.
std::string joined(const Row& row) {
  std::string out;
  for (const Segment& s : row.segs) out += (out.empty() ? "" : " ") + s.text;
  return out;
}

/// Groups a row's words into segments at gaps wider than a column gutter.
void segment(Row& row, int page_width) {
  std::stable_sort(row.words.begin(), row.words.end(), [](const Segment& a, const Segment& b) { return a.left < b.left; });
  const int gutter = std::max(static_cast<int>(2.5 * row.height), page_width / 20);
  row.segs.clear();
  for (const Segment& w : row.words) {
    if (row.segs.empty() || w.left - row.segs.back().right > gutter)
      row.segs.push_back(w);
    else
      append(row.segs.back(), w);
  }
}

/// One row per OCR line, split into segments at gaps wider than a column gutter.
std::vector<Row> rows_of(const OcrResult& ocr, int page_width) {
  std::vector<Row> rows(ocr.lines.size());
  for (const OcrWord& w : ocr.words) {
    if (w.line < 0 || w.line >= static_cast<int>(rows.size())) continue;
    if (w.text.find_first_not_of(' ') == std::string::npos) continue;
    rows[w.line].words.push_back({w.box.x, w.box.x + w.box.w, w.text});
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    Row& row = rows[i];
    row.height = ocr.lines[i].box.h;
    row.top = ocr.lines[i].box.y;
    row.bottom = row.top + row.height;
    segment(row, page_width);  // a text layer lists words in drawing order: sort them
  }
  return rows;
}

/// Tesseract reads blocks set side by side (a table whose rules were removed, a header) one
/// block at a time. Lines of different blocks that share a baseline and do not overlap
/// horizontally are put back into one row, where the first of them stood, so that the zones
/// below see the page's rows; they then decide between reading across and reading down.
std::vector<Row> merge_side_by_side(std::vector<Row> rows, const std::vector<bool>& block_start,
                                    std::vector<bool>& merged_start, int page_width) {
  std::vector<Row> merged;
  std::vector<std::vector<int>> blocks;  // blocks that make up each merged row
  merged_start.clear();
  int block = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (block_start[i]) ++block;
    Row& row = rows[i];
    int target = -1;
    for (int t = static_cast<int>(merged.size()) - 1; t >= 0 && !row.words.empty(); --t) {
      const Row& m = merged[t];
      if (m.words.empty() || std::find(blocks[t].begin(), blocks[t].end(), block) != blocks[t].end()) continue;
      const int overlap = std::min(m.bottom, row.bottom) - std::max(m.top, row.top);
      if (2 * overlap < std::min(m.height, row.height)) continue;
      // A "line" as tall as several rows (specks, a stamp read as text) is no row-mate.
      if (2 * std::min(m.height, row.height) < std::max(m.height, row.height)) continue;
      bool disjoint = true;
      for (const Segment& a : m.words)
        for (const Segment& b : row.words) disjoint = disjoint && (b.right <= a.left || b.left >= a.right);
      if (disjoint) {
        target = t;
        break;
      }
    }
    if (target < 0) {
      merged.push_back(std::move(row));
      blocks.push_back({block});
      merged_start.push_back(block_start[i]);
      continue;
    }
    Row& m = merged[target];
    m.words.insert(m.words.end(), row.words.begin(), row.words.end());
    m.top = std::min(m.top, row.top);
    m.bottom = std::max(m.bottom, row.bottom);
    m.height = std::max(m.height, row.height);
    blocks[target].push_back(block);
    segment(m, page_width);
    // The row it joined may have been listed before lines printed wholly above this one (the
    // date line over the title of a signature block, beside a registry number listed first):
    // the joined row goes after them.
    size_t after = target;
    for (size_t k = target + 1; k < merged.size(); ++k)
      if (!merged[k].words.empty() && merged[k].bottom <= row.top) after = k;
    if (after > target) {
      std::rotate(merged.begin() + target, merged.begin() + target + 1, merged.begin() + after + 1);
      std::rotate(blocks.begin() + target, blocks.begin() + target + 1, blocks.begin() + after + 1);
      std::vector<bool>::reference flag = merged_start[target];
      const bool moved_flag = flag;
      for (size_t k = target; k < after; ++k) merged_start[k] = merged_start[k + 1];
      merged_start[after] = moved_flag;
    }
  }
  return merged;
}

/// Tesseract sometimes lists a block before blocks printed above it (a table's last row, a
/// number under the fields of a certificate). A block is moved after every block wholly above
/// it, and every block that starts and centres higher and shares some of its width; blocks side
/// by side keep Tesseract's order.
void order_blocks(std::vector<Row>& rows, std::vector<bool>& block_start) {
  struct Block {
    size_t begin, end;
    int left = INT_MAX, right = INT_MIN, top = INT_MAX, bottom = INT_MIN;
  };
  std::vector<Block> blocks;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i == 0 || block_start[i]) blocks.push_back({i, i});
    Block& b = blocks.back();
    b.end = i + 1;
    if (rows[i].words.empty()) continue;
    for (const Segment& w : rows[i].words) {
      b.left = std::min(b.left, w.left);
      b.right = std::max(b.right, w.right);
    }
    b.top = std::min(b.top, rows[i].top);
    b.bottom = std::max(b.bottom, rows[i].bottom);
  }
  if (blocks.size() < 2) return;
  // a comes before b when printed over it in the same columns, or wholly over it anywhere:
  // administrative papers set blocks side by side only within a band (header, signatures,
  // a field grid), never as columns of running text.
  auto above = [](const Block& a, const Block& b) {
    if (a.left > a.right || b.left > b.right) return false;
    if (a.bottom <= b.top) return true;
    const bool shares_width = std::min(a.right, b.right) > std::max(a.left, b.left);
    return shares_width && a.top < b.top && a.top + a.bottom < b.top + b.bottom;
  };
  std::vector<size_t> order;
  std::vector<bool> placed(blocks.size(), false);
  while (order.size() < blocks.size()) {
    size_t pick = blocks.size();
    for (size_t k = 0; k < blocks.size() && pick == blocks.size(); ++k) {
      if (placed[k]) continue;
      bool free = true;
      for (size_t m = 0; m < blocks.size() && free; ++m) free = placed[m] || m == k || !above(blocks[m], blocks[k]);
      if (free) pick = k;
    }
    if (pick == blocks.size())  // "above" implies a higher top, so no cycle; never loop anyway
      for (size_t k = 0; k < blocks.size(); ++k)
        if (!placed[k]) { pick = k; break; }
    placed[pick] = true;
    order.push_back(pick);
  }
  bool moved = false;
  for (size_t k = 0; k < order.size(); ++k) moved = moved || order[k] != k;
  if (!moved) return;
  std::vector<Row> out;
  std::vector<bool> starts;
  for (size_t k : order)
    for (size_t i = blocks[k].begin; i < blocks[k].end; ++i) {
      out.push_back(std::move(rows[i]));
      starts.push_back(i == blocks[k].begin || block_start[i]);
    }
  rows = std::move(out);
  block_start = std::move(starts);
}

/// The row cut at the given gutters (x ranges between columns), when at each gutter the row
/// either lies wholly on one side or has a gap between words at least half a line height wide
/// (an ordinary word space is about a fifth of the line height) that overlaps the gutter. A title
/// or a paragraph that runs across the gutter is not cut. Each piece knows its column.
std::optional<std::vector<Segment>> cut_at(const Row& row, const std::vector<std::pair<int, int>>& gutters) {
  const std::vector<Segment>& words = row.words;
  if (words.empty()) return std::nullopt;
  std::vector<Segment> segs;
  std::vector<size_t> cut_before;
  for (auto [lo, hi] : gutters) {
    const int mid = (lo + hi) / 2;
    size_t first_right = 0;
    while (first_right < words.size() && (words[first_right].left + words[first_right].right) / 2 <= mid) ++first_right;
    if (first_right == 0) {
      if (words.front().left < lo) return std::nullopt;  // runs across the gutter
    } else if (first_right == words.size()) {
      if (words.back().right > hi) return std::nullopt;
    } else {
      const Segment& a = words[first_right - 1];
      const Segment& b = words[first_right];
      if (2 * (b.left - a.right) < row.height) return std::nullopt;
      if (std::max(a.right, lo) > std::min(b.left, hi)) return std::nullopt;  // gap beside the gutter
    }
    cut_before.push_back(first_right);
  }
  size_t column = 0;
  for (size_t k = 0; k < words.size(); ++k) {
    size_t col = 0;
    while (col < cut_before.size() && cut_before[col] <= k) ++col;
    if (segs.empty() || col != column) {
      segs.push_back(words[k]);
      segs.back().column = static_cast<int>(col);
      column = col;
    } else {
      append(segs.back(), words[k]);
    }
  }
  return segs;
}

/// The gutters between a row's segments, as x ranges.
std::vector<std::pair<int, int>> gutters_of(const Row& row) {
  std::vector<std::pair<int, int>> gutters;
  const Segment* prev = nullptr;
  for (const Segment& s : row.segs) {
    if (is_minor(s)) continue;
    if (prev) gutters.emplace_back(prev->right, s.left);
    prev = &s;
  }
  return gutters;
}

std::vector<int> splits_of(const std::vector<std::pair<int, int>>& gutters) {
  std::vector<int> splits;
  for (auto [lo, hi] : gutters) splits.push_back((lo + hi) / 2);
  return splits;
}

/// Column of a segment among the split points, or -1 when it straddles one (a speck goes where
/// its centre is).
int column_of(const Segment& s, const std::vector<int>& splits) {
  if (s.column >= 0) return s.column;
  const bool minor = is_minor(s);
  int col = 0;
  for (int split : splits) {
    if (s.right <= split || (minor && centre(s) <= split)) return col;
    if (s.left < split && !minor) return -1;
    ++col;
  }
  return col;
}

double median_centre(const std::vector<const Segment*>& segs) {
  std::vector<double> centres;
  for (const Segment* s : segs) centres.push_back(centre(*s));
  std::nth_element(centres.begin(), centres.begin() + centres.size() / 2, centres.end());
  return centres[centres.size() / 2];
}

/// Whether most of a column's lines share a centre, and more of them than share a left edge
/// (median ± tolerance; on a tie, whichever spreads less).
bool centred_column(const std::vector<const Segment*>& segs, int tolerance) {
  if (segs.size() < 2) return false;
  // How many lines agree with the median position, and how far they are from it in all.
  auto agreement = [&](auto position) {
    std::vector<double> v;
    for (const Segment* s : segs) v.push_back(position(*s));
    std::vector<double> sorted = v;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const double median = sorted[sorted.size() / 2];
    double spread = 0;
    for (double x : v) spread += std::fabs(x - median);
    return std::make_pair(std::count_if(v.begin(), v.end(), [&](double x) { return std::fabs(x - median) <= tolerance; }), spread);
  };
  const auto [centred, centre_spread] = agreement([](const Segment& s) { return centre(s); });
  const auto [left, left_spread] = agreement([](const Segment& s) { return static_cast<double>(s.left); });
  return centred >= 2 && 2 * static_cast<size_t>(centred) > segs.size() &&
         (centred > left || (centred == left && centre_spread < left_spread));
}

/// Reads rows [begin, end) of a zone of side-by-side columns.
void emit_part(const std::vector<Row>& rows, size_t begin, size_t end, const std::vector<int>& splits,
               bool row_by_row, const std::function<void(const std::string&)>& emit) {
  const size_t ncols = splits.size() + 1;
  std::vector<std::vector<const Segment*>> columns(ncols);
  int full_rows = 0;
  for (size_t r = begin; r < end; ++r) {
    for (const auto& s : rows[r].segs) columns[column_of(s, splits)].push_back(&s);
    full_rows += major_count(rows[r].segs) == static_cast<int>(ncols);
  }
  // Many rows that fill every column are a table, read across. Blocks set side by side
  // (authority block and national header, signatures, the recipient list beside the signature)
  // have a column whose lines share a centre: each column is read down. Left-aligned text in
  // every column (a checkbox row, a label and its value) is read across.
  bool any_centred = false;
  for (const auto& col : columns) {
    std::vector<const Segment*> major;
    for (const Segment* s : col)
      if (!is_minor(*s)) major.push_back(s);
    any_centred = any_centred || centred_column(major, std::max(3, rows[begin].height / 4));
  }
  row_by_row = row_by_row || full_rows >= 5 || !any_centred;
  if (row_by_row) {
    for (size_t r = begin; r < end; ++r)
      if (std::string line = joined(rows[r]); !line.empty()) emit(line);
    return;
  }
  for (const auto& col : columns)
    for (const Segment* s : col) emit(s->text);
}

/// A form's field grid inside a zone ("Ngày sinh: …   Giới tính: …" on one row, "Nơi sinh: …
/// Dân tộc: …" on the next; "Nơi sinh:" with its value far to the right): consecutive rows whose
/// first-column text starts at the same x, with labelled fields or values beside it. Returns the
/// end of the run of rows whose first column starts where the first row's does, and whether that
/// run is a grid.
std::pair<size_t, bool> left_aligned_run(const std::vector<Row>& rows, size_t begin, size_t end, const std::vector<int>& splits) {
  auto first_column_left = [&](const Row& row) -> std::optional<int> {
    for (const Segment& s : row.segs)
      if (!is_minor(s)) return column_of(s, splits) == 0 ? std::optional<int>(s.left) : std::nullopt;
    return std::nullopt;
  };
  const auto left0 = first_column_left(rows[begin]);
  if (!left0) return {begin + 1, false};
  const int tolerance = std::max(3, rows[begin].height / 4);  // left-aligned, not merely centred
  size_t r = begin;
  bool paired = false;  // a row that reads across: a label and its value, or two fields
  for (; r < end; ++r) {
    const auto left = first_column_left(rows[r]);
    if (!left || std::abs(*left - *left0) > tolerance) break;
    if (major_count(rows[r].segs) < 2) continue;
    for (const Segment& s : rows[r].segs) {
      if (is_minor(s)) continue;
      const bool first = column_of(s, splits) == 0;
      const size_t colon = s.text.rfind(':');
      paired = paired || (first ? colon != std::string::npos && colon + 1 == s.text.size()
                                : s.text.find(':') != std::string::npos);
    }
  }
  // One row can be a grid by itself when it holds two or more "label: value" fields
  // ("Hình thức đào tạo: Chính quy   Xếp loại: Giỏi" above a signature zone).
  auto fields_only = [](const Row& row) {
    int fields = 0;
    for (const Segment& s : row.segs) {
      if (is_minor(s)) continue;
      const size_t colon = s.text.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 >= s.text.size()) return false;
      ++fields;
    }
    return fields >= 2;
  };
  if (r - begin == 1 && fields_only(rows[begin])) return {r, true};
  if (r - begin < 2 || !paired) return {r, false};
  // A centred block beside a left-aligned list ("Nơi nhận: - Như trên; …" beside the signature
  // block) is not a grid: its lines share a centre, not a left edge. The block can run on below
  // the list (the signer's name).
  size_t block_end = r;
  while (block_end < end && !first_column_left(rows[block_end])) ++block_end;
  for (size_t col = 1; col <= splits.size(); ++col) {
    std::vector<const Segment*> in_run, in_block;
    for (size_t k = begin; k < block_end; ++k)
      for (const auto& s : rows[k].segs)
        if (!is_minor(s) && column_of(s, splits) == static_cast<int>(col)) (k < r ? in_run : in_block).push_back(&s);
    // Labelled fields ("Giới tính: Nữ", "Dân tộc: Kinh") can share a centre by chance; a
    // signature or title block beside a list is not made of "label: value" pairs.
    const auto labelled = std::count_if(in_run.begin(), in_run.end(), [](const Segment* s) {
      const size_t colon = s->text.find(':');
      return colon != std::string::npos && colon > 0;
    });
    if (2 * static_cast<size_t>(labelled) >= in_run.size() && !in_run.empty()) continue;
    in_block.insert(in_block.end(), in_run.begin(), in_run.end());
    if (!centred_column(in_block, tolerance)) continue;
    // Values beside the labels that merely sit above a centred block (the signature under a
    // form) do not make the run a list beside that block.
    const double block_centre = median_centre(in_block);
    const auto on_centre = std::count_if(in_run.begin(), in_run.end(), [&](const Segment* s) {
      return std::fabs(centre(*s) - block_centre) <= tolerance;
    });
    if (2 * static_cast<size_t>(on_centre) >= in_run.size()) return {r, false};
  }
  return {r, true};
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

  order_blocks(rows, block_start);
  {
    std::vector<bool> merged_start;
    rows = merge_side_by_side(std::move(rows), block_start, merged_start, page_width);
    block_start = std::move(merged_start);
  }

  std::string out;
  auto emit = [&out](const std::string& line, bool blank_before) {
    if (!out.empty()) out += blank_before ? "\n\n" : "\n";
    out += line;
  };
  size_t i = 0;
  while (i < rows.size()) {
    Row& row = rows[i];
    std::vector<std::pair<int, int>> gutters = gutters_of(row);
    if (gutters.empty()) {
      // The gutter beside a long line (the national motto beside the authority block) can be
      // narrower than a column gap elsewhere: take the columns of the next line and cut this one
      // there if it has a wide enough gap.
      size_t next = i + 1;
      while (next < rows.size() && rows[next].segs.empty()) ++next;
      if (next < rows.size() && major_count(rows[next].segs) >= 2) {
        if (auto cut = cut_at(row, gutters_of(rows[next])); cut && major_count(*cut) >= 2) {
          row.segs = std::move(*cut);
          gutters = gutters_of(rows[next]);
        }
      }
    }
    if (gutters.empty()) {
      if (std::string line = joined(row); !line.empty()) emit(line, block_start[i]);
      ++i;
      continue;
    }
    // A zone of side-by-side columns starts here, split at the gutters of this row.
    const std::vector<int> splits = splits_of(gutters);
    size_t j = i;
    for (; j < rows.size(); ++j) {
      if (j > i && rows[j].segs.empty()) continue;
      bool fits = true;
      for (const auto& s : rows[j].segs) fits = fits && column_of(s, splits) >= 0;
      if (!fits) {
        if (auto cut = cut_at(rows[j], gutters)) {
          rows[j].segs = std::move(*cut);
          fits = true;
        }
      }
      // A line that crosses a gutter (a centred title, a full-width paragraph) ends the zone.
      if (!fits) break;
    }
    // A zone can hold a form's field grid (read across) followed or preceded by blocks set side
    // by side (read down), as on a diploma: cut it into those parts.
    bool first = true;
    auto emit_line = [&](const std::string& text) {
      emit(text, first && block_start[i]);
      first = false;
    };
    size_t part = i;
    for (size_t r = i; r < j;) {
      const auto [run_end, grid] = left_aligned_run(rows, r, j, splits);
      if (!grid) {
        r = run_end;
        continue;
      }
      if (part < r) emit_part(rows, part, r, splits, false, emit_line);
      emit_part(rows, r, run_end, splits, true, emit_line);
      part = r = run_end;
    }
    if (part < j) emit_part(rows, part, j, splits, false, emit_line);
    i = j;
  }
  return out;
}

}  // namespace sohoa::ocr
