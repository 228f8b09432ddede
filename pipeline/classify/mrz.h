// The machine-readable zone of an identity card (ICAO 9303 TD1: three lines of 30 characters),
// as the 2024 Vietnamese căn cước prints it on its back ("IDVNM…").
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/types.h"

namespace sohoa::mrz {

struct Td1 {
  std::string lines[3];       // the three lines as checked, 30 characters each ([A-Z0-9<])
  std::string document_number;
  std::string so_dinh_danh;   // the 12-digit personal number from the optional data; empty if absent
  std::string ngay_sinh;      // ISO YYYY-MM-DD
  std::string gioi_tinh;      // "Nam" | "Nữ" | ""
  std::string het_han;        // ISO date of expiry
  std::string ho_ten;         // "NGUYEN VAN AN": the name line, no diacritics; empty when unreadable
  Box box;                    // the zone on the page (the union of its lines), when read from OCR
};

/// ICAO 9303 check digit of a field: weights 7, 3, 1; digits their value, A-Z 10-35, '<' 0.
int check_digit(const std::string& field);

/// A TD1 zone from three lines as read, when every check digit holds (document number, birth
/// date, expiry and the composite one over both upper lines). OCR's usual slips are mended
/// first where the field says what it must be: O for 0 in a number, a filler run read longer or
/// shorter than printed, '«' for "<<". Nothing is guessed that the check digits do not confirm.
std::optional<Td1> parse_td1(const std::string& line1, const std::string& line2, const std::string& line3);

/// Every valid TD1 zone on a recognised page: its lines are found by content (the issuing
/// state line, the dates line), paired by the composite check digit, the name line the one
/// under the dates line.
std::vector<Td1> find_td1(const OcrResult& ocr);

/// Where a page seems to hold a machine-readable zone that did not check out: two or more lines
/// of 20 or more characters, nearly all of the zone's alphabet (A-Z 0-9 <) with a "<<" filler
/// among them. The union of their words' boxes; nullopt when there are none.
std::optional<Box> unchecked_zone(const OcrResult& ocr);

}  // namespace sohoa::mrz
