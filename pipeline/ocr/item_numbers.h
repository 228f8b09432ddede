// Item numbers Tesseract's layout dropped, read again beside their lines.
#pragma once
#include <vector>

#include "core/types.h"

struct Pix;
namespace tesseract {
class TessBaseAPI;
}

namespace sohoa::ocr {

/// Tesseract's layout sometimes drops the item numbers of a form ("1.", "2)" down the left
/// margin) as no text at all: the line starts at its first word, or at the number's orphan "."
/// (". Họ, chữ đệm và tên"), and the digit is lost with no trace. Ink of a letter's height just
/// left of a line's first word, under no word (`ink`: Tesseract's black-and-white page), is read
/// again with the line's start; it joins the line only as an item number read surely (1-2
/// digits, I-XXX, a letter, with "." or ")"), so a checkbox, a table's rule or a seal's edge
/// beside a line adds nothing. `vertical`: one per line, true for text Tesseract found turned.
/// `api` holds the page's image; its page segmentation mode is left at single line.
/// Returns whether a number was added (the caller then puts words in line order again).
bool restore_item_numbers(tesseract::TessBaseAPI& api, const Image& img, Pix* ink, OcrResult& result,
                          const std::vector<bool>& vertical);

}  // namespace sohoa::ocr
