#include "archive/phash.h"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <cstdio>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace sohoa::archive {

std::string page_hashes(const std::filesystem::path& pdf) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(pdf.string()));
  if (!doc || doc->is_locked()) return "";
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_rgb24);
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  std::string out;
  bool any = false;
  for (int i = 0; i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) return "";
    // 16x16 cells, not the usual 8x8: pages of one template (every công văn's header and
    // signature block) must not hash alike, and 36 dpi is enough for a 17x16 thumbnail.
    poppler::image img = renderer.render_page(page.get(), 36, 36);
    if (!img.is_valid()) return "";
    cv::Mat rgb(img.height(), img.width(), CV_8UC3, img.data(), img.bytes_per_row());
    cv::Mat grey, small;
    cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
    cv::resize(grey, small, cv::Size(17, 16), 0, 0, cv::INTER_AREA);
    std::string hex;
    bool nonzero = false;
    for (int y = 0; y < 16; ++y) {
      unsigned h = 0;
      for (int x = 0; x < 16; ++x) h = (h << 1) | (small.at<uint8_t>(y, x) > small.at<uint8_t>(y, x + 1) ? 1u : 0u);
      nonzero = nonzero || h != 0;
      char buf[8];
      std::snprintf(buf, sizeof buf, "%04x", h);
      hex += buf;
    }
    any = any || nonzero;
    out += (out.empty() ? "" : ".") + hex;
  }
  return any ? out : "";
}

}  // namespace sohoa::archive
