// A scanned page's OCR joined with the words of a partial PDF text layer drawn over the scan.
#pragma once
#include <vector>

#include "core/types.h"

namespace sohoa::ocr {

/// How the prepared page was made from the raw page: a quarter turn, then a deskew about the
/// centre (both clockwise, as prepare applies them), on an image of raw_w x raw_h pixels.
struct PageTransform {
  int raw_w = 0, raw_h = 0;
  int rotation_cw = 0;
  double skew_deg = 0;
};

/// Box of the raw page, in pixels of the prepared page.
Box map_box(const Box& b, const PageTransform& t);

/// Adds to `ocr` the text-layer words (pixels of the raw page) that OCR did not already read
/// where they are: a layer word covering an OCR word by half of the smaller box is the same
/// print read twice. Kept words keep their own lines. Returns how many were added; ocr.text is
/// left for the caller to rebuild in reading order.
int merge_layer_words(OcrResult& ocr, const std::vector<OcrWord>& layer, const PageTransform& t);

}  // namespace sohoa::ocr
