#include "prepare/photo.h"

#include "prepare/clean.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <opencv2/imgproc.hpp>
#include <utility>
#include <vector>

namespace sohoa::prepare {
namespace {
constexpr int kSearchSide = 800;         // outline search on a picture this long: ~5 ms, corners within a pixel or two
constexpr double kMinSheetShare = 0.25;  // a sheet smaller than this share of the picture is not "the page"
constexpr double kMaxSheetShare = 0.97;  // above it the paper fills the picture: nothing to cut
constexpr double kMinQuadFill = 0.92;    // sheet area over its quadrilateral's: four straight edges
constexpr int kMinSheetStep = 35;        // paper above the band around it, grey levels (medians)
constexpr int kMinSheetOnSheetStep = 12; // ...or above the sheet it lies on
constexpr double kMinTableShare = 0.1;   // saturated pixels this share of a picture: a coloured table
constexpr int kPaperSaturation = 45;     // saturation (0-255) a paper pixel may show above the paper's tint
constexpr double kMinEdgeSupport = 0.75; // share of every edge where the sheet visibly ends
constexpr int kMaxTextCuts = 4;          // letters or words an edge may cut before the outline is refused
constexpr double kInnerEdgeFrom = 20;      // sampled pixels in from an outline where another edge may run
constexpr double kInnerEdgeShare = 0.45;   // ...up to this share of the sheet's extent (half under another)
constexpr double kInnerEdgeSupport = 0.7;  // share of its length where it must show a step, on one line
constexpr int kMinTextOutside = 12;      // letter-like marks just beyond an edge that put the outline in doubt
constexpr double kMinOtherSheetShare = 0.03;  // paper elsewhere in view this large is another sheet
constexpr double kSquareCornerShare = 0.004;  // corners this close (of the picture's size) to a box: a square sheet
constexpr int kMinModelLines = 6;        // long text lines needed for a model (Leptonica: 15, for books)
constexpr double kMinSagPx = 3;          // bow a line must show to be worth a resampling
constexpr double kMinCurvatureT = 4;     // lines' mean curvature over its standard error
// A line's stray from level worth a local resampling: half a letter's height. A flat page's
// lines stray up to a third of one by fit noise (a 9 px screenshot of a form with dotted
// leaders: 4 px); a lifted corner's, two to five letters.
constexpr double kMinLocalShiftGlyphs = 0.5;
constexpr int kMinLocalLines = 4;        // lines a local model needs
constexpr double kMaxLineFitRms = 0.25;  // a line's ink centres this far (rms, letter heights) from its quadratic: not a text line

/// The box around four corners (x, y pairs: top-left, top-right, bottom-right, bottom-left):
/// left, top, right, bottom.
std::array<double, 4> corner_box(const std::array<double, 8>& c) {
  return {std::min(c[0], c[6]), std::min(c[1], c[3]), std::max(c[2], c[4]), std::max(c[5], c[7])};
}
}  // namespace

namespace {
bool fit_across_lines(const std::vector<double>& y, const std::vector<double>& v, double& a, double& b);
using Quad = std::array<cv::Point2d, 4>;  // top-left, top-right, bottom-right, bottom-left

double quad_area(const Quad& q) {
  double a = 0;
  for (int i = 0; i < 4; ++i) a += q[i].x * q[(i + 1) % 4].y - q[(i + 1) % 4].x * q[i].y;
  return std::abs(a) / 2;
}

bool quad_convex(const Quad& q) {
  int sign = 0;
  for (int i = 0; i < 4; ++i) {
    const cv::Point2d a = q[(i + 1) % 4] - q[i], b = q[(i + 2) % 4] - q[(i + 1) % 4];
    const double z = a.x * b.y - a.y * b.x;
    if (std::abs(z) < 1e-9) return false;
    const int s = z > 0 ? 1 : -1;
    if (sign && s != sign) return false;
    sign = s;
  }
  return true;
}

/// Corners in order: top-left has the smallest x+y, bottom-right the largest; top-right the
/// smallest y-x, bottom-left the largest.
Quad order_corners(const std::vector<cv::Point2d>& pts) {
  auto pick = [&](auto key, bool smallest) {
    return *std::min_element(pts.begin(), pts.end(), [&](const cv::Point2d& a, const cv::Point2d& b) {
      return smallest ? key(a) < key(b) : key(a) > key(b);
    });
  };
  return {pick([](const cv::Point2d& p) { return p.x + p.y; }, true), pick([](const cv::Point2d& p) { return p.y - p.x; }, true),
          pick([](const cv::Point2d& p) { return p.x + p.y; }, false), pick([](const cv::Point2d& p) { return p.y - p.x; }, false)};
}

std::vector<cv::Point> as_points(const Quad& q) {
  std::vector<cv::Point> v;
  for (const auto& p : q) v.emplace_back(static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y)));
  return v;
}

/// What the outline search sees of the picture, at its sampled size.
struct Scene {
  cv::Mat gray;    // sampled grey
  cv::Mat closed;  // grey with text and thin lines closed over: the tone of paper and table
  cv::Mat paper;   // 255 where paper: bright and (colour pictures) unsaturated
};

/// Share of an edge's length where the sheet visibly ends: outside the paper mask, a step
/// down in tone to what lies outside (a table, or the sheet underneath in its shadow), or the
/// picture's border (nothing lies beyond it to lose).
double edge_support(const Scene& s, const Quad& q, int i, int slack = 12) {
  const cv::Point2d a = q[i], b = q[(i + 1) % 4];
  const cv::Point2d centre = (q[0] + q[1] + q[2] + q[3]) * 0.25;
  const cv::Point2d d = b - a;
  const double len = std::hypot(d.x, d.y);
  if (len < 1) return 0;
  cv::Point2d n(d.y / len, -d.x / len);
  const cv::Point2d mid = (a + b) * 0.5;
  if ((mid - centre).dot(n) < 0) n = -n;  // outward
  constexpr int kSamples = 40;
  constexpr int kReach = 4;       // sampled pixels either side of the step
  const int kSlack = slack;       // how far a curled or bowed edge may stray from the straight one
  constexpr int kMinStep = 10;    // grey levels from the sheet down to its surround
  auto inside_picture = [&](const cv::Point& p) { return p.x >= 0 && p.y >= 0 && p.x < s.gray.cols && p.y < s.gray.rows; };
  int supported = 0;
  for (int k = 0; k < kSamples; ++k) {
    const double t = 0.1 + 0.8 * k / (kSamples - 1.0);
    const cv::Point2d p = a + d * t;
    // The sheet ends somewhere near the line: paper just inside, and just outside the table,
    // a step down in tone, or the picture's border.
    for (int off = -kSlack; off <= kSlack; off += 2) {
      const cv::Point2d in = p + n * (off - kReach), out = p + n * (off + kReach);
      const cv::Point pi(static_cast<int>(in.x), static_cast<int>(in.y)), po(static_cast<int>(out.x), static_cast<int>(out.y));
      if (!inside_picture(pi) || !s.paper.at<uchar>(pi)) continue;
      if (!inside_picture(po) || !s.paper.at<uchar>(po) || s.closed.at<uchar>(pi) - s.closed.at<uchar>(po) >= kMinStep) {
        ++supported;
        break;
      }
    }
  }
  return static_cast<double>(supported) / kSamples;
}

/// A sheet lying partly on another makes one region of paper with it, and an outline round
/// both. Where a line parallel to an edge, further in, shows a step down along nearly its whole
/// length (the upper sheet's edge and its shadow on the one beneath), the sheet ends there: the
/// edge moves in to it.
Quad inner_edges(const Scene& s, Quad q) {
  constexpr int kSamples = 40, kMinStep = 10;
  auto inside_picture = [&](const cv::Point2d& p) { return p.x >= 0 && p.y >= 0 && p.x < s.gray.cols && p.y < s.gray.rows; };
  for (int e = 0; e < 4; ++e) {
    const cv::Point2d a = q[e], b = q[(e + 1) % 4], d = b - a;
    const double len = std::hypot(d.x, d.y);
    if (len < 1) continue;
    const cv::Point2d centre = (q[0] + q[1] + q[2] + q[3]) * 0.25;
    cv::Point2d n(d.y / len, -d.x / len);
    if (((a + b) * 0.5 - centre).dot(n) < 0) n = -n;  // outward
    const double extent = std::abs((centre - a).dot(n)) * 2;
    // Along the edge, the first step in from it (paper inside, darker beyond), if any.
    std::vector<double> ts, offs;
    for (int k = 0; k < kSamples; ++k) {
      const double t = 0.1 + 0.8 * k / (kSamples - 1.0);
      const cv::Point2d p = a + d * t;
      for (double off = kInnerEdgeFrom; off <= kInnerEdgeShare * extent; off += 1) {
        // A step that lasts: paper for a while on the inner side, darker for a while beyond
        // (the text of the sheet beneath is thin; the shadowed sheet is not).
        int in_min = 255, out_max = 0;
        bool paper_in = true, seen = true;
        for (const int r : {2, 6, 10}) {
          const cv::Point2d in = p - n * (off + r), out = p - n * (off - r);
          if (!inside_picture(in) || !inside_picture(out)) {
            seen = false;
            break;
          }
          const cv::Point pi(static_cast<int>(in.x), static_cast<int>(in.y)), po(static_cast<int>(out.x), static_cast<int>(out.y));
          paper_in = paper_in && s.paper.at<uchar>(pi);
          in_min = std::min<int>(in_min, s.closed.at<uchar>(pi));
          out_max = std::max<int>(out_max, s.closed.at<uchar>(po));
        }
        if (seen && paper_in && in_min - out_max >= kMinStep) {
          ts.push_back(t);
          offs.push_back(off);
          break;
        }
      }
    }
    if (ts.size() < kInnerEdgeSupport * kSamples) continue;
    // A straight edge: the steps on one line (the sheet may lean against the outline).
    double c0 = 0, c1 = 0;
    if (!fit_across_lines(ts, offs, c0, c1)) continue;
    int on_line = 0;
    for (size_t i = 0; i < ts.size(); ++i) on_line += std::abs(offs[i] - (c0 + c1 * ts[i])) <= 3;
    if (on_line < kInnerEdgeSupport * kSamples) continue;
    q[e] = a - n * c0;
    q[(e + 1) % 4] = b - n * (c0 + c1);
  }
  return q;
}

/// Letter- and word-sized ink that a quadrilateral's edges cut in two (a true sheet edge has
/// paper margin inside and nothing of its text outside, so it cuts nothing), and the most
/// letter-like marks in the band just outside one edge (text beyond the outline: paper the
/// outline left out, in a shadow, or another sheet).
struct TextAtEdges {
  int cut = 0;
  int outside = 0;
};
TextAtEdges text_at_edges(const cv::Mat& gray, const Quad& q) {
  cv::Mat ink;
  cv::adaptiveThreshold(gray, ink, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, 15, 18);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  const double word = 0.08 * std::max(gray.cols, gray.rows);
  TextAtEdges worst;
  constexpr double kBand = 25;  // sampled pixels beyond the edge that count as just outside
  for (int e = 0; e < 4; ++e) {
    const cv::Point2d a = q[e], b = q[(e + 1) % 4], d = b - a;
    const double len = std::hypot(d.x, d.y);
    if (len < 1) continue;
    const cv::Point2d u = d / len, nrm(u.y, -u.x);
    const cv::Point2d centre = (q[0] + q[1] + q[2] + q[3]) * 0.25;
    const double outward = (centre - a).dot(nrm) < 0 ? 1 : -1;
    int cuts = 0, outside_marks = 0;
    for (int c = 1; c < n; ++c) {
      const int bx = stats.at<int>(c, cv::CC_STAT_LEFT), by = stats.at<int>(c, cv::CC_STAT_TOP);
      const int bw = stats.at<int>(c, cv::CC_STAT_WIDTH), bh = stats.at<int>(c, cv::CC_STAT_HEIGHT);
      if (std::max(bw, bh) > word || std::max(bw, bh) < 3 || stats.at<int>(c, cv::CC_STAT_AREA) < 4) continue;
      const cv::Point2d cc(bx + bw / 2.0, by + bh / 2.0);
      const double along = (cc - a).dot(u), across = (cc - a).dot(nrm);
      if (along < 0 || along > len) continue;
      // Letters and words, not a table's grain (long thin streaks).
      const double beyond = across * outward;
      if (beyond > 3 && beyond < kBand && std::max(bw, bh) <= 6 * std::min(bw, bh)) ++outside_marks;
      if (std::abs(across) > std::max(bw, bh)) continue;
      int inside = 0, outside = 0;
      for (int y = by; y < by + bh; ++y)
        for (int x = bx; x < bx + bw; ++x) {
          if (labels.at<int>(y, x) != c) continue;
          const double s = (cv::Point2d(x, y) - a).dot(nrm);
          inside += s < -1.5, outside += s > 1.5;
        }
      if (inside >= 3 && outside >= 3) ++cuts;
    }
    worst.cut = std::max(worst.cut, cuts);
    worst.outside = std::max(worst.outside, outside_marks);
  }
  return worst;
}

/// The four-sided sheets a paper region can hold. A lone sheet: its hull reduced to four
/// corners. Sheets that touch or overlap make one region with more corners: every quadrilateral
/// the lines of its long straight edges enclose (the sheet in front among them, its edge over
/// the sheet beneath seen as a step in tone, checked later).
std::vector<Quad> quads_of(const std::vector<cv::Point>& contour, const cv::Size& size) {
  std::vector<Quad> out;
  std::vector<cv::Point> hull, approx;
  cv::convexHull(contour, hull);
  const double perimeter = cv::arcLength(hull, true);
  for (double eps = 0.01; eps <= 0.08 && approx.size() != 4; eps += 0.005) cv::approxPolyDP(hull, approx, eps * perimeter, true);
  if (approx.size() == 4 && cv::isContourConvex(approx) && cv::contourArea(contour) >= kMinQuadFill * cv::contourArea(approx)) {
    std::vector<cv::Point2d> pts(approx.begin(), approx.end());
    out.push_back(order_corners(pts));
    return out;
  }
  std::vector<cv::Point> poly;
  cv::approxPolyDP(contour, poly, 0.006 * cv::arcLength(contour, true), true);
  struct Line {
    cv::Point2d p, d;
    double len;
  };
  std::vector<Line> horizontal, vertical;
  const double min_len = 0.12 * std::min(size.width, size.height);
  for (size_t i = 0; i < poly.size(); ++i) {
    const cv::Point2d a = poly[i], b = poly[(i + 1) % poly.size()];
    const cv::Point2d d = b - a;
    const double len = std::hypot(d.x, d.y);
    if (len < min_len) continue;
    (std::abs(d.x) >= std::abs(d.y) ? horizontal : vertical).push_back({a, d / len, len});
  }
  auto longest = [](std::vector<Line>& v) {
    std::sort(v.begin(), v.end(), [](const Line& a, const Line& b) { return a.len > b.len; });
    if (v.size() > 6) v.resize(6);
  };
  longest(horizontal);
  longest(vertical);
  auto meet = [](const Line& l, const Line& m, cv::Point2d& at) {
    const double den = l.d.x * m.d.y - l.d.y * m.d.x;
    if (std::abs(den) < 1e-6) return false;
    const cv::Point2d w = m.p - l.p;
    at = l.p + l.d * ((w.x * m.d.y - w.y * m.d.x) / den);
    return true;
  };
  const double margin = 0.02 * std::max(size.width, size.height);
  for (size_t h1 = 0; h1 < horizontal.size(); ++h1)
    for (size_t h2 = h1 + 1; h2 < horizontal.size(); ++h2)
      for (size_t v1 = 0; v1 < vertical.size(); ++v1)
        for (size_t v2 = v1 + 1; v2 < vertical.size(); ++v2) {
          std::vector<cv::Point2d> pts(4);
          if (!meet(horizontal[h1], vertical[v1], pts[0]) || !meet(horizontal[h1], vertical[v2], pts[1]) ||
              !meet(horizontal[h2], vertical[v2], pts[2]) || !meet(horizontal[h2], vertical[v1], pts[3]))
            continue;
          bool inside = true;
          for (const auto& p : pts)
            inside = inside && p.x >= -margin && p.y >= -margin && p.x <= size.width + margin && p.y <= size.height + margin;
          const Quad q = order_corners(pts);
          if (inside && quad_convex(q)) out.push_back(q);
        }
  return out;
}
}  // namespace

PageOutline find_page_outline(const Image& img) {
  PageOutline out;
  const int w = img.width(), h = img.height();
  if (w < 64 || h < 64) return out;
  const double f = std::min(1.0, static_cast<double>(kSearchSide) / std::max(w, h));
  // Sampling, not area mapping: ~5x cheaper on a full page (this runs on every page), and the
  // blur below smooths what sampling leaves.
  Image small_pix(f < 1 ? pixScaleBySampling(img.get(), static_cast<float>(f), static_cast<float>(f)) : pixClone(img.get()));
  if (!small_pix) return out;
  Scene scene;
  scene.gray = gray_to_mat(to_gray8(small_pix));
  cv::Mat blurred;
  cv::GaussianBlur(scene.gray, blurred, cv::Size(5, 5), 0);
  const double otsu = cv::threshold(blurred, scene.paper, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  if (small_pix.depth() == 32) {
    // Paper is unsaturated; wood, a coloured cloth or a desk's laminate is not, whatever its
    // brightness. The paper's own tint (a warm lamp) is what the bright pixels mostly share:
    // a pixel counts as paper when its saturation stays within kPaperSaturation of the lower
    // quartile of the bright pixels'.
    const cv::Mat rgba(small_pix.height(), small_pix.width(), CV_8UC4, pixGetData(small_pix.get()), pixGetWpl(small_pix.get()) * 4);
    cv::Mat sat(rgba.size(), CV_8U);
    int hist[256] = {0}, bright = 0;
    for (int y = 0; y < rgba.rows; ++y) {
      const uchar* p = rgba.ptr<uchar>(y);
      const uchar* m = scene.paper.ptr<uchar>(y);
      uchar* s = sat.ptr<uchar>(y);
      for (int x = 0; x < rgba.cols; ++x, p += 4) {
        // A 32-bit Pix word is R G B and a spare byte, the spare byte first in memory on a
        // little-endian machine.
        const uchar c1 = p[1], c2 = p[2], c3 = p[3];
        const int mx = std::max({c1, c2, c3}), mn = std::min({c1, c2, c3});
        s[x] = static_cast<uchar>(mx ? (mx - mn) * 255 / mx : 0);
        if (m[x]) ++hist[s[x]], ++bright;
      }
    }
    int quartile = 0;
    for (int seen = 0; quartile < 255 && (seen += hist[quartile]) * 4 < bright; ++quartile) {}
    cv::Mat unsaturated;
    cv::threshold(sat, unsaturated, std::min(255, quartile + kPaperSaturation), 255, cv::THRESH_BINARY_INV);
    // Where the table is what is saturated, paper is whatever unsaturated stands clearly above
    // the table's tone: a sheet half in shadow stays whole, where one Otsu threshold over the
    // picture cuts its dim part off with the table.
    const int table_pixels = static_cast<int>(unsaturated.total()) - cv::countNonZero(unsaturated);
    if (table_pixels >= kMinTableShare * static_cast<double>(unsaturated.total())) {
      int table_hist[256] = {0};
      for (int y = 0; y < blurred.rows; ++y) {
        const uchar* g = blurred.ptr<uchar>(y);
        const uchar* u = unsaturated.ptr<uchar>(y);
        for (int x = 0; x < blurred.cols; ++x)
          if (!u[x]) ++table_hist[g[x]];
      }
      int table_tone = 0;
      for (int seen = 0; table_tone < 255 && (seen += table_hist[table_tone]) * 2 < table_pixels; ++table_tone) {}
      cv::Mat above;
      cv::threshold(blurred, above, std::min(otsu, static_cast<double>(table_tone + kMinSheetStep)), 255, cv::THRESH_BINARY);
      scene.paper = above;
    }
    cv::bitwise_and(scene.paper, unsaturated, scene.paper);
  }
  // Text and specks punch holes in the paper and the surround has bright flecks: close both.
  const cv::Mat k = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9));
  cv::morphologyEx(scene.paper, scene.paper, cv::MORPH_CLOSE, k);
  cv::morphologyEx(scene.paper, scene.paper, cv::MORPH_OPEN, k);
  cv::morphologyEx(blurred, scene.closed, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)));

  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(scene.paper, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  const double picture = static_cast<double>(scene.gray.cols) * scene.gray.rows;
  const cv::Point2d middle(scene.gray.cols / 2.0, scene.gray.rows / 2.0);
  const double half_diagonal = std::hypot(middle.x, middle.y);

  struct Candidate {
    Quad quad;
    double score = 0;
    size_t region = 0;
  };
  std::vector<Candidate> candidates;
  cv::Mat region_mask(scene.gray.size(), CV_8U);
  for (size_t r = 0; r < contours.size(); ++r) {
    const double area = cv::contourArea(contours[r]);
    if (area < kMinSheetShare * picture) continue;
    region_mask.setTo(0);
    cv::drawContours(region_mask, contours, static_cast<int>(r), cv::Scalar(255), cv::FILLED);
    for (const Quad& q : quads_of(contours[r], scene.gray.size())) {
      const double qa = quad_area(q);
      if (qa < kMinSheetShare * picture || qa > kMaxSheetShare * picture) continue;
      // All paper inside: a quadrilateral reaching over the table is not a sheet.
      cv::Mat in(scene.gray.size(), CV_8U, cv::Scalar(0));
      cv::fillConvexPoly(in, as_points(q), cv::Scalar(255));
      cv::bitwise_and(in, region_mask, in);
      if (cv::countNonZero(in) < kMinQuadFill * qa) continue;
      double support = 1;
      for (int e = 0; e < 4; ++e) support = std::min(support, edge_support(scene, q, e));
      if (support < kMinEdgeSupport) continue;
      // The one in front: large, whole (no corner cut off by the picture's border), central.
      bool whole = true;
      for (const auto& p : q) whole = whole && p.x > 1 && p.y > 1 && p.x < scene.gray.cols - 2 && p.y < scene.gray.rows - 2;
      const cv::Point2d centre = (q[0] + q[1] + q[2] + q[3]) * 0.25;
      const double offset = std::hypot(centre.x - middle.x, centre.y - middle.y) / half_diagonal;
      candidates.push_back({q, qa / picture * (1 - 0.5 * offset) * (whole ? 1.0 : 0.7), r});
    }
  }
  if (candidates.empty()) return out;
  const Candidate& best = *std::max_element(candidates.begin(), candidates.end(),
                                            [](const Candidate& a, const Candidate& b) { return a.score < b.score; });
  const Quad q = inner_edges(scene, best.quad);

  // Paper must stand clearly above what surrounds it (a dark table, a scanner lid, the sheet
  // beneath in its shadow), compared by medians so the text on the paper and the flecks around
  // it do not count: the surround is the band just outside the sheet.
  cv::Mat inside(scene.gray.size(), CV_8U, cv::Scalar(0)), grown, band;
  cv::fillConvexPoly(inside, as_points(q), cv::Scalar(255));
  cv::dilate(inside, grown, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(25, 25)));
  cv::bitwise_xor(grown, inside, band);
  auto median_of = [&](const cv::Mat& mask) {
    int hist[256] = {0}, n = 0;
    for (int y = 0; y < scene.gray.rows; ++y) {
      const uchar* g = scene.gray.ptr<uchar>(y);
      const uchar* m = mask.ptr<uchar>(y);
      for (int x = 0; x < scene.gray.cols; ++x)
        if (m[x]) ++hist[g[x]], ++n;
    }
    for (int v = 0, seen = 0; v < 256; ++v)
      if ((seen += hist[v]) * 2 >= n) return v;
    return 255;
  };
  out.contrast = cv::countNonZero(band) ? median_of(inside) - median_of(band) : 0;
  // Against a table the step is large; against the sheet beneath (paper too, in the front
  // sheet's shadow) it is smaller, and every edge has already shown it.
  cv::Mat band_paper;
  cv::bitwise_and(band, scene.paper, band_paper);
  const bool on_paper = cv::countNonZero(band_paper) * 2 > cv::countNonZero(band);
  if (out.contrast < (on_paper ? kMinSheetOnSheetStep : kMinSheetStep)) {
    out.rejected = "sheet edge too faint";
    return out;
  }
  const TextAtEdges text = text_at_edges(scene.gray, q);
  if (text.cut >= kMaxTextCuts) {
    out.rejected = "outline cuts through text lines";
    return out;
  }
  out.text_outside = text.outside >= kMinTextOutside;
  for (int i = 0; i < 4; ++i) {
    out.corners[2 * i] = std::clamp((q[i].x + 0.5) / f, 0.0, w - 1.0);
    out.corners[2 * i + 1] = std::clamp((q[i].y + 0.5) / f, 0.0, h - 1.0);
  }
  // Square: every corner within a sliver of the box around them (a scan's dark border); a
  // photo's sheet leans and narrows away from the camera.
  const auto [left, top, right, bottom] = corner_box(out.corners);
  const double box_corners[8] = {left, top, right, top, right, bottom, left, bottom};
  const double tolerance = kSquareCornerShare * std::max(w, h);
  out.square = true;
  for (int i = 0; i < 8; ++i) out.square = out.square && std::abs(out.corners[i] - box_corners[i]) <= tolerance;
  out.found = true;

  // What else is paper in view (other sheets, the visible part of one beneath): recorded, not read.
  cv::Mat rest;
  cv::bitwise_and(scene.paper, ~inside, rest);
  cv::morphologyEx(rest, rest, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 15)));
  std::vector<std::vector<cv::Point>> pieces;
  cv::findContours(rest, pieces, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  for (const auto& piece : pieces) {
    if (cv::contourArea(piece) < kMinOtherSheetShare * picture) continue;
    const cv::Rect b = cv::boundingRect(piece);
    out.others.push_back({static_cast<int>(b.x / f), static_cast<int>(b.y / f), static_cast<int>(b.width / f),
                          static_cast<int>(b.height / f)});
  }
  return out;
}

namespace {
/// An 8- or 32-bit Pix as a cv::Mat copy. A 32-bit word is four 8-bit channels whatever their
/// order: geometric warps treat them alike, so their order does not matter.
cv::Mat as_mat(const Image& img) {
  if (img.depth() == 8) return gray_to_mat(img);
  return cv::Mat(img.height(), img.width(), CV_8UC4, pixGetData(img.get()), pixGetWpl(img.get()) * 4).clone();
}

/// Back from as_mat(), with the resolution of `like`.
Image as_pix(const cv::Mat& mat, const Image& like) {
  Image out;
  if (mat.type() == CV_8UC1) {
    out = mat_to_gray(mat);
  } else {
    out = Image(pixCreate(mat.cols, mat.rows, 32));
    for (int y = 0; y < mat.rows; ++y)
      std::memcpy(pixGetData(out.get()) + y * pixGetWpl(out.get()), mat.ptr(y), static_cast<size_t>(mat.cols) * 4);
  }
  pixCopyResolution(out.get(), like.get());
  return out;
}
}  // namespace

Image rectify_page(const Image& img, const PageOutline& outline) {
  if (!outline.found) return img.clone();
  const auto& c = outline.corners;
  // A sheet lying square in the picture (a scan's dark border) only needs cutting out.
  if (outline.square) {
    const auto [left, top, right, bottom] = corner_box(c);
    BOX* box = boxCreate(static_cast<int>(left), static_cast<int>(top), static_cast<int>(right - left) + 1,
                         static_cast<int>(bottom - top) + 1);
    Image sheet(pixClipRectangle(img.get(), box, nullptr));
    boxDestroy(&box);
    return sheet ? std::move(sheet) : img.clone();
  }
  auto edge = [&](int a, int b) { return std::hypot(c[2 * a] - c[2 * b], c[2 * a + 1] - c[2 * b + 1]); };
  const int w = static_cast<int>(std::lround(std::max(edge(0, 1), edge(3, 2))));
  const int h = static_cast<int>(std::lround(std::max(edge(0, 3), edge(1, 2))));
  if (w < 16 || h < 16) return img.clone();
  // Leptonica's projective warp: on the photo set it read 0.3-0.7 points better than OpenCV's
  // bilinear or bicubic one. It maps the destination points back to the source (ptad are where
  // the corners go) and writes into a picture the size of the source, which a squared-up sheet
  // can outgrow.
  PTA* src = ptaCreate(4);
  PTA* dst = ptaCreate(4);
  const double to[8] = {0, 0, w - 1.0, 0, w - 1.0, h - 1.0, 0, h - 1.0};
  for (int i = 0; i < 4; ++i) {
    ptaAddPt(src, static_cast<float>(c[2 * i]), static_cast<float>(c[2 * i + 1]));
    ptaAddPt(dst, static_cast<float>(to[2 * i]), static_cast<float>(to[2 * i + 1]));
  }
  Image placed(img.depth() == 32 || img.depth() == 8 ? pixClone(img.get()) : pixConvertTo8(img.get(), 0));
  Image canvas(placed ? pixCreate(std::max(w, img.width()), std::max(h, img.height()), placed.depth()) : nullptr);
  PIX* big = nullptr;
  if (canvas) {
    pixSetAll(canvas.get());  // white (for 8 and 32 bpp, all bits set)
    pixRasterop(canvas.get(), 0, 0, placed.width(), placed.height(), PIX_SRC, placed.get(), 0, 0);
    big = pixProjectivePta(canvas.get(), dst, src, L_BRING_IN_WHITE);
  }
  ptaDestroy(&src);
  ptaDestroy(&dst);
  if (!big) return img.clone();
  BOX* box = boxCreate(0, 0, w, h);
  Image sheet(pixClipRectangle(big, box, nullptr));
  boxDestroy(&box);
  pixDestroy(&big);
  if (!sheet) return img.clone();
  pixCopyResolution(sheet.get(), img.get());
  return sheet;
}

namespace {
/// Least-squares line a + b t through (t, v); false if degenerate.
bool fit_line(const std::vector<double>& t, const std::vector<double>& v, const std::vector<bool>& keep, double& a, double& b) {
  double n = 0, st = 0, sv = 0, stt = 0, stv = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!keep[i]) continue;
    n += 1, st += t[i], sv += v[i], stt += t[i] * t[i], stv += t[i] * v[i];
  }
  const double den = n * stt - st * st;
  if (n < 2 || std::abs(den) < 1e-9) return false;
  b = (n * stv - st * sv) / den;
  a = (sv - b * st) / n;
  return true;
}

/// A coefficient as a linear function of the height on the page, lines that disagree with the
/// rest (a seal, a table rule read as a line) left out: fit, drop residuals over 3 median
/// deviations, fit again.
bool fit_across_lines(const std::vector<double>& y, const std::vector<double>& v, double& a, double& b) {
  std::vector<bool> keep(y.size(), true);
  if (!fit_line(y, v, keep, a, b)) return false;
  std::vector<double> res(y.size());
  for (size_t i = 0; i < y.size(); ++i) res[i] = std::abs(v[i] - (a + b * y[i]));
  std::vector<double> sorted = res;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const double mad = sorted[sorted.size() / 2];
  for (size_t i = 0; i < y.size(); ++i) keep[i] = res[i] <= 3 * mad + 1e-12;
  return fit_line(y, v, keep, a, b);
}

/// Remaps an 8- or 32-bit Pix: destination (x, y) takes the source at (map_x, map_y) there.
Image remap_image(const Image& img, const cv::Mat& map_x, const cv::Mat& map_y, int interpolation = cv::INTER_LINEAR) {
  if (img.depth() != 8 && img.depth() != 32) return {};
  cv::Mat dst;
  cv::remap(as_mat(img), dst, map_x, map_y, interpolation, cv::BORDER_REPLICATE);
  return as_pix(dst, img);
}

/// The page's ink by Sauvola's local threshold: a shadow across the sheet does not swallow its
/// lines. Empty on failure.
Image local_ink(const Image& gray8) {
  PIX* b = nullptr;
  if (pixSauvolaBinarizeTiled(gray8.get(), 25, 0.25f, 1, 1, nullptr, &b) != 0 || !b) return {};
  return Image(b);
}

/// Both images of the page remapped alike, in place; nothing changes when either fails.
bool remap_page(Image& color, Image& gray8, const cv::Mat& map_x, const cv::Mat& map_y, int interpolation) {
  Image g = remap_image(gray8, map_x, map_y, interpolation);
  if (!g) return false;
  // An 8-bit page is its own grey: remap it once.
  Image c = color.get() == gray8.get() ? g.clone()
            : color.depth() == 8 || color.depth() == 32 ? remap_image(color, map_x, map_y, interpolation)
                                                        : remap_image(to_gray8(color), map_x, map_y, interpolation);
  if (!c) return false;
  gray8 = std::move(g);
  color = std::move(c);
  return true;
}
}  // namespace

bool straighten_lines(Image& color, Image& gray8) {
  if (!color || !gray8 || color.width() != gray8.width() || color.height() != gray8.height()) return false;
  const int w = gray8.width(), h = gray8.height();
  const Image bin = local_ink(gray8);
  if (!bin) return false;
  // Leptonica finds the centre line of every text line; the long ones (half the longest or
  // more) each get a quadratic. Its own page model then insists on lines over 45% of the
  // picture's height, which a one-page letter or form, text in its top half, rarely has: the
  // model here is simpler and covers the whole page. Curvature and slope vary smoothly down a
  // curled or tilted sheet, so each is a linear function of the height, fitted across lines.
  PTAA* centers = dewarpGetTextlineCenters(bin.get(), 0);
  PTAA* lines = centers ? dewarpRemoveShortLines(bin.get(), centers, 0.5f, 0) : nullptr;
  ptaaDestroy(&centers);
  if (!lines) return false;
  const double xm = w / 2.0;
  std::vector<double> ys, c2s, c1s;
  for (int i = 0; i < ptaaGetCount(lines); ++i) {
    PTA* pta = ptaaGetPta(lines, i, L_CLONE);
    l_float32 c2 = 0, c1 = 0, c0 = 0;
    if (ptaGetCount(pta) >= 10 && ptaGetQuadraticLSF(pta, &c2, &c1, &c0, nullptr) == 0) {
      ys.push_back(c2 * xm * xm + c1 * xm + c0);
      // Slope about the middle column: dy/dx there is 2 c2 xm + c1.
      c2s.push_back(c2);
      c1s.push_back(2 * c2 * xm + c1);
    }
    ptaDestroy(&pta);
  }
  ptaaDestroy(&lines);
  if (static_cast<int>(ys.size()) < kMinModelLines) return false;
  double a2 = 0, b2 = 0, a1 = 0, b1 = 0;
  if (!fit_across_lines(ys, c2s, a2, b2) || !fit_across_lines(ys, c1s, a1, b1)) return false;
  // Straighten only a bow that shows and that the lines agree on: their mean curvature must
  // stand clear of its standard error (|t| >= kMinCurvatureT). Flat scans measured |t| <= 3.1
  // and sags up to 5 px from fit noise; photographed sheets |t| 4.7-14.
  double mean = 0, var = 0;
  for (double c : c2s) mean += c;
  mean /= static_cast<double>(c2s.size());
  for (double c : c2s) var += (c - mean) * (c - mean);
  const double standard_error = std::sqrt(var / static_cast<double>((c2s.size() - 1) * c2s.size()));
  if (!(std::abs(mean) >= kMinCurvatureT * standard_error)) return false;
  // The sag of a line across the page is c2 (w/2)², at the top and bottom lines of text.
  const double half = w / 2.0;
  double y_lo = ys[0], y_hi = ys[0];
  for (double y : ys) y_lo = std::min(y_lo, y), y_hi = std::max(y_hi, y);
  const double sag = std::max(std::abs(a2 + b2 * y_lo), std::abs(a2 + b2 * y_hi)) * half * half;
  if (sag < kMinSagPx) return false;
  // Each destination row y becomes the fitted line through (xm, y): straight and level.
  cv::Mat map_x(h, w, CV_32F), map_y(h, w, CV_32F);
  for (int y = 0; y < h; ++y) {
    const double c2 = a2 + b2 * y, s = a1 + b1 * y;
    float* mx = map_x.ptr<float>(y);
    float* my = map_y.ptr<float>(y);
    for (int x = 0; x < w; ++x) {
      const double dx = x - xm;
      mx[x] = static_cast<float>(x);
      my[x] = static_cast<float>(y + c2 * dx * dx + s * dx);
    }
  }
  return remap_page(color, gray8, map_x, map_y, cv::INTER_LINEAR);
}

namespace {
/// The centre line of every text line: one point a column, the middle of the line's ink there.
/// Leptonica's dewarpGetTextlineCenters closes words into lines with bricks of at least 15 and
/// 40 px and drops lines under 100 px: on a small photo (letters of 7-11 px) that joins the two
/// columns of a header and loses its short lines. Here the sizes follow the letters: ink joined
/// along the line over two letters' height (a word space, not the gap between columns), and a
/// line at least four letters long whose ink in a column stands at most two letters tall (two
/// lines run together are not a line).
PTAA* line_centres(const Image& bin, double glyph) {
  cv::Mat ink(bin.height(), bin.width(), CV_8U);
  for (int y = 0; y < bin.height(); ++y) {
    const l_uint32* row = pixGetData(bin.get()) + y * pixGetWpl(bin.get());
    uchar* m = ink.ptr<uchar>(y);
    for (int x = 0; x < bin.width(); ++x) m[x] = GET_DATA_BIT(row, x) ? 255 : 0;
  }
  cv::Mat joined, labels, stats, centroids;
  const int reach = std::max(3, static_cast<int>(std::lround(2 * glyph)));
  cv::dilate(ink, joined, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(reach, 1)));
  const int n = cv::connectedComponentsWithStats(joined, labels, stats, centroids, 8, CV_32S);
  PTAA* out = ptaaCreate(0);
  for (int c = 1; c < n; ++c) {
    const int bx = stats.at<int>(c, cv::CC_STAT_LEFT), by = stats.at<int>(c, cv::CC_STAT_TOP);
    const int bw = stats.at<int>(c, cv::CC_STAT_WIDTH), bh = stats.at<int>(c, cv::CC_STAT_HEIGHT);
    // A leaning line's box is tall; its ink in any one column is not.
    if (bw < 4 * glyph || bh < 0.5 * glyph || bh > 0.2 * ink.rows) continue;
    PTA* pta = ptaCreate(bw);
    std::vector<int> extents;
    for (int x = bx; x < bx + bw; ++x) {
      double sum = 0;
      int count = 0, top = -1, bottom = -1;
      for (int y = by; y < by + bh; ++y)
        if (labels.at<int>(y, x) == c && ink.at<uchar>(y, x)) {
          sum += y, ++count;
          if (top < 0) top = y;
          bottom = y;
        }
      if (count) {
        ptaAddPt(pta, static_cast<l_float32>(x), static_cast<l_float32>(sum / count));
        extents.push_back(bottom - top + 1);
      }
    }
    std::nth_element(extents.begin(), extents.begin() + extents.size() / 2, extents.end());
    if (extents.empty() || extents[extents.size() / 2] > 2 * glyph) {
      ptaDestroy(&pta);
      continue;
    }
    ptaaAddPta(out, pta, L_INSERT);
  }
  return out;
}
}  // namespace

void keep_rows_in_order(cv::Mat& map_y, float min_step) {
  for (int y = map_y.rows - 2; y >= 0; --y) {
    float* row = map_y.ptr<float>(y);
    const float* below = map_y.ptr<float>(y + 1);
    for (int x = 0; x < map_y.cols; ++x) row[x] = std::min(row[x], below[x] - min_step);
  }
}

LocalCurl local_dewarp(Image& color, Image& gray8) {
  LocalCurl out;
  if (!color || !gray8 || color.width() != gray8.width() || color.height() != gray8.height()) return out;
  const int w = gray8.width(), h = gray8.height();
  const Image bin = local_ink(gray8);
  if (!bin) return out;
  const double glyph = median_glyph_height(gray8);
  if (glyph <= 0) return out;
  PTAA* centers = line_centres(bin, glyph);
  if (!centers) return out;
  // Each line: its own quadratic over its own extent, and the row it is levelled to (its
  // centre's height at its middle, so a line that leans turns about its middle).
  struct Line {
    double c2, c1, c0, x0, x1, level;
  };
  std::vector<Line> lines;
  const double min_span = std::max(40.0, 0.08 * w);
  // A quadratic and the rms of the centres about it.
  auto fit = [](PTA* pta, l_float32& c2, l_float32& c1, l_float32& c0, double& rms) {
    NUMA* fitted = nullptr;
    const int n = ptaGetCount(pta);
    if (n < 10 || ptaGetQuadraticLSF(pta, &c2, &c1, &c0, &fitted) != 0) return false;
    double sq = 0;
    for (int k = 0; k < n; ++k) {
      l_float32 x, y, f = 0;
      ptaGetPt(pta, k, &x, &y);
      numaGetFValue(fitted, k, &f);
      sq += (y - f) * (y - f);
    }
    numaDestroy(&fitted);
    rms = std::sqrt(sq / n);
    return true;
  };
  // Pieces of one row (words a wide space apart, a line broken by a blot) levelled apart would
  // each turn about their own middle and leave steps along the row: a piece that continues
  // another (its start within half a letter of where the other's straight fit runs, and the
  // other way round) joins it, and the row is fitted whole.
  {
    struct Piece {
      double x0, x1, a, b;  // y = a + b x, a straight fit
      PTA* pta;
    };
    std::vector<Piece> pieces;
    for (int i = 0; i < ptaaGetCount(centers); ++i) {
      PTA* pta = ptaaGetPta(centers, i, L_CLONE);
      l_float32 x0 = 0, x1 = 0, a = 0, b = 0;
      ptaGetRange(pta, &x0, &x1, nullptr, nullptr);
      if (ptaGetCount(pta) >= 2 && ptaGetLinearLSF(pta, &b, &a, nullptr) == 0)
        pieces.push_back({x0, x1, a, b, pta});
      else
        ptaDestroy(&pta);
    }
    std::sort(pieces.begin(), pieces.end(), [](const Piece& p, const Piece& q) { return p.x0 < q.x0; });
    std::vector<bool> used(pieces.size(), false);
    PTAA* rows = ptaaCreate(0);
    for (size_t i = 0; i < pieces.size(); ++i) {
      if (used[i]) continue;
      used[i] = true;
      PTA* row = ptaCopy(pieces[i].pta);
      Piece last = pieces[i];
      for (size_t j = i + 1; j < pieces.size(); ++j) {
        if (used[j]) continue;
        const Piece& q = pieces[j];
        const double gap = q.x0 - last.x1;
        if (gap < -glyph || gap > 6 * glyph) continue;
        const double at_q = last.a + last.b * q.x0, at_last = q.a + q.b * last.x1;
        if (std::abs(at_q - (q.a + q.b * q.x0)) > 0.5 * glyph || std::abs(at_last - (last.a + last.b * last.x1)) > 0.5 * glyph)
          continue;
        used[j] = true;
        ptaJoin(row, q.pta, 0, -1);
        last = q;
      }
      ptaaAddPta(rows, row, L_INSERT);
    }
    for (Piece& p : pieces) ptaDestroy(&p.pta);
    ptaaDestroy(&centers);
    centers = rows;
  }
  for (int i = 0; i < ptaaGetCount(centers); ++i) {
    PTA* pta = ptaaGetPta(centers, i, L_CLONE);
    l_float32 c2 = 0, c1 = 0, c0 = 0, x0 = 0, x1 = 0;
    double rms = 0;
    ptaGetRange(pta, &x0, &x1, nullptr, nullptr);
    if (fit(pta, c2, c1, c0, rms)) {
      // Columns of a tall letter or a stacked diacritic pull the centre off the line: fitted
      // again without the columns more than twice the rms away (half a pixel, for a line
      // that fits exactly).
      PTA* kept = ptaCreate(ptaGetCount(pta));
      for (int k = 0; k < ptaGetCount(pta); ++k) {
        l_float32 x, y;
        ptaGetPt(pta, k, &x, &y);
        if (std::abs(y - (c2 * x * x + c1 * x + c0)) <= std::max(2 * rms, 0.5)) ptaAddPt(kept, x, y);
      }
      const bool refit = fit(kept, c2, c1, c0, rms);
      ptaDestroy(&kept);
      // Short bits (a signature, a stray mark) and what is no line of text (a seal's ring, a
      // finger's edge, two lines run together) fit no quadratic well: left out.
      const double xm = (x0 + x1) / 2;
      if (refit && x1 - x0 >= min_span && rms <= kMaxLineFitRms * glyph)
        lines.push_back({c2, c1, c0, x0, x1, c2 * xm * xm + c1 * xm + c0});
    }
    ptaDestroy(&pta);
  }
  ptaaDestroy(&centers);
  out.lines = static_cast<int>(lines.size());
  if (out.lines < kMinLocalLines) return out;
  // The spacing of lines sizes the kernel across them: a line's shift must not reach the next.
  std::vector<double> levels;
  for (const Line& l : lines) levels.push_back(l.level);
  std::sort(levels.begin(), levels.end());
  std::vector<double> gaps;
  for (size_t i = 1; i < levels.size(); ++i)
    if (levels[i] - levels[i - 1] > 3) gaps.push_back(levels[i] - levels[i - 1]);
  if (gaps.empty()) return out;
  std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
  const double spacing = gaps[gaps.size() / 2];
  const double sx = 0.05 * w, sy = std::max(2.0, 0.5 * spacing);
  // Shifts splatted on a grid of kCell pixels: sums of weights and of weighted shifts, with a
  // kernel of the line's reach and one kWide times wider. The wide one carries a line's shift on
  // beyond its ends and over empty paper, so the shift never drops to none within a letter or
  // two (which shears what stands there); near a line the narrow one rules.
  constexpr int kCell = 4;
  constexpr double kWide = 4;
  constexpr float kWideWeight = 0.01f;
  const int gw = w / kCell + 2, gh = h / kCell + 2;
  // The wide sums on a grid kWide times coarser (as smooth as its kernel), brought to the fine
  // one afterwards: a sixteenth of the work.
  const int wide_cell = static_cast<int>(kWide) * kCell;
  cv::Mat wsum(gh, gw, CV_32F, cv::Scalar(0)), dsum(gh, gw, CV_32F, cv::Scalar(0));
  cv::Mat wide_w(h / wide_cell + 2, w / wide_cell + 2, CV_32F, cv::Scalar(0)), wide_d(wide_w.size(), CV_32F, cv::Scalar(0));
  auto splat = [&](cv::Mat& ws, cv::Mat& ds, int cell, double x, double y, double d, double kx, double ky) {
    const int gx0 = std::max(0, static_cast<int>((x - 3 * kx) / cell)), gx1 = std::min(ws.cols - 1, static_cast<int>((x + 3 * kx) / cell) + 1);
    const int gy0 = std::max(0, static_cast<int>((y - 3 * ky) / cell)), gy1 = std::min(ws.rows - 1, static_cast<int>((y + 3 * ky) / cell) + 1);
    for (int gy = gy0; gy <= gy1; ++gy) {
      const double ey = (gy * cell - y) / ky;
      float* wr = ws.ptr<float>(gy);
      float* dr = ds.ptr<float>(gy);
      for (int gx = gx0; gx <= gx1; ++gx) {
        const double ex = (gx * cell - x) / kx;
        const float wt = static_cast<float>(std::exp(-(ex * ex + ey * ey)));
        wr[gx] += wt;
        dr[gx] += static_cast<float>(wt * d);
      }
    }
  };
  for (const Line& l : lines) {
    double stray = 0;
    for (double x = l.x0; x <= l.x1; x += kCell) {
      const double d = l.c2 * x * x + l.c1 * x + l.c0 - l.level;
      stray = std::max(stray, std::abs(d));
      splat(wsum, dsum, kCell, x, l.level, d, sx, sy);
      if (static_cast<int>(x - l.x0) % wide_cell == 0) splat(wide_w, wide_d, wide_cell, x, l.level, d, kWide * sx, kWide * sy);
    }
    out.max_shift_px = std::max(out.max_shift_px, stray);
  }
  if (out.max_shift_px < kMinLocalShiftGlyphs * glyph) return out;
  // Far from every line, even the wide kernel's reach, the shift fades to none (the prior).
  constexpr float kPrior = 1e-4f;
  // Node i of the coarse grid sits at pixel wide_cell * i, node j of the fine one at kCell * j.
  cv::Mat wide_wf, wide_df;
  const cv::Mat to_fine = (cv::Mat_<double>(2, 3) << 1.0 / kWide, 0, 0, 0, 1.0 / kWide, 0);
  cv::warpAffine(wide_w, wide_wf, to_fine, wsum.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
  cv::warpAffine(wide_d, wide_df, to_fine, wsum.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
  cv::Mat field = (dsum + kWideWeight * wide_df) / (wsum + kWideWeight * wide_wf + kPrior);
  // Grid node g sits at pixel g * kCell; pixels between nodes take the bilinear blend.
  cv::Mat map_x(h, w, CV_32F), map_y(h, w, CV_32F);
  for (int y = 0; y < h; ++y) {
    float* mx = map_x.ptr<float>(y);
    float* my = map_y.ptr<float>(y);
    const double gyf = static_cast<double>(y) / kCell;
    const int gy = std::min(gh - 2, static_cast<int>(gyf));
    const double fy = gyf - gy;
    const float* r0 = field.ptr<float>(gy);
    const float* r1 = field.ptr<float>(gy + 1);
    for (int x = 0; x < w; ++x) {
      const double gxf = static_cast<double>(x) / kCell;
      const int gx = std::min(gw - 2, static_cast<int>(gxf));
      const double fx = gxf - gx;
      const double d = (r0[gx] * (1 - fx) + r0[gx + 1] * fx) * (1 - fy) + (r1[gx] * (1 - fx) + r1[gx + 1] * fx) * fy;
      mx[x] = static_cast<float>(x);
      my[x] = static_cast<float>(y + d);
    }
  }
  // Above a line shifted further than its kernel reaches (a lifted corner's header near the
  // top), the shift can fall off faster than the rows go by.
  keep_rows_in_order(map_y);
  // Cubic: on letters of 7-13 px a bilinear resampling's blur cost what the levelling gained.
  out.applied = remap_page(color, gray8, map_x, map_y, cv::INTER_CUBIC);
  return out;
}

Image balance_to_paper(const Image& color) {
  if (color.depth() != 32) return color.clone();
  const int w = color.width(), h = color.height();
  // A 32-bit Pix word is four 8-bit channels whatever their order: treat them alike.
  cv::Mat src(h, w, CV_8UC4, pixGetData(color.get()), pixGetWpl(color.get()) * 4);
  // The paper's colour: the brightest nearby (ink is darker in every channel), at 1/8 scale,
  // smoothed, back to full size.
  cv::Mat small, paper;
  cv::resize(src, small, cv::Size(std::max(1, w / 8), std::max(1, h / 8)), 0, 0, cv::INTER_AREA);
  cv::dilate(small, small, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)));
  cv::GaussianBlur(small, small, cv::Size(0, 0), 4);
  cv::resize(small, paper, src.size(), 0, 0, cv::INTER_LINEAR);
  Image out(pixCreate(w, h, 32));
  if (!out) return color.clone();
  for (int y = 0; y < h; ++y) {
    const uchar* s = src.ptr<uchar>(y);
    const uchar* p = paper.ptr<uchar>(y);
    uchar* d = reinterpret_cast<uchar*>(pixGetData(out.get()) + y * pixGetWpl(out.get()));
    for (int i = 0; i < 4 * w; ++i) d[i] = static_cast<uchar>(std::min(255, s[i] * 255 / std::max<int>(p[i], 1)));
  }
  pixCopyResolution(out.get(), color.get());
  return out;
}

}  // namespace sohoa::prepare
