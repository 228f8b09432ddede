// Cleaning the image that goes to OCR (never the one the PDF shows): what Tesseract would
// otherwise read as junk characters or let swallow the text.
#pragma once
#include "core/image.h"

namespace sohoa::prepare {

struct CleanStats {
  int leader_dots = 0;   // components removed as dotted leaders
  int rule_pixels = 0;   // pixels of long horizontal/vertical lines removed
  int check_boxes = 0;
  int border_pixels = 0; // dark scanner border removed
  int color_pixels = 0;  // red/blue ink (seals, signatures) removed
  int color_print_pixels = 0;  // red/blue ink kept as printed text lines (titles, headings)
};

/// Grey image for OCR from any page: coloured ink (red seals, blue signatures) turned white,
/// except lines of colour-printed text, which are kept as dark ink.
Image gray_without_color_ink(const Image& page, CleanStats* stats = nullptr);

/// Removes dotted leaders, rule lines, check boxes and dark scanner borders from an 8-bit grey
/// page in place of a copy, returning the cleaned copy.
/// glyph_px: median glyph height (median_glyph_height), which sizes the leader dots; 0 = unknown.
Image remove_form_furniture(const Image& gray8, double dpi, double glyph_px = 0, CleanStats* stats = nullptr);

/// Typical letter height in pixels (upper quartile of glyph-like ink components; 0 when too few):
/// how large the text really is, whatever resolution the file claims.
double median_glyph_height(const Image& gray8);

/// Flattens uneven or yellowed background to white, keeping ink dark; with whiten_grain, also
/// the grain of the paper (for photographs). Letters lighter than Leptonica's paper map expects
/// (a faded photo's grey print) fade with the paper unless keep_light_ink; light_ink, when
/// given, tells whether the page's letters are that light.
Image normalize_background(const Image& gray8, bool whiten_grain = false, bool keep_light_ink = false,
                           bool* light_ink = nullptr);

}  // namespace sohoa::prepare
