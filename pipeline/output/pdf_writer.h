// document.pdf: each page image with an invisible, searchable text layer on its words.
#pragma once
#include <string>
#include <vector>

#include "core/types.h"

class QPDF;

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
  std::string subject;      // the document type, e.g. "Giấy khai sinh (giay_khai_sinh)"
  std::string description;  // trích yếu, when known
  std::string created;      // ISO 8601 UTC "2025-03-01T08:00:00Z"; empty: no dates written
  std::string lang = "vi";
};

/// The whole PDF as bytes, PDF/A-2b: sRGB OutputIntent with an embedded ICC profile, XMP metadata
/// (pdfaid part 2, conformance B) matching the Info dictionary, embedded font, no encryption.
/// Deterministic for the same input (no clock: dates come from info.created; fixed ID).
std::string write_pdf(const std::vector<PdfPage>& pages, const PdfInfo& info);

/// document.pdf with its title, subject and description (Info and XMP) made anew from info; pages
/// and text layer unchanged. For a correction of the type or trích yếu at the review desk.
std::string retitle_pdf(const std::string& pdf, const PdfInfo& info);

/// A PDF qpdf holds, written out with a deterministic ID (the same content, the same bytes).
std::string qpdf_bytes(QPDF& q);

/// Path of an sRGB ICC profile from a Debian package (icc-profiles-free, colord or Ghostscript).
std::string find_srgb_profile();

/// Path of the glyph-less font Tesseract ships for its own PDF output.
std::string find_glyphless_font();

}  // namespace sohoa::output
