// Photographed pages: the sheet found in the picture and squared up.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "core/image.h"

namespace sohoa::prepare {

struct PageOutline {
  bool found = false;
  // Corners of the sheet in image pixels: top-left, top-right, bottom-right, bottom-left.
  std::array<double, 8> corners{};
  double contrast = 0;  // paper tone minus surround tone, grey levels
  bool square = false;  // lying square in the picture (a scan's dark border), not leaning (a photo)
  // Further sheets in view (a letter half under this one, forms at the edge): their boxes in
  // image pixels (x, y, w, h). They are not the page and are not read.
  std::vector<std::array<int, 4>> others;
  bool text_outside = false;  // text-like marks just beyond an edge: the outline may leave text out
  std::string rejected;  // why a sheet that was seen is not cut out; empty when none was rejected
};

/// The sheet of paper in a photo (or a scan with dark borders), found by its paper and its four
/// straight edges: bright, and (in a colour picture) unsaturated, so a wooden table's bright
/// grain is not paper; each edge a step down to what lies outside (the table, or a sheet it
/// lies on). Of several sheets the one in front wins: the largest, whole and central. Not found
/// when the paper fills the picture, no four-sided sheet stands out, or the only one would cut
/// through text lines (then `rejected` says so).
PageOutline find_page_outline(const Image& img);

/// The sheet cut out of the picture with its perspective undone: a rectangle as wide and tall
/// as the sheet's longer opposite edges. Any depth Leptonica interpolates (8 or 32 bpp).
Image rectify_page(const Image& img, const PageOutline& outline);

/// Text lines of a curled sheet made straight: Leptonica's vertical disparity model, fitted to
/// the long text lines, applied to both images (same size). False, images untouched, when the
/// page has too few long lines for a model or its lines are already straight.
bool straighten_lines(Image& color, Image& gray8);

/// What local_dewarp() found: whether it moved the page, and how far a text line's own curve
/// strayed from level (the largest, in pixels), over how many lines.
struct LocalCurl {
  bool applied = false;
  double max_shift_px = 0;
  int lines = 0;
};

/// Text lines of a curled sheet levelled one by one: each line's centre (found at the scale of
/// the page's letters), fitted with its own quadratic over its own extent, becomes a level row,
/// and between lines the vertical shift is interpolated (a Gaussian kernel, wide along the
/// lines, narrow across them; a far wider one beyond their ends). Where one corner
/// of the sheet lifts off the table its lines bow and lean unlike the rest of the page, which
/// the page-wide model of straighten_lines cannot follow. Applied to both images (same size)
/// when some line strays half a letter's height or more from level.
LocalCurl local_dewarp(Image& color, Image& gray8);

/// A vertical map (map_y: for each output pixel, the source row) whose shift falls off faster
/// than the rows go by stands still or runs back: the output shows the same source rows again,
/// smeared tall or mirrored, a ghost of a line that OCR reads as junk. Going up each column,
/// the source is made to go up at least min_step rows per row; rows already in order keep
/// theirs, and what lay between takes up the difference.
void keep_rows_in_order(cv::Mat& map_y, float min_step = 0.5f);

/// Every colour channel divided by the local paper's, so the paper comes out white wherever
/// it is and whatever the light's tint: a photo's seal and pen ink then keep the colour a scan
/// would give them. 32-bit only (anything else is returned as it is).
Image balance_to_paper(const Image& color);

}  // namespace sohoa::prepare
