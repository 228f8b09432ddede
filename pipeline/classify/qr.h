// QR codes on a page (chip ID cards carry one with the holder's data).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/types.h"

namespace sohoa::qr {

/// Texts of the QR codes ZXing finds on the page image; empty when the image is CCITT G4 (not
/// decodable here) or holds none.
std::vector<std::string> decode(const Page& page);

struct CccdData {
  std::string so_dinh_danh, so_cmnd, ho_ten, ngay_sinh /*ISO*/, gioi_tinh, dia_chi, ngay_cap /*ISO*/;
};
/// "id12|cmnd|name|ddmmyyyy|sex|address|ddmmyyyy" as on a CCCD chip card.
std::optional<CccdData> parse_cccd(const std::string& text);

}  // namespace sohoa::qr
