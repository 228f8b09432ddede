// Second readings of what Tesseract lost or misread on a page, each bounded to where it is in doubt.
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

/// A number whose digits OCR read as other glyphs in some fonts ("09218§388038", "ngày 2Š
/// tháng 0ï", "T0" for 10, a serial "CB6ó08943", "2§6/TLKT-BS", a date "09/08/199]", the day or
/// month between "ngày", "tháng" and "năm" such as "tháng TÌ") is read again under its box with
/// only digits (and the letters and symbol read around them) allowed; a day or month of upright
/// strokes that reading gives up on is 1s, at confidence 50 at most. The new reading replaces
/// the word only when it keeps those letters and symbol around digits alone, about as many as
/// were read; its confidence is the lower of the two, so a field made of it is still asked.
/// `api` holds the page's image; the whitelist is cleared afterwards.
void reread_misread_digits(tesseract::TessBaseAPI& api, OcrResult& result);

}  // namespace sohoa::ocr
