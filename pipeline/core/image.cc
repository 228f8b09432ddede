#include "core/image.h"

#include <cstring>
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

namespace {

// Leptonica keeps an 8-bit row as 32-bit words with the first pixel in the most significant
// byte: on a little-endian machine each word's bytes are the pixels in reverse order.
void pix_row_to_bytes(const l_uint32* line, uchar* row, int w) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const int words = w / 4;
  for (int k = 0; k < words; ++k) {
    const l_uint32 v = __builtin_bswap32(line[k]);
    std::memcpy(row + 4 * k, &v, 4);
  }
  for (int x = 4 * words; x < w; ++x) row[x] = GET_DATA_BYTE(line, x);
#else
  std::memcpy(row, line, static_cast<size_t>(w));
#endif
}

void bytes_to_pix_row(const uchar* row, l_uint32* line, int w) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const int words = w / 4;
  for (int k = 0; k < words; ++k) {
    l_uint32 v;
    std::memcpy(&v, row + 4 * k, 4);
    line[k] = __builtin_bswap32(v);
  }
  for (int x = 4 * words; x < w; ++x) SET_DATA_BYTE(line, x, row[x]);
#else
  std::memcpy(line, row, static_cast<size_t>(w));
#endif
}

}  // namespace

std::array<uint32_t, 256> gray_histogram(const Image& gray8) {
  PIX* pix = gray8.get();
  if (!pix || pixGetDepth(pix) != 8) throw std::invalid_argument("gray_histogram needs an 8-bit image");
  const int w = pixGetWidth(pix), h = pixGetHeight(pix), wpl = pixGetWpl(pix);
  const l_uint32* data = pixGetData(pix);
  // One table per byte of the word: neighbouring pixels mostly share a level (paper), and
  // incrementing one counter over and over waits on itself each time.
  std::array<std::array<uint32_t, 256>, 4> lanes{};
  for (int y = 0; y < h; ++y) {
    const l_uint32* line = data + static_cast<size_t>(y) * wpl;
    const int words = w / 4;
    for (int k = 0; k < words; ++k) {
      const l_uint32 v = line[k];  // four pixels, whatever their order
      ++lanes[0][v >> 24];
      ++lanes[1][(v >> 16) & 0xff];
      ++lanes[2][(v >> 8) & 0xff];
      ++lanes[3][v & 0xff];
    }
    for (int x = 4 * words; x < w; ++x) ++lanes[0][GET_DATA_BYTE(line, x)];
  }
  std::array<uint32_t, 256> counts{};
  for (int i = 0; i < 256; ++i) counts[i] = lanes[0][i] + lanes[1][i] + lanes[2][i] + lanes[3][i];
  return counts;
}

cv::Mat gray_to_mat(const Image& gray8) {
  PIX* pix = gray8.get();
  if (!pix || pixGetDepth(pix) != 8) throw std::invalid_argument("gray_to_mat needs an 8-bit image");
  const int w = pixGetWidth(pix), h = pixGetHeight(pix);
  cv::Mat mat(h, w, CV_8UC1);
  const l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < h; ++y) pix_row_to_bytes(data + y * wpl, mat.ptr<uchar>(y), w);
  return mat;
}

Image mat_to_gray(const cv::Mat& mat) {
  if (mat.type() != CV_8UC1) throw std::invalid_argument("mat_to_gray needs CV_8UC1");
  PIX* pix = pixCreate(mat.cols, mat.rows, 8);
  l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < mat.rows; ++y) bytes_to_pix_row(mat.ptr<uchar>(y), data + y * wpl, mat.cols);
  return Image(pix);
}

}  // namespace sohoa
