// Photographed pages: the sheet found in the picture and squared up.
#pragma once
#include <array>

#include "core/image.h"

namespace sohoa::prepare {

struct PageOutline {
  bool found = false;
  // Corners of the sheet in image pixels: top-left, top-right, bottom-right, bottom-left.
  std::array<double, 8> corners{};
  double contrast = 0;  // paper tone minus surround tone, grey levels
  bool square = false;  // lying square in the picture (a scan's dark border), not leaning (a photo)
};

/// The sheet of paper in a photo (or a scan with dark borders): the one large bright
/// quadrilateral whose surround is clearly darker. Not found when the paper fills the picture
/// or no four-sided sheet stands out.
PageOutline find_page_outline(const Image& gray8);

/// The sheet cut out of the picture with its perspective undone: a rectangle as wide and tall
/// as the sheet's longer opposite edges. Any depth Leptonica interpolates (8 or 32 bpp).
Image rectify_page(const Image& img, const PageOutline& outline);

/// Text lines of a curled sheet made straight: Leptonica's vertical disparity model, fitted to
/// the long text lines, applied to both images (same size). False, images untouched, when the
/// page has too few long lines for a model or its lines are already straight.
bool straighten_lines(Image& color, Image& gray8);

/// Every colour channel divided by the local paper's, so the paper comes out white wherever
/// it is and whatever the light's tint: a photo's seal and pen ink then keep the colour a scan
/// would give them. 32-bit only (anything else is returned as it is).
Image balance_to_paper(const Image& color);

}  // namespace sohoa::prepare
