// Arrival stamps: the ruled frame an office stamps on what it receives ("CV ĐẾN  Số: …  Ngày: …"),
// often over the body. Its words are read as a region of their own after the rest of the page, so
// the stamp never cuts into the body's lines or their order.
#pragma once
#include <optional>
#include <vector>

#include "core/image.h"
#include "core/types.h"

namespace sohoa::layout {

/// The smallest rectangle ruled on `page` (four sides of straight lines, stamp-sized: 15-130 mm
/// wide, 8-80 mm high) that holds the centre of `inside`; pixels of `page`. nullopt when none.
std::optional<Box> ruled_frame_around(const Image& page, const Box& inside, double dpi);

/// Every stamp-sized ruled rectangle of `page`.
std::vector<Box> ruled_frames(const Image& page, double dpi);

/// The outlines of identity cards copied onto `page` (ID-1: 85.6 x 54 mm, rounded corners, at a
/// copying scale of 85-120%): four straight sides whose ends nearly meet.
std::vector<Box> card_outlines(const Image& page, double dpi);

/// What is inside a frame, as an 8-bit page to recognise: the rules and dotted leaders made
/// white (OCR reads a box's edges as letters and drops the words set against them), the cells
/// that dividers split it into stacked one under the other (left to right, so "CV ĐẾN" beside
/// "Số: …" is not read across), white margins around. `cells` maps it back to the page.
struct FrameInside {
  Image image;
  struct Cell {
    Box page;  // where the cell is on the page
    int y = 0;  // its top in `image`
  };
  std::vector<Cell> cells;
  int margin = 0;  // x of every cell in `image`
};
FrameInside frame_inside(const Image& page, const Box& frame, double dpi);

/// Takes `reread` (frame_inside() recognised) for the words inside `frame` when it holds an
/// arrival-stamp head in capitals: the page's words there are replaced by it (boxes mapped back to
/// the page), its lines appended. Returns whether it did.
bool adopt_frame_reading(OcrResult& ocr, const Box& frame, const FrameInside& inside, const OcrResult& reread);

/// Word ids of `ocr` that belong to arrival stamps, one list per stamp: the words of a ruled frame
/// around capitals that read as one of the catalogue's arrival-stamp heads ("CV ĐẾN"), when the
/// frame also holds one of its number or date labels. A body line that runs into the frame keeps
/// its words.
std::vector<std::vector<int>> arrival_stamp_words(const OcrResult& ocr, const Image& page, double dpi);

/// The page's regions (analyze()) with its arrival stamps read apart, each a `stamp` region after
/// the others.
std::vector<Region> analyze_with_stamps(const OcrResult& ocr, const Image& page, int page_width, int page_height,
                                        double dpi);

}  // namespace sohoa::layout
