#include "classify/qr.h"

#include <ZXing/ReadBarcode.h>
#include <ZXing/TextUtfEncoding.h>
#include <leptonica/allheaders.h>

#include <memory>

#include "core/text.h"

namespace sohoa::qr {

namespace {

struct PixDel {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDel>;

bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (n < 0 || i + n >= s.size() + (n == 0 ? 1 : 0)) return false;
    for (int k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n + 1;
  }
  return true;
}

std::vector<std::string> decode_pix(PIX* pix) {
  std::vector<std::string> out;
  PixPtr g(pixConvertTo8(pix, 0));
  if (!g) return out;
  const int w = pixGetWidth(g.get()), h = pixGetHeight(g.get()), wpl = pixGetWpl(g.get());
  std::vector<uint8_t> buf(static_cast<size_t>(w) * h);
  l_uint32* data = pixGetData(g.get());
  for (int y = 0; y < h; ++y) {
    l_uint32* line = data + y * wpl;
    for (int x = 0; x < w; ++x) buf[static_cast<size_t>(y) * w + x] = GET_DATA_BYTE(line, x);
  }
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  for (const auto& r : ZXing::ReadBarcodes(ZXing::ImageView(buf.data(), w, h, ZXing::ImageFormat::Lum), hints))
    if (r.isValid()) {
      // CCCD codes hold UTF-8 without an ECI; ZXing's character-set guess can get that wrong.
      const auto& b = r.bytes();
      std::string raw(b.begin(), b.end());
      out.push_back(text::nfc(valid_utf8(raw) ? raw : ZXing::TextUtfEncoding::ToUtf8(r.text())));
    }
  return out;
}

std::string iso(const std::string& ddmmyyyy) {
  if (ddmmyyyy.size() != 8) return {};
  for (char c : ddmmyyyy)
    if (c < '0' || c > '9') return {};
  return ddmmyyyy.substr(4, 4) + "-" + ddmmyyyy.substr(2, 2) + "-" + ddmmyyyy.substr(0, 2);
}

}  // namespace

std::vector<std::string> decode(const Page& page) {
  const EncodedImage& im = page.image;
  if (im.data.empty() || im.filter != "DCTDecode") return {};
  PixPtr pix(pixReadMem(im.data.data(), im.data.size()));
  if (!pix) return {};
  return decode_pix(pix.get());
}

std::optional<CccdData> parse_cccd(const std::string& t) {
  std::vector<std::string> f;
  size_t s = 0;
  while (true) {
    size_t e = t.find('|', s);
    f.push_back(text::trim(t.substr(s, e == std::string::npos ? std::string::npos : e - s)));
    if (e == std::string::npos) break;
    s = e + 1;
  }
  if (f.size() < 5) return std::nullopt;
  if (f[0].size() != 12 || f[0].find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  CccdData d;
  d.so_dinh_danh = f[0];
  d.so_cmnd = f[1];
  d.ho_ten = text::collapse_spaces(f[2]);
  d.ngay_sinh = iso(f[3]);
  d.gioi_tinh = f[4];
  if (f.size() > 5) d.dia_chi = f[5];
  if (f.size() > 6) d.ngay_cap = iso(f[6]);
  if (d.ho_ten.empty()) return std::nullopt;
  return d;
}

}  // namespace sohoa::qr
