#include "prepare/seal.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace sohoa::prepare {

std::vector<Box> find_seals(const Image& color, double dpi) {
  std::vector<Box> out;
  if (!color || dpi <= 0) return out;
  Image rgb;
  const Image* src = &color;
  if (color.depth() != 32) {
    if (!pixGetColormap(color.get())) return out;  // grey: no red to find
    rgb = to_rgb32(color);
    src = &rgb;
  }
  // A sample every ~1/75 inch: a seal's ring (1 mm or more) still shows, and a page costs little.
  const int step = std::max(1, static_cast<int>(std::lround(dpi / 75)));
  const int w = src->width() / step, h = src->height() / step;
  if (w < 10 || h < 10) return out;
  cv::Mat red(h, w, CV_8U, cv::Scalar(0));
  const l_uint32* data = pixGetData(src->get());
  const int wpl = pixGetWpl(src->get());
  for (int y = 0; y < h; ++y) {
    const l_uint32* row = data + static_cast<size_t>(y) * step * wpl;
    uchar* m = red.ptr<uchar>(y);
    for (int x = 0; x < w; ++x) {
      l_int32 r, g, b;
      extractRGBValues(row[x * step], &r, &g, &b);
      m[x] = seal_red(r, g, b) ? 255 : 0;
    }
  }
  const double px_per_mm = dpi / step / 25.4;
  // A seal's ring, star and letters are apart: joined by closing over ~2 mm.
  const int k = std::max(1, static_cast<int>(std::lround(2 * px_per_mm)));
  cv::morphologyEx(red, red, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * k + 1, 2 * k + 1)));
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(red, labels, stats, centroids, 8, CV_32S);
  for (int i = 1; i < n; ++i) {
    const int bw = stats.at<int>(i, cv::CC_STAT_WIDTH), bh = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const double wmm = bw / px_per_mm, hmm = bh / px_per_mm;
    if (wmm < 15 || hmm < 15 || wmm > 70 || hmm > 70) continue;
    const double aspect = static_cast<double>(bw) / bh;
    if (aspect < 0.6 || aspect > 1.7) continue;
    const double fill = static_cast<double>(stats.at<int>(i, cv::CC_STAT_AREA)) / (static_cast<double>(bw) * bh);
    if (fill < 0.08 || fill > 0.85) continue;
    out.push_back({stats.at<int>(i, cv::CC_STAT_LEFT) * step, stats.at<int>(i, cv::CC_STAT_TOP) * step, bw * step, bh * step});
  }
  return out;
}

}  // namespace sohoa::prepare
