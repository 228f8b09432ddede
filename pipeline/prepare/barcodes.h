// Barcodes and QR codes printed on a page (separator sheets, chip ID cards).
#pragma once
#include <string>
#include <vector>

#include "core/image.h"

namespace sohoa::prepare {

/// Texts of every barcode ZXing finds on an upright 8-bit grey page.
std::vector<std::string> read_barcodes(const Image& gray8, double dpi);

/// A paperwork separator sheet: a code reading PATCHT (the patch-code convention of
/// scanners and paperless-ngx).
bool is_separator_code(const std::string& text);

}  // namespace sohoa::prepare
