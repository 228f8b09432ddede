// Reading order of a page's text: column blocks read column by column.
#pragma once
#include <string>

#include "core/types.h"

namespace sohoa::ocr {

/// Rebuilds the page text so that side-by-side blocks (the authority block beside the national
/// header, signature blocks of two or three signers) are read one column at a time, as a person
/// reads them, instead of row by row across the columns.
std::string reading_order_text(const OcrResult& ocr, int page_width);

}  // namespace sohoa::ocr
