// Reading order of a page's text: column blocks read column by column.
#pragma once
#include <string>

#include "core/types.h"

namespace sohoa::ocr {

/// Rebuilds the page text so that side-by-side blocks (the authority block beside the national
/// header, signature blocks of two or three signers, the recipient list beside the signature) are
/// read one column at a time, as a person reads them, instead of row by row across the columns;
/// while a form's field grid ("Ngày sinh: …   Giới tính: …", a label with its value far to the
/// right), tables and checkbox rows are read across. Lines that Tesseract (or a PDF text layer)
/// merged across a narrow gutter are cut at a gap of at least half a line height that lines up
/// with the gutter below; specks read as one or two characters do not make columns.
std::string reading_order_text(const OcrResult& ocr, int page_width);

}  // namespace sohoa::ocr
