// RAII ownership of Leptonica images; the one place Pix and cv::Mat meet.
#pragma once
#include <leptonica/allheaders.h>

#include <array>
#include <cstdint>
#include <opencv2/core.hpp>
#include <utility>

namespace sohoa {

class Image {
 public:
  Image() = default;
  explicit Image(PIX* pix) : pix_(pix) {}
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;
  Image(Image&& other) noexcept : pix_(std::exchange(other.pix_, nullptr)) {}
  Image& operator=(Image&& other) noexcept {
    if (this != &other) reset(std::exchange(other.pix_, nullptr));
    return *this;
  }
  ~Image() { reset(); }

  void reset(PIX* pix = nullptr) {
    if (pix_) pixDestroy(&pix_);
    pix_ = pix;
  }
  PIX* get() const { return pix_; }
  PIX* release() { return std::exchange(pix_, nullptr); }
  explicit operator bool() const { return pix_ != nullptr; }
  int width() const { return pix_ ? pixGetWidth(pix_) : 0; }
  int height() const { return pix_ ? pixGetHeight(pix_) : 0; }
  int depth() const { return pix_ ? pixGetDepth(pix_) : 0; }
  Image clone() const { return Image(pix_ ? pixClone(pix_) : nullptr); }
  Image copy() const { return Image(pix_ ? pixCopy(nullptr, pix_) : nullptr); }

 private:
  PIX* pix_ = nullptr;
};

/// 8-bit grey copy of any Pix (colourmaps removed, 1-bpp expanded, RGB to luminance).
Image to_gray8(const Image& img);
/// 32-bit RGB copy of any Pix.
Image to_rgb32(const Image& img);
/// Rotate clockwise by a multiple of 90 degrees.
Image rotate_orth(const Image& img, int degrees_cw);

/// Pixels of each grey level of an 8-bit Pix, counted a word (four pixels) at a time:
/// pixGetGrayHistogram adds floats one pixel at a time, several times slower.
std::array<uint32_t, 256> gray_histogram(const Image& gray8);

/// Views an 8-bit grey Pix as a cv::Mat copy (OpenCV rows are contiguous, Pix rows are padded words).
cv::Mat gray_to_mat(const Image& gray8);
Image mat_to_gray(const cv::Mat& mat);

}  // namespace sohoa
