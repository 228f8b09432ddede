#include "core/image.h"

#include <stdexcept>

namespace sohoa {

Image to_gray8(const Image& img) {
  PIX* src = img.get();
  if (!src) return Image();
  PIX* nocmap = pixRemoveColormap(src, REMOVE_CMAP_BASED_ON_SRC);
  PIX* base = nocmap ? nocmap : pixClone(src);
  PIX* out = nullptr;
  switch (pixGetDepth(base)) {
    case 8: out = pixClone(base); break;
    case 32: out = pixConvertRGBToLuminance(base); break;
    default: out = pixConvertTo8(base, 0); break;
  }
  pixDestroy(&base);
  return Image(out);
}

Image to_rgb32(const Image& img) {
  if (!img) return Image();
  return Image(pixConvertTo32(img.get()));
}

Image rotate_orth(const Image& img, int degrees_cw) {
  int quads = ((degrees_cw % 360) + 360) % 360 / 90;
  if (!img) return Image();
  if (quads == 0) return img.clone();
  return Image(pixRotateOrth(img.get(), quads));
}

cv::Mat gray_to_mat(const Image& gray8) {
  PIX* pix = gray8.get();
  if (!pix || pixGetDepth(pix) != 8) throw std::invalid_argument("gray_to_mat needs an 8-bit image");
  const int w = pixGetWidth(pix), h = pixGetHeight(pix);
  cv::Mat mat(h, w, CV_8UC1);
  const l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < h; ++y) {
    const l_uint32* line = data + y * wpl;
    uchar* row = mat.ptr<uchar>(y);
    for (int x = 0; x < w; ++x) row[x] = GET_DATA_BYTE(line, x);
  }
  return mat;
}

Image mat_to_gray(const cv::Mat& mat) {
  if (mat.type() != CV_8UC1) throw std::invalid_argument("mat_to_gray needs CV_8UC1");
  PIX* pix = pixCreate(mat.cols, mat.rows, 8);
  l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < mat.rows; ++y) {
    l_uint32* line = data + y * wpl;
    const uchar* row = mat.ptr<uchar>(y);
    for (int x = 0; x < mat.cols; ++x) SET_DATA_BYTE(line, x, row[x]);
  }
  return Image(pix);
}

}  // namespace sohoa
