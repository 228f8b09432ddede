#include "prepare/photo.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace sohoa::prepare {
namespace {
constexpr int kSearchSide = 800;         // outline search on a picture this long: ~5 ms, corners within a pixel or two
constexpr double kMinSheetShare = 0.25;  // a sheet smaller than this share of the picture is not "the page"
constexpr double kMaxSheetShare = 0.97;  // above it the paper fills the picture: nothing to cut
constexpr double kMinQuadFill = 0.92;    // sheet area over its quadrilateral's: four straight edges
constexpr int kMinContrast = 35;         // paper above its surround, grey levels
}  // namespace

PageOutline find_page_outline(const Image& gray8) {
  PageOutline out;
  const int w = gray8.width(), h = gray8.height();
  if (w < 64 || h < 64) return out;
  const double f = std::min(1.0, static_cast<double>(kSearchSide) / std::max(w, h));
  Image small_pix(f < 1 ? pixScaleAreaMap(gray8.get(), static_cast<float>(f), static_cast<float>(f)) : pixClone(gray8.get()));
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
  out.found = true;
  return out;
}

Image rectify_page(const Image& img, const PageOutline& outline) {
  if (!outline.found) return img.clone();
  const auto& c = outline.corners;
  auto edge = [&](int a, int b) { return std::hypot(c[2 * a] - c[2 * b], c[2 * a + 1] - c[2 * b + 1]); };
  const int w = static_cast<int>(std::lround(std::max(edge(0, 1), edge(3, 2))));
  const int h = static_cast<int>(std::lround(std::max(edge(0, 3), edge(1, 2))));
  if (w < 16 || h < 16) return img.clone();
  // Leptonica maps the destination points back to the source: ptad are where the corners go.
  PTA* src = ptaCreate(4);
  PTA* dst = ptaCreate(4);
  const double to[8] = {0, 0, w - 1.0, 0, w - 1.0, h - 1.0, 0, h - 1.0};
  for (int i = 0; i < 4; ++i) {
    ptaAddPt(src, static_cast<float>(c[2 * i]), static_cast<float>(c[2 * i + 1]));
    ptaAddPt(dst, static_cast<float>(to[2 * i]), static_cast<float>(to[2 * i + 1]));
  }
  // The warp writes into a picture the size of the source; a sheet squared up can be larger.
  Image canvas(pixCreate(std::max(w, img.width()), std::max(h, img.height()), img.depth()));
  Image placed(img.depth() == 32 || img.depth() == 8 ? pixCopy(nullptr, img.get()) : pixConvertTo8(img.get(), 0));
  PIX* big = nullptr;
  if (canvas && placed) {
    if (placed.depth() != canvas.depth()) canvas = Image(pixCreate(canvas.width(), canvas.height(), placed.depth()));
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

}  // namespace sohoa::prepare
