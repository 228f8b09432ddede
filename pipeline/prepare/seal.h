// Red seals and stamps on a page: where they are, so that the layout can set them apart from the
// text they are pressed over.
#pragma once
#include <vector>

#include "core/image.h"
#include "core/types.h"

namespace sohoa::prepare {

/// Seal ink: red well above green (yellowed paper is red+green) and above blue.
inline bool seal_red(int r, int g, int b) { return r >= g && r >= b && r - g > 60 && r - b > 40; }

/// Boxes (pixels of `color`) of red ink shaped like a seal: a blob 15 to 70 mm across, about as
/// tall as wide, neither a thin stroke nor a solid block. Empty for a grey page.
std::vector<Box> find_seals(const Image& color, double dpi);

}  // namespace sohoa::prepare
