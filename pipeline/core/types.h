// Value types that flow between the stages: Page -> Document -> Record.
#pragma once
#include <algorithm>
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

/// The smallest box holding both; an empty box (no width or height) adds nothing.
inline Box unite(const Box& a, const Box& b) {
  if (a.w <= 0 || a.h <= 0) return b;
  const int x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  const int x1 = std::max(a.x + a.w, b.x + b.w), y1 = std::max(a.y + a.h, b.y + b.h);
  return {x0, y0, x1 - x0, y1 - y0};
}

/// The area two boxes share, in square pixels; 0 when they do not meet.
inline long long overlap_area(const Box& a, const Box& b) {
  const long long w = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
  const long long h = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

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
  std::string path;                   // relative to the INPUT folder, forward slashes, NFC
  std::optional<std::string> member;  // path inside an archive, NFC
  std::string sha256;                 // of the input's bytes
  std::string dossier;                // the dossier's code, "" when the input is in none
  std::string display() const { return member ? path + "!" + *member : path; }
};

/// A page as a decoder hands it over, before any preparation.
struct RawPage {
  Image image;
  double dpi = 300;
  bool dpi_assumed = false;              // the file carried no resolution
  std::optional<OcrResult> text_layer;   // a PDF page that already has real text
  // A scanned PDF page whose text layer holds only part of what is printed (a header or stamp the
  // system added): those words, in pixels of `image`, kept beside the OCR of the scan.
  std::vector<OcrWord> partial_layer;
  // Text of signature appearances ("Ký bởi: …") drawn on the page: evidence, not page text.
  std::vector<std::string> signature_text;
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
/// A risky preparation step and what became of it on a page: applied, or rejected and why.
struct PrepareStep {
  std::string step;    // "sheet_crop", "straighten_lines", ...
  bool applied = false;
  std::string reason;  // why it was rejected (or what proved it), for people
};

/// Page text put right from a source that vouches for it (a card's QR code): what OCR read there.
struct TextMend {
  std::string field;   // the metadata key whose value was written ("so_dinh_danh")
  std::string before;  // the words as OCR read them
  std::string after;   // as the card prints the value
  std::string source;  // "qr" | "mrz"
};

/// A printed slot's handwritten part ("Số: 07 /CT-UBND", "ngày 20 tháng"), as the digit
/// recogniser read it (extract/handwriting.h).
struct HandwrittenSlot {
  std::string slot;     // "so" (the number) | "ngay" (the day) | "thang" (the month)
  std::string digits;   // "" when not read
  double min_p = 0;     // the least sure digit's probability (0-1)
  Box box;              // the ink read, in page pixels
  std::string why_not;  // when not read
};

struct PageInfo {
  int number = 0;          // 1-based within the input
  int rotation = 0;        // clockwise degrees applied to make it upright
  double rotation_confidence = 0;  // 0-1
  std::string rotation_method;     // "text_statistics" | "recognition"; empty for blank or text pages
  double skew_deg = 0;     // measured skew that was corrected
  bool sheet_rectified = false;  // a photographed sheet cut from its surround, perspective undone
  bool lines_straightened = false;  // its curled text lines flattened
  std::vector<PrepareStep> prepare;  // risky steps tried on the page, applied or rejected
  std::vector<Box> other_sheets;     // further sheets in a photo, in its pixels; not read
  double dpi = 300;
  bool dpi_assumed = false;
  bool blank = false;
  bool separator = false;  // a PATCHT separator sheet: ends a document, belongs to none
  std::string error;       // why the page could not be read; such a page has no image or text
  bool unusable() const { return blank || !error.empty(); }
  double ocr_confidence = 0;
  // "ocr" | "pdf_text" | "ocr+pdf_text" (a scan OCRed, text-layer words that OCR did not read kept)
  std::string text_source = "ocr";
  std::vector<std::string> signature_text;  // signature appearances on the page (evidence)
  std::vector<TextMend> text_mended;         // words written from a checked code (extract/authority_text.h)
  std::vector<HandwrittenSlot> handwritten;  // slots with handwriting, read or not (extract/handwriting.h)
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
  std::string language = "vi";  // "vi" | "en", from the line's words (layout/language.h)
};

/// A block of the page read as a whole (a header column, the title, a paragraph, a table, a
/// signature block, a card, a panel of a bilingual page).
struct Region {
  RegionRole role = RegionRole::body;
  int order = 0;  // reading index on the page, 0-based
  Box box;        // pixels of the prepared page
  std::vector<RegionLine> lines;
  std::string language = "vi";  // "vi" | "en": the language its words are in
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
  std::string kind;  // of a van_ban_hanh_chinh: "thong_bao", "cong_van", "nghi_dinh" … (catalogue)
  std::string cls = "reusable";  // "single_use" | "reusable"
  double confidence = 0;
  std::string method = "none";
  std::vector<std::string> evidence;
  bool review = false;
  std::string review_reason;
  // What the parts said, for the review rules: the type the rules (title, number, layout) point
  // at, the model's best type and its probability, the share of words the model knows, and how
  // familiar the text is to the model's type (classify::familiarity: 1 typical, 0 far below).
  std::string rule_type, model_type;
  double rule_score = 0, model_p = 0, known_words = 1, model_familiarity = 1;
};

/// Metadata keys of the output contract, in their order in record.json.
inline const std::vector<std::string>& metadata_keys() {
  static const std::vector<std::string> keys = {"so_ky_hieu", "ngay_ban_hanh", "co_quan_ban_hanh",
                                                "ho_ten",     "so_dinh_danh",  "ngay_sinh",
                                                "trich_yeu"};
  return keys;
}

/// A value changed after it was read (a glued word split, an OCR slip mended): kept as evidence.
struct Correction {
  std::string before, after, why;
  bool applied = false;  // a doubt whose reading was put into the value (still for a person to confirm)
};

struct MetadataValue {
  std::string value;
  std::string source;  // "ocr", "pdf_text", "qr", "mrz"; "inferred" (by a catalogue rule, not printed)
  int page = 0;        // 1-based within the input
  /// The words the value was read from: their boxes on the prepared page (for the review desk)
  /// and the lowest and mean OCR confidence among them (0-100; -1 when not read by OCR).
  std::vector<Box> boxes;
  double min_word_confidence = -1, word_confidence = -1;
  double confidence = 0;  // 0-1: how sure sohoa is of this value (review::assess sets it)
  std::vector<Correction> corrections;
  /// Words that read like a slip although OCR was sure of them ("địch vụ" where "dịch vụ" is the
  /// phrase): a person looks; a mark-only fix is already in the value (Correction::applied).
  std::vector<Correction> doubts;
  /// Another reading of the same value that disagrees with it: (source, value), e.g. the text
  /// under a card's QR code. An authority source that checks out wins; otherwise a person decides.
  std::vector<std::pair<std::string, std::string>> other_readings;
  bool authority_checked = false;  // the source carries its own check (a QR's ID that validates, an MRZ's check digits)
  /// The value was matched to an entry of a closed list in the catalogue (an ID card's issuing
  /// bodies): the list, not OCR's confidence in each letter, vouches for its spelling.
  std::string catalogue_match;
};

/// Why a record needs a person, for people (detail) and programs (code, field).
struct ReviewReason {
  std::string code;    // see review/review.h for the list
  std::string field;   // the metadata key it is about; empty for the whole record
  std::string detail;  // Vietnamese-readable specifics: the value, the page, the rule
};

/// A digital signature found in an incoming PDF (record.json `signatures`).
struct DigitalSignature {
  std::string field;          // the signature field's name (/T)
  std::string sub_filter;     // "adbe.pkcs7.detached", "ETSI.CAdES.detached", ...
  std::string signer_name;    // subject CN
  std::string signer_dn;      // subject, RFC 2253, UTF-8
  std::string organization;   // subject O
  std::string issuer_dn;
  std::string serial;         // hex
  std::string not_before, not_after;  // ISO 8601 UTC
  std::string signing_time;   // ISO 8601 UTC; from the signed attributes, else the PDF's /M
  std::string signing_time_source;  // "signed_attributes" | "pdf_dictionary" | ""
  std::string digest;         // "sha1", "sha256", ...
  std::vector<long long> byte_range;
  bool covers_whole_file = false;  // the signed ranges reach the end of the file
  bool bytes_intact = false;       // the CMS signature verifies over the signed ranges
  std::string certificate;         // "valid" | "expired" | "not_yet_valid" | "unknown_issuer" | "revoked" | "invalid"
  std::vector<std::string> certificate_problems;  // every problem found, most serious first
  bool trust_anchors = false;      // judged against --trust anchors
  int page = 0;                    // 1-based page of its widget, 0 when invisible
  std::string error;               // why it could not be read; empty when read
};

struct Record {
  std::string id;  // folder name under OUT/records
  std::string duplicate_of;  // id of the record of identical content read first in the batch, or ""
  Document document;
  Classification classification;
  std::map<std::string, MetadataValue> metadata;  // missing key = null
  std::map<std::string, std::string> extra;       // other metadata (don_vi, …): key -> value
  bool review = false;  // a person must check it before the archive takes it
  std::vector<ReviewReason> review_reasons;
  double confidence = 0;  // 0-1, the record's: its weakest part
  std::vector<DigitalSignature> signatures;        // of the input file (a signature covers the file)
  std::string original;  // OUT-relative path of the preserved input bytes, "" when not kept
};

}  // namespace sohoa
