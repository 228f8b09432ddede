#include "prepare/clean.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <deque>
#include <opencv2/imgproc.hpp>
#include <utility>
#include <vector>

#include "prepare/seal.h"

namespace sohoa::prepare {
namespace {
// Share of colour pixels beside black or the other colour above which it is sub-pixel rendering
// (measured: 0.87 on a screen-rendered form as saved, 0.38 once resampled; 0.002 on seal scans).
constexpr double kRenderedShare = 0.25;
constexpr double kGrainSpreads = 2.5;
// A leader dot is at most this many thirds of a letter's height: printed dots are about one
// third, and heavy JPEG at 200 dpi smears each by a pixel all round (7 px dots beside 20 px letters).
constexpr double kMaxDotUnits = 1.4;
// A line of colour print: at least this many glyph-sized pieces side by side.
constexpr int kMinLineGlyphs = 5;

/// Colour ink that is printed text: connected colour components of letter size (Vietnamese
/// diacritics join them afterwards) that chain into a straight horizontal line of consistent
/// height, alone in their colour blob (a seal's ring and curved text close into one blob far
/// taller than a line) and not over black print (a seal or signature stamped over the text).
/// Returns the mask of the colour pixels to keep as ink (a card's red title, a blue heading).
cv::Mat colour_print_lines_in(const cv::Mat& strong, const cv::Mat& kind, int reach) {
  cv::Mat keep(strong.size(), CV_8U, cv::Scalar(0));
  cv::Mat labels, st, centroids;
  const int n = cv::connectedComponentsWithStats(strong, labels, st, centroids, 8, CV_32S);
  if (n <= kMinLineGlyphs) return keep;
  struct Piece { int x, y, w, h, label; };
  std::vector<Piece> glyphs;
  for (int i = 1; i < n; ++i) {
    const int w = st.at<int>(i, cv::CC_STAT_WIDTH), h = st.at<int>(i, cv::CC_STAT_HEIGHT);
    const int area = st.at<int>(i, cv::CC_STAT_AREA);
    // Letter-sized: taller than a few strokes, not a long pen stroke, not a speck or hairline.
    if (h < 3 * reach || h > 40 * reach || w > 3 * h || area < 0.08 * w * h) continue;
    glyphs.push_back({st.at<int>(i, cv::CC_STAT_LEFT), st.at<int>(i, cv::CC_STAT_TOP), w, h, i});
  }
  if (static_cast<int>(glyphs.size()) < kMinLineGlyphs) return keep;
  std::sort(glyphs.begin(), glyphs.end(), [](const Piece& a, const Piece& b) { return a.x < b.x; });
  std::vector<int> parent(glyphs.size());
  for (size_t i = 0; i < parent.size(); ++i) parent[i] = static_cast<int>(i);
  auto root = [&](int i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  // Neighbours in a line: a word space apart at most, centres level, similar heights.
  for (size_t i = 0; i < glyphs.size(); ++i) {
    const Piece& a = glyphs[i];
    for (size_t j = i + 1; j < glyphs.size(); ++j) {
      const Piece& b = glyphs[j];
      const int hm = std::max(a.h, b.h);
      if (b.x - (a.x + a.w) > hm) {
        if (b.x > a.x + a.w + 40 * reach) break;  // sorted by x: nothing nearer follows
        continue;
      }
      if (std::abs((2 * a.y + a.h) - (2 * b.y + b.h)) > 0.8 * hm) continue;
      if (std::max(a.h, b.h) > 1.8 * std::min(a.h, b.h)) continue;
      parent[root(static_cast<int>(i))] = root(static_cast<int>(j));
    }
  }
  std::vector<std::vector<int>> lines(glyphs.size());
  for (size_t i = 0; i < glyphs.size(); ++i) lines[root(static_cast<int>(i))].push_back(static_cast<int>(i));
  if (std::none_of(lines.begin(), lines.end(),
                   [](const std::vector<int>& l) { return static_cast<int>(l.size()) >= kMinLineGlyphs; }))
    return keep;
  // Colour blobs as the eye groups them: a seal's ring, its text and star close into one.
  cv::Mat closed, blobs, bst, bc;
  cv::morphologyEx(strong, closed, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, {4 * reach + 1, 4 * reach + 1}));
  cv::connectedComponentsWithStats(closed, blobs, bst, bc, 8, CV_32S);
  for (const std::vector<int>& line : lines) {
    if (static_cast<int>(line.size()) < kMinLineGlyphs) continue;
    std::vector<int> hs;
    for (int i : line) hs.push_back(glyphs[i].h);
    std::nth_element(hs.begin(), hs.begin() + hs.size() / 2, hs.end());
    const double hmed = hs[hs.size() / 2];
    int consistent = 0;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int x0 = strong.cols, y0 = strong.rows, x1 = 0, y1 = 0;
    for (int i : line) {
      const Piece& g = glyphs[i];
      consistent += g.h >= 0.6 * hmed && g.h <= 1.5 * hmed;
      const double cx = g.x + g.w / 2.0, cy = g.y + g.h / 2.0;
      sx += cx, sy += cy, sxx += cx * cx, sxy += cx * cy;
      x0 = std::min(x0, g.x), y0 = std::min(y0, g.y);
      x1 = std::max(x1, g.x + g.w), y1 = std::max(y1, g.y + g.h);
    }
    const double m = static_cast<double>(line.size());
    if (consistent < 0.7 * m) continue;
    // Straight and horizontal (the page is deskewed by now): text on a seal's arc is neither.
    const double var = sxx - sx * sx / m;
    const double slope = var > 0 ? (sxy - sx * sy / m) / var : 0;
    double resid = 0;
    for (int i : line) {
      const Piece& g = glyphs[i];
      const double cx = g.x + g.w / 2.0, cy = g.y + g.h / 2.0;
      const double d = cy - (sy / m + slope * (cx - sx / m));
      resid += d * d;
    }
    if (std::fabs(slope) > 0.06 || std::sqrt(resid / m) > 0.2 * hmed) continue;
    // Alone in its blob: no ring, star or stroke joins it into something far taller.
    bool alone = true;
    for (int i : line) {
      const Piece& g = glyphs[i];
      int b = 0;  // the blob of any of the glyph's own pixels
      for (int y = g.y; y < g.y + g.h && b == 0; ++y)
        for (int x = g.x; x < g.x + g.w && b == 0; ++x)
          if (labels.at<int>(y, x) == g.label) b = blobs.at<int>(y, x);
      if (bst.at<int>(b, cv::CC_STAT_HEIGHT) > 2.5 * (y1 - y0)) {
        alone = false;
        break;
      }
    }
    if (!alone) continue;
    // Not inside a ring: a seal's ring blob (squarish, seal-sized) around the line's middle.
    const int mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
    for (int b = 1; b < bst.rows && alone; ++b) {
      const int bx = bst.at<int>(b, cv::CC_STAT_LEFT), by = bst.at<int>(b, cv::CC_STAT_TOP);
      const int bw = bst.at<int>(b, cv::CC_STAT_WIDTH), bh = bst.at<int>(b, cv::CC_STAT_HEIGHT);
      const bool ring = bh > 2.5 * (y1 - y0) && bw < 1.5 * bh && bh < 1.5 * bw && std::max(bw, bh) < 250 * reach;
      if (ring && mx > bx && mx < bx + bw && my > by && my < by + bh) alone = false;
    }
    if (!alone) continue;
    // Not over black print: a stamp or signature on the text, whose letters show through.
    const int ay = std::max(0, y0 - static_cast<int>(0.6 * hmed)), by = std::min(strong.rows, y1 + static_cast<int>(0.3 * hmed));
    const cv::Rect band(x0, ay, x1 - x0, by - ay);
    const int black = cv::countNonZero(kind(band) == 1);
    const int colour = cv::countNonZero(strong(band));
    if (black > 0.15 * colour) continue;
    // Keep every colour piece inside the line's band: letters and their diacritics.
    for (int y = band.y; y < band.y + band.height; ++y) {
      const int* lr = labels.ptr<int>(y);
      uchar* kr = keep.ptr<uchar>(y);
      for (int x = band.x; x < band.x + band.width; ++x) {
        const int l = lr[x];
        if (l == 0) continue;
        const int lt = st.at<int>(l, cv::CC_STAT_TOP), lh = st.at<int>(l, cv::CC_STAT_HEIGHT);
        const int ll = st.at<int>(l, cv::CC_STAT_LEFT), lw = st.at<int>(l, cv::CC_STAT_WIDTH);
        if (lt >= band.y && lt + lh <= band.y + band.height && ll >= band.x && ll + lw <= band.x + band.width)
          kr[x] = 255;
      }
    }
  }
  return keep;
}

/// colour_print_lines_in on the box that holds the colour ink only (a seal, a title): most of a
/// page has none, so only that box is labelled and closed.
cv::Mat colour_print_lines(const cv::Mat& strong, const cv::Mat& kind, int reach) {
  cv::Mat keep(strong.size(), CV_8U, cv::Scalar(0));
  const cv::Rect box = cv::boundingRect(strong);
  if (box.area() == 0) return keep;
  colour_print_lines_in(strong(box), kind(box), reach).copyTo(keep(box));
  return keep;
}
}  // namespace

Image gray_without_color_ink(const Image& page, CleanStats* stats) {
  if (page.depth() != 32) return to_gray8(page);
  const int w = page.width(), h = page.height();
  PIX* out = pixCreate(w, h, 8);
  pixCopyResolution(out, page.get());
  const l_uint32* src = pixGetData(page.get());
  l_uint32* dst = pixGetData(out);
  const int swpl = pixGetWpl(page.get()), dwpl = pixGetWpl(out);
  // Strong: clearly seal or pen ink. Weak: the pale or dark fringe of such ink, where it blends
  // with the paper or JPEG smears it (pink, purple, grey-blue); removed only next to strong ink,
  // so faintly tinted black print elsewhere stays.
  // Kinds of ink: 1 black, 2 red, 4 blue (2 and 4 are strong colour ink).
  cv::Mat kind(h, w, CV_8U, cv::Scalar(0)), weak(h, w, CV_8U, cv::Scalar(0));
  for (int y = 0; y < h; ++y) {
    const l_uint32* sl = src + y * swpl;
    l_uint32* dl = dst + y * dwpl;
    uchar* wr = weak.ptr<uchar>(y);
    uchar* kr = kind.ptr<uchar>(y);
    for (int x = 0; x < w; ++x) {
      l_int32 r, g, b;
      extractRGBValues(sl[x], &r, &g, &b);
      const int mx = std::max({r, g, b}), mn = std::min({r, g, b});
      // Strongly coloured and red- or blue-dominant: seal or pen ink, not the black print.
      const bool red = seal_red(r, g, b);
      const bool blue = b == mx && b - r > 50 && b - g > 20;
      const bool strong = (red || blue) && mx - mn > 60;
      kr[x] = strong ? (red ? 2 : 4) : (mx < 80 && mx - mn < 30);
      // Black print stays dark and nearly grey even under a seal; yellowed paper has g ≈ r.
      wr[x] = mx - mn >= 25 && mx >= 90 && (r - g >= 15 || b - g >= 15);
      SET_DATA_BYTE(dl, x, (r * 77 + g * 151 + b * 28) >> 8);
    }
  }
  // Text rendered with sub-pixel anti-aliasing (screenshots, pages saved from a screen) edges
  // every stroke with red on one side and blue on the other, beside black or each other. Seal
  // and pen ink is one colour and mostly lies away from black print. When most of the colour
  // sits beside black or the other colour, it is the letters' own edge, and removing it would
  // leave hairlines.
  {
    int colour = 0, rendered = 0;
    for (int y = 0; y < h; ++y) {
      const uchar* kr = kind.ptr<uchar>(y);
      for (int x = 0; x < w; ++x) {
        if (kr[x] < 2) continue;
        ++colour;
        bool other = false;
        for (int dx = -2; dx <= 2 && !other; ++dx) {
          const int xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          other = kr[xx] != 0 && kr[xx] != kr[x];
        }
        rendered += other;
      }
    }
    if (colour > 0 && rendered > kRenderedShare * colour) {
      if (stats) stats->color_pixels = 0;
      return Image(out);
    }
  }
  const double dpi = pixGetXRes(page.get()) > 0 ? pixGetXRes(page.get()) : 300;
  const int reach = std::max(1, static_cast<int>(std::lround(dpi / 100)));  // ~0.25 mm
  cv::Mat strong = kind >= 2;
  // Colour-printed text lines (a card's red title, a blue heading) are text: kept, as black
  // ink, while seals and signatures go.
  const cv::Mat print = colour_print_lines(strong, kind, reach);
  strong.setTo(0, print);
  cv::Mat near;
  cv::dilate(strong, near, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * reach + 1, 2 * reach + 1}));
  int removed = 0, kept = 0;
  for (int y = 0; y < h; ++y) {
    const l_uint32* sl = src + y * swpl;
    l_uint32* dl = dst + y * dwpl;
    const uchar* sr = strong.ptr<uchar>(y);
    const uchar* nr = near.ptr<uchar>(y);
    const uchar* wr = weak.ptr<uchar>(y);
    const uchar* pr = print.ptr<uchar>(y);
    for (int x = 0; x < w; ++x)
      if (pr[x]) {
        // Its darkest channel: red or blue letters become as dark as black print.
        l_int32 r, g, b;
        extractRGBValues(sl[x], &r, &g, &b);
        SET_DATA_BYTE(dl, x, std::min({r, g, b}));
        ++kept;
      } else if (sr[x] || (nr[x] && wr[x])) {
        SET_DATA_BYTE(dl, x, 255);
        ++removed;
      }
  }
  if (stats) {
    stats->color_pixels = removed;
    stats->color_print_pixels = kept;
  }
  return Image(out);
}

namespace {
int otsu_level(const Image& gray8);

/// Leptonica's map of the paper tone counts every pixel lighter than a fixed level (60) as
/// paper. A washed-out photo's grey letters (100-160 on paper of 200) pass it, so the map sinks
/// under them and normalising fades them further. With keep_light_ink, a first normalisation
/// evens the paper, shadows included; its letters, under Otsu's level there, are then left out
/// of a second map of the original. Shadows stay paper (the first pass whitened them), so they
/// still go. light_ink, when given, tells whether the page's letters are that light.
PIX* background_norm(const Image& gray8, bool keep_light_ink, bool* light_ink) {
  constexpr int kTileW = 10, kTileH = 15, kFloor = 60, kMinCount = 40, kPaper = 200;
  constexpr double kLightInk = 1.5 * kFloor;  // median letter tone over which the floor cannot tell them
  constexpr int kLetterShareOfPage = 25;      // a mark taller than this part of the page is no letter
  if (light_ink) *light_ink = false;
  Image first(pixBackgroundNormSimple(gray8.get(), nullptr, nullptr));
  if (!first) return nullptr;
  if (!keep_light_ink && !light_ink) return first.release();
  Image ink(pixThresholdToBinary(first.get(), otsu_level(first) + 1));
  if (!ink) return first.release();
  // Only marks of a letter's size: a card's portrait or a picture stays in the map, flattened
  // as before; kept whole it is texture that Tesseract reads as junk.
  const int tallest = std::max(12, gray8.height() / kLetterShareOfPage);
  Image letters(pixSelectBySize(ink.get(), 0, tallest, 8, L_SELECT_HEIGHT, L_SELECT_IF_LTE, nullptr));
  if (!letters) return first.release();
  l_float32 ink_tone = 0;
  if (pixGetRankValueMasked(gray8.get(), letters.get(), 0, 0, 1, 0.5f, &ink_tone, nullptr) != 0) return first.release();
  const bool light = ink_tone > kLightInk;
  if (light_ink) *light_ink = light;
  // Letters darker than the floor are left out of the map by it already: the first pass stands.
  if (!keep_light_ink || !light) return first.release();
  Image halo(pixDilateBrick(nullptr, letters.get(), 3, 3));  // the letters' grey edges are ink too
  Image masked(pixCopy(nullptr, gray8.get()));
  pixSetMasked(masked.get(), halo.get(), 0);  // black: under the floor, so never counted as paper
  PIX* map = nullptr;
  if (pixGetBackgroundGrayMap(masked.get(), nullptr, kTileW, kTileH, kFloor, kMinCount, &map) != 0 || !map)
    return first.release();
  PIX* inverse = pixGetInvBackgroundMap(map, kPaper, 2, 1);
  pixDestroy(&map);
  if (!inverse) return first.release();
  PIX* norm = pixApplyInvBackgroundGrayMap(gray8.get(), inverse, kTileW, kTileH);
  pixDestroy(&inverse);
  return norm ? norm : first.release();
}
}  // namespace

Image normalize_background(const Image& gray8, bool whiten_grain, bool keep_light_ink, bool* light_ink) {
  // Leptonica's background normalisation maps the local paper tone to 200; stretch it back to white.
  PIX* norm = background_norm(gray8, keep_light_ink, light_ink);
  if (!norm) return gray8.clone();
  // A photographed sheet's grain (camera noise, JPEG blocks, light the normalisation left)
  // spreads around that tone; left in, a stretch to white keeps it as grey mottle that
  // Tesseract segments into junk. White then starts where the grain does: the paper tone less
  // a few times its spread above the tone (the side of the peak no ink reaches). On flatbed
  // scans the same step cost accuracy (white noise: Tesseract's own threshold copes better).
  int white = 200;
  if (whiten_grain) {
    NUMA* hist = pixGetGrayHistogram(norm, 2);
    if (hist) {
      l_float32 sum = 0, sq = 0;
      for (int v = 201; v < 256; ++v) {
        l_float32 n = 0;
        numaGetFValue(hist, v, &n);
        sum += n;
        sq += n * static_cast<l_float32>((v - 200) * (v - 200));
      }
      l_float32 at = 0;
      numaGetFValue(hist, 200, &at);
      numaDestroy(&hist);
      const double spread = sum + at > 0 ? std::sqrt(sq / (sum + at)) : 0;
      white = 200 - static_cast<int>(std::lround(std::min(40.0, kGrainSpreads * spread)));
    }
  }
  PIX* stretched = pixGammaTRC(nullptr, norm, 1.0f, 0, white);
  pixDestroy(&norm);
  pixCopyResolution(stretched, gray8.get());
  return Image(stretched);
}

namespace {
/// Otsu's threshold of an 8-bit image as cv::threshold(THRESH_OTSU) computes it: the level that
/// best splits the histogram in two; pixels at or under it are ink.
int otsu_level(const Image& gray8) {
  const std::array<uint32_t, 256> counts = gray_histogram(gray8);
  double h[256], total = 0;
  for (int i = 0; i < 256; ++i) total += h[i] = counts[i];
  if (total <= 0) return 0;
  const double scale = 1.0 / total;
  double mu = 0;
  for (int i = 0; i < 256; ++i) mu += i * h[i];
  mu *= scale;
  double mu1 = 0, q1 = 0, max_sigma = 0;
  int level = 0;
  for (int i = 0; i < 256; ++i) {
    const double p = h[i] * scale;
    mu1 *= q1;
    q1 += p;
    const double q2 = 1.0 - q1;
    if (std::min(q1, q2) < FLT_EPSILON || std::max(q1, q2) > 1.0 - FLT_EPSILON) continue;
    mu1 = (mu1 + i * p) / q1;
    const double mu2 = (mu - q1 * mu1) / q2;
    const double sigma = q1 * q2 * (mu1 - mu2) * (mu1 - mu2);
    if (sigma > max_sigma) {
      max_sigma = sigma;
      level = i;
    }
  }
  return level;
}
}  // namespace

double median_glyph_height(const Image& gray8) {
  // Bounding boxes of the 1-bit ink's components: Leptonica finds them several times faster
  // than labelling every pixel (cv::connectedComponentsWithStats), and only boxes are needed.
  const int rows = gray8.height();
  Image ink(pixThresholdToBinary(gray8.get(), otsu_level(gray8) + 1));  // ink: at or under the level
  BOXA* boxes = ink ? pixConnCompBB(ink.get(), 8) : nullptr;
  if (!boxes) return 0;
  std::vector<int> heights;
  for (int i = 0; i < boxaGetCount(boxes); ++i) {
    l_int32 x, y, w, h;
    boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h);
    // Letters: taller than specks, not lines, not huge blocks.
    if (h >= 4 && h <= rows / 10 && w <= 3 * h && w >= 2) heights.push_back(h);
  }
  boxaDestroy(&boxes);
  if (heights.size() < 30) return 0;
  // The upper quartile: diacritics, dots and leaders are separate small components (in
  // Vietnamese up to half of them) and pull the median far under the letter height.
  const size_t q = heights.size() * 3 / 4;
  std::nth_element(heights.begin(), heights.begin() + q, heights.end());
  return heights[q];
}

namespace {

struct Blob {
  int x, y, w, h, area, label;
  double cx() const { return x + w / 2.0; }
  double cy() const { return y + h / 2.0; }
};

/// Sets to white every pixel of the listed components.
void erase_labels(cv::Mat& gray, const cv::Mat& labels, const std::vector<uint8_t>& erase, const std::vector<Blob>& blobs) {
  // Within each erased component's box only, unless the boxes add up to more than the page
  // (a scanner border's box can be most of it).
  double boxes = 0;
  for (size_t i = 1; i < erase.size(); ++i)
    if (erase[i]) boxes += static_cast<double>(blobs[i].w) * blobs[i].h;
  if (boxes < static_cast<double>(gray.total())) {
    for (size_t i = 1; i < erase.size(); ++i) {
      if (!erase[i]) continue;
      const Blob& b = blobs[i];
      for (int y = b.y; y < b.y + b.h; ++y) {
        const int* lr = labels.ptr<int>(y);
        uchar* gr = gray.ptr<uchar>(y);
        for (int x = b.x; x < b.x + b.w; ++x)
          if (lr[x] == static_cast<int>(i)) gr[x] = 255;
      }
    }
    return;
  }
  for (int y = 0; y < gray.rows; ++y) {
    const int* lr = labels.ptr<int>(y);
    uchar* gr = gray.ptr<uchar>(y);
    for (int x = 0; x < gray.cols; ++x)
      if (lr[x] > 0 && erase[lr[x]]) gr[x] = 255;
  }
}

}  // namespace

Image remove_form_furniture(const Image& gray8, double dpi, double glyph_px, CleanStats* stats) {
  cv::Mat gray = gray_to_mat(gray8);
  cv::Mat ink;  // 255 where there is ink
  cv::adaptiveThreshold(gray, ink, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV,
                        (static_cast<int>(dpi / 6) | 1), 15);
  const double mm = dpi / 25.4;
  CleanStats local;

  // 1. Long horizontal rules: anything that survives an opening with a 12 mm line is a line,
  //    not a letter. Vertical rules stay: without them Tesseract takes a ruled table for
  //    columns of text and reads it column by column; with them it reads each row across,
  //    and the '|' it makes of a rule is dropped after recognition.
  {
    const int len = std::max(10, static_cast<int>(12 * mm));
    cv::Mat lines;
    cv::morphologyEx(ink, lines, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {len, 1}));
    cv::dilate(lines, lines, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    local.rule_pixels = cv::countNonZero(lines);
    gray.setTo(255, lines);
    ink.setTo(0, lines);
  }

  cv::Mat labels, st, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, st, centroids, 8, CV_32S);
  std::vector<Blob> blobs(n);
  for (int i = 1; i < n; ++i)
    blobs[i] = {st.at<int>(i, cv::CC_STAT_LEFT), st.at<int>(i, cv::CC_STAT_TOP), st.at<int>(i, cv::CC_STAT_WIDTH),
                st.at<int>(i, cv::CC_STAT_HEIGHT), st.at<int>(i, cv::CC_STAT_AREA), i};
  std::vector<uint8_t> erase(n, 0);

  // 2. Dark scanner borders: big ink regions touching the image edge.
  for (int i = 1; i < n; ++i) {
    const Blob& b = blobs[i];
    const bool touches = b.x == 0 || b.y == 0 || b.x + b.w == gray.cols || b.y + b.h == gray.rows;
    if (touches && (b.w > gray.cols / 5 || b.h > gray.rows / 5)) {
      erase[i] = 1;
      local.border_pixels += b.area;
    }
  }

  // 3. Dotted (or dashed) leaders: runs of at least five small marks on one baseline,
  //    evenly spaced. A lone full stop or the dot of an "i" is never in such a run.
  //    Sizes follow the text when we know how tall it is, else the resolution.
  // Letters with ascenders stand ~0.7 em: 3 mm at 12 pt, the size the mm thresholds were set for.
  const double unit = glyph_px > 0 ? glyph_px / 3.0 : mm;
  const double max_dot = kMaxDotUnits * unit, max_dash = 2.5 * unit, max_gap = 3.0 * unit, same_line = 0.5 * unit;
  // Marks sit within half a letter of their letter; the next line is further away.
  const int reach = static_cast<int>(std::max(2.0, 0.5 * (glyph_px > 0 ? glyph_px : 2.2 * mm)));
  // A leader dot stands alone in its column; a diacritic or the dot of an "i" has a letter
  // right below or above it. Only letter-sized neighbours count, so noise specks do not.
  const int letter_h = std::max(3, reach);
  auto alone = [&](const Blob& b) {
    const int x0 = b.x, x1 = std::min(gray.cols, b.x + b.w);
    for (int y = std::max(0, b.y - reach); y < std::min(gray.rows, b.y + b.h + reach); ++y) {
      if (y >= b.y && y < b.y + b.h) continue;
      const int* lr = labels.ptr<int>(y);
      for (int x = x0; x < x1; ++x)
        if (lr[x] > 0 && lr[x] != b.label && blobs[lr[x]].h >= letter_h) return false;
    }
    return true;
  };
  std::vector<int> small;
  for (int i = 1; i < n; ++i) {
    const Blob& b = blobs[i];
    if (erase[i]) continue;
    const bool dot = b.w <= max_dot && b.h <= max_dot;
    const bool dash = b.w <= max_dash && b.h <= 0.5 * unit && b.w >= 2 * b.h;
    if ((dot || dash) && alone(b)) small.push_back(i);  // a tilde is dash-shaped too
  }
  // Marks by row band, each band in x order, so a chain finds its neighbour however the
  // marks of one leader jitter across band edges (JPEG, upsampling, skew residue).
  std::sort(small.begin(), small.end(), [&](int a, int b) { return blobs[a].x < blobs[b].x; });
  const double band_h = std::max(1.0, same_line);
  std::vector<std::vector<int>> bands(static_cast<size_t>(gray.rows / band_h) + 2);
  auto band_of = [&](const Blob& b) { return std::clamp<long>(std::lround(b.cy() / band_h), 0, bands.size() - 1); };
  for (int i : small) bands[band_of(blobs[i])].push_back(i);
  // A mark's own band and the two beside it: all that can hold marks on its baseline.
  auto bands_near = [&](const Blob& b) {
    const long b0 = band_of(b);
    return std::pair<long, long>{std::max(0L, b0 - 1), std::min<long>(bands.size() - 1, b0 + 1)};
  };
  // The first mark of a band at or right of x.
  auto first_from = [&](const std::vector<int>& band, double x) {
    return std::lower_bound(band.begin(), band.end(), x, [&](int k, double v) { return blobs[k].x < v; });
  };
  // The lower dot of a colon sits on the baseline like a leader dot, with the upper dot about
  // an x-height above it; "Họ và tên: ......" must keep its colon.
  const double x_height = glyph_px > 0 ? 0.6 * glyph_px : 1.5 * mm;
  auto colon_base = [&](const Blob& b) {
    const int y_lo = std::max(0, static_cast<int>(b.y - 1.3 * x_height)), y_hi = std::max(0, b.y - 1);
    const int x_lo = std::max(0, b.x - b.w / 2), x_hi = std::min(gray.cols, b.x + b.w + b.w / 2);
    for (int y = y_lo; y < y_hi; ++y) {
      const int* lr = labels.ptr<int>(y);
      for (int x = x_lo; x < x_hi; ++x) {
        if (lr[x] <= 0 || lr[x] == b.label) continue;
        const Blob& a = blobs[lr[x]];
        const bool dot_like = a.w <= 2 * max_dot && a.h <= 2 * max_dot;
        if (dot_like && a.y + a.h <= b.y - 0.15 * x_height) return true;
      }
    }
    return false;
  };
  std::vector<uint8_t> used(n, 0);
  for (int start : small) {
    if (used[start]) continue;
    std::vector<int> run = {start};
    used[start] = 1;
    // Greedy chain to the right: the nearest unused mark on the same baseline.
    for (;;) {
      const Blob& last = blobs[run.back()];
      int next = -1;
      double best_gap = max_gap;
      const auto [lo, hi] = bands_near(last);
      for (long bi = lo; bi <= hi; ++bi) {
        const std::vector<int>& band = bands[bi];
        for (auto it = first_from(band, last.x + last.w); it != band.end(); ++it) {
          const Blob& c = blobs[*it];
          const double gap = c.x - (last.x + last.w);
          if (gap >= best_gap) break;
          if (used[*it] || std::fabs(c.cy() - last.cy()) > same_line) continue;
          best_gap = gap;
          next = *it;
          break;
        }
      }
      if (next < 0) break;
      used[next] = 1;
      run.push_back(next);
    }
    // Leaders are printed evenly: the gaps of a real run hardly vary.
    bool even = run.size() >= 5;
    if (even) {
      std::vector<double> gaps;
      for (size_t k = 1; k < run.size(); ++k)
        gaps.push_back(blobs[run[k]].x - (blobs[run[k - 1]].x + blobs[run[k - 1]].w));
      std::sort(gaps.begin(), gaps.end());
      const double median = gaps[gaps.size() / 2];
      int odd = 0;
      for (double g : gaps) odd += std::fabs(g - median) > std::max(2.0, 0.5 * median);
      even = odd * 3 <= static_cast<int>(gaps.size());  // a few specks of noise may sit in a run
    }
    if (even) {
      if (colon_base(blobs[run.front()])) run.erase(run.begin());
      for (int i : run) erase[i] = 1;
      local.leader_dots += static_cast<int>(run.size());
    } else {
      for (size_t k = 1; k < run.size(); ++k) used[run[k]] = 0;  // let them start their own runs
    }
  }

  // A leader that fades in and out (JPEG, fax, low resolution) breaks into short pieces the
  // run test keeps; marks continuing an erased leader on its baseline belong to it too.
  // Nothing letter-sized may stand between the mark and the leader.
  auto empty_between = [&](int x0, int x1, const Blob& b) {
    const int y0 = std::max(0, b.y - reach), y1 = std::min(gray.rows, b.y + b.h + reach);
    for (int y = y0; y < y1; ++y) {
      const int* lr = labels.ptr<int>(y);
      for (int x = std::max(0, x0); x < std::min(gray.cols, x1); ++x)
        if (lr[x] > 0 && blobs[lr[x]].h >= letter_h) return false;
    }
    return true;
  };
  // Marks to examine: every one at first, then only those within reach of a mark that has just
  // joined a leader; nothing changed for the others. Joining only ever adds marks, so the marks
  // erased do not depend on the order (the same as sweeping the page until nothing joins).
  std::deque<int> todo;
  std::vector<uint8_t> queued(n, 0);
  for (int i : small)
    if (!erase[i]) {
      todo.push_back(i);
      queued[i] = 1;
    }
  while (!todo.empty()) {
    const int i = todo.front();
    todo.pop_front();
    queued[i] = 0;
    if (erase[i]) continue;
    const Blob& b = blobs[i];
    bool near_leader = false;
    const auto [lo, hi] = bands_near(b);
    for (long bi = lo; bi <= hi && !near_leader; ++bi) {
      // Only marks within reach along the row.
      const std::vector<int>& band = bands[bi];
      const double to = b.x + b.w + 3 * max_gap;
      for (auto it = first_from(band, b.x - 3 * max_gap - max_dash - 1); it != band.end() && blobs[*it].x <= to; ++it) {
        const int j = *it;
        if (!erase[j] || std::fabs(blobs[j].cy() - b.cy()) > same_line) continue;
        const Blob& l = blobs[j];
        const int x0 = std::min(b.x + b.w, l.x + l.w), x1 = std::max(b.x, l.x);
        if (x1 - x0 >= 3 * max_gap || !empty_between(x0, x1, b)) continue;
        near_leader = true;
        break;
      }
    }
    if (!near_leader || colon_base(b)) continue;
    erase[i] = 1;
    ++local.leader_dots;
    // The marks whose reach (above) holds this one: same bands, x within reach either way
    // (a mark is at most max_dash wide).
    for (long bi = lo; bi <= hi; ++bi) {
      const std::vector<int>& band = bands[bi];
      const double to = b.x + 3 * max_gap + max_dash + 1;
      for (auto it = first_from(band, b.x - 3 * max_gap - max_dash - 1); it != band.end() && blobs[*it].x <= to; ++it)
        if (!erase[*it] && !queued[*it]) {
          todo.push_back(*it);
          queued[*it] = 1;
        }
    }
  }

  // 4. Check boxes: square outlines 2.5-6 mm with straight, dense edges and an empty middle.
  for (int i = 1; i < n; ++i) {
    const Blob& b = blobs[i];
    if (erase[i] || b.w < 2.5 * mm || b.w > 6 * mm || b.h < 2.5 * mm || b.h > 6 * mm) continue;
    if (std::abs(b.w - b.h) > 0.15 * std::max(b.w, b.h)) continue;
    const cv::Mat box = ink(cv::Rect(b.x, b.y, b.w, b.h));
    auto dense = [](const cv::Mat& strip) { return cv::countNonZero(strip) >= 0.8 * strip.total(); };
    const int t = std::max(1, b.w / 10);
    bool top = false, bottom = false, left = false, right = false;
    for (int k = 0; k < t; ++k) {
      top = top || dense(box.row(k));
      bottom = bottom || dense(box.row(b.h - 1 - k));
      left = left || dense(box.col(k));
      right = right || dense(box.col(b.w - 1 - k));
    }
    const cv::Mat inner = box(cv::Rect(b.w / 4, b.h / 4, b.w / 2, b.h / 2));
    if (top && bottom && left && right && cv::countNonZero(inner) < 0.1 * inner.total()) {
      erase[i] = 1;
      ++local.check_boxes;
    }
  }

  erase_labels(gray, labels, erase, blobs);
  if (stats) *stats = local;
  Image out = mat_to_gray(gray);
  pixCopyResolution(out.get(), gray8.get());
  return out;
}

}  // namespace sohoa::prepare
