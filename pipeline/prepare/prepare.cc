#include "prepare/prepare.h"

#include <cstdlib>

#include "prepare/barcodes.h"
#include "prepare/clean.h"

#include <algorithm>
#include <cmath>

namespace sohoa::prepare {
namespace {

constexpr double kOcrMinDpi = 250;   // below this Tesseract loses diacritics; upsample to 300
constexpr double kMinGlyphPx = 16;    // letter height under which a page is upsampled...
constexpr double kTargetGlyphPx = 28; // ...to this height
constexpr double kMaxUpsample = 4;
constexpr double kMaxOcrPixels = 60e6;  // cap on the upsampled OCR image
constexpr double kBlankInk = 0.0015; // share of dark pixels under which a page holds nothing
constexpr double kMinSkewConf = 2.5; // Leptonica's own deskew default is in this range
constexpr double kMinSkewDeg = 0.1;
// Leptonica's orientation confidences on printed A4 pages run 8-20; under 5 it is guessing.
constexpr double kSureLeptConfidence = 5;
constexpr double kOverwhelmingLeptConfidence = 15;
// Tesseract's OSD confidences on Vietnamese pages run 5-17 even when right.
constexpr double kSureOsdConfidence = 8;

Image binarize(const Image& gray8) {
  // Local background normalisation first, so yellowed or unevenly lit paper does not turn black.
  PIX* bin = nullptr;
  if (pixOtsuAdaptiveThreshold(gray8.get(), 256, 256, 0, 0, 0.1f, nullptr, &bin) != 0 || !bin)
    bin = pixThresholdToBinary(gray8.get(), 128);
  return Image(bin);
}

/// How much sense recognition makes of a patch: confident characters count, junk does not.
double recognition_score(ocr::Engine& engine, const Image& gray, double dpi) {
  const OcrResult r = engine.recognize(gray, dpi, /*single_block=*/true);
  double score = 0;
  for (const OcrWord& w : r.words)
    if (w.confidence > 50) score += (w.confidence - 50) * static_cast<double>(w.text.size());
  return score;
}

/// The central part of the page, where body text is; small enough to recognise quickly.
Image central_patch(const Image& gray8) {
  const int w = gray8.width(), h = gray8.height();
  const int side = std::min(w, h) * 45 / 100;
  BOX* box = boxCreate((w - side) / 2, (h - side) / 2, side, side);
  Image patch(pixClipRectangle(gray8.get(), box, nullptr));
  boxDestroy(&box);
  return patch;
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
  // overwhelming, a turn they propose must also read better than the page as it is.
  auto confirmed = [&](int rotation, double strength) {
    if (rotation == 0 || strength >= kOverwhelmingLeptConfidence) return true;
    const Image patch = central_patch(gray8);
    return recognition_score(engine, rotate_orth(patch, rotation), dpi) > recognition_score(engine, patch, dpi);
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
  // 2. Tesseract's OSD (about 1.5 s a page), trusted only when it is sure.
  std::optional<ocr::OrientationGuess> guess = engine.detect_orientation(gray8, dpi);
  if (guess && guess->confidence >= kSureOsdConfidence) {
    out.rotation_cw = guess->rotation_cw;
    out.confidence = std::min(1.0, guess->confidence / (2 * kSureOsdConfidence));
    out.method = "osd";
    return out;
  }
  // 3. Both unsure (cards, small or noisy text): let recognition judge the four turns of a patch.
  Image patch = central_patch(gray8);
  double best = -1, second = -1;
  int best_rotation = guess ? guess->rotation_cw : 0;
  for (int rotation : {0, 90, 180, 270}) {
    const double score = recognition_score(engine, rotate_orth(patch, rotation), dpi);
    if (score > best) {
      second = best;
      best = score;
      best_rotation = rotation;
    } else if (score > second) {
      second = score;
    }
  }
  out.rotation_cw = best_rotation;
  out.method = "recognition";
  // Share of the winner over the runner-up: 0 = a tie, 1 = only one turn reads at all.
  out.confidence = best > 0 ? std::clamp(1.0 - std::max(second, 0.0) / best, 0.0, 1.0) : 0.0;
  return out;
}

double ink_coverage(const Image& gray8) {
  const int w = gray8.width(), h = gray8.height();
  const int mx = w / 12, my = h / 12;
  BOX* box = boxCreate(mx, my, w - 2 * mx, h - 2 * my);
  Image inner(pixClipRectangle(gray8.get(), box, nullptr));
  boxDestroy(&box);
  if (!inner) return 0;
  Image bin = binarize(inner);
  // Remove isolated specks (dust, fax noise) before counting.
  Image opened(pixSelectBySize(bin.get(), 3, 3, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr));
  l_int32 count = 0;
  pixCountPixels(opened ? opened.get() : bin.get(), &count, nullptr);
  return static_cast<double>(count) / (static_cast<double>(inner.width()) * inner.height());
}

bool is_blank(const Image& gray8) { return ink_coverage(gray8) < kBlankInk; }

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

PreparedPage prepare_page(RawPage raw, int number, ocr::Engine& engine) {
  PreparedPage out;
  out.info.number = number;
  out.info.dpi = raw.dpi;
  out.info.dpi_assumed = raw.dpi_assumed;
  Image gray = to_gray8(raw.image);
  out.info.blank = is_blank(gray);
  out.text_layer = std::move(raw.text_layer);
  if (out.info.blank || out.text_layer) {
    // A page with a real text layer is kept as the PDF drew it: its word boxes fit this image.
    out.color = std::move(raw.image);
    return out;
  }

  const Orientation orientation = decide_orientation(gray, raw.dpi, engine);
  out.info.rotation = orientation.rotation_cw;
  out.info.rotation_confidence = orientation.confidence;
  out.info.rotation_method = orientation.method;
  Image color = std::move(raw.image);
  if (out.info.rotation != 0) {
    color = rotate_orth(color, out.info.rotation);
    gray = rotate_orth(gray, out.info.rotation);
  }

  const Skew skew = measure_skew(gray);
  if (std::fabs(skew.degrees) >= kMinSkewDeg && skew.confidence >= kMinSkewConf) {
    out.info.skew_deg = skew.degrees;
    color = rotate_by(color, skew.degrees);
    gray = rotate_by(gray, skew.degrees);
  }

  out.barcodes = read_barcodes(gray, raw.dpi);
  out.info.separator = std::any_of(out.barcodes.begin(), out.barcodes.end(), is_separator_code);

  // The OCR image: coloured ink out, paper flattened, form furniture out. The PDF keeps `color`.
  static const char* knobs = std::getenv("SOHOA_CLEAN");  // measuring aid: which cleaning steps run
  const std::string steps = knobs ? knobs : "color,background,furniture";
  if (steps.find("color") != std::string::npos) gray = gray_without_color_ink(color);
  if (steps.find("background") != std::string::npos) gray = normalize_background(gray);

  // Tesseract reads best with letters ~25-35 px tall. Upsample pages under 250 dpi to 300, and
  // any page whose letters are small whatever its resolution claims (screenshots, photos,
  // ID cards, images with no or a wrong resolution).
  const double glyph = median_glyph_height(gray);
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

}  // namespace sohoa::prepare
