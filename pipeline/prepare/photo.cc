#include "prepare/photo.h"

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
constexpr int kMinContrast = 35;         // paper above its surround, grey levels
constexpr double kSquareCornerShare = 0.004;  // corners this close (of the picture's size) to a box: a square sheet
constexpr int kMinModelLines = 6;        // long text lines needed for a model (Leptonica: 15, for books)
constexpr double kMinSagPx = 3;          // bow a line must show to be worth a resampling
constexpr double kMinCurvatureT = 4;     // lines' mean curvature over its standard error

/// The box around four corners (x, y pairs: top-left, top-right, bottom-right, bottom-left):
/// left, top, right, bottom.
std::array<double, 4> corner_box(const std::array<double, 8>& c) {
  return {std::min(c[0], c[6]), std::min(c[1], c[3]), std::max(c[2], c[4]), std::max(c[5], c[7])};
}
}  // namespace

PageOutline find_page_outline(const Image& gray8) {
  PageOutline out;
  const int w = gray8.width(), h = gray8.height();
  if (w < 64 || h < 64) return out;
  const double f = std::min(1.0, static_cast<double>(kSearchSide) / std::max(w, h));
  // Sampling, not area mapping: ~5x cheaper on a full page (this runs on every page), and the
  // blur below smooths what sampling leaves.
  Image small_pix(f < 1 ? pixScaleBySampling(gray8.get(), static_cast<float>(f), static_cast<float>(f)) : pixClone(gray8.get()));
  if (!small_pix) return out;
  cv::Mat small = gray_to_mat(small_pix);
  cv::Mat blurred, bright;
  cv::GaussianBlur(small, blurred, cv::Size(5, 5), 0);
  cv::threshold(blurred, bright, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // Text and specks punch holes in the paper and the surround has bright flecks: close both.
  const cv::Mat k = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9));
  cv::morphologyEx(bright, bright, cv::MORPH_CLOSE, k);
  cv::morphologyEx(bright, bright, cv::MORPH_OPEN, k);

  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(bright, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  if (contours.empty()) return out;
  const auto largest = std::max_element(contours.begin(), contours.end(), [](const auto& a, const auto& b) {
    return cv::contourArea(a) < cv::contourArea(b);
  });
  const double area = cv::contourArea(*largest), picture = static_cast<double>(small.cols) * small.rows;
  if (area < kMinSheetShare * picture || area > kMaxSheetShare * picture) return out;

  std::vector<cv::Point> hull, quad;
  cv::convexHull(*largest, hull);
  const double perimeter = cv::arcLength(hull, true);
  for (double eps = 0.01; eps <= 0.08 && quad.size() != 4; eps += 0.005) cv::approxPolyDP(hull, quad, eps * perimeter, true);
  if (quad.size() != 4 || !cv::isContourConvex(quad)) return out;
  const double quad_area = cv::contourArea(quad);
  if (area < kMinQuadFill * quad_area) return out;

  // Paper must stand clearly above what surrounds it (a dark table, a scanner lid), compared
  // by medians so the text on the paper and the flecks around it do not count.
  cv::Mat inside(small.size(), CV_8U, cv::Scalar(0));
  cv::fillConvexPoly(inside, quad, cv::Scalar(255));
  auto median_of = [&](const cv::Mat& mask) {
    int hist[256] = {0}, n = 0;
    for (int y = 0; y < small.rows; ++y) {
      const uchar* g = small.ptr<uchar>(y);
      const uchar* m = mask.ptr<uchar>(y);
      for (int x = 0; x < small.cols; ++x)
        if (m[x]) ++hist[g[x]], ++n;
    }
    for (int v = 0, seen = 0; v < 256; ++v)
      if ((seen += hist[v]) * 2 >= n) return v;
    return 255;
  };
  cv::Mat outside;
  cv::bitwise_not(inside, outside);
  out.contrast = median_of(inside) - median_of(outside);
  if (out.contrast < kMinContrast) return out;

  // Order the corners: top-left has the smallest x+y, bottom-right the largest; top-right the
  // smallest y-x, bottom-left the largest.
  std::array<cv::Point, 4> c{};
  auto by = [&](auto key, bool smallest) {
    return *std::min_element(quad.begin(), quad.end(), [&](const cv::Point& a, const cv::Point& b) {
      return smallest ? key(a) < key(b) : key(a) > key(b);
    });
  };
  c[0] = by([](const cv::Point& p) { return p.x + p.y; }, true);
  c[1] = by([](const cv::Point& p) { return p.y - p.x; }, true);
  c[2] = by([](const cv::Point& p) { return p.x + p.y; }, false);
  c[3] = by([](const cv::Point& p) { return p.y - p.x; }, false);
  for (int i = 0; i < 4; ++i) {
    out.corners[2 * i] = std::clamp((c[i].x + 0.5) / f, 0.0, w - 1.0);
    out.corners[2 * i + 1] = std::clamp((c[i].y + 0.5) / f, 0.0, h - 1.0);
  }
  // Square: every corner within a sliver of the box around them (a scan's dark border); a
  // photo's sheet leans and narrows away from the camera.
  const auto [left, top, right, bottom] = corner_box(out.corners);
  const double box_corners[8] = {left, top, right, top, right, bottom, left, bottom};
  const double tolerance = kSquareCornerShare * std::max(w, h);
  out.square = true;
  for (int i = 0; i < 8; ++i) out.square = out.square && std::abs(out.corners[i] - box_corners[i]) <= tolerance;
  out.found = true;
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
Image remap_image(const Image& img, const cv::Mat& map_x, const cv::Mat& map_y) {
  if (img.depth() != 8 && img.depth() != 32) return {};
  cv::Mat dst;
  cv::remap(as_mat(img), dst, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return as_pix(dst, img);
}
}  // namespace

bool straighten_lines(Image& color, Image& gray8) {
  if (!color || !gray8 || color.width() != gray8.width() || color.height() != gray8.height()) return false;
  const int w = gray8.width(), h = gray8.height();
  Image bin;
  {
    PIX* b = nullptr;
    // Sauvola: local contrast, so a shadow across the sheet does not swallow its lines.
    if (pixSauvolaBinarizeTiled(gray8.get(), 25, 0.25f, 1, 1, nullptr, &b) != 0 || !b) return false;
    bin = Image(b);
  }
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
  Image g = remap_image(gray8, map_x, map_y);
  if (!g) return false;
  // An 8-bit page is its own grey: remap it once.
  Image c = color.get() == gray8.get() ? g.clone()
            : color.depth() == 8 || color.depth() == 32 ? remap_image(color, map_x, map_y)
                                                        : remap_image(to_gray8(color), map_x, map_y);
  if (!c) return false;
  gray8 = std::move(g);
  color = std::move(c);
  return true;
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
