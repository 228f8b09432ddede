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
    // 18 dpi is plenty for a 9x8 thumbnail and keeps this a few ms a page.
    poppler::image img = renderer.render_page(page.get(), 18, 18);
    if (!img.is_valid()) return "";
    cv::Mat rgb(img.height(), img.width(), CV_8UC3, img.data(), img.bytes_per_row());
    cv::Mat grey, small;
    cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
    cv::resize(grey, small, cv::Size(9, 8), 0, 0, cv::INTER_AREA);
    unsigned long long h = 0;
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x) h = (h << 1) | (small.at<uint8_t>(y, x) > small.at<uint8_t>(y, x + 1) ? 1u : 0u);
    any = any || h != 0;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", h);
    out += (out.empty() ? "" : ".") + std::string(buf);
  }
  return any ? out : "";
}

}  // namespace sohoa::archive
