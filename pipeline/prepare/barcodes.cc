#include "prepare/barcodes.h"

#include <ZXing/ReadBarcode.h>
#include <ZXing/TextUtfEncoding.h>

#include <algorithm>
#include <cctype>

#include "core/text.h"

namespace sohoa::prepare {

std::vector<std::string> read_barcodes(const Image& gray8, double dpi) {
  // 200 dpi keeps a 15 mm card QR at ~120 px, plenty for ZXing, at a fraction of the cost.
  const double f = std::min(1.0, 200.0 / dpi);
  Image img(f < 1 ? pixScaleGrayLI(gray8.get(), static_cast<float>(f), static_cast<float>(f)) : pixClone(gray8.get()));
  const cv::Mat buf = gray_to_mat(img);  // contiguous rows
  const int w = buf.cols, h = buf.rows;
  ZXing::DecodeHints hints;
  hints.setTryHarder(true);
  hints.setTryRotate(false);  // the page is already upright
  std::vector<std::string> out;
  for (const auto& r : ZXing::ReadBarcodes(ZXing::ImageView(buf.data, w, h, ZXing::ImageFormat::Lum), hints))
    if (r.isValid()) {
      // Codes often hold UTF-8 without saying so (CCCD cards do); ZXing's guess can be wrong.
      const auto& b = r.bytes();
      std::string raw(b.begin(), b.end());
      out.push_back(text::nfc(text::valid_utf8(raw) ? raw : ZXing::TextUtfEncoding::ToUtf8(r.text())));
    }
  return out;
}

bool is_separator_code(const std::string& text) {
  std::string t;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) t.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return t == "PATCHT";
}

}  // namespace sohoa::prepare
