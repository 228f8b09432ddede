// Value types that flow between the stages: Page -> Document -> Record.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/image.h"

namespace sohoa {

struct Box {
  int x = 0, y = 0, w = 0, h = 0;  // pixels, origin top-left of the prepared page
};

struct OcrWord {
  std::string text;  // UTF-8, NFC
  Box box;
  float confidence = 0;  // 0-100
  int line = 0;          // index into OcrResult::lines
};

struct OcrLine {
  Box box;
  int baseline = 0;  // y of the baseline in pixels, for placing the text layer
};

struct OcrResult {
  std::vector<OcrWord> words;
  std::vector<OcrLine> lines;
  std::string text;  // lines joined by '\n', blocks by a blank line; NFC
  float mean_confidence = 0;  // word-length weighted, 0-100; 0 when there are no words
};

/// Which input a page or document came from.
struct SourceRef {
  std::string path;                   // relative to the INPUT folder, forward slashes
  std::optional<std::string> member;  // path inside an archive
  std::string sha256;                 // of the input's bytes
  std::string display() const { return member ? path + "!" + *member : path; }
};

/// A page as a decoder hands it over, before any preparation.
struct RawPage {
  Image image;
  double dpi = 300;
  bool dpi_assumed = false;              // the file carried no resolution
  std::optional<OcrResult> text_layer;   // a PDF page that already has real text
};

/// A page image compressed for embedding in a PDF (JPEG, G4 or Flate).
struct EncodedImage {
  std::vector<uint8_t> data;
  std::string filter;  // "DCTDecode", "CCITTFaxDecode", "FlateDecode"
  int width = 0, height = 0;
  int bits_per_component = 8;
  int components = 1;  // 1 grey, 3 RGB
};

/// What record.json says of each page.
struct PageInfo {
  int number = 0;          // 1-based within the input
  int rotation = 0;        // clockwise degrees applied to make it upright
  double rotation_confidence = 0;  // 0-1
  std::string rotation_method;     // "text_statistics" | "recognition"; empty for blank or text pages
  double skew_deg = 0;     // measured skew that was corrected
  bool sheet_rectified = false;  // a photographed sheet cut from its surround, perspective undone
  bool lines_straightened = false;  // its curled text lines flattened
  double dpi = 300;
  bool dpi_assumed = false;
  bool blank = false;
  bool separator = false;  // a PATCHT separator sheet: ends a document, belongs to none
  std::string error;       // why the page could not be read; such a page has no image or text
  bool unusable() const { return blank || !error.empty(); }
  double ocr_confidence = 0;
  std::string text_source = "ocr";  // "ocr" | "pdf_text"
};

/// What a region of a page is, found from its geometry (place, alignment, columns, size).
enum class RegionRole { header, title, body, table, signature, recipients, stamp, card, panel };

inline const char* role_name(RegionRole r) {
  static const char* const names[] = {"header", "title",  "body", "table", "signature",
                                      "recipients", "stamp", "card", "panel"};
  return names[static_cast<int>(r)];
}

/// One line of a region as it is read; a line read across columns (a table row, a field grid)
/// keeps each column's words as a cell. Words are indices into OcrResult::words.
struct RegionLine {
  std::vector<std::vector<int>> cells;
};

/// A block of the page read as a whole (a header column, the title, a paragraph, a table, a
/// signature block, a card, a panel of a bilingual page).
struct Region {
  RegionRole role = RegionRole::body;
  int order = 0;  // reading index on the page, 0-based
  Box box;        // pixels of the prepared page
  std::vector<RegionLine> lines;
};

struct Page {
  PageInfo info;
  OcrResult ocr;
  std::vector<Region> regions;  // the layout of ocr.words, in reading order
  EncodedImage image;  // the prepared (upright, deskewed) colour page, for document.pdf
  std::vector<std::string> barcodes;  // texts of barcodes and QR codes found on the page
  double width_pt = 0, height_pt = 0;  // physical size, from pixels and dpi
};

struct Document {
  SourceRef source;
  int first_page = 1, last_page = 1;  // 1-based, inclusive, within the input
  std::vector<int> pages;             // indices into the input's page list
  std::string split_cue = "whole_input";
};

struct Classification {
  std::string doc_type = "khac";
  std::string cls = "reusable";  // "single_use" | "reusable"
  double confidence = 0;
  std::string method = "none";
  std::vector<std::string> evidence;
  bool review = false;
  std::string review_reason;
};

/// Metadata keys of the output contract, in their order in record.json.
inline const std::vector<std::string>& metadata_keys() {
  static const std::vector<std::string> keys = {"so_ky_hieu", "ngay_ban_hanh", "co_quan_ban_hanh",
                                                "ho_ten",     "so_dinh_danh",  "ngay_sinh",
                                                "trich_yeu"};
  return keys;
}

struct MetadataValue {
  std::string value;
  std::string source;  // "ocr", "pdf_text", "qr"
  int page = 0;        // 1-based within the input
};

struct Record {
  std::string id;  // folder name under OUT/records
  Document document;
  Classification classification;
  std::map<std::string, MetadataValue> metadata;  // missing key = null
};

}  // namespace sohoa
