#include "extract/handwriting.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <numeric>
#include <optional>
#include <sstream>

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "core/models_dir.h"
#include "core/text.h"

namespace sohoa::handwriting {

namespace {

/// The glyph's holes: how many of 2% of its box or more (up to 3), the highest and lowest of
/// their centres (0-1 of its height; 0.5 without one), their share of the box. As holes() in
/// models/digits.py.
std::array<float, 4> holes(const cv::Mat& ink) {
  const int h = ink.rows, w = ink.cols;
  cv::Mat b;
  cv::copyMakeBorder(ink, b, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
  cv::threshold(b, b, 127, 255, cv::THRESH_BINARY);
  std::vector<std::vector<cv::Point>> contours;
  std::vector<cv::Vec4i> hierarchy;
  cv::findContours(b, contours, hierarchy, cv::RETR_CCOMP, cv::CHAIN_APPROX_NONE);
  int n = 0;
  double top = 0.5, bottom = 0.5, area = 0;
  for (size_t i = 0; i < contours.size(); ++i) {
    if (hierarchy[i][3] < 0) continue;  // an outer contour
    const double a = cv::contourArea(contours[i]);
    if (a < 0.02 * h * w) continue;
    const cv::Moments m = cv::moments(contours[i]);
    const double y = m.m00 > 0 ? (m.m01 / m.m00 - 1) / h : 0.5;
    if (n == 0) top = bottom = y;
    else top = std::min(top, y), bottom = std::max(bottom, y);
    ++n;
    area += a;
  }
  return {static_cast<float>(std::min(n, 3)), static_cast<float>(top), static_cast<float>(bottom),
          static_cast<float>(area / (static_cast<double>(h) * w))};
}

}  // namespace

std::vector<float> features(const cv::Mat& ink) {
  constexpr int kSide = 32, kCells = 4, kBins = 8;
  const int h = ink.rows, w = ink.cols, s = std::max(h, w);
  const int side = s + 2 * std::max(1, s / 8);
  cv::Mat canvas = cv::Mat::zeros(side, side, CV_32F);
  cv::Mat part;
  ink.convertTo(part, CV_32F, 1.0 / 255.0);
  part.copyTo(canvas(cv::Rect((side - w) / 2, (side - h) / 2, w, h)));
  cv::Mat img, gx, gy, mag, ang, small;
  cv::resize(canvas, img, cv::Size(kSide, kSide), 0, 0, cv::INTER_AREA);
  // Sheared upright by its second moments: hands slant digits more than any training font.
  if (const cv::Moments mo = cv::moments(img); std::abs(mo.mu02) >= 1e-2) {
    const double skew = std::clamp(mo.mu11 / mo.mu02, -1.0, 1.0);
    const cv::Mat M = (cv::Mat_<float>(2, 3) << 1, static_cast<float>(skew), static_cast<float>(-0.5 * kSide * skew), 0, 1, 0);
    cv::Mat upright;
    cv::warpAffine(img, upright, M, cv::Size(kSide, kSide), cv::WARP_INVERSE_MAP | cv::INTER_LINEAR);
    img = upright;
  }
  cv::Sobel(img, gx, CV_32F, 1, 0, 3);
  cv::Sobel(img, gy, CV_32F, 0, 1, 3);
  cv::cartToPolar(gx, gy, mag, ang, true);
  std::vector<double> hog(kCells * kCells * kBins, 0.0);
  const int cell = kSide / kCells;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const int b = std::min(kBins - 1, static_cast<int>(ang.at<float>(y, x) / static_cast<float>(360.0 / kBins)));
      hog[((y / cell) * kCells + x / cell) * kBins + b] += mag.at<float>(y, x);
    }
  std::vector<float> out;
  out.reserve(hog.size() + 65);
  double norm = 0;
  for (double& v : hog) v = static_cast<float>(std::sqrt(static_cast<float>(v))), norm += v * v;
  norm = std::sqrt(static_cast<float>(norm)) + 1e-6;
  for (double v : hog) out.push_back(static_cast<float>(v / norm));
  cv::resize(img, small, cv::Size(8, 8), 0, 0, cv::INTER_AREA);
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) out.push_back(small.at<float>(y, x));
  out.push_back(static_cast<float>(std::log(static_cast<double>(std::max(w, 1)) / std::max(h, 1))));
  for (float v : holes(ink)) out.push_back(v);
  return out;
}

DigitModel DigitModel::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorCode::internal, "cannot read the digit model " + path);
  DigitModel m;
  auto bad = [&](const std::string& what) { return Error(ErrorCode::internal, "digit model " + path + ": " + what); };
  std::string line, key;
  int n = 0, layers = 0;
  auto floats = [&](std::istringstream& ss, size_t count) {
    std::vector<float> v(count);
    for (float& f : v)
      if (!(ss >> f)) throw bad("short row");
    return v;
  };
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    ss >> key;
    if (key == "features") ss >> n;
    else if (key == "layers") ss >> layers;
    else if (key == "mean") m.mean_ = floats(ss, n);
    else if (key == "std") m.std_ = floats(ss, n);
    else if (key == "layer") {
      Layer l;
      ss >> l.in >> l.out;
      if (l.in <= 0 || l.out <= 0) throw bad("bad layer size");
      for (int o = 0; o < l.out; ++o) {
        if (!std::getline(in, line)) throw bad("truncated");
        std::istringstream row(line);
        std::vector<float> v = floats(row, l.in);
        l.w.insert(l.w.end(), v.begin(), v.end());
      }
      if (!std::getline(in, line)) throw bad("truncated");
      std::istringstream row(line);
      row >> key;
      if (key != "bias") throw bad("no bias");
      l.b = floats(row, l.out);
      m.layers_.push_back(std::move(l));
    }
  }
  if (n != 197 || static_cast<int>(m.layers_.size()) != layers || m.layers_.empty() || m.layers_.front().in != n ||
      m.layers_.back().out != kClasses || m.mean_.size() != static_cast<size_t>(n) || m.std_.size() != static_cast<size_t>(n))
    throw bad("unexpected shape");
  return m;
}

std::array<double, kClasses> DigitModel::probabilities(const cv::Mat& ink) const {
  std::array<double, kClasses> p{};
  if (empty() || ink.empty()) return p;
  const std::vector<float> f = features(ink);
  std::vector<double> x(f.size());
  for (size_t i = 0; i < f.size(); ++i) x[i] = (f[i] - mean_[i]) / std_[i];
  for (size_t k = 0; k < layers_.size(); ++k) {
    const Layer& l = layers_[k];
    std::vector<double> y(l.out);
    for (int o = 0; o < l.out; ++o) {
      double s = l.b[o];
      const float* w = &l.w[static_cast<size_t>(o) * l.in];
      for (int i = 0; i < l.in; ++i) s += w[i] * x[i];
      y[o] = k + 1 < layers_.size() ? std::max(0.0, s) : s;  // ReLU inside, softmax out
    }
    x = std::move(y);
  }
  const double top = *std::max_element(x.begin(), x.end());
  double sum = 0;
  for (int c = 0; c < kClasses; ++c) sum += p[c] = std::exp(x[c] - top);
  for (double& v : p) v /= sum;
  return p;
}

const DigitModel& model() {
  static std::once_flag once;
  static DigitModel m;
  std::call_once(once, [] {
    const std::string path = models::find("digits_mlp.txt");
    if (!path.empty()) m = DigitModel::load(path);
  });
  return m;
}

namespace {

/// A cut through touching digits: the column `x` at the piece's middle row `mid`, leaning by
/// `slope` columns a row (hands slant: the gap between two digits runs up to the right).
struct Cut {
  double x = 0, slope = 0;
  int mid = 0;
  double at(int y) const { return x + slope * (y - mid); }
};

struct Piece {
  cv::Rect box;
  std::vector<int> labels;
  std::optional<Cut> left, right;  // the piece is the ink right of `left` and left of `right`
  bool keeps(int x, int y) const { return (!left || x >= left->at(y)) && (!right || x < right->at(y)); }
};

/// The piece's ink alone (other components crossing its box left out), cropped; `where` is the
/// cropped part's box in the region.
cv::Mat ink_of(const Piece& p, const cv::Mat& labels, cv::Rect* where = nullptr) {
  cv::Mat ink = cv::Mat::zeros(p.box.size(), CV_8U);
  for (int y = 0; y < p.box.height; ++y)
    for (int x = 0; x < p.box.width; ++x) {
      const int gx = p.box.x + x, gy = p.box.y + y;
      if (!p.keeps(gx, gy)) continue;
      const int l = labels.at<int>(gy, gx);
      if (l > 0 && std::find(p.labels.begin(), p.labels.end(), l) != p.labels.end()) ink.at<uchar>(y, x) = 255;
    }
  std::vector<cv::Point> pts;
  cv::findNonZero(ink, pts);
  if (pts.empty()) return {};
  const cv::Rect r = cv::boundingRect(pts);
  if (where) *where = r + p.box.tl();
  return ink(r).clone();
}

/// The best digit in a glyph and its probability; -1 when it is no digit or not sure.
std::pair<int, double> sure_digit(const cv::Mat& ink, double H, const DigitModel& m) {
  if (ink.empty() || ink.rows < 0.4 * H || ink.rows > 2.5 * H) return {-1, 0};
  const std::array<double, kClasses> p = m.probabilities(ink);
  const int best = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
  if (best == kReject || p[best] < kMinDigitP) return {-1, p[best]};
  return {best, p[best]};
}

/// Two digits written touching, cut by what the cut leaves: every straight or slanted line
/// through the middle of the piece that crosses little ink is tried, and kept when both sides
/// are surely digits. Cuts that read differently make the piece ambiguous: then none is kept,
/// nor a reading only one or two cuts give. nullopt when no cut reads; `ambiguous` says whether
/// two readings competed.
std::optional<std::pair<Piece, Piece>> cut_by_reading(const Piece& q, const cv::Mat& labels, double H, const DigitModel& m,
                                                      bool& ambiguous) {
  const cv::Rect b = q.box;
  const int mid = b.y + b.height / 2;
  auto ink_at = [&](int x, int y) {
    const int l = labels.at<int>(y, x);
    return l > 0 && q.keeps(x, y) && std::find(q.labels.begin(), q.labels.end(), l) != q.labels.end();
  };
  int from = INT_MAX, to = -1;
  for (int y = b.y; y < b.y + b.height; ++y)
    for (int x = b.x; x < b.x + b.width; ++x)
      if (ink_at(x, y)) from = std::min(from, x), to = std::max(to, x + 1);
  if (to <= from) return std::nullopt;
  const int w = to - from;
  std::optional<std::pair<Piece, Piece>> best;
  std::string reading;
  double best_p = 0;
  int agreeing = 0;
  for (double slope : {-0.5, -0.25, 0.0, 0.25, 0.5}) {
    for (int x = from + w * 3 / 10; x < from + w * 7 / 10; ++x) {
      const Cut c{static_cast<double>(x), -slope, mid};  // x grows as y falls for a rightward slant
      long crossed = 0;
      for (int y = b.y; y < b.y + b.height; ++y) {
        const int cx = static_cast<int>(std::lround(c.at(y)));
        crossed += cx >= b.x && cx < b.x + b.width && ink_at(cx, y);
      }
      // A cut through a digit's body crosses much ink; between two digits, a stroke or two.
      if (crossed > 0.35 * b.height) continue;
      Piece l = q, r = q;
      l.right = c;
      r.left = c;
      const auto [dl, pl] = sure_digit(ink_of(l, labels), H, m);
      if (dl < 0) continue;
      const auto [dr, pr] = sure_digit(ink_of(r, labels), H, m);
      if (dr < 0) continue;
      const std::string text{static_cast<char>('0' + dl), static_cast<char>('0' + dr)};
      if (!reading.empty() && text != reading) ambiguous = true;
      reading = text;
      ++agreeing;
      if (std::min(pl, pr) > best_p) best_p = std::min(pl, pr), best = std::make_pair(l, r);
    }
  }
  // One lucky cut among a hundred is no reading: a real gap between two digits reads the same
  // a pixel or a slant further on.
  if (ambiguous || agreeing < 3) return std::nullopt;
  return best;
}

}  // namespace

Digits read_digits(const cv::Mat& grey, int line_height, int max_digits, const DigitModel& m, int gap_from, int gap_to) {
  Digits out;
  if (m.empty()) return out.why_not = "no digit model", out;
  if (grey.empty() || line_height <= 0) return out.why_not = "nothing to read", out;
  const double H = line_height;
  cv::Mat bin, labels, stats, centroids;
  cv::threshold(grey, bin, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  int n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8, CV_32S);
  if (gap_to > gap_from) {
    // Handwriting touching a printed word beside the slot: the word's letters are what lies past
    // the gap's edge, so a mark half in the gap is cut there, at the column near the edge where
    // it has least ink. Only where one thin stroke crosses that column (the pen running into a
    // letter): a mark crossed by more ink, or more than once, would lose part of a digit, and is
    // refused below.
    bool masked = false;
    const double tol = 0.1 * H;
    for (int l = 1; l < n; ++l) {
      const int x = stats.at<int>(l, cv::CC_STAT_LEFT), w = stats.at<int>(l, cv::CC_STAT_WIDTH);
      const int in = std::min(x + w, gap_to) - std::max(x, gap_from);
      if ((x >= gap_from - tol && x + w <= gap_to + tol) || in < 0.35 * w) continue;
      std::vector<std::pair<int, int>> cuts;  // (column, the side kept: +1 right of it, -1 left)
      bool clean = true;
      for (const int side : {+1, -1}) {
        const int edge = side > 0 ? gap_from : gap_to - 1;
        if (edge <= x || edge >= x + w - 1) continue;  // the mark does not cross this edge
        int best = -1, least = INT_MAX;
        // from a little inside the word (where only its letter and the pen's end are) to a little into the gap
        const int a = edge - static_cast<int>(2 * tol) * side, b = edge + static_cast<int>(tol) * side;
        for (int c = std::max(x, std::min(a, b)); c <= std::min(x + w - 1, std::max(a, b)); ++c) {
          int runs = 0, ink = 0;
          bool was = false;
          for (int y = 0; y < labels.rows; ++y) {
            const bool is = labels.at<int>(y, c) == l;
            runs += is && !was, ink += is, was = is;
          }
          if (runs == 1 && ink < least) least = ink, best = c;
        }
        if (best < 0 || least > 0.35 * H) clean = false;
        else cuts.push_back({best, side});
      }
      if (!clean || cuts.empty()) continue;
      for (int y = 0; y < labels.rows; ++y)
        for (int c = x; c < x + w; ++c) {
          bool kept = true;
          for (const auto& [at, side] : cuts) kept = kept && (side > 0 ? c > at : c < at);
          if (!kept && labels.at<int>(y, c) == l) bin.at<uchar>(y, c) = 0;
        }
      masked = true;
    }
    if (masked) n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8, CV_32S);
  }
  std::vector<Piece> pieces;
  for (int l = 1; l < n; ++l) {
    const cv::Rect r(stats.at<int>(l, cv::CC_STAT_LEFT), stats.at<int>(l, cv::CC_STAT_TOP),
                     stats.at<int>(l, cv::CC_STAT_WIDTH), stats.at<int>(l, cv::CC_STAT_HEIGHT));
    const int area = stats.at<int>(l, cv::CC_STAT_AREA);
    if (area < 0.01 * H * H) continue;                              // a speck
    if (r.height < 0.3 * H && r.width < 0.3 * H) continue;           // a leader's dot, a comma
    if (r.height < 0.15 * H && r.width > 1.5 * H) continue;          // a rule or a leader's dashes
    if (gap_to > gap_from) {
      // Beside the slot are the printed words: a mark mostly out of the gap is a letter of
      // theirs; one that is half in joins the handwriting to them, and cutting it would read
      // part of a number.
      const int in = std::min(r.x + r.width, gap_to) - std::max(r.x, gap_from);
      const double tol = 0.1 * H;
      const bool inside = r.x >= gap_from - tol && r.x + r.width <= gap_to + tol;
      if (!inside && in < 0.35 * r.width) continue;
      if (!inside) return out.why_not = "the handwriting touches the printed words", out;
    }
    pieces.push_back({r, {l}});
  }
  // A rule of the line above or below (a header's underline) reaching into the band: thin,
  // long, and outside the digits' height. A 7's bar or a 5's flag lies within it.
  int main_top = INT_MAX, main_bottom = -1;
  for (const Piece& p : pieces)
    if (p.box.height >= 0.5 * H) main_top = std::min(main_top, p.box.y), main_bottom = std::max(main_bottom, p.box.y + p.box.height);
  std::erase_if(pieces, [&](const Piece& p) {
    const int mid = p.box.y + p.box.height / 2;
    return p.box.height < 0.2 * H && p.box.width > 3 * p.box.height && (mid < main_top || mid > main_bottom);
  });
  std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) { return a.box.x < b.box.x; });
  // Strokes of one digit the pen lifted between (a 7's bar, a broken 4): overlapping columns.
  std::vector<Piece> merged;
  for (Piece& p : pieces) {
    if (!merged.empty()) {
      Piece& q = merged.back();
      const int ov = std::min(q.box.x + q.box.width, p.box.x + p.box.width) - std::max(q.box.x, p.box.x);
      const bool small = std::max(p.box.width, p.box.height) < 0.45 * H || std::max(q.box.width, q.box.height) < 0.45 * H;
      if (ov >= 0.4 * std::min(q.box.width, p.box.width) || (small && ov > -0.1 * H)) {
        q.box |= p.box;
        q.labels.insert(q.labels.end(), p.labels.begin(), p.labels.end());
        continue;
      }
    }
    merged.push_back(std::move(p));
  }
  if (merged.empty()) return out.why_not = "no ink in the slot", out;
  // Digits that touch: a piece much wider than tall is cut in two. First by reading: the cut
  // whose two sides are both surely digits (touching digits slant, and a felt pen joins them
  // over several columns). Otherwise where it has least ink, and each side is read as it is.
  std::vector<Piece> digits;
  for (Piece& p : merged) {
    std::vector<Piece> todo{p};
    while (!todo.empty()) {
      Piece q = todo.back();
      todo.pop_back();
      cv::Rect r;
      if (ink_of(q, labels, &r).empty()) continue;
      const int from = r.x, to = r.x + r.width;
      const int w = to - from;
      if (w > 1.1 * r.height && static_cast<int>(digits.size() + todo.size()) + 2 <= max_digits) {
        bool ambiguous = false;
        if (auto two = cut_by_reading(q, labels, H, m, ambiguous)) {
          todo.push_back(two->second);
          todo.push_back(two->first);
          continue;
        }
        if (ambiguous) return out.why_not = "touching digits that read differently as they are cut", out;
        int best = -1;
        long least = -1;
        for (int x = from + w * 3 / 10; x < from + w * 7 / 10; ++x) {
          long ink = 0;
          for (int y = q.box.y; y < q.box.y + q.box.height; ++y) {
            const int l = labels.at<int>(y, x);
            ink += l > 0 && q.keeps(x, y) && std::find(q.labels.begin(), q.labels.end(), l) != q.labels.end();
          }
          if (least < 0 || ink < least) least = ink, best = x;
        }
        if (best > from) {
          Piece right = q, left = q;
          left.right = Cut{static_cast<double>(best), 0, 0};
          right.left = Cut{static_cast<double>(best), 0, 0};
          todo.push_back(right);
          todo.push_back(left);
          continue;
        }
      }
      digits.push_back(q);
    }
  }
  if (static_cast<int>(digits.size()) > max_digits)
    return out.why_not = std::to_string(digits.size()) + " marks in the slot, more than " + std::to_string(max_digits) + " digits", out;
  double min_p = 1;
  std::string text;
  for (const Piece& d : digits) {
    const cv::Mat ink = ink_of(d, labels);
    if (ink.empty()) return out.why_not = "no ink in the slot", out;
    if (ink.rows < 0.4 * H || ink.rows > 2.5 * H)
      return out.why_not = "a mark of " + std::to_string(ink.rows) + " px in a line of " + std::to_string(line_height) + " px", out;
    const std::array<double, kClasses> p = m.probabilities(ink);
    const int best = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
    char buf[96];
    if (best == kReject) {
      std::snprintf(buf, sizeof buf, "a mark that is not a digit (p=%.2f)", p[kReject]);
      return out.why_not = buf, out;
    }
    if (p[best] < kMinDigitP) {
      std::snprintf(buf, sizeof buf, "a digit read as %d only with p=%.2f", best, p[best]);
      return out.why_not = buf, out;
    }
    min_p = std::min(min_p, p[best]);
    text += static_cast<char>('0' + best);
    cv::Rect r;
    ink_of(d, labels, &r);
    out.boxes.push_back({r.x, r.y, r.width, r.height});
  }
  out.text = text;
  out.min_p = min_p;
  return out;
}

namespace {

struct Anchor {
  const OcrWord* word;
  double from, to;  // the share of the word's width (0-1) the printed part ends / starts at
};

/// Where the printed part of a word stops (`end`) or starts, from a folded position: OCR may have
/// glued the handwriting to the printed word ("ngày2O"); letters are taken as equally wide.
double share(const std::string& folded, size_t pos) {
  return folded.empty() ? 0 : std::clamp(static_cast<double>(pos) / folded.size(), 0.0, 1.0);
}

std::optional<HandwrittenSlot> read_gap(const std::string& slot, const OcrWord& a, double a_end, const OcrWord& b,
                                        double b_start, const Image& color, const DigitModel& m, int max_digits) {
  const int x0 = a.box.x + static_cast<int>(std::lround(a.box.w * a_end));
  const int x1 = b.box.x + static_cast<int>(std::lround(b.box.w * b_start));
  const int top = std::min(a.box.y, b.box.y), bottom = std::max(a.box.y + a.box.h, b.box.y + b.box.h);
  const int H = bottom - top;
  if (H <= 4 || x1 - x0 < H / 3) return std::nullopt;  // no room for a handwritten part
  // The pen goes above and below the printed line: read a taller band.
  const int y0 = std::max(0, top - H / 2), y1 = std::min(color.height(), bottom + H / 2);
  // The printed words' edges are in the crop, to tell their letters from the handwriting.
  const int rx0 = std::max(0, x0 - H), rx1 = std::min(color.width(), x1 + H);
  if (rx1 - rx0 < 4 || y1 - y0 < 4) return std::nullopt;
  BOX* clip = boxCreate(rx0, y0, rx1 - rx0, y1 - y0);
  Image part(pixClipRectangle(color.get(), clip, nullptr));
  boxDestroy(&clip);
  if (!part) return std::nullopt;
  const cv::Mat grey = gray_to_mat(to_gray8(part));
  const Digits d = read_digits(grey, H, max_digits, m, x0 - rx0, x1 - rx0);
  HandwrittenSlot s;
  s.slot = slot;
  s.digits = d.text;
  s.min_p = d.min_p;
  s.why_not = d.why_not;
  s.box = {x0, y0, x1 - x0, y1 - y0};
  if (!d.boxes.empty()) {
    Box u;
    for (const Box& b2 : d.boxes) u = unite(u, {b2.x + rx0, b2.y + y0, b2.w, b2.h});
    s.box = u;
  }
  return s;
}

}  // namespace

std::vector<HandwrittenSlot> read_slots(const OcrResult& ocr, const Image& color, const DigitModel& m) {
  std::vector<HandwrittenSlot> out;
  if (m.empty() || !color) return out;
  std::vector<const OcrWord*> words;
  for (const OcrWord& w : ocr.words) words.push_back(&w);
  std::sort(words.begin(), words.end(), [](const OcrWord* a, const OcrWord* b) { return a->box.y < b->box.y; });
  std::vector<std::string> folded;
  for (const OcrWord* w : words) folded.push_back(text::fold(w->text));
  // The words after words[k] on its line, left to right: by their boxes, since OCR may split a
  // line where a large handwritten mark stands in it.
  auto next_on_line = [&](size_t k) {
    const Box& a = words[k]->box;
    std::vector<size_t> out;
    for (size_t j = 0; j < words.size(); ++j) {
      const Box& b = words[j]->box;
      const int mid = b.y + b.h / 2;
      if (j != k && b.x > a.x && mid > a.y && mid < a.y + a.h && b.x < a.x + a.w + 12 * a.h) out.push_back(j);
    }
    std::sort(out.begin(), out.end(), [&](size_t x, size_t y) { return words[x]->box.x < words[y]->box.x; });
    if (out.size() > 3) out.resize(3);
    out.insert(out.begin(), k);  // the slot can be inside the word itself ("ngày20tháng")
    return out;
  };
  // OCR read the slot's value in print or in a clear hand ("1135/TB-BTP", "ngày 09 tháng"): the
  // digits in the word's own text between the slot's ends, or a word of digits between them.
  // A number up to `most` in digits alone: OCR's "80" for a handwritten 20 is no day it read.
  auto number_to = [](const std::string& s, int most) {
    if (s.empty() || s.size() > 4 || !std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return false;
    const int n = std::stoi(s);
    return n >= 1 && n <= most;
  };
  auto read_by_ocr = [&](const std::vector<size_t>& line, size_t j, size_t from, size_t to, int most) {
    if (j == line.front()) return number_to(text::trim(folded[j].substr(from, to - from)), most);
    for (size_t i = 1; i < line.size() && line[i] != j; ++i)
      if (number_to(text::trim(folded[line[i]]), most)) return true;
    return to > 0 && number_to(text::trim(folded[j].substr(0, to)), most);
  };
  // The slot from the end of words[k]'s `head_end` letters to the next word `tail` on the line
  // ("ngày" to "tháng", "tháng" to "năm"), read when OCR did not read a number up to `most` there.
  auto read_date_part = [&](size_t k, size_t head_end, const char* tail, int most, const char* slot) {
    const std::vector<size_t> line = next_on_line(k);
    for (size_t j : line) {
      const size_t t = folded[j].find(tail, j == k ? head_end : 0);
      if (t == std::string::npos) continue;
      if (read_by_ocr(line, j, head_end, t, most)) return false;
      double a_end = share(folded[k], head_end);
      const Box &a = words[k]->box, &b = words[j]->box;
      if (j != k && a.x + a.w > b.x && !folded[j].empty()) {
        // OCR stretched the printed word's box over the handwriting beside it: the printed word
        // ends where its letters would, at the next word's width a letter.
        a_end = std::min(1.0, head_end * 1.1 * b.w / folded[j].size() / std::max(1, a.w));
      }
      auto s = read_gap(slot, *words[k], a_end, *words[j], share(folded[j], t), color, m, 2);
      if (s) out.push_back(*s);
      return s.has_value();
    }
    return false;
  };
  // The first number slot on the page: the header's. Day and month slots are read on every line
  // that has one (a form's date is at its foot, below "Ngày tám, tháng năm…" in words);
  // extraction takes the one on the date's line.
  bool number = false;
  int days = 0, months = 0;
  for (size_t k = 0; k < words.size() && !(number && days >= 4 && months >= 4); ++k) {
    const std::string& f = folded[k];
    // "Số:" then "/CT-UBND" (or "07/CT-UBND" read whole).
    if (!number && (f.rfind("so:", 0) == 0 || f.rfind("so.", 0) == 0) && words[k]->text[0] == 'S') {
      const std::vector<size_t> line = next_on_line(k);
      for (size_t j : line) {
        const size_t from = j == k ? 3 : 0;
        const size_t slash = folded[j].find('/', from);
        if (slash == std::string::npos || slash + 1 >= folded[j].size() || !std::isalpha(static_cast<unsigned char>(folded[j][slash + 1])))
          continue;
        if (slash - from > 4) break;  // a printed number, not a slot
        if (read_by_ocr(line, j, from, slash, 9999)) {
          number = true;
          break;
        }
        if (auto s = read_gap("so", *words[k], share(f, 3), *words[j], share(folded[j], slash), color, m, 4)) {
          out.push_back(*s);
          number = true;
        }
        break;
      }
    }
    // "ngày" then "tháng" (or "ngày20tháng" read as one word), and "tháng" then "năm": the day and
    // the month of a date, either of which a pen may fill in.
    const size_t ng = f.find("ngay");
    // "Ngày, tháng, năm sinh:" is a label, not a slot: it would take the page's one day slot.
    if (days < 4 && ng != std::string::npos && ng + 4 <= 6 && f.compare(ng + 4, 1, ",") != 0 &&
        read_date_part(k, ng + 4, "thang", 31, "ngay"))
      ++days;
    const size_t th = f.find("thang");
    if (months < 4 && th != std::string::npos && th <= 4 && f.compare(th + 5, 1, ",") != 0 &&
        read_date_part(k, th + 5, "nam", 12, "thang"))
      ++months;
  }
  return out;
}

}  // namespace sohoa::handwriting
