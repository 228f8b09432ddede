// document.pdf: each page image with an invisible, searchable text layer on its words.
#pragma once
#include <string>
#include <vector>

#include "core/types.h"

namespace sohoa::output {

/// Compresses a prepared page for the PDF: G4 for 1-bpp, JPEG for grey and colour.
EncodedImage encode_page_image(const Image& img, int jpeg_quality = 85);

struct PdfPage {
  const EncodedImage* image = nullptr;
  const OcrResult* ocr = nullptr;   // boxes in image pixels
  double dpi = 300;
};

struct PdfInfo {
  std::string title;
  std::string producer;
};

/// The whole PDF as bytes; deterministic for the same input (no clock, fixed ID).
std::string write_pdf(const std::vector<PdfPage>& pages, const PdfInfo& info);

/// Path of the glyph-less font Tesseract ships for its own PDF output.
std::string find_glyphless_font();

}  // namespace sohoa::output
