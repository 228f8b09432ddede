#include "layout/layout.h"
#include "layout/language.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "layout/frames.h"

namespace sohoa::layout {
namespace {

struct Segment {
  int left = 0, right = 0;
  std::string text;
  int column = -1;  // set when the line was cut at known gutters
  std::vector<int> ids;
  int top = 0, bottom = 0;  // of its words  // its words, indices into OcrResult::words, left to right
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
  seg.ids.insert(seg.ids.end(), word.ids.begin(), word.ids.end());
  seg.top = std::min(seg.top, word.top);
  seg.bottom = std::max(seg.bottom, word.bottom);
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

/// One row per OCR line (of the given words), split into segments at gaps wider than a column
/// gutter.
std::vector<Row> rows_of(const OcrResult& ocr, const std::vector<int>& word_ids, int page_width) {
  std::vector<Row> rows(ocr.lines.size());
  for (int id : word_ids) {
    const OcrWord& w = ocr.words[id];
    if (w.line < 0 || w.line >= static_cast<int>(rows.size())) continue;
    if (w.text.find_first_not_of(' ') == std::string::npos) continue;
    rows[w.line].words.push_back({w.box.x, w.box.x + w.box.w, w.text, -1, {id}, w.box.y, w.box.y + w.box.h});
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

/// How many of a column's lines agree with the median centre, and with the median left edge
/// (± tolerance), and how far they lie from those in all.
struct Agreement {
  long centred = 0, left = 0;
  double centre_spread = 0, left_spread = 0;
};
Agreement agreement_of(const std::vector<const Segment*>& segs, int tolerance) {
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
  Agreement a;
  std::tie(a.centred, a.centre_spread) = agreement([](const Segment& s) { return centre(s); });
  std::tie(a.left, a.left_spread) = agreement([](const Segment& s) { return static_cast<double>(s.left); });
  return a;
}

/// Whether most of a column's lines share a centre, and more of them than share a left edge
/// (median ± tolerance; on a tie, whichever spreads less).
bool centred_column(const std::vector<const Segment*>& segs, int tolerance) {
  if (segs.size() < 2) return false;
  const Agreement a = agreement_of(segs, tolerance);
  return a.centred >= 2 && 2 * static_cast<size_t>(a.centred) > segs.size() &&
         (a.centred > a.left || (a.centred == a.left && a.centre_spread < a.left_spread));
}

/// Whether a column's lines are all but one width, so that as many share a left edge as a centre
/// ("KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC", a name as long under them): they cannot tell how the
/// column is set.
bool undecided_column(const std::vector<const Segment*>& segs, int tolerance) {
  if (segs.size() < 2) return false;
  const Agreement a = agreement_of(segs, tolerance);
  return a.centred >= 2 && a.centred == a.left && 2 * static_cast<size_t>(a.centred) > segs.size();
}

/// A region being read, with what its roles are decided from.
struct Draft {
  enum Kind { kFlow, kColumn, kAcross } kind = kFlow;
  std::vector<RegionLine> lines;
  int zone = -1;     // the zone of side-by-side columns it came from (kColumn, kAcross)
  int column = 0;    // its column in that zone (kColumn)
  int columns = 1;   // columns of the zone
  bool block_start = false;
  int last_top = 0, last_bottom = 0, last_height = 0;  // of its last line (kFlow)
};

/// Collects the regions of a group of words in reading order.
class Drafts {
 public:
  /// A row of running text (no columns): it continues the current block of text unless it
  /// starts a Tesseract block, or stands apart from it by a paragraph gap, another letter size,
  /// or above it.
  void flow(const Row& row, bool block_start) {
    std::vector<int> ids;
    for (const Segment& s : row.segs) ids.insert(ids.end(), s.ids.begin(), s.ids.end());
    if (ids.empty()) return;
    Draft* d = drafts_.empty() ? nullptr : &drafts_.back();
    bool fresh = !d || d->kind != Draft::kFlow || block_start;
    if (!fresh) {
      const int h = std::max({row.height, d->last_height, 1});
      const double ratio = static_cast<double>(std::max(row.height, d->last_height)) /
                           std::max(1, std::min(row.height, d->last_height));
      fresh = row.top - d->last_bottom > 0.9 * h || ratio > 1.35 || row.top + row.height / 2 < d->last_bottom;
    }
    if (fresh) {
      drafts_.emplace_back();
      d = &drafts_.back();
      d->kind = Draft::kFlow;
      d->block_start = block_start;
    }
    d->lines.push_back({{ids}});
    d->last_top = row.top;
    d->last_bottom = row.bottom;
    d->last_height = row.height;
  }
  /// Rows read across: each row one line, its segments the cells.
  void across(const std::vector<Row>& rows, size_t begin, size_t end, int zone, int columns) {
    Draft d;
    d.kind = Draft::kAcross;
    d.zone = zone;
    d.columns = columns;
    for (size_t r = begin; r < end; ++r) {
      RegionLine line;
      for (const Segment& s : rows[r].segs)
        if (!s.ids.empty()) line.cells.push_back(s.ids);
      if (!line.cells.empty()) d.lines.push_back(std::move(line));
    }
    if (!d.lines.empty()) drafts_.push_back(std::move(d));
  }
  /// One column of a zone read down: each segment a line.
  void column(const std::vector<const Segment*>& segs, int zone, int column, int columns) {
    Draft d;
    d.kind = Draft::kColumn;
    d.zone = zone;
    d.column = column;
    d.columns = columns;
    for (const Segment* s : segs)
      if (!s->ids.empty()) d.lines.push_back({{s->ids}});
    if (!d.lines.empty()) drafts_.push_back(std::move(d));
  }
  std::vector<Draft>& drafts() { return drafts_; }

 private:
  std::vector<Draft> drafts_;
};

int rows_top(const std::vector<const Segment*>& segs) {
  int t = INT_MAX;
  for (const Segment* s : segs) t = std::min(t, s->top);
  return t;
}
int rows_bottom(const std::vector<const Segment*>& segs) {
  int b = INT_MIN;
  for (const Segment* s : segs) b = std::max(b, s->bottom);
  return b;
}

/// Reads rows [begin, end) of a zone of side-by-side columns.
void emit_part(const std::vector<Row>& rows, size_t begin, size_t end, const std::vector<int>& splits,
               bool row_by_row, int zone, Drafts& out) {
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
  // A column whose lines cannot tell (all of one width) is read down when the rows do not pair
  // up across the columns: a cell grid fills every row, blocks side by side rarely do.
  bool any_centred = false, any_undecided = false;
  for (const auto& col : columns) {
    std::vector<const Segment*> major;
    for (const Segment* s : col)
      if (!is_minor(*s)) major.push_back(s);
    any_centred = any_centred || centred_column(major, std::max(3, rows[begin].height / 4));
    any_undecided = any_undecided || undecided_column(major, std::max(3, rows[begin].height / 4));
  }
  int rows_with_text = 0;
  for (size_t r = begin; r < end; ++r) rows_with_text += major_count(rows[r].segs) > 0;
  const bool ragged = full_rows < rows_with_text;
  row_by_row = row_by_row || full_rows >= 5 || !(any_centred || (any_undecided && ragged));
  if (row_by_row) {
    out.across(rows, begin, end, zone, static_cast<int>(ncols));
    return;
  }
  // Columns are read left to right, except that a column printed wholly below another one (a
  // registry number under the signature block beside it) comes after it.
  std::vector<size_t> order;
  auto top = [&](size_t c) { return columns[c].empty() ? INT_MAX : rows_top(columns[c]); };
  auto bottom = [&](size_t c) { return columns[c].empty() ? INT_MIN : rows_bottom(columns[c]); };
  std::vector<bool> placed(ncols, false);
  while (order.size() < ncols) {
    for (size_t c = 0; c < ncols; ++c) {
      if (placed[c]) continue;
      bool free = true;
      for (size_t o = 0; o < ncols && free; ++o)
        free = placed[o] || o == c || columns[o].empty() || columns[c].empty() || !(bottom(o) <= top(c));
      if (free) {
        placed[c] = true;
        order.push_back(c);
        break;
      }
    }
  }
  for (size_t c : order) out.column(columns[c], zone, static_cast<int>(c), static_cast<int>(ncols));
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

/// Median centre of the major segments of rows [begin, end) in a column (NaN when none), and
/// their x extent.
struct ColumnSpan {
  double centre = std::nan("");
  int left = INT_MAX, right = INT_MIN;
};
ColumnSpan column_span(const std::vector<Row>& rows, size_t begin, size_t end, const std::vector<int>& splits, int column) {
  std::vector<const Segment*> segs;
  ColumnSpan span;
  for (size_t r = begin; r < end; ++r)
    for (const Segment& s : rows[r].segs)
      if (!is_minor(s) && column_of(s, splits) == column) {
        segs.push_back(&s);
        span.left = std::min(span.left, s.left);
        span.right = std::max(span.right, s.right);
      }
  if (!segs.empty()) span.centre = median_centre(segs);
  return span;
}

/// The first line of a header whose two blocks almost touch (a long motto beside a long
/// authority name): cut at its widest gap of at least half a line height when the two parts
/// are centred where the two blocks of the next line are.
std::optional<std::vector<Segment>> cut_centred(const Row& row, const std::vector<Row>& rows, size_t next) {
  const std::vector<Segment>& words = row.words;
  if (words.size() < 2) return std::nullopt;
  size_t at = 0;
  int widest = 0;
  for (size_t k = 1; k < words.size(); ++k)
    if (words[k].left - words[k - 1].right > widest) widest = words[k].left - words[k - 1].right, at = k;
  if (2 * widest < row.height) return std::nullopt;
  std::vector<const Segment*> majors;
  for (const Segment& s : rows[next].segs)
    if (!is_minor(s)) majors.push_back(&s);
  if (majors.size() != 2) return std::nullopt;
  Segment left = words[0], right = words[at];
  for (size_t k = 1; k < at; ++k) append(left, words[k]);
  for (size_t k = at + 1; k < words.size(); ++k) append(right, words[k]);
  const double tolerance = 2.0 * std::max(row.height, rows[next].height);
  if (std::fabs(centre(left) - centre(*majors[0])) > tolerance || std::fabs(centre(right) - centre(*majors[1])) > tolerance)
    return std::nullopt;
  left.column = 0;
  right.column = 1;
  return std::vector<Segment>{left, right};
}

/// A line under a zone that crosses its split only because it is longer than the lines above
/// it (the subject "V/v …" under the authority block's number) joins the column it is centred
/// on, when that column's lines share a centre and the line keeps clear of the other columns'
/// middles.
bool joins_centred_column(std::vector<Row>& rows, size_t begin, size_t r, const std::vector<int>& splits) {
  Row& row = rows[r];
  if (major_count(row.segs) != 1 || r - begin < 2) return false;
  Segment* seg = nullptr;
  for (Segment& s : row.segs)
    if (!is_minor(s)) seg = &s;
  const double tolerance = std::max(3, row.height / 2);
  for (int c = 0; c <= static_cast<int>(splits.size()); ++c) {
    const ColumnSpan span = column_span(rows, begin, r, splits, c);
    if (std::isnan(span.centre) || std::fabs(centre(*seg) - span.centre) > tolerance) continue;
    for (int o = 0; o <= static_cast<int>(splits.size()); ++o) {
      if (o == c) continue;
      const ColumnSpan other = column_span(rows, begin, r, splits, o);
      if (!std::isnan(other.centre) && seg->left < other.centre && seg->right > other.centre) return false;
    }
    std::vector<const Segment*> col;
    for (size_t k = begin; k < r; ++k)
      for (const Segment& s : rows[k].segs)
        if (!is_minor(s) && column_of(s, splits) == c) col.push_back(&s);
    if (!centred_column(col, std::max(3, row.height / 4))) return false;
    for (Segment& s : row.segs) s.column = c;
    return true;
  }
  return false;
}

/// Whether row r of the zone that starts at row begin may stay in it: it is close under the row
/// before, or each of its segments is centred on or left-aligned with its column's lines.
bool lines_up_after_gap(const std::vector<Row>& rows, size_t begin, size_t r, const std::vector<int>& splits) {
  size_t prev = r;
  while (prev > begin && rows[prev - 1].segs.empty()) --prev;
  if (prev == begin) return true;
  const Row& above = rows[prev - 1];
  const Row& row = rows[r];
  const int h = std::max(row.height, above.height);
  if (row.top - above.bottom <= 3 * h / 2) return true;
  const double tolerance = std::max(3, h / 2);
  for (const Segment& s : row.segs) {
    if (is_minor(s)) continue;
    const int c = column_of(s, splits);
    std::vector<const Segment*> col;
    for (size_t k = begin; k < r; ++k)
      for (const Segment& t : rows[k].segs)
        if (!is_minor(t) && column_of(t, splits) == c) col.push_back(&t);
    if (col.empty()) return false;
    // A line centred on the column; or a row of several cells starting at its edge (a table's
    // next row, not a note under it, nor a title whose left edge happens to meet a line's).
    int same_centre = 0, same_left = 0;  // lines of the column agreeing on their centre, on their left
    const double mid = median_centre(col);
    std::vector<int> lefts;
    for (const Segment* t : col) lefts.push_back(t->left);
    std::nth_element(lefts.begin(), lefts.begin() + lefts.size() / 2, lefts.end());
    const int mid_left = lefts[lefts.size() / 2];
    double centre_spread = 0, left_spread = 0;
    for (const Segment* t : col) {
      same_centre += std::fabs(centre(*t) - mid) <= tolerance;
      same_left += std::abs(t->left - mid_left) <= tolerance;
      centre_spread += std::fabs(centre(*t) - mid);
      left_spread += std::abs(t->left - mid_left);
    }
    // When the column's lines agree as well on their left as on their centre (lines of one
    // width: "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC"), they cannot tell how it is set; a shorter or
    // longer line centred under them (the signer's name) says it is centred.
    const bool undecided = same_centre == same_left && major_count(row.segs) == 1;
    const bool centred = same_centre > same_left || undecided ||
                         (same_centre == same_left && centre_spread <= left_spread);
    bool aligned = centred && std::fabs(centre(s) - mid) <= tolerance;
    if (major_count(row.segs) >= 2)
      for (const Segment* t : col) aligned = aligned || std::abs(t->left - s.left) <= tolerance;
    if (!aligned) return false;
  }
  return true;
}

/// The column (1 or more; 0 when none) of the zone of rows [begin, end) that continues the
/// text above it: the two rows above the zone start at one left edge, in that column, and at
/// least two rows of the zone have a segment of that column starting there.
int continuing_column(const std::vector<Row>& rows, size_t begin, size_t end, const std::vector<int>& splits) {
  std::vector<int> lefts;
  for (size_t k = begin; k-- > 0 && lefts.size() < 3u;) {
    if (major_count(rows[k].segs) == 0) continue;
    for (const Segment& s : rows[k].segs)
      if (!is_minor(s)) {
        lefts.push_back(s.left);
        break;
      }
  }
  if (lefts.size() < 2) return 0;
  // The line right above and one of the two before it (a line can start with a mark read in
  // the photo beside it).
  const int tolerance = std::max(3, rows[begin].height / 3);
  const int edge = lefts[0];
  if (std::count_if(lefts.begin() + 1, lefts.end(), [&](int l) { return std::abs(l - edge) <= tolerance; }) == 0) return 0;
  const int column = static_cast<int>(std::upper_bound(splits.begin(), splits.end(), edge) - splits.begin());
  if (column == 0) return 0;
  int aligned = 0;
  for (size_t r = begin; r < end; ++r)
    for (const Segment& s : rows[r].segs)
      if (!is_minor(s) && column_of(s, splits) == column && std::abs(s.left - edge) <= tolerance) ++aligned;
  return aligned >= 2 ? column : 0;
}

/// Reads one group of words (a page, a panel, a card) into drafts, in reading order.
void read_group(const OcrResult& ocr, const std::vector<int>& word_ids, std::vector<bool> block_start,
                int page_width, int& zones, Drafts& out) {
  std::vector<Row> rows = rows_of(ocr, word_ids, page_width);
  // A line far below the one before it in the same Tesseract block (a registry number under the
  // space left for a signature) starts a block of its own, so that it is placed by where it is.
  for (size_t i = 0, prev = SIZE_MAX; i < rows.size(); ++i) {
    if (rows[i].words.empty()) continue;
    if (prev != SIZE_MAX && !block_start[i]) {
      bool same_block = true;
      for (size_t k = prev + 1; k < i; ++k) same_block = same_block && !block_start[k];
      const int h = std::max(rows[i].height, rows[prev].height);
      if (same_block && rows[i].top - rows[prev].bottom > 2 * h) block_start[i] = true;
    }
    prev = i;
  }
  order_blocks(rows, block_start);
  {
    std::vector<bool> merged_start;
    rows = merge_side_by_side(std::move(rows), block_start, merged_start, page_width);
    block_start = std::move(merged_start);
  }
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
        } else if (auto halves = cut_centred(row, rows, next)) {
          // The gap between the two blocks on this line is the narrowest gutter of the zone.
          row.segs = std::move(*halves);
          gutters = {{row.segs[0].right, row.segs[1].left}};
        }
      }
    }
    if (gutters.empty()) {
      out.flow(row, block_start[i]);
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
      if (!fits) fits = joins_centred_column(rows, i, j, splits);
      // A line far below the zone (the title under the header, centred on the page) stays in it
      // only when it lines up with one of its columns (a signer's name under the space left for
      // the signature).
      if (fits && j > i && !lines_up_after_gap(rows, i, j, splits)) fits = false;
      // A line that crosses a gutter (a centred title, a full-width paragraph) ends the zone.
      if (!fits) break;
    }
    // A column that runs on from the text above the zone (the fields of an ID card beside the
    // block under its photo): the lines above start where this column does. It is read first,
    // as part of that text, then the other columns.
    if (const int c = continuing_column(rows, i, j, splits); c > 0) {
      for (size_t r = i; r < j; ++r) {
        Row on = rows[r];
        on.segs.clear();
        std::vector<Segment> rest;
        for (Segment& s : rows[r].segs) (column_of(s, splits) == c ? on.segs : rest).push_back(std::move(s));
        rows[r].segs = std::move(rest);
        if (!on.segs.empty()) out.flow(on, false);
      }
    }
    // A zone can hold a form's field grid (read across) followed or preceded by blocks set side
    // by side (read down), as on a diploma: cut it into those parts.
    const int zone = zones++;
    size_t part = i;
    for (size_t r = i; r < j;) {
      const auto [run_end, grid] = left_aligned_run(rows, r, j, splits);
      if (!grid) {
        r = run_end;
        continue;
      }
      if (part < r) emit_part(rows, part, r, splits, false, zone, out);
      emit_part(rows, r, run_end, splits, true, zone, out);
      part = r = run_end;
    }
    if (part < j) emit_part(rows, part, j, splits, false, zone, out);
    i = j;
  }
}

// ------------------------------------------------------------------ panels and cards

int code_points(const std::string& s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 && c != ' ';
  return n;
}

struct Extent {
  int x0 = INT_MAX, y0 = INT_MAX, x1 = INT_MIN, y1 = INT_MIN;
  int lines = 0;  // OCR lines with words in it
  bool empty() const { return x0 > x1; }
  int w() const { return x1 - x0; }
  int h() const { return y1 - y0; }
};

Extent extent_of(const OcrResult& ocr, const std::vector<int>& ids) {
  Extent e;
  std::vector<int> lines;
  for (int id : ids) {
    const Box& b = ocr.words[id].box;
    e.x0 = std::min(e.x0, b.x);
    e.y0 = std::min(e.y0, b.y);
    e.x1 = std::max(e.x1, b.x + b.w);
    e.y1 = std::max(e.y1, b.y + b.h);
    lines.push_back(ocr.words[id].line);
  }
  std::sort(lines.begin(), lines.end());
  e.lines = static_cast<int>(std::unique(lines.begin(), lines.end()) - lines.begin());
  return e;
}

/// Text that fits on an ID card (85.6 x 54 mm, ISO/IEC 7810 ID-1) and fills much of it.
bool card_sized(const Extent& e, double dpi) {
  const double mm = 25.4 / dpi;
  return e.lines >= 4 && e.w() * mm >= 40 && e.w() * mm <= 90 && e.h() * mm >= 22 && e.h() * mm <= 60;
}

/// The blank stretches between intervals (sorted, merged), at least min_gap wide.
std::vector<std::pair<int, int>> gaps_between(std::vector<std::pair<int, int>> spans, int min_gap) {
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<int, int>> gaps;
  int reach = INT_MIN;
  for (auto [a, b] : spans) {
    if (reach != INT_MIN && a - reach >= min_gap) gaps.emplace_back(reach, a);
    reach = std::max(reach, b);
  }
  return gaps;
}

struct Group {
  std::vector<int> ids;  // major words first; specks are added at the end
  RegionRole role = RegionRole::body;  // card, panel, or body (read for its own regions)
};

/// Share of one side's lines that have a line of the other side at the same height (four fifths
/// of the lower one's height shared): rows of a table or a field grid line up across the gutter,
/// two panels or two cards set side by side do not (or only by chance).
double aligned_share(const OcrResult& ocr, const std::vector<int>& a, const std::vector<int>& b) {
  auto spans = [&](const std::vector<int>& ids) {
    std::map<int, std::pair<int, int>> by_line;
    for (int id : ids) {
      const Box& bx = ocr.words[id].box;
      auto [it, fresh] = by_line.try_emplace(ocr.words[id].line, bx.y, bx.y + bx.h);
      if (!fresh) it->second = {std::min(it->second.first, bx.y), std::max(it->second.second, bx.y + bx.h)};
    }
    return by_line;
  };
  const auto sa = spans(a), sb = spans(b);
  int aligned = 0;
  for (const auto& [la, ya] : sa)
    for (const auto& [lb, yb] : sb)
      if (5 * (std::min(ya.second, yb.second) - std::max(ya.first, yb.first)) >=
          4 * std::min(ya.second - ya.first, yb.second - yb.first)) {
        ++aligned;
        break;
      }
  return sa.empty() ? 0 : static_cast<double>(aligned) / sa.size();
}

/// Cuts a block at the widest blank band from its top to its bottom when that makes two cards,
/// or two panels (each many lines, most of the block's height), whose lines are not in rows
/// with the other's.
std::optional<std::pair<Group, Group>> side_by_side(const OcrResult& ocr, const std::vector<int>& ids, int h, double dpi) {
  std::vector<std::pair<int, int>> spans;
  for (int id : ids) spans.emplace_back(ocr.words[id].box.x, ocr.words[id].box.x + ocr.words[id].box.w);
  const auto gaps = gaps_between(spans, 5 * h / 2);
  if (gaps.empty()) return std::nullopt;
  const auto widest = *std::max_element(gaps.begin(), gaps.end(), [](auto a, auto b) { return a.second - a.first < b.second - b.first; });
  Group left, right;
  for (int id : ids) (ocr.words[id].box.x < widest.first + 1 ? left : right).ids.push_back(id);
  const Extent all = extent_of(ocr, ids), l = extent_of(ocr, left.ids), r = extent_of(ocr, right.ids);
  // Rows that line up across the gap are a table's or a form's, whatever their size.
  // (Tesseract may merge two cards' lines into one: their heights are compared, not their lines.)
  if (aligned_share(ocr, left.ids, right.ids) >= 0.8 || aligned_share(ocr, right.ids, left.ids) >= 0.8) return std::nullopt;
  if (card_sized(l, dpi) && card_sized(r, dpi)) {
    left.role = right.role = RegionRole::card;
    return std::make_pair(left, right);
  }
  const bool panels = l.lines >= 6 && r.lines >= 6 && 5 * l.h() >= 3 * all.h() && 5 * r.h() >= 3 * all.h();
  if (!panels) return std::nullopt;
  left.role = right.role = RegionRole::panel;
  return std::make_pair(left, right);
}

/// The words of a sheet that holds copied cards, by their outlines (layout/frames.h): each card
/// whose outline holds words is a block, read top to bottom and, side by side, left to right; the
/// text above the first card and the rest come before and after them. nullopt without such a card.
std::optional<std::vector<Group>> outlined_cards(const OcrResult& ocr, const std::vector<int>& major,
                                                 std::vector<Box> outlines) {
  std::sort(outlines.begin(), outlines.end(), [](const Box& a, const Box& b) {
    const bool side_by_side = a.y < b.y + b.h && b.y < a.y + a.h;
    return side_by_side ? a.x < b.x : a.y < b.y;
  });
  std::vector<Group> cards(outlines.size());
  Group before, after;
  for (int id : major) {
    const Box& b = ocr.words[id].box;
    const int cx = b.x + b.w / 2, cy = b.y + b.h / 2;
    auto in = std::find_if(outlines.begin(), outlines.end(),
                           [&](const Box& o) { return cx >= o.x && cx < o.x + o.w && cy >= o.y && cy < o.y + o.h; });
    if (in != outlines.end()) cards[in - outlines.begin()].ids.push_back(id);
    else (cy < outlines.front().y ? before : after).ids.push_back(id);
  }
  std::vector<Group> groups;
  if (!before.ids.empty()) groups.push_back(std::move(before));
  for (Group& c : cards) {
    if (c.ids.size() < 3) {  // an empty outline, or a stray mark in one: no card
      after.ids.insert(after.ids.end(), c.ids.begin(), c.ids.end());
      continue;
    }
    c.role = RegionRole::card;
    groups.push_back(std::move(c));
  }
  if (std::none_of(groups.begin(), groups.end(), [](const Group& g) { return g.role == RegionRole::card; }))
    return std::nullopt;
  if (!after.ids.empty()) groups.push_back(std::move(after));
  return groups;
}

/// The page's words as the blocks that are read one after the other: cards (one card alone on a
/// card-sized image, two or more on a sheet, stacked or side by side, by their outlines where
/// they show), panels (a bilingual page's halves), or the page as one block.
std::vector<Group> partition(const OcrResult& ocr, int page_width, int page_height, double dpi,
                             const std::vector<Box>& card_outlines) {
  std::vector<int> major, minor, heights;
  for (size_t i = 0; i < ocr.words.size(); ++i)
    if (code_points(ocr.words[i].text) > 0) heights.push_back(ocr.words[i].box.h);
  if (heights.empty()) return {};
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  const int h = std::max(4, heights[heights.size() / 2]);
  for (size_t i = 0; i < ocr.words.size(); ++i) {
    const OcrWord& w = ocr.words[i];
    if (code_points(w.text) == 0) continue;
    (code_points(w.text) >= 2 && w.box.h <= 3 * h ? major : minor).push_back(static_cast<int>(i));
  }
  std::vector<Group> groups;
  const double mm = 25.4 / dpi;
  if (page_width * mm <= 110 && page_height * mm <= 80) {
    groups.push_back({major, RegionRole::card});  // a card photographed or scanned alone
  } else if (auto cards = card_outlines.empty() ? std::nullopt : outlined_cards(ocr, major, card_outlines)) {
    groups = std::move(*cards);
  } else if (auto pair = side_by_side(ocr, major, h, dpi)) {
    groups = {pair->first, pair->second};
  } else {
    // Blocks stacked with wide blank bands between them (the front and the back of a card copied
    // on one sheet, cards side by side under a note): each band that is a card or holds cards or
    // panels side by side is read by itself.
    std::vector<std::pair<int, int>> spans;
    for (int id : major) spans.emplace_back(ocr.words[id].box.y, ocr.words[id].box.y + ocr.words[id].box.h);
    std::vector<int> cuts;
    for (auto [a, b] : gaps_between(spans, 2 * h)) cuts.push_back((a + b) / 2);
    std::vector<std::vector<int>> bands(cuts.size() + 1);
    for (int id : major) {
      const int cy = ocr.words[id].box.y + ocr.words[id].box.h / 2;
      bands[std::upper_bound(cuts.begin(), cuts.end(), cy) - cuts.begin()].push_back(id);
    }
    int cards = 0, found = 0;
    std::vector<std::vector<Group>> band_groups;
    for (auto& band : bands) {
      if (band.empty()) continue;
      if (auto pair = side_by_side(ocr, band, h, dpi)) {
        band_groups.push_back({pair->first, pair->second});
        found += 2;
      } else if (card_sized(extent_of(ocr, band), dpi)) {
        band_groups.push_back({{band, RegionRole::card}});
        ++cards;
      } else {
        band_groups.push_back({{band, RegionRole::body}});
      }
    }
    if (found > 0 || cards >= 2) {
      // Plain bands next to each other stay one block, read together.
      for (auto& bg : band_groups) {
        if (bg.size() == 1 && bg[0].role == RegionRole::body && !groups.empty() && groups.back().role == RegionRole::body)
          groups.back().ids.insert(groups.back().ids.end(), bg[0].ids.begin(), bg[0].ids.end());
        else
          groups.insert(groups.end(), bg.begin(), bg.end());
      }
    } else {
      groups.push_back({major, RegionRole::body});
    }
  }
  // A speck belongs to the block it lies in, else the nearest.
  std::vector<Extent> extents;
  for (const Group& g : groups) extents.push_back(extent_of(ocr, g.ids));
  for (int id : minor) {
    const Box& b = ocr.words[id].box;
    const int cx = b.x + b.w / 2, cy = b.y + b.h / 2;
    size_t best = 0;
    long best_d = LONG_MAX;
    for (size_t g = 0; g < groups.size(); ++g) {
      const Extent& e = extents[g];
      if (e.empty()) continue;
      const long dx = std::max({0, e.x0 - cx, cx - e.x1}), dy = std::max({0, e.y0 - cy, cy - e.y1});
      if (dx * dx + dy * dy < best_d) best_d = dx * dx + dy * dy, best = g;
    }
    if (!groups.empty()) groups[best].ids.push_back(id);
  }
  for (Group& g : groups) std::sort(g.ids.begin(), g.ids.end());
  return groups;
}

// ------------------------------------------------------------------ roles

struct Shape {
  Box box;
  std::vector<Box> lines;
  double height = 0;  // median word height
  double upper = 0;   // share of capitals among letters
  bool centred = false;
  bool undecided = false;  // lines of one width: as many share a left edge as a centre
};

Shape shape_of(const OcrResult& ocr, const std::vector<RegionLine>& lines) {
  Shape s;
  std::vector<int> hs;
  int up = 0, letters = 0;
  for (const RegionLine& l : lines) {
    Box lb{};
    for (const auto& cell : l.cells)
      for (int id : cell) {
        const OcrWord& w = ocr.words[id];
        lb = unite(lb, w.box);
        hs.push_back(w.box.h);
        for (unsigned char c : w.text) {
          // ASCII letters and the lead bytes of Vietnamese letters: enough to tell capitals apart.
          if (c >= 'A' && c <= 'Z') ++up, ++letters;
          else if (c >= 'a' && c <= 'z') ++letters;
        }
      }
    s.lines.push_back(lb);
    s.box = unite(s.box, lb);
  }
  if (!hs.empty()) {
    std::nth_element(hs.begin(), hs.begin() + hs.size() / 2, hs.end());
    s.height = hs[hs.size() / 2];
  }
  s.upper = letters ? static_cast<double>(up) / letters : 0;
  // Centred: the lines share a centre more than a left edge (one line: judged by the page).
  const double tol = std::max(4.0, s.height * 0.6);
  std::vector<double> centres, lefts;
  for (const Box& b : s.lines) centres.push_back(b.x + b.w / 2.0), lefts.push_back(b.x);
  // How many lines agree with the median, and how far they are from it in all.
  auto agree = [tol](std::vector<double> v) {
    std::vector<double> sorted = v;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const double med = sorted[sorted.size() / 2];
    double spread = 0;
    for (double x : v) spread += std::fabs(x - med);
    return std::make_pair(std::count_if(v.begin(), v.end(), [&](double x) { return std::fabs(x - med) <= tol; }), spread);
  };
  if (s.lines.size() >= 2) {
    const auto [c, c_spread] = agree(centres);
    const auto [l, l_spread] = agree(lefts);
    s.centred = 2 * c > static_cast<long>(s.lines.size()) && (c > l || (c == l && c_spread < l_spread));
    s.undecided = 2 * c > static_cast<long>(s.lines.size()) && c == l;
  }
  return s;
}

/// Roles of a block's drafts (in reading order) from their place and form on the page.
std::vector<RegionRole> roles_of(const OcrResult& ocr, const std::vector<Draft>& drafts, int page_width) {
  std::vector<RegionRole> roles(drafts.size(), RegionRole::body);
  if (drafts.empty()) return roles;
  std::vector<Shape> shapes;
  Box text{};
  std::vector<double> hs;
  for (const Draft& d : drafts) {
    shapes.push_back(shape_of(ocr, d.lines));
    text = unite(text, shapes.back().box);
    hs.push_back(shapes.back().height);
  }
  std::nth_element(hs.begin(), hs.begin() + hs.size() / 2, hs.end());
  const double h = std::max(1.0, hs[hs.size() / 2]);
  const double cx = text.x + text.w / 2.0;
  auto rel_top = [&](const Shape& s) { return text.h > 0 ? static_cast<double>(s.box.y - text.y) / text.h : 0; };
  // Set in the middle of the text or of the page: one line centred there, or lines sharing a
  // centre near it.
  auto mid_centred = [&](const Shape& s) {
    const double c = s.box.x + s.box.w / 2.0;
    const bool middle = std::fabs(c - cx) <= 0.08 * text.w || std::fabs(c - page_width / 2.0) <= 0.04 * page_width;
    return middle && (s.centred || s.lines.size() == 1) && s.box.w < 0.92 * text.w;
  };
  for (size_t k = 0; k < drafts.size(); ++k) {
    if (drafts[k].kind != Draft::kAcross) continue;
    int multi = 0;
    for (const RegionLine& l : drafts[k].lines) multi += l.cells.size() >= 2;
    if (multi >= 3) roles[k] = RegionRole::table;
  }
  // The title: centred in the upper part, set apart by capitals or a larger size. A first such
  // block with another under it is the national header of a citizen's form or a diploma.
  std::vector<size_t> titles;
  for (size_t k = 0; k < drafts.size(); ++k) {
    const Shape& s = shapes[k];
    if (drafts[k].kind != Draft::kFlow || rel_top(s) > 0.45 || s.lines.size() > 4) continue;
    if (mid_centred(s) && (s.upper >= 0.6 || s.height >= 1.15 * h)) titles.push_back(k);
  }
  size_t title = drafts.size();
  if (!titles.empty()) {
    title = titles.size() >= 2 && titles[0] == 0 ? titles[1] : titles[0];
    roles[title] = RegionRole::title;
    for (size_t k = 0; k < title; ++k) roles[k] = RegionRole::header;
    // A centred line or two right under it ("Về việc …") belong to it.
    if (title + 1 < drafts.size()) {
      const Shape& t = shapes[title];
      const Shape& n = shapes[title + 1];
      if (drafts[title + 1].kind == Draft::kFlow && mid_centred(n) && n.lines.size() <= 3 &&
          n.box.y - (t.box.y + t.box.h) < 2.5 * h)
        roles[title + 1] = RegionRole::title;
    }
  } else {
    // No title: the columns of a first band at the top are the header.
    for (size_t k = 0; k < drafts.size() && drafts[k].kind == Draft::kColumn && drafts[k].zone == drafts[0].zone &&
                       rel_top(shapes[k]) < 0.3;
         ++k)
      roles[k] = RegionRole::header;
  }
  // The foot: after the last running text, blocks set side by side (or one block right of the
  // centre) below the middle of the page. Centred blocks are signatures, a left-aligned block at
  // the left beside them the recipients.
  size_t last_text = 0;
  for (size_t k = 0; k < drafts.size(); ++k) {
    const Shape& s = shapes[k];
    const bool running = drafts[k].kind == Draft::kAcross ||
                         (drafts[k].kind == Draft::kFlow && !mid_centred(s) && s.box.w >= 0.6 * text.w);
    if (running && roles[k] != RegionRole::header && roles[k] != RegionRole::title) last_text = k + 1;
  }
  const size_t foot = std::max(last_text, title == drafts.size() ? 0 : title + 1);
  for (size_t k = foot; k < drafts.size(); ++k) {
    if (roles[k] != RegionRole::body) continue;
    const Shape& s = shapes[k];
    if (rel_top(s) < 0.4) continue;
    const double c = s.box.x + s.box.w / 2.0;
    if (drafts[k].kind == Draft::kColumn) {
      // A block of lines of one width in a column right of the first is set like a signature.
      if (s.centred || s.lines.size() == 1 || (s.undecided && drafts[k].column > 0)) roles[k] = RegionRole::signature;
      else if (drafts[k].column == 0) roles[k] = RegionRole::recipients;
    } else if (drafts[k].kind == Draft::kFlow && (s.centred || s.lines.size() == 1) && c > cx + 0.1 * text.w) {
      roles[k] = RegionRole::signature;
    }
  }
  // Recipients stand beside a signature; a block wholly under it (a registry number) does not.
  for (size_t k = 0; k < drafts.size(); ++k) {
    if (roles[k] != RegionRole::recipients) continue;
    bool beside = false;
    for (size_t o = 0; o < drafts.size(); ++o)
      beside = beside || (roles[o] == RegionRole::signature && shapes[o].box.y < shapes[k].box.y + shapes[k].box.h &&
                          shapes[k].box.y < shapes[o].box.y + shapes[o].box.h);
    if (!beside) roles[k] = RegionRole::body;
  }
  return roles;
}

/// Boxes that run taller than wide for most words do not match the upright text (a page turned
/// after recognition): no geometry can be trusted then.
bool boxes_usable(const OcrResult& ocr) {
  int tall = 0, counted = 0;
  for (const OcrWord& w : ocr.words)
    if (code_points(w.text) >= 3) {
      ++counted;
      if (w.box.h > w.box.w) ++tall;
    }
  return counted == 0 || tall * 2 < counted;
}

}  // namespace

std::vector<Region> analyze(const OcrResult& ocr, int page_width, int page_height, double dpi,
                            const std::vector<Box>& card_outlines) {
  std::vector<Region> regions;
  if (ocr.words.empty()) return regions;
  if (dpi <= 0) dpi = 300;
  if (ocr.lines.empty() || page_width <= 0 || !boxes_usable(ocr)) {
    // No geometry to go by: the words as the engine listed them, one line per OCR line.
    Region r;
    for (size_t i = 0; i < ocr.words.size(); ++i) {
      if (code_points(ocr.words[i].text) == 0) continue;
      if (r.lines.empty() || ocr.words[r.lines.back().cells[0].back()].line != ocr.words[i].line)
        r.lines.push_back(RegionLine{{std::vector<int>{}}});
      r.lines.back().cells[0].push_back(static_cast<int>(i));
    }
    if (!r.lines.empty()) regions.push_back(std::move(r));
  } else {
    // Tesseract's own block starts: the text carries "\n\n" between blocks.
    std::vector<bool> block_start(ocr.lines.size(), false);
    size_t line = 0;
    for (size_t i = 0; i + 1 < ocr.text.size() && line + 1 < ocr.lines.size(); ++i)
      if (ocr.text[i] == '\n') {
        ++line;
        if (ocr.text[i + 1] == '\n') {
          block_start[line] = true;
          ++i;
        }
      }
    int zones = 0;
    for (const Group& g : partition(ocr, page_width, page_height, dpi, card_outlines)) {
      Drafts drafts;
      read_group(ocr, g.ids, block_start, page_width, zones, drafts);
      if (g.role != RegionRole::body) {
        // A card or a panel is read as one region, its lines in the order found inside it.
        Region r;
        r.role = g.role;
        for (Draft& d : drafts.drafts()) r.lines.insert(r.lines.end(), d.lines.begin(), d.lines.end());
        if (!r.lines.empty()) regions.push_back(std::move(r));
        continue;
      }
      const std::vector<RegionRole> roles = roles_of(ocr, drafts.drafts(), page_width);
      for (size_t k = 0; k < drafts.drafts().size(); ++k) {
        Region r;
        r.role = roles[k];
        r.lines = std::move(drafts.drafts()[k].lines);
        regions.push_back(std::move(r));
      }
    }
  }
  for (size_t k = 0; k < regions.size(); ++k) {
    regions[k].order = static_cast<int>(k);
    for (const RegionLine& l : regions[k].lines)
      for (const auto& cell : l.cells)
        for (int id : cell) regions[k].box = unite(regions[k].box, ocr.words[id].box);
  }
  return regions;
}

std::string text_of(const OcrResult& ocr, const std::vector<Region>& regions) {
  std::string out;
  for (const Region& r : regions) {
    std::string block;
    for (const RegionLine& l : r.lines) {
      std::string line;
      for (const auto& cell : l.cells)
        for (int id : cell) {
          const std::string& t = ocr.words[id].text;
          if (code_points(t) == 0) continue;
          line += (line.empty() ? "" : " ") + t;
        }
      if (!line.empty()) block += (block.empty() ? "" : "\n") + line;
    }
    if (!block.empty()) out += (out.empty() ? "" : "\n\n") + block;
  }
  return out;
}

void lay_out(Page& page, int page_width, int page_height, const Image* image) {
  // With the page's pixels, arrival stamps are found by their ruled frames and read apart (frames.h).
  page.regions = image ? analyze_with_stamps(page.ocr, *image, page_width, page_height, page.info.dpi)
                       : analyze(page.ocr, page_width, page_height, page.info.dpi);
  if (!page.regions.empty()) page.ocr.text = text_of(page.ocr, page.regions);
  detect_languages(page.ocr, page.regions);
}

}  // namespace sohoa::layout
