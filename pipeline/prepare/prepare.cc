#include "prepare/prepare.h"

#include <cstdio>
#include <cstdlib>

#include "core/text.h"
#include "lexicon/lexicon.h"
#include "prepare/barcodes.h"
#include "prepare/clean.h"
#include "prepare/photo.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>
#include <vector>

namespace sohoa::prepare {
namespace {

constexpr double kMinScannerDpi = 150;  // scanners write 150 dpi or more; cameras and screens 72-96
constexpr double kOcrMinDpi = 250;   // below this Tesseract loses diacritics; upsample to 300
constexpr double kMinGlyphPx = 16;    // letter height under which a page is upsampled...
constexpr double kTargetGlyphPx = 28; // ...to this height
constexpr double kMaxUpsample = 4;
constexpr double kMaxOcrPixels = 60e6;  // cap on the upsampled OCR image
constexpr double kBlankInk = 0.0015; // share of dark pixels under which a page holds nothing
constexpr int kMinInkContrast = 40;  // grey levels under the paper that count as ink
constexpr double kMinSkewConf = 2.5; // Leptonica's own deskew default is in this range
constexpr double kMinSkewDeg = 0.1;
constexpr double kMinSkewShiftPx = 2;
// Leptonica's orientation confidences on printed A4 pages run 8-20; under 5 it is guessing.
constexpr double kSureLeptConfidence = 5;
constexpr double kOverwhelmingLeptConfidence = 15;
// Recognition of a patch settles the turn when the best one reads well (Σ (confidence-50) ×
// characters; a few confident lines score 2000+) and the runner-up under 40% as well.
constexpr double kSureRecognitionScore = 1500;
constexpr double kSureRecognitionShare = 0.4;
// A leaning sheet standing this far (grey levels, medians) above everything around it, the only
// paper in view, is cut out without a second reading.
constexpr double kSureSheetStep = 60;
// A risky step loses when the page reads this much worse with it: mean word confidence lower
// by more than kWorseConfidence points, or fewer than kWorseTextShare of the confidently read
// characters (text cut off).
constexpr double kWorseConfidence = 5;
constexpr double kWorseTextShare = 0.8;
// Colour removal is in doubt when it took out at least this much ink for each dark pixel it
// left: then the page's text itself may be coloured (a page printed or written in blue), not
// just a seal and a signature beside black print (those are some 2-20% of a page's ink).
constexpr double kColourDoubtShare = 0.5;
// A photo whose letters stand under this many pixels (a whole A4 page in some 600-800 px, about
// 70-100 dpi: letters of 7-13 px) is in doubt for local curl: at that size a line that bows or
// leans by a couple of pixels loses its diacritics, and the page model of straighten_lines
// follows only the body's curl, not a lifted corner's. Pages with larger letters are not tried
// and pay nothing (no page of the development corpus, phone photos at 130-190 dpi included).
constexpr double kSmallPhotoGlyphPx = 14;
// Mean word confidence at or over which a page with grey letters is not read a second time with
// them kept dark (keep_light_ink): on the development set's pages read that well both readings
// differed by under 1.5 points, and the second reading cost a third more time on the bench set.
constexpr double kSureReadingConfidence = 90;

/// Leptonica's histogram of counts, for its histogram functions.
NUMA* to_numa(const std::array<uint32_t, 256>& counts) {
  NUMA* na = numaCreate(256);
  for (const uint32_t c : counts) numaAddNumber(na, static_cast<l_float32>(c));
  return na;
}

/// 1-bit ink: a threshold for each tile of about 256 pixels square, so yellowed or unevenly lit
/// paper does not turn black. Exactly pixOtsuAdaptiveThreshold(gray8, 256, 256, 0, 0, 0.1),
/// same tiles, same split of each tile's histogram, but with the histograms counted by
/// gray_histogram: Leptonica's own count was most of the cost. `histogram`, when asked for,
/// gets the whole image's (the tiles cover it exactly once).
Image binarize(const Image& gray8, std::array<uint32_t, 256>* histogram = nullptr) {
  if (histogram) histogram->fill(0);
  const int w = gray8.width(), h = gray8.height();
  const int nx = std::max(1, w / 256), ny = std::max(1, h / 256);
  PIXTILING* tiling = gray8 && gray8.depth() == 8 ? pixTilingCreate(gray8.get(), nx, ny, 0, 0, 0, 0) : nullptr;
  if (!tiling) return Image(gray8 ? pixThresholdToBinary(gray8.get(), 128) : nullptr);
  Image bin(pixCreate(w, h, 1));
  pixCopyResolution(bin.get(), gray8.get());
  for (int i = 0; i < ny; ++i)
    for (int j = 0; j < nx; ++j) {
      Image tile(pixTilingGetTile(tiling, i, j));
      const std::array<uint32_t, 256> counts = gray_histogram(tile);
      if (histogram)
        for (int k = 0; k < 256; ++k) (*histogram)[k] += counts[k];
      NUMA* na = to_numa(counts);
      l_int32 level = 0;
      l_float32 fg = 0, bg = 0;
      numaSplitDistribution(na, 0.1f, &level, &fg, &bg, nullptr, nullptr, nullptr);
      numaDestroy(&na);
      Image tile_bin(pixThresholdToBinary(tile.get(), level));
      pixTilingPaintTile(bin.get(), i, j, tile_bin.get(), tiling);
    }
  pixTilingDestroy(&tiling);
  return bin;
}

/// How much sense recognition makes of a patch: confident characters count, junk does not.
double recognition_score(ocr::Engine& engine, const Image& gray, double dpi) {
  const OcrResult r = engine.recognize(gray, dpi, /*single_block=*/true);
  double score = 0;
  for (const OcrWord& w : r.words)
    if (w.confidence > 50) score += (w.confidence - 50) * static_cast<double>(w.text.size());
  return score;
}

/// A square patch where the text is, small enough to recognise quickly: the patch-sized
/// window holding the most letter-sized ink components, not the middle of the page (the last
/// page of a letter may hold only a signature block in a corner; noise specks are too small to
/// count). small is the page at scale f.
Image text_patch(const Image& gray8, const Image& small, double f, double share) {
  const int w = gray8.width(), h = gray8.height();
  const int side = std::max(1, static_cast<int>(std::min(w, h) * share));
  int x0 = (w - side) / 2, y0 = (h - side) / 2;
  // Count letters on a grid of a third of the patch; the best 3x3 block of cells wins.
  const double cell = std::max(1.0, side * f / 3);
  const int gw = static_cast<int>(std::ceil(small.width() / cell)), gh = static_cast<int>(std::ceil(small.height() / cell));
  // A fixed threshold, not the adaptive one: that turns the paper noise of empty tiles half black.
  Image bin_small(pixThresholdToBinary(small.get(), 128));
  BOXA* boxes = bin_small ? pixConnCompBB(bin_small.get(), 8) : nullptr;
  if (boxes && gw > 0 && gh > 0) {
    std::vector<int> count(static_cast<size_t>(gw) * gh, 0);
    for (int i = 0; i < boxaGetCount(boxes); ++i) {
      l_int32 bx, by, bw, bh;
      boxaGetBoxGeometry(boxes, i, &bx, &by, &bw, &bh);
      // Letters at 150 dpi stand 6-60 px; borders, rules, specks and most diacritics fall outside.
      if (bh < 6 || bh > 60 || bw < 2 || bw > 150) continue;
      const int gx = std::min(gw - 1, static_cast<int>((bx + bw / 2) / cell));
      const int gy = std::min(gh - 1, static_cast<int>((by + bh / 2) / cell));
      ++count[static_cast<size_t>(gy) * gw + gx];
    }
    int best = 0;
    for (int gy = 0; gy + 3 <= std::max(3, gh); ++gy)
      for (int gx = 0; gx + 3 <= std::max(3, gw); ++gx) {
        int n = 0;
        for (int y = gy; y < std::min(gh, gy + 3); ++y)
          for (int x = gx; x < std::min(gw, gx + 3); ++x) n += count[static_cast<size_t>(y) * gw + x];
        if (n > best) {
          best = n;
          x0 = static_cast<int>(gx * cell / f);
          y0 = static_cast<int>(gy * cell / f);
        }
      }
  }
  boxaDestroy(&boxes);
  x0 = std::clamp(x0, 0, std::max(0, w - side));
  y0 = std::clamp(y0, 0, std::max(0, h - side));
  BOX* box = boxCreate(x0, y0, std::min(side, w), std::min(side, h));
  Image patch(pixClipRectangle(gray8.get(), box, nullptr));
  boxDestroy(&box);
  return patch;
}

/// Recognition's verdict among some turns of the page: the best one, and its score's share over
/// the runner-up (0 = a tie, 1 = only it reads). A small patch first, larger ones only while
/// the turns stay close; scores add up. Recognition costs by the letter, and the turns that do
/// not read cost as much as the one that does: on the 81 pages of the sample, bench, held-out
/// and training sets where Leptonica is unsure, in all four turns, a patch of 0.14 of the
/// page's side settled 58 pages alone and never put a wrong turn first (0.2 settled 64), for
/// about half the recognition time of starting at 0.2.
std::pair<int, double> best_turn(const Image& gray8, const Image& small, double f, double dpi, ocr::Engine& engine,
                                 const std::vector<int>& turns) {
  std::vector<double> scores(turns.size(), 0);
  size_t top = 0;
  double best = 0, second = 0;
  for (const double share : {0.14, 0.2, 0.5}) {
    const Image patch = text_patch(gray8, small, f, share);
    for (size_t k = 0; k < turns.size(); ++k)
      scores[k] += recognition_score(engine, rotate_orth(patch, turns[k]), dpi);
    top = std::max_element(scores.begin(), scores.end()) - scores.begin();
    best = scores[top];
    second = 0;
    for (size_t k = 0; k < turns.size(); ++k)
      if (k != top) second = std::max(second, scores[k]);
    if (best >= kSureRecognitionScore && second <= kSureRecognitionShare * best) break;
  }
  return {turns[top], best > 0 ? std::clamp(1.0 - second / best, 0.0, 1.0) : 0.0};
}

}  // namespace

Orientation decide_orientation(const Image& gray8, double dpi, ocr::Engine& engine) {
  Orientation out;
  // 1. Leptonica's ascender/descender statistics at 150 dpi: ~70 ms, and decisive on most
  //    printed pages, where Vietnamese diacritics make the top of the x-height band heavy.
  const double f = std::min(1.0, 150.0 / dpi);
  Image small(f < 1 ? pixScaleGrayLI(gray8.get(), static_cast<float>(f), static_cast<float>(f)) : pixClone(gray8.get()));
  Image bin = binarize(small);
  l_float32 up = 0, left = 0;
  // A turned page is rare, and a wrong turn ruins the page: unless the statistics are
  // overwhelming, a turn they propose must also read better than the page as it is, and a
  // quarter turn better than the opposite quarter turn too. The statistics can find the text
  // sideways and still pick the wrong quarter; upside-down text then reads better than
  // sideways text, so beating the page as it is proves nothing (seen on a held-out page
  // turned a further quarter). Unconfirmed, recognition judges all four turns below.
  auto confirmed = [&](int rotation, double strength) {
    if (rotation == 0 || strength >= kOverwhelmingLeptConfidence) return true;
    const std::vector<int> rivals =
        rotation == 180 ? std::vector<int>{0, 180} : std::vector<int>{0, rotation, (rotation + 180) % 360};
    return best_turn(gray8, small, f, dpi, engine, rivals).first == rotation;
  };
  if (bin && pixOrientDetect(bin.get(), &up, &left, 0, 0) == 0) {
    const double a_up = std::fabs(up), a_left = std::fabs(left);
    if (a_up >= kSureLeptConfidence && a_up >= 1.5 * a_left && confirmed(up > 0 ? 0 : 180, a_up)) {
      out.rotation_cw = up > 0 ? 0 : 180;
      out.confidence = std::min(1.0, a_up / (2 * kSureLeptConfidence));
      out.method = "text_statistics";
      return out;
    }
    // positive: the text is turned a quarter counter-clockwise
    if (a_left >= kSureLeptConfidence && a_left >= 1.5 * a_up && confirmed(left > 0 ? 90 : 270, a_left)) {
      out.rotation_cw = left > 0 ? 90 : 270;
      out.confidence = std::min(1.0, a_left / (2 * kSureLeptConfidence));
      out.method = "text_statistics";
      return out;
    }
  }
  // 2. Leptonica unsure (cards, little text, text in a corner): let recognition judge the four
  //    turns of a patch of text (Tesseract's OSD cost as much and was often unsure itself here).
  const auto [rotation, share] = best_turn(gray8, small, f, dpi, engine, {0, 90, 180, 270});
  out.rotation_cw = rotation;
  out.method = "recognition";
  out.confidence = share;
  return out;
}

namespace {
/// The inner page (a twelfth of each edge left out: scanner borders, punch holes) and its ink.
/// Ink is clearly darker than the paper. Otsu splits any page in two, so on the blank back of
/// a thin sheet it takes the faint show-through of the front (some 15 levels under the paper)
/// for ink; print, even faded or faxed, stands far more than kMinInkContrast below it.
std::pair<Image, Image> inner_ink(const Image& gray8) {
  const int w = gray8.width(), h = gray8.height();
  const int mx = w / 12, my = h / 12;
  BOX* box = boxCreate(mx, my, w - 2 * mx, h - 2 * my);
  Image inner(pixClipRectangle(gray8.get(), box, nullptr));
  boxDestroy(&box);
  if (!inner) return {};
  std::array<uint32_t, 256> histogram;
  Image bin = binarize(inner, &histogram);
  // The paper's tone: pixGetRankValue(inner, 1, 0.9), from the histogram binarize counted.
  NUMA* na = to_numa(histogram);
  l_float32 rank_value = 0;
  const bool ranked = numaHistogramGetValFromRank(na, 0.9f, &rank_value) == 0;
  numaDestroy(&na);
  if (ranked) {
    const int paper = lept_roundftoi(rank_value);
    const int threshold = paper - kMinInkContrast;
    Image contrasted(threshold > 0 ? pixThresholdToBinary(inner.get(), threshold) : pixCreate(inner.width(), inner.height(), 1));
    if (contrasted) pixAnd(bin.get(), bin.get(), contrasted.get());
  }
  return {std::move(inner), std::move(bin)};
}
}  // namespace

namespace {
/// Ink pixels left once isolated specks (dust, fax noise) are removed.
double ink_without_specks(PIX* bin) {
  Image opened(pixSelectBySize(bin, 3, 3, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr));
  l_int32 count = 0;
  pixCountPixels(opened ? opened.get() : bin, &count, nullptr);
  return count;
}
}  // namespace

double ink_coverage(const Image& gray8) {
  auto [inner, bin] = inner_ink(gray8);
  if (!inner) return 0;
  return ink_without_specks(bin.get()) / (static_cast<double>(inner.width()) * inner.height());
}

bool is_blank(const Image& gray8) {
  // ink_coverage() < kBlankInk, without removing specks from the whole of a page full of text:
  // specks only lower the raw count, and speck removal within a band of rows keeps a subset of
  // what it keeps on the whole page (a component cut at a band edge only gets smaller), so the
  // bands counted so far prove ink as soon as they reach the limit.
  auto [inner, bin] = inner_ink(gray8);
  if (!inner) return true;
  const double area = static_cast<double>(inner.width()) * inner.height();
  l_int32 raw = 0;
  pixCountPixels(bin.get(), &raw, nullptr);
  if (raw / area < kBlankInk) return true;
  const int band = std::max(64, bin.height() / 16);
  double kept = 0;
  for (int y = 0; y < bin.height(); y += band) {
    BOX* b = boxCreate(0, y, bin.width(), std::min(band, bin.height() - y));
    Image rows(pixClipRectangle(bin.get(), b, nullptr));
    boxDestroy(&b);
    if (rows) kept += ink_without_specks(rows.get());
    if (kept / area >= kBlankInk) return false;
  }
  return ink_without_specks(bin.get()) / area < kBlankInk;  // under the limit in bands: the whole page decides
}

Skew measure_skew(const Image& gray8) {
  Image bin = binarize(gray8);
  l_float32 angle = 0, conf = 0;
  if (pixFindSkew(bin.get(), &angle, &conf) != 0) return {};
  return {angle, conf};
}

Image rotate_by(const Image& img, double degrees) {
  const float radians = static_cast<float>(degrees * M_PI / 180.0);
  return Image(pixRotate(img.get(), radians, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
}

namespace {

/// How the page is taken once its sheet is (or is not) cut out.
struct Develop {
  bool sheet_rectified = false;
  bool photographed = false;
  bool allow_straighten = true;
  bool keep_colour = false;  // the safe reading: coloured ink left in the OCR image
  bool local_dewarp = false; // text lines levelled one by one after the page model (photo.h)
  bool keep_light_ink = false; // grey letters left out of the paper's map (clean.h)
};

/// Everything after the sheet: orientation, curl, skew, barcodes and the cleaned OCR image.
/// colour_share, when given, gets the colour ink removed per dark pixel left (0 when none).
PreparedPage develop(Image color, const RawPage& raw, const PageInfo& base, const Develop& how, ocr::Engine& engine,
                     double* colour_share = nullptr, LocalCurl* curl = nullptr) {
  PreparedPage out;
  out.info = base;
  out.info.sheet_rectified = how.sheet_rectified;
  Image gray = to_gray8(color);
  const Orientation orientation = decide_orientation(gray, raw.dpi, engine);
  out.info.rotation = orientation.rotation_cw;
  out.info.rotation_confidence = orientation.confidence;
  out.info.rotation_method = orientation.method;
  // An 8-bit page is its own grey (to_gray8 clones it): turn it once, not twice.
  const bool gray_is_color = gray.get() == color.get();
  if (out.info.rotation != 0) {
    color = rotate_orth(color, out.info.rotation);
    gray = gray_is_color ? color.clone() : rotate_orth(gray, out.info.rotation);
  }

  // Photographed paper curls and bows its lines, which deskewing cannot undo. Photos are
  // what we look for them in: a sheet leaning in the picture, or an image without a scanner's
  // resolution (none at all, or a screen's or camera's 72-96 dpi).
  const bool photo = how.photographed || raw.dpi_assumed || raw.dpi < kMinScannerDpi;
  if (photo && how.allow_straighten) out.info.lines_straightened = straighten_lines(color, gray);
  if (photo && how.local_dewarp) {
    const LocalCurl c = local_dewarp(color, gray);
    if (curl) *curl = c;
  }

  const Skew skew = measure_skew(gray);
  // Resampling blurs; it is worth it only when it moves a line's end by a couple of pixels.
  const double shift_px = std::fabs(std::tan(skew.degrees * M_PI / 180.0)) * gray.width();
  if (std::fabs(skew.degrees) >= kMinSkewDeg && skew.confidence >= kMinSkewConf && shift_px >= kMinSkewShiftPx) {
    out.info.skew_deg = skew.degrees;
    color = rotate_by(color, skew.degrees);
    gray = gray_is_color ? color.clone() : rotate_by(gray, skew.degrees);
  }

  out.barcodes = read_barcodes(gray, raw.dpi);
  out.info.separator = std::any_of(out.barcodes.begin(), out.barcodes.end(), is_separator_code);

  // The OCR image: coloured ink out, paper flattened, form furniture out. The PDF keeps `color`.
  static const char* knobs = std::getenv("SOHOA_CLEAN");  // measuring aid: which cleaning steps run
  const std::string steps = knobs ? knobs : "color,background,furniture";
  if (steps.find("color") != std::string::npos && !how.keep_colour) {
    // A photo's light tints and dims the ink: judge colours against the local paper's.
    CleanStats cs;
    gray = photo ? gray_without_color_ink(balance_to_paper(color), &cs) : gray_without_color_ink(color, &cs);
    if (colour_share && cs.color_pixels > 0) {
      const std::array<uint32_t, 256> hist = gray_histogram(gray);
      double dark = 0;
      for (int v = 0; v < 128; ++v) dark += hist[v];
      *colour_share = cs.color_pixels / std::max(1.0, dark);
    }
  }
  if (steps.find("background") != std::string::npos)
    gray = normalize_background(gray, out.info.sheet_rectified, how.keep_light_ink, &out.light_ink);

  // Tesseract reads best with letters ~25-35 px tall. Upsample pages under 250 dpi to 300, and
  // any page whose letters are small whatever its resolution claims (screenshots, photos,
  // ID cards, images with no or a wrong resolution).
  const double glyph = median_glyph_height(gray);
  out.glyph_px = glyph;
  // Cleaning at the scan's own resolution: cheaper, and lines and dots are crisper than after
  // interpolation. Its sizes follow the letters, so a wrong or missing resolution does no harm.
  if (steps.find("furniture") != std::string::npos) gray = remove_form_furniture(gray, raw.dpi, glyph);
  double factor = raw.dpi < kOcrMinDpi ? 300.0 / raw.dpi : 1.0;
  if (glyph > 0 && glyph * factor < kMinGlyphPx) factor = kTargetGlyphPx / glyph;
  factor = std::min(factor, kMaxUpsample);
  const double max_factor = std::sqrt(kMaxOcrPixels / (static_cast<double>(gray.width()) * gray.height()));
  factor = std::min(factor, std::max(1.0, max_factor));
  out.ocr_dpi = raw.dpi;
  if (factor > 1.05) {
    const float f = static_cast<float>(factor);
    gray = Image(pixScaleGrayLI(gray.get(), f, f));
    out.ocr_dpi = raw.dpi * factor;
    out.ocr_scale = factor;
  }
  out.color = std::move(color);
  out.ocr = std::move(gray);
  return out;
}

/// How well a recognised page reads: its length-weighted mean word confidence, and how many
/// confidently read characters it holds (text found, not junk).
struct Reading {
  double mean_confidence = 0;
  double confident_chars = 0;
};
Reading reading_of(const OcrResult& r) {
  Reading out;
  out.mean_confidence = r.mean_confidence;
  for (const OcrWord& w : r.words)
    if (w.confidence > 60) out.confident_chars += static_cast<double>(text::length(w.text));
  return out;
}

/// Characters in words that are Vietnamese syllables: Tesseract's own confidence stays near 88
/// on a small blurred photo whether a leaning header line reads or not.
double syllable_chars(const OcrResult& r) {
  double n = 0;
  for (const OcrWord& w : r.words) n += static_cast<double>(lexicon::syllable_letters(w.text));
  return n;
}

/// Whether the page with a risky step reads clearly worse than without it. Where the step cut
/// other sheets away, the safe version holds their text too: only confidence compares then.
bool reads_worse(const Reading& risky, const Reading& safe, bool step_drops_text) {
  if (risky.mean_confidence + kWorseConfidence < safe.mean_confidence) return true;
  return !step_drops_text && risky.confident_chars < kWorseTextShare * safe.confident_chars;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

/// A step that resamples or keeps more ink must read better, not merely no worse: more of the
/// page in Vietnamese syllables, and no worse by confidence or text found. Both pages are read
/// (`chosen` only if not yet); `stepped` replaces `chosen` when it wins. The step is recorded
/// either way with the figures (`without`: what the page without the step is called).
void keep_if_better(PreparedPage& chosen, PreparedPage&& stepped, const std::string& step, const std::string& found,
                    const std::string& without, ocr::Engine& engine) {
  if (!chosen.recognized) chosen.recognized = engine.recognize(chosen.ocr, chosen.ocr_dpi);
  stepped.recognized = engine.recognize(stepped.ocr, stepped.ocr_dpi);
  const Reading r = reading_of(*stepped.recognized), u = reading_of(*chosen.recognized);
  const double rs = syllable_chars(*stepped.recognized), us = syllable_chars(*chosen.recognized);
  const std::string figures = found + (found.empty() ? "" : "; ") + "mean confidence " + fmt(r.mean_confidence) + " vs " +
                              fmt(u.mean_confidence) + " " + without + ", confident characters " +
                              fmt(r.confident_chars) + " vs " + fmt(u.confident_chars) +
                              ", characters in Vietnamese syllables " + fmt(rs) + " vs " + fmt(us);
  if (reads_worse(r, u, false) || rs <= us) {
    chosen.info.prepare.push_back({step, false, "read no better than " + without + ": " + figures});
    return;
  }
  stepped.info.prepare = chosen.info.prepare;
  stepped.info.other_sheets = chosen.info.other_sheets;
  stepped.info.prepare.push_back({step, true, "proved by recognition: " + figures});
  chosen = std::move(stepped);
}

}  // namespace

PreparedPage prepare_page(RawPage raw, int number, ocr::Engine& engine) {
  PageInfo base;
  base.number = number;
  base.dpi = raw.dpi;
  base.dpi_assumed = raw.dpi_assumed;
  Image gray = to_gray8(raw.image);
  if (raw.text_layer) {
    // A page with a real text layer is kept as the PDF drew it: its word boxes fit this image.
    PreparedPage out;
    out.info = base;
    out.info.blank = is_blank(gray);
    out.text_layer = std::move(raw.text_layer);
    out.color = std::move(raw.image);
    return out;
  }
  // A photographed sheet on a table: cut it out and square it up before anything else looks
  // at the page, so the surround is neither ink nor paper to the later steps.
  const PageOutline sheet = find_page_outline(raw.image);
  Image whole(pixClone(raw.image.get()));  // shares the pixels; the uncut picture, should the cut be refused
  Develop how;
  if (sheet.found) {
    raw.image = rectify_page(raw.image, sheet);
    gray = to_gray8(raw.image);
    how.sheet_rectified = true;
    how.photographed = !sheet.square;
    base.prepare.push_back({"sheet_crop", true, sheet.square ? "square sheet cut from its border" : "leaning sheet cut out and squared up"});
    for (const auto& o : sheet.others) base.other_sheets.push_back({o[0], o[1], o[2], o[3]});
  } else if (!sheet.rejected.empty()) {
    base.prepare.push_back({"sheet_crop", false, sheet.rejected});
  }
  base.blank = is_blank(gray);
  if (base.blank) {
    PreparedPage out;
    out.info = base;
    out.color = std::move(raw.image);
    return out;
  }

  Image developed(pixClone(raw.image.get()));  // the picture develop() starts from, for a second reading
  // What the chosen version was developed from and how, for the local curl's second reading.
  Image chosen_source(pixClone(raw.image.get()));
  Develop chosen_how = how;
  PageInfo chosen_base = base;
  double colour_share = 0;
  PreparedPage chosen = develop(std::move(raw.image), raw, base, how, engine, &colour_share);
  // Never worse than the raw page: a step that is in doubt must prove itself by recognition,
  // the page read with and without it; the clearly worse reading loses. The doubt is kept to
  // pages where the step could lose text: a leaning sheet that is not the only paper in view
  // stands out weakly, or has text-like marks just beyond its outline (paper in a shadow left
  // out, or another sheet).
  const bool crop_in_doubt = sheet.found && !sheet.square && (!sheet.others.empty() || sheet.text_outside || sheet.contrast < kSureSheetStep);
  if (crop_in_doubt && !chosen.info.separator) {
    Develop safe;  // the whole picture, as taken
    safe.photographed = true;
    Image whole_source(pixClone(whole.get()));
    PreparedPage uncut = develop(std::move(whole), raw, base, safe, engine);
    chosen.recognized = engine.recognize(chosen.ocr, chosen.ocr_dpi);
    uncut.recognized = engine.recognize(uncut.ocr, uncut.ocr_dpi);
    const Reading r = reading_of(*chosen.recognized), u = reading_of(*uncut.recognized);
    const std::string figures = "mean confidence " + fmt(r.mean_confidence) + " vs " + fmt(u.mean_confidence) +
                                " uncut, confident characters " + fmt(r.confident_chars) + " vs " + fmt(u.confident_chars);
    if (reads_worse(r, u, !sheet.others.empty())) {
      uncut.info.prepare.clear();
      uncut.info.other_sheets.clear();
      uncut.info.prepare.push_back({"sheet_crop", false, "read worse than the uncut picture: " + figures});
      chosen = std::move(uncut);
      chosen_source = std::move(whole_source);
      chosen_how = safe;
    } else {
      chosen.info.prepare.back().reason += "; proved by recognition: " + figures;
    }
  }
  // Colour removal in doubt proves itself the same way: read with and without it.
  if (colour_share >= kColourDoubtShare && !chosen.info.separator && chosen.info.sheet_rectified == how.sheet_rectified) {
    Develop plain = how;
    plain.keep_colour = true;
    PreparedPage kept = develop(std::move(developed), raw, chosen.info, plain, engine);
    if (!chosen.recognized) chosen.recognized = engine.recognize(chosen.ocr, chosen.ocr_dpi);
    kept.recognized = engine.recognize(kept.ocr, kept.ocr_dpi);
    const Reading r = reading_of(*chosen.recognized), k = reading_of(*kept.recognized);
    const std::string figures = "colour ink " + fmt(colour_share) + " per dark pixel left; mean confidence " +
                                fmt(r.mean_confidence) + " vs " + fmt(k.mean_confidence) +
                                " with the colour kept, confident characters " + fmt(r.confident_chars) + " vs " +
                                fmt(k.confident_chars);
    if (reads_worse(r, k, false)) {
      kept.info.prepare.push_back({"color_removal", false, "read worse than with the colour ink kept: " + figures});
      chosen_base = chosen.info;
      chosen = std::move(kept);
      chosen_how = plain;
    } else {
      chosen.info.prepare.push_back({"color_removal", true, "proved by recognition: " + figures});
    }
  }
  // Grey letters kept dark need a source to be developed from once the curl's reading is done.
  Image light_source = chosen.light_ink && !chosen.info.separator ? Image(pixClone(chosen_source.get())) : Image();
  // A small photo's local curl, levelled line by line, must prove itself the same way, and
  // read better, not merely no worse: more of the page in Vietnamese syllables. Resampling a
  // page that reads as well without it only blurs it.
  const bool photo = chosen_how.photographed || raw.dpi_assumed || raw.dpi < kMinScannerDpi;
  if (photo && chosen_how.allow_straighten && !chosen.info.separator && chosen.glyph_px > 0 &&
      chosen.glyph_px < kSmallPhotoGlyphPx) {
    Develop dense = chosen_how;
    dense.local_dewarp = true;
    LocalCurl curl;
    PreparedPage levelled = develop(std::move(chosen_source), raw, chosen_base, dense, engine, nullptr, &curl);
    const std::string found = "letters " + fmt(chosen.glyph_px) + " px; " + std::to_string(curl.lines) +
                              " lines, the furthest " + fmt(curl.max_shift_px) + " px from level";
    if (!curl.applied) {
      chosen.info.prepare.push_back({"local_dewarp", false, "no local curl to level: " + found});
    } else {
      keep_if_better(chosen, std::move(levelled), "local_dewarp", found, "without", engine);
      if (chosen.info.prepare.back().applied) chosen_how = dense;
    }
  }
  // Grey letters (a faded or dim photo's print, lighter than the paper's map tells from paper)
  // fade with the paper. Kept dark they read better, unless what is kept with them (a ghost of
  // a line, show-through, a blurred underline touching the letters) reads as junk: the kept
  // version must read better, in more Vietnamese syllables, and no worse.
  // Only a page that reads poorly faded is in doubt: its reading is the one OCR keeps, so
  // looking costs nothing, and a page read surely has little to gain for a second reading's cost.
  if (light_source) {
    if (!chosen.recognized) chosen.recognized = engine.recognize(chosen.ocr, chosen.ocr_dpi);
    const double faded = chosen.recognized->mean_confidence;
    if (faded >= kSureReadingConfidence) {
      chosen.info.prepare.push_back({"keep_light_ink", false, "not tried: read faded at mean confidence " + fmt(faded)});
    } else {
      Develop dark = chosen_how;
      dark.keep_light_ink = true;
      keep_if_better(chosen, develop(std::move(light_source), raw, chosen_base, dark, engine), "keep_light_ink", "",
                     "faded", engine);
    }
  }
  if (chosen.info.lines_straightened) chosen.info.prepare.push_back({"straighten_lines", true, ""});
  return chosen;
}

}  // namespace sohoa::prepare
