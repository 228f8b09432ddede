#include "ocr/layer_merge.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace sohoa::ocr {

Box map_box(const Box& b, const PageTransform& t) {
  // Quarter turn clockwise: (x, y) -> (H - y, x), the page becoming H wide.
  double x0 = b.x, y0 = b.y, x1 = b.x + b.w, y1 = b.y + b.h;
  int w = t.raw_w, h = t.raw_h;
  for (int turn = ((t.rotation_cw % 360) + 360) % 360; turn >= 90; turn -= 90) {
    const double nx0 = h - y1, nx1 = h - y0, ny0 = x0, ny1 = x1;
    x0 = nx0, x1 = nx1, y0 = ny0, y1 = ny1;
    std::swap(w, h);
  }
  if (t.skew_deg != 0) {
    // Leptonica turns clockwise for a positive angle, about the centre, keeping the size.
    const double a = t.skew_deg * M_PI / 180.0, c = std::cos(a), s = std::sin(a);
    const double cx = w / 2.0, cy = h / 2.0;
    double minx = 1e18, miny = 1e18, maxx = -1e18, maxy = -1e18;
    for (double px : {x0, x1})
      for (double py : {y0, y1}) {
        const double dx = px - cx, dy = py - cy;
        const double rx = cx + dx * c - dy * s, ry = cy + dx * s + dy * c;
        minx = std::min(minx, rx), maxx = std::max(maxx, rx), miny = std::min(miny, ry), maxy = std::max(maxy, ry);
      }
    x0 = minx, x1 = maxx, y0 = miny, y1 = maxy;
  }
  return {static_cast<int>(std::lround(x0)), static_cast<int>(std::lround(y0)),
          static_cast<int>(std::lround(x1 - x0)), static_cast<int>(std::lround(y1 - y0))};
}

int merge_layer_words(OcrResult& ocr, const std::vector<OcrWord>& layer, const PageTransform& t) {
  std::map<int, int> line_of;  // layer line -> line index in ocr
  int added = 0;
  for (const OcrWord& lw : layer) {
    OcrWord w = lw;
    w.box = map_box(lw.box, t);
    const long long area = static_cast<long long>(w.box.w) * w.box.h;
    const bool read_already = std::any_of(ocr.words.begin(), ocr.words.end(), [&](const OcrWord& o) {
      const long long smaller = std::min(area, static_cast<long long>(o.box.w) * o.box.h);
      return smaller > 0 && 2 * overlap_area(o.box, w.box) >= smaller;
    });
    if (read_already || w.text.empty()) continue;
    auto it = line_of.find(lw.line);
    if (it == line_of.end()) {
      OcrLine line;
      line.box = w.box;
      line.baseline = w.box.y + w.box.h;
      ocr.lines.push_back(line);
      it = line_of.emplace(lw.line, static_cast<int>(ocr.lines.size()) - 1).first;
    } else {
      Box& lb = ocr.lines[it->second].box;
      const int right = std::max(lb.x + lb.w, w.box.x + w.box.w), bottom = std::max(lb.y + lb.h, w.box.y + w.box.h);
      lb.x = std::min(lb.x, w.box.x), lb.y = std::min(lb.y, w.box.y), lb.w = right - lb.x, lb.h = bottom - lb.y;
      ocr.lines[it->second].baseline = lb.y + lb.h;
    }
    w.line = it->second;
    ocr.words.push_back(std::move(w));
    ++added;
  }
  return added;
}

}  // namespace sohoa::ocr
