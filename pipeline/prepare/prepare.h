// Page preparation: blank detection, orientation, deskew, and the image that goes to OCR.
#pragma once
#include <string>

#include "core/types.h"
#include "ocr/engine.h"

namespace sohoa::prepare {

struct PreparedPage {
  Image color;            // upright and deskewed, original depth; what document.pdf shows
  Image ocr;              // 8-bit grey for recognition, at ocr_dpi
  double ocr_dpi = 300;
  double ocr_scale = 1;   // ocr pixels per colour pixel
  PageInfo info;
  std::optional<OcrResult> text_layer;  // carried over from a PDF page with real text
  std::vector<std::string> barcodes;
  // The page already recognised (in `ocr` pixels), when preparation had to read it to choose
  // between two versions of it: recognition need not run again.
  std::optional<OcrResult> recognized;
  double glyph_px = 0;  // median letter height before upsampling, in `color` pixels; 0 = unknown
  bool light_ink = false;  // letters lighter than the paper's map tells from paper (clean.h)
};

/// Share of dark pixels on the page (0-1), ignoring a margin where scanner borders live.
double ink_coverage(const Image& gray8);
bool is_blank(const Image& gray8);

/// Skew angle in degrees (positive: the text rises to the right) and Leptonica's confidence.
struct Skew {
  double degrees = 0;
  double confidence = 0;
};
Skew measure_skew(const Image& gray8);
Image rotate_by(const Image& img, double degrees);

struct Orientation {
  int rotation_cw = 0;
  double confidence = 0;  // 0-1
  std::string method;     // "text_statistics" or "recognition"
};
/// Which clockwise turn makes the page upright.
Orientation decide_orientation(const Image& gray8, double dpi, ocr::Engine& engine);

PreparedPage prepare_page(RawPage raw, int number, ocr::Engine& engine);

}  // namespace sohoa::prepare
