#include "prepare/prepare.h"

#include <cmath>

namespace sohoa::prepare {
namespace {

constexpr double kOcrMinDpi = 250;   // below this Tesseract loses diacritics; upsample to 300
constexpr double kBlankInk = 0.0015; // share of dark pixels under which a page holds nothing
constexpr double kMinSkewConf = 2.5; // Leptonica's own deskew default is in this range
constexpr double kMinSkewDeg = 0.1;

Image binarize(const Image& gray8) {
  // Local background normalisation first, so yellowed or unevenly lit paper does not turn black.
  PIX* bin = nullptr;
  if (pixOtsuAdaptiveThreshold(gray8.get(), 256, 256, 0, 0, 0.1f, nullptr, &bin) != 0 || !bin)
    bin = pixThresholdToBinary(gray8.get(), 128);
  return Image(bin);
}

}  // namespace

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

  // Orientation: Tesseract's OSD on the grey page.
  if (auto guess = engine.detect_orientation(gray, raw.dpi)) {
    out.info.rotation = guess->rotation_cw;
    out.info.rotation_confidence = guess->confidence;
  }
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

  out.ocr_dpi = raw.dpi;
  if (raw.dpi < kOcrMinDpi) {
    const float factor = static_cast<float>(300.0 / raw.dpi);
    gray = Image(pixScaleGrayLI(gray.get(), factor, factor));
    out.ocr_dpi = 300;
    out.ocr_scale = factor;
  }
  out.color = std::move(color);
  out.ocr = std::move(gray);
  return out;
}

}  // namespace sohoa::prepare
