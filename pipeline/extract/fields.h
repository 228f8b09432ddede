// The single metadata fields, read from a document's lines (exposed for unit tests).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "classify/layout.h"
#include "core/types.h"
#include "doctypes/doctypes.h"

namespace sohoa::extract {

struct Found {
  std::string value;
  layout::Seg seg;   // where it was read
  std::string unit;  // an issuer's desk or section under the organ ("BỘ PHẬN MỘT CỬA")
  bool known = false;  // the value is an entry of a closed list in the catalogue (known_issuers)
  /// What the value may really be and why it is in doubt: the value is kept and a person asked
  /// (a short line under an issuer that may end it, a number OCR cut at a glyph it could not read).
  std::string doubt_after, doubt_why;
  /// Set when the value is not what OCR read but what that must be (a garbled header read as
  /// the council of a known unit): what OCR read. The value stays in doubt (doubt_why says why).
  std::string read_as;
};

std::optional<Found> find_so_ky_hieu(const std::vector<layout::PageLayout>& pls, const std::string& doc_type);
std::optional<Found> find_issue_date(const std::vector<layout::PageLayout>& pls, const std::string& doc_type);
std::optional<Found> find_issuer(const std::vector<layout::PageLayout>& pls, const std::string& doc_type);
/// The issuer a type's catalogue entry infers from an address ("TM. ỦY BAN NHÂN DÂN" above the
/// signature, the land in "quận Hải Châu" -> "UBND QUẬN HẢI CHÂU"); none unless the signature
/// block names the committee without its place.
std::optional<Found> issuer_by_address(const std::vector<layout::PageLayout>& pls, const doctypes::Type& type);
std::optional<Found> find_trich_yeu(const std::vector<layout::PageLayout>& pls, const std::string& doc_type);
/// "… cho hộ gia đình ông Nguyễn Văn An" in a decision's subject.
std::optional<Found> person_in_subject(const std::string& subject, const layout::Seg& where);

/// A card's "Có giá trị đến / Date of expiry": the date, or where the label is printed but no
/// date can be read after it (none when the card says it never expires).
struct Expiry {
  std::optional<Found> date, unreadable;
  bool none = false;
};
Expiry find_expiry(const std::vector<layout::PageLayout>& pls);

struct PersonFields {
  std::optional<Found> ho_ten, ngay_sinh, so_dinh_danh;
};
PersonFields find_person(const std::vector<layout::PageLayout>& pls, const std::string& doc_type);

/// 12 digits, a real province code, a century/sex digit 0-3 that fits the birth year (ISO
/// date, may be empty).
bool valid_id12(const std::string& id, const std::string& birth_iso);
/// A name whose accents OCR may have damaged, spelt as most of its occurrences in the document
/// spell it ("ĐA TỒN" in a bold header, "Đa Tốn" four times in the text); a person's surname
/// and the common middle names Thị/Văn take their usual spelling. `person`: a name in proper
/// case; otherwise an authority name in capitals whose place-name tail is voted on.
std::string respell(const std::string& value, const std::vector<layout::PageLayout>& pls, bool person);
/// "NGUYỄN VĂN AN" -> "Nguyễn Văn An"; mixed-case names stay as printed.
std::string proper_name(const std::string& name);
/// A name syllable no one is known to bear while a name with its letters is common ("Hoang"
/// beside Hoàng, "Tuần" beside Tuấn) becomes a doubt of the value, for a person to check.
void name_doubts(MetadataValue& v);
/// "14", "6", "2023" -> "2023-06-14"; empty when not a real date.
std::string iso_date(int d, int m, int y);

}  // namespace sohoa::extract
