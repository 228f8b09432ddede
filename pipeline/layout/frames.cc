#include "layout/frames.h"

#include <leptonica/allheaders.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <climits>
#include <map>
#include <opencv2/imgproc.hpp>
#include <regex>
#include <sstream>

#include "core/text.h"
#include "doctypes/doctypes.h"
#include "layout/layout.h"

namespace sohoa::layout {
namespace {

/// Folded without the punctuation around it: "ĐẾN:" -> "den".
std::string bare(const std::string& text) {
  const std::string f = text::fold(text);
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  size_t b = 0, e = f.size();
  while (b < e && !alnum(f[b])) ++b;
  while (e > b && !alnum(f[e - 1])) --e;
  return f.substr(b, e - b);
}

/// Letters all capitals (a stamp's head is cut in capitals; "đến" in a sentence is not one).
bool capitals(const std::string& utf8) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(utf8);
  icu::UnicodeString up = u;
  up.toUpper(icu::Locale::getRoot());
  bool letter = false;
  for (int32_t i = 0; i < u.length(); ++i) letter |= u_isalpha(u.charAt(i)) != 0;
  return letter && up == u;
}

std::vector<std::string> words_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

/// Share of a word's box inside `frame`.
double inside_share(const Box& w, const Box& frame) {
  const int x0 = std::max(w.x, frame.x), x1 = std::min(w.x + w.w, frame.x + frame.w);
  const int y0 = std::max(w.y, frame.y), y1 = std::min(w.y + w.h, frame.y + frame.h);
  if (x1 <= x0 || y1 <= y0 || w.w <= 0 || w.h <= 0) return 0;
  return static_cast<double>(x1 - x0) * (y1 - y0) / (static_cast<double>(w.w) * w.h);
}

/// Share of the positions along a band that have line pixels across it.
double covered(const cv::Mat& mask, const cv::Rect& band, bool along_x) {
  const cv::Rect r = band & cv::Rect(0, 0, mask.cols, mask.rows);
  if (r.area() <= 0) return 0;
  cv::Mat hit;
  cv::reduce(mask(r), hit, along_x ? 0 : 1, cv::REDUCE_MAX);
  return static_cast<double>(cv::countNonZero(hit)) / (along_x ? r.width : r.height);
}

}  // namespace

namespace {

/// Stamp-sized rectangles ruled in `gray` (pixels of it, plus `at`): 15-130 mm wide, 8-80 mm high,
/// four sides of straight lines.
std::vector<Box> frames_in(const cv::Mat& gray, double mm, cv::Point at) {
  cv::Mat ink;
  cv::threshold(gray, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  // Ruled lines are runs far longer than any stroke of a letter: 6 mm across, 6 mm down (a
  // stamp's side may be broken where the ink ran short: gaps up to 1.5 mm are bridged first).
  const int run = std::max(8, static_cast<int>(6 * mm)), gap = std::max(2, static_cast<int>(1.5 * mm));
  cv::Mat across, down;
  cv::morphologyEx(ink, across, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {run, 1}));
  cv::morphologyEx(ink, down, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {1, gap}));
  cv::morphologyEx(down, down, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {1, run}));
  cv::Mat lines = across | down, labels, stats, centroids;
  cv::dilate(lines, lines, cv::getStructuringElement(cv::MORPH_RECT, {5, 5}));  // corners meet
  const int n = cv::connectedComponentsWithStats(lines, labels, stats, centroids, 8, CV_32S);
  const int band = std::max(3, static_cast<int>(1.5 * mm));
  std::vector<Box> out;
  for (int i = 1; i < n; ++i) {
    const int bx = stats.at<int>(i, cv::CC_STAT_LEFT), by = stats.at<int>(i, cv::CC_STAT_TOP);
    const int bw = stats.at<int>(i, cv::CC_STAT_WIDTH), bh = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (bw < 15 * mm || bw > 130 * mm || bh < 8 * mm || bh > 80 * mm) continue;
    // Four sides, ruled along most of their length together; a rubber stamp prints some faint or
    // broken (the real "CV ĐẾN" stamp's top: 40%), none missing.
    const double top = covered(across, {bx, by, bw, band}, true), bottom = covered(across, {bx, by + bh - band, bw, band}, true);
    const double left = covered(down, {bx, by, band, bh}, false), right = covered(down, {bx + bw - band, by, band, bh}, false);
    if (std::min({top, bottom, left, right}) < 0.3 || top + bottom + left + right < 2.8) continue;
    out.push_back({at.x + bx, at.y + by, bw, bh});
  }
  return out;
}

cv::Mat gray_of(const Image& page, const Box& b) {
  BOX* clip = boxCreate(b.x, b.y, b.w, b.h);
  Image window(pixClipRectangle(page.get(), clip, nullptr));
  boxDestroy(&clip);
  return window ? gray_to_mat(to_gray8(window)) : cv::Mat();
}

}  // namespace

std::optional<Box> ruled_frame_around(const Image& page, const Box& inside, double dpi) {
  if (!page || dpi <= 0) return std::nullopt;
  const double mm = dpi / 25.4;
  const int cx = inside.x + inside.w / 2, cy = inside.y + inside.h / 2;
  const int reach_x = static_cast<int>(130 * mm), reach_y = static_cast<int>(80 * mm);
  const int x0 = std::max(0, cx - reach_x), y0 = std::max(0, cy - reach_y);
  const int x1 = std::min(page.width(), cx + reach_x), y1 = std::min(page.height(), cy + reach_y);
  if (x1 - x0 < 15 * mm || y1 - y0 < 8 * mm) return std::nullopt;
  const cv::Mat gray = gray_of(page, {x0, y0, x1 - x0, y1 - y0});
  if (gray.empty()) return std::nullopt;
  std::optional<Box> best;
  for (const Box& b : frames_in(gray, mm, {x0, y0}))
    if (cx >= b.x && cx < b.x + b.w && cy >= b.y && cy < b.y + b.h &&
        (!best || static_cast<long>(b.w) * b.h < static_cast<long>(best->w) * best->h))
      best = b;
  return best;
}

std::vector<Box> ruled_frames(const Image& page, double dpi) {
  if (!page || dpi <= 0) return {};
  const cv::Mat gray = gray_of(page, {0, 0, page.width(), page.height()});
  return gray.empty() ? std::vector<Box>{} : frames_in(gray, dpi / 25.4, {0, 0});
}

/// The runs of `ink` along its rows at least `min_len` long, gaps up to `gap` bridged, each a
/// rectangle one pixel high. (One pass over the pixels: an opening with a kernel that long costs
/// its length per pixel.)
std::vector<cv::Rect> long_row_runs(const cv::Mat& ink, int gap, int min_len) {
  std::vector<cv::Rect> out;
  for (int y = 0; y < ink.rows; ++y) {
    const uint8_t* row = ink.ptr<uint8_t>(y);
    int start = -1, last = -1;
    auto finish = [&] {
      if (start >= 0 && last - start + 1 >= min_len) out.emplace_back(start, y, last - start + 1, 1);
    };
    for (int x = 0; x < ink.cols; ++x) {
      if (!row[x]) continue;
      if (start < 0 || x - last > gap + 1) {
        finish();
        start = x;
      }
      last = x;
    }
    finish();
  }
  return out;
}

std::vector<Box> card_outlines(const Image& page, double dpi) {
  if (!page || dpi <= 0) return {};
  // A card's edge survives halving a 300-dpi page; the search then costs a quarter.
  const int f = dpi >= 250 ? 2 : 1;
  const bool scalable = (page.depth() == 8 || page.depth() == 32) && !pixGetColormap(page.get());
  Image gray8 = f == 1 ? to_gray8(page)
                : scalable ? to_gray8(Image(pixScaleAreaMap2(page.get())))
                           : Image(pixScaleAreaMap2(to_gray8(page).get()));
  if (!gray8) return {};
  const double mm = dpi / f / 25.4;
  cv::Mat ink, ink_t;
  cv::threshold(gray_to_mat(gray8), ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::transpose(ink, ink_t);
  // A card's sides are straight runs far longer than any letter; its corners are rounded
  // (ISO/IEC 7810: 3.18 mm), so the four sides are separate runs whose ends nearly meet. Gaps
  // narrower than a word space are bridged (a worn or faint edge), so a line of text makes no run.
  const int gap = std::max(1, static_cast<int>(0.5 * mm));
  // A thick edge gives a run on each of its rows: one of them is enough.
  auto once = [](std::vector<cv::Rect> runs) {
    std::vector<cv::Rect> kept;
    for (const cv::Rect& r : runs)
      if (kept.empty() || kept.back().y < r.y - 2 || std::abs(kept.back().x - r.x) > 2 || std::abs(kept.back().width - r.width) > 4)
        kept.push_back(r);
    return kept;
  };
  const std::vector<cv::Rect> rows = once(long_row_runs(ink, gap, static_cast<int>(50 * mm)));
  std::vector<cv::Rect> cols = once(long_row_runs(ink_t, gap, static_cast<int>(25 * mm)));
  for (cv::Rect& c : cols) c = {c.y, c.x, c.height, c.width};
  const double corner = 6 * mm;  // how far a side may stop short of the next (the rounding, a worn edge)
  // A side that runs down next to where the top and bottom sides end, along most of the height.
  auto side_at = [&](int x, int top, int bottom) -> std::optional<cv::Rect> {
    for (const cv::Rect& c : cols)
      if (std::abs(c.x - x) <= corner && c.y >= top - corner && c.y + c.height <= bottom + corner &&
          c.height >= 0.7 * (bottom - top))
        return c;
    return std::nullopt;
  };
  std::vector<Box> out;
  for (const cv::Rect& t : rows) {
    if (t.width > 100 * mm) continue;
    for (const cv::Rect& b : rows) {
      const int h = b.y - t.y;
      if (h < 40 * mm || h > 68 * mm || std::abs(b.x - t.x) > corner || std::abs(b.width - t.width) > corner) continue;
      const auto l = side_at(std::min(t.x, b.x), t.y, b.y);
      const auto r = side_at(std::max(t.x + t.width, b.x + b.width), t.y, b.y);
      if (!l || !r) continue;
      const Box box{l->x * f, t.y * f, (r->x - l->x + 1) * f, (b.y - t.y + 1) * f};
      // ID-1's proportions (85.6 x 54 mm, 1.59), at any copying scale from 85% to 120%.
      const double ratio = static_cast<double>(box.w) / box.h;
      if (box.w < 72 * mm * f || box.w > 103 * mm * f || ratio < 1.4 || ratio > 1.8) continue;
      // The outer run of a thick edge and its inner ones find one card.
      const bool known = std::any_of(out.begin(), out.end(), [&](const Box& o) {
        return std::abs(o.x - box.x) <= corner * f && std::abs(o.y - box.y) <= corner * f;
      });
      if (!known) out.push_back(box);
    }
  }
  return out;
}

FrameInside frame_inside(const Image& page, const Box& frame, double dpi) {
  const double mm = dpi / 25.4;
  cv::Mat gray = gray_of(page, frame);
  if (gray.empty()) return {};
  // The rules themselves (and a little around them) made white: OCR reads boxes' edges as letters.
  cv::Mat ink, across, down;
  cv::threshold(gray, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  const int run = std::max(8, static_cast<int>(6 * mm));
  cv::morphologyEx(ink, across, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {run, 1}));
  cv::morphologyEx(ink, down, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {1, run}));
  cv::Mat rules = across | down;
  cv::dilate(rules, rules, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  gray.setTo(255, rules);
  // Dotted leaders ("Số: ........") too: rows of six or more specks on one line, which OCR reads
  // as letters and which hide the digits written on them. A letter's dot is no row.
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink & ~rules, labels, stats, centroids, 8, CV_32S);
  const int speck = std::max(2, static_cast<int>(0.6 * mm));
  std::vector<int> specks;
  for (int i = 1; i < n; ++i)
    if (stats.at<int>(i, cv::CC_STAT_WIDTH) <= speck && stats.at<int>(i, cv::CC_STAT_HEIGHT) <= speck) specks.push_back(i);
  std::vector<bool> leader(n, false);
  for (int i : specks) {
    const double y = centroids.at<double>(i, 1), x = centroids.at<double>(i, 0);
    int row = 0;
    for (int j : specks)
      row += std::abs(centroids.at<double>(j, 1) - y) <= speck / 2.0 + 1 && std::abs(centroids.at<double>(j, 0) - x) <= 12 * mm;
    leader[i] = row >= 6;
  }
  for (int r = 0; r < labels.rows; ++r)
    for (int c = 0; c < labels.cols; ++c)
      if (leader[labels.at<int>(r, c)]) gray.at<uint8_t>(r, c) = 255;
  // Dividers: columns ruled down most of the frame's height, away from its sides.
  FrameInside out;
  std::vector<int> cuts{0};
  {
    cv::Mat col;
    cv::reduce(down, col, 0, cv::REDUCE_SUM, CV_32S);
    const int edge = static_cast<int>(3 * mm);
    int last = -edge;
    for (int x = edge; x < gray.cols - edge; ++x)
      if (col.at<int>(0, x) / 255 >= gray.rows * 7 / 10 && x - last > edge) cuts.push_back(last = x);
  }
  cuts.push_back(gray.cols);
  const int pad = static_cast<int>(3 * mm);
  int height = pad, width = 0;
  for (size_t k = 0; k + 1 < cuts.size(); ++k) height += gray.rows + pad, width = std::max(width, cuts[k + 1] - cuts[k]);
  cv::Mat stacked(height, width + 2 * pad, CV_8U, cv::Scalar(255));
  int y = pad;
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    const cv::Rect src(cuts[k], 0, cuts[k + 1] - cuts[k], gray.rows);
    gray(src).copyTo(stacked(cv::Rect(pad, y, src.width, src.height)));
    out.cells.push_back({{frame.x + src.x, frame.y, src.width, src.height}, y});
    y += gray.rows + pad;
  }
  out.margin = pad;
  out.image = mat_to_gray(stacked);
  return out;
}

bool adopt_frame_reading(OcrResult& ocr, const Box& frame, const FrameInside& inside, const OcrResult& reread) {
  const doctypes::ArrivalStamp& cat = doctypes::catalogue().arrival_stamp;
  // Only a reading that has a head in capitals is a stamp's.
  bool head = false;
  for (const OcrWord& w : reread.words)
    for (const std::string& h : cat.heads)
      if (!head && bare(w.text) == words_of(h).back() && capitals(w.text)) head = true;
  if (!head || inside.cells.empty()) return false;
  auto to_page = [&](Box b) {
    const int cy = b.y + b.h / 2;
    const FrameInside::Cell* cell = &inside.cells.front();
    for (const auto& c : inside.cells)
      if (cy >= c.y - inside.margin) cell = &c;
    b.x += cell->page.x - inside.margin;
    b.y += cell->page.y - cell->y;
    return b;
  };
  const int line0 = static_cast<int>(ocr.lines.size());
  // A page word inside the frame stays when its line goes on outside it, close after it: the body
  // line the stamp was put over ("Trong" under the stamp's corner, "thời gian qua, …" beyond),
  // in letters of its size (the stamp's small print beside the title is the stamp's).
  auto continues_outside = [&](const OcrWord& w) {
    for (const OcrWord& o : ocr.words)
      if (o.line == w.line && inside_share(o.box, frame) < 0.5 && o.box.x >= w.box.x + w.box.w &&
          o.box.x - (w.box.x + w.box.w) < w.box.h && 3 * std::min(o.box.h, w.box.h) >= 2 * std::max(o.box.h, w.box.h))
        return true;
    return false;
  };
  std::vector<OcrWord> kept;
  std::vector<Box> stays;
  for (const OcrWord& w : ocr.words) {
    if (inside_share(w.box, frame) < 0.5) {
      kept.push_back(w);
    } else if (continues_outside(w)) {
      kept.push_back(w);
      stays.push_back(w.box);
    }
  }
  for (const OcrLine& l : reread.lines) {
    OcrLine moved = l;
    const Box b = to_page(l.box);
    moved.baseline += b.y - l.box.y;
    moved.box = b;
    ocr.lines.push_back(moved);
  }
  for (OcrWord w : reread.words) {
    if (w.text.empty()) continue;
    w.box = to_page(w.box);
    if (std::any_of(stays.begin(), stays.end(), [&](const Box& b) { return inside_share(w.box, b) > 0.3; })) continue;
    w.line += line0;
    kept.push_back(std::move(w));
  }
  ocr.words = std::move(kept);
  return true;
}

std::vector<std::vector<int>> arrival_stamp_words(const OcrResult& ocr, const Image& page, double dpi) {
  const doctypes::ArrivalStamp& cat = doctypes::catalogue().arrival_stamp;
  std::vector<std::vector<int>> stamps;
  if (cat.heads.empty() || !page || ocr.lines.empty()) return stamps;
  if (dpi <= 0) dpi = 300;
  const double mm = dpi / 25.4;
  std::map<int, std::vector<int>> by_line;
  for (size_t i = 0; i < ocr.words.size(); ++i)
    if (!ocr.words[i].text.empty()) by_line[ocr.words[i].line].push_back(static_cast<int>(i));
  for (auto& [l, ids] : by_line)
    std::sort(ids.begin(), ids.end(), [&](int a, int b) { return ocr.words[a].box.x < ocr.words[b].box.x; });
  std::vector<std::string> folded(ocr.words.size());
  for (size_t i = 0; i < ocr.words.size(); ++i) folded[i] = bare(ocr.words[i].text);
  std::vector<Box> frames;
  std::vector<bool> taken(ocr.words.size(), false);
  for (const auto& [l, ids] : by_line) {
    for (size_t k = 0; k < ids.size(); ++k) {
      std::optional<Box> head;
      for (const std::string& h : cat.heads) {
        const std::vector<std::string> want = words_of(h);
        if (want.empty() || k + want.size() > ids.size()) continue;
        bool match = true;
        Box box;
        for (size_t j = 0; j < want.size() && match; ++j) {
          const OcrWord& w = ocr.words[ids[k + j]];
          match = folded[ids[k + j]] == want[j] && capitals(w.text);
          box = unite(box, w.box);
        }
        if (match) {
          head = box;
          break;
        }
      }
      if (!head) continue;
      const int hx = head->x + head->w / 2, hy = head->y + head->h / 2;
      if (std::any_of(frames.begin(), frames.end(), [&](const Box& f) {
            return hx >= f.x && hx < f.x + f.w && hy >= f.y && hy < f.y + f.h;
          }))
        continue;
      const std::optional<Box> frame = ruled_frame_around(page, *head, dpi);
      if (!frame) continue;
      // Words printed on the frame's top or bottom rule (an office's name over the box) are the
      // stamp's too: the frame reaches 2 mm beyond its rules.
      const int pad = static_cast<int>(2 * mm);
      const Box reach{frame->x, frame->y - pad, frame->w, frame->h + 2 * pad};
      std::vector<int> mine;
      for (const auto& [line, line_ids] : by_line) {
        // Runs of words set close together (gaps under a word's height, heights alike): a body
        // line running into the frame is one run, mostly outside it, and keeps its words.
        std::vector<std::vector<int>> runs;
        for (int id : line_ids) {
          const Box& b = ocr.words[id].box;
          if (!runs.empty()) {
            const Box& p = ocr.words[runs.back().back()].box;
            const int gap = b.x - (p.x + p.w), h = std::max(b.h, p.h);
            // ... and on one height: the office's name on the frame's rule ends where a body
            // line begins, a gap away, and Tesseract makes them one line; its middle lies
            // below the body word's letters.
            const int mb = b.y + b.h / 2, mp = p.y + p.h / 2;
            const bool level = mb >= p.y && mb <= p.y + p.h && mp >= b.y && mp <= b.y + b.h;
            if (gap < h && 3 * std::min(b.h, p.h) >= 2 * h && level) {
              runs.back().push_back(id);
              continue;
            }
          }
          runs.push_back({id});
        }
        for (const std::vector<int>& r : runs) {
          int in = 0;
          for (int id : r) in += inside_share(ocr.words[id].box, reach) >= 0.5;
          if (in == 0 || 2 * in < static_cast<int>(r.size())) continue;
          for (int id : r)
            if (inside_share(ocr.words[id].box, reach) >= 0.5 && !taken[id]) mine.push_back(id);
        }
      }
      // A stamp has a number or a date to carry: a head alone in a box (a table's "ĐẾN" column)
      // is not one.
      std::string text;
      for (int id : mine) text += " " + folded[id];
      text += " ";
      bool labelled = false;
      for (const auto* labels : {&cat.number_labels, &cat.date_labels})
        for (const std::string& label : *labels) {
          const std::regex re("(^|[^a-z0-9])" + label + "([^a-z]|$)");
          labelled |= std::regex_search(text, re);
        }
      if (!labelled) continue;
      frames.push_back(*frame);
      for (int id : mine) taken[id] = true;
      stamps.push_back(std::move(mine));
    }
  }
  return stamps;
}

std::vector<Region> analyze_with_stamps(const OcrResult& ocr, const Image& page, int page_width, int page_height,
                                        double dpi) {
  const std::vector<std::vector<int>> stamps = arrival_stamp_words(ocr, page, dpi);
  const std::vector<Box> cards = card_outlines(page, dpi);
  if (stamps.empty()) return analyze(ocr, page_width, page_height, dpi, cards);
  // The rest of the page is laid out as if the stamp were not there (a word without text is no
  // word to the layout); the stamp's words keep their ids.
  OcrResult rest = ocr;
  for (const auto& s : stamps)
    for (int id : s) rest.words[id].text.clear();
  std::vector<Region> regions = analyze(rest, page_width, page_height, dpi, cards);
  for (const std::vector<int>& ids : stamps) {
    // The stamp's rows top to bottom (words whose middles share a height: a label and the value
    // on its dotted line may be read as two lines), words left to right.
    std::vector<int> order = ids;
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      return ocr.words[a].box.y + ocr.words[a].box.h / 2 < ocr.words[b].box.y + ocr.words[b].box.h / 2;
    });
    std::vector<std::vector<int>> lines;
    for (int id : order) {
      const Box& b = ocr.words[id].box;
      const int mid = b.y + b.h / 2;
      if (!lines.empty()) {
        const Box& p = ocr.words[lines.back().front()].box;
        if (mid >= p.y && mid <= p.y + p.h) {
          lines.back().push_back(id);
          continue;
        }
      }
      lines.push_back({id});
    }
    for (auto& l : lines)
      std::sort(l.begin(), l.end(), [&](int a, int b) { return ocr.words[a].box.x < ocr.words[b].box.x; });
    Region r;
    r.role = RegionRole::stamp;
    r.order = static_cast<int>(regions.size());
    for (auto& l : lines) {
      for (int id : l) r.box = unite(r.box, ocr.words[id].box);
      r.lines.push_back(RegionLine{{std::move(l)}});
    }
    regions.push_back(std::move(r));
  }
  return regions;
}

}  // namespace sohoa::layout
