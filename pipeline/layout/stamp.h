// Seals and stamps as regions of their own.
#pragma once
#include <vector>

#include "core/types.h"

namespace sohoa::layout {

/// Adds a `stamp` region for each seal box (pixels of the prepared page), read right after the
/// region it overlaps most (last when it overlaps none). A line of a region that lies wholly
/// inside the seal and that OCR doubts (mean confidence under 60: the seal's own ink, its ring
/// read as letters) moves to the stamp, so that it never cuts the text the seal is pressed over;
/// the page text is read again from the regions.
void add_stamps(Page& page, const std::vector<Box>& seals);

}  // namespace sohoa::layout
