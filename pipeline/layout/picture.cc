// The layout drawn on the page, to see why a page reads the way it does (sohoa --debug-layout).
#include <leptonica/allheaders.h>

#include <algorithm>
#include <memory>
#include <string>

#include "core/error.h"
#include "layout/layout.h"

namespace sohoa::layout {
namespace {

struct BmfFree {
  void operator()(L_BMF* b) const { bmfDestroy(&b); }
};
struct BoxFree {
  void operator()(BOX* b) const { boxDestroy(&b); }
};

/// One colour per role, far enough apart to tell on a page of black text.
l_uint32 role_colour(RegionRole role) {
  static const l_uint8 rgb[][3] = {
      {0, 120, 255},  // header
      {220, 0, 0},    // title
      {0, 160, 0},    // body
      {255, 140, 0},  // table
      {160, 0, 200},  // signature
      {0, 170, 170},  // recipients
      {200, 0, 120},  // stamp
      {120, 80, 0},   // card
      {90, 90, 90},   // panel
  };
  const auto& c = rgb[static_cast<int>(role)];
  l_uint32 v = 0;
  composeRGBPixel(c[0], c[1], c[2], &v);
  return v;
}

}  // namespace

void write_picture(const Image& page, const std::vector<Region>& regions, const std::filesystem::path& png,
                   int max_side) {
  if (!page.get()) return;
  const int side = std::max(page.width(), page.height());
  const float scale = side > max_side ? static_cast<float>(max_side) / side : 1.0f;
  Image small(scale < 1 ? pixScale(page.get(), scale, scale) : pixClone(page.get()));
  Image rgb = to_rgb32(small);
  if (!rgb.get()) throw Error(ErrorCode::internal, "cannot draw the layout picture");
  const int stroke = std::max(2, static_cast<int>(side * scale / 400));
  std::unique_ptr<L_BMF, BmfFree> font(bmfCreate(nullptr, 10));
  for (const Region& r : regions) {
    const l_uint32 colour = role_colour(r.role);
    l_int32 rr, gg, bb;
    extractRGBValues(colour, &rr, &gg, &bb);
    const int pad = stroke * 2;
    std::unique_ptr<BOX, BoxFree> box(boxCreate(static_cast<int>(r.box.x * scale) - pad, static_cast<int>(r.box.y * scale) - pad,
                                                static_cast<int>(r.box.w * scale) + 2 * pad,
                                                static_cast<int>(r.box.h * scale) + 2 * pad));
    pixRenderBoxArb(rgb.get(), box.get(), stroke, rr, gg, bb);
    if (font) {
      const std::string label = std::to_string(r.order + 1) + " " + role_name(r.role);
      l_int32 width = 0, overflow = 0;
      pixSetTextline(rgb.get(), font.get(), label.c_str(), colour, std::max(0, static_cast<int>(r.box.x * scale) - pad),
                     std::max(12, static_cast<int>(r.box.y * scale) - pad - 2), &width, &overflow);
    }
  }
  if (pixWrite(png.c_str(), rgb.get(), IFF_PNG) != 0)
    throw Error(ErrorCode::output_io, "cannot write " + png.string());
}

}  // namespace sohoa::layout
