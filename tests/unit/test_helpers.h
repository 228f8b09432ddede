// Small builders of real images and files for stage tests.
#pragma once
#include <filesystem>
#include <random>
#include <string>

#include "core/image.h"
#include "ocr/engine.h"

namespace sohoa::fixtures {

/// A white page with rows of dark "words" (random widths), like a printed text page.
inline Image text_like_page(int w = 2480, int h = 3508, unsigned seed = 7) {
  PIX* pix = pixCreate(w, h, 8);
  pixSetAllArbitrary(pix, 255);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> word(60, 260), gap(25, 45);
  for (int y = 300; y < h - 300; y += 90) {
    int x = 250;
    while (true) {
      const int ww = word(rng);
      if (x + ww > w - 250) break;
      BOX* box = boxCreate(x, y, ww, 38);
      pixSetInRectArbitrary(pix, box, 20);
      boxDestroy(&box);
      x += ww + gap(rng);
    }
  }
  return Image(pix);
}

inline std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("sohoa-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// Recognises every page as the same two words, so the batch can be tested without Tesseract.
class FakeEngine : public ocr::Engine {
 public:
  OcrResult recognize(const Image& img, double, bool, bool) override {
    OcrResult r;
    r.lines = {{{10, 10, img.width() / 2, 40}, 50}};
    r.words = {{"Giấy", {10, 10, 100, 40}, 90, 0}, {"phép", {120, 10, 100, 40}, 90, 0}};
    r.text = "Giấy phép";
    r.mean_confidence = 90;
    return r;
  }
};

}  // namespace sohoa::fixtures
