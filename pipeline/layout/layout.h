// The layout stage: a page's words (OCR or a PDF text layer) grouped into regions, in the order a
// person reads them. Everything after it (the page text, the classifier, the extractor, ALTO,
// record.json) reads these regions; nothing else cuts the page into lines or columns.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "core/image.h"
#include "core/types.h"

namespace sohoa::layout {

/// The page's regions in reading order, from the words' geometry alone:
/// - side-by-side blocks set in a band (the authority block beside the national motto, the
///   recipient list beside the signature, two or three signature blocks) are read one block at a
///   time, while a form's field grid (a label with its value far right, "Ngày sinh: …   Giới
///   tính: …"), tables and checkbox rows are read across, row by row;
/// - panels and cards (text apart from the rest by a wide blank band, from top to bottom or from
///   side to side) are read one after the other;
/// - lines that Tesseract (or a text layer) merged across a narrow gutter are cut where a gap of
///   at least half a line height lines up with the gutter; specks read as one or two characters
///   make no columns;
/// - a block Tesseract lists before blocks printed above it in the same columns comes after them.
/// Roles follow from place and form: columns of the first band above the title are the header,
/// a centred line set apart by its size or capitals under it the title, centred blocks at the
/// foot the signature with a left-aligned list beside them the recipients, rows of many cells a
/// table, blocks apart from the rest cards (card-sized) or panels.
/// `card_outlines`: where the page shows the edges of copied ID cards (frames.h), each card's
/// words are one block.
std::vector<Region> analyze(const OcrResult& ocr, int page_width, int page_height, double dpi,
                            const std::vector<Box>& card_outlines = {});

/// The page text read from its regions: cells joined by a space, lines by '\n', regions by a
/// blank line. NFC in, NFC out.
std::string text_of(const OcrResult& ocr, const std::vector<Region>& regions);

/// Lays out a recognised page: its regions, and its text read from them (a page without words
/// keeps the text it has). `image`, the prepared page the words' boxes refer to, lets ruled
/// arrival stamps be read apart (frames.h); null: words alone.
void lay_out(Page& page, int page_width, int page_height, const Image* image = nullptr);

/// A debugging picture: the page with every region's box drawn (colour by role) and its reading
/// number and role written at its corner, scaled to at most max_side pixels; written as PNG.
void write_picture(const Image& page, const std::vector<Region>& regions, const std::filesystem::path& png,
                   int max_side = 1400);

}  // namespace sohoa::layout
