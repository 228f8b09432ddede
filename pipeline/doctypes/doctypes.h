// The document-type catalogue (models/doctypes.json): what each kind of document is called, how
// its title and number read, which metadata it must and may have, and whom it is about. The
// classifier, the extractor, the review rules, the report and the package all read it from here.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sohoa::doctypes {

/// A kind of văn bản hành chính (Nghị định 30/2020, Phụ lục III) or of legal normative document.
struct Kind {
  std::string kind;  // "thong_bao"
  std::string name;  // "Thông báo"
  std::vector<std::string> titles;
  std::string abbrev;  // "TB"; empty where the kind has none (công văn)
  std::string structure;  // "vv_subject" for a công văn: known by its layout, not a title
  bool trich_yeu_required = false;
  bool legal_normative = false;
  bool title_is_first_word = false;
};

/// One person a type's records name, and the metadata keys that hold them: a marriage
/// certificate names both spouses, a birth certificate the child and the parents.
struct PersonFields {
  std::string role;  // "holder", "husband", "wife", "child", "father", "mother", …
  std::string role_name;  // as the archive writes it: "Chồng"
  std::string name;  // metadata key of the name: "ho_ten_chong"
  std::string id;    // of the số định danh, or empty
  std::string born;  // of the date of birth, or empty
};

struct Type {
  std::string code;  // the contract's doc_type
  std::string cls;   // "single_use" | "reusable"
  std::string name;  // Vietnamese name, as the archive writes it
  std::vector<std::string> titles;
  bool title_is_first_word = false;  // "ĐƠN …": too short to match as a prefix of anything
  std::vector<std::string> number_abbrevs;          // "QĐ" in "Số: 12/QĐ-UBND"
  std::vector<std::string> number_abbrev_prefixes;  // "TL" for TLKS, TLKT, …
  std::vector<std::string> cues;                    // "form", "card", "vv_subject", "kinh_gui" (may open with "Kính gửi")
  std::string person;  // whose name the record carries: subject, applicant, holder, both_spouses, named_in_subject, none
  std::vector<std::string> required, optional;  // metadata keys
  std::string review_always;  // non-empty: every record of this type asks a person, for this reason
  // "number" (12/QĐ-UBND), "register" (also a bare register number: 138) or "serial" (also
  // B 1836054, CS 03759)
  std::string so_ky_hieu_shape = "number";
  // Where the signature block names only "TM. ỦY BAN NHÂN DÂN", the issuer is the committee of
  // the district of the address under one of these labels (the land, the building site).
  std::vector<std::string> issuer_address_labels, issuer_address_not_labels;
  std::string issuer_address_rule;
  // The only bodies that issue this type (an ID card's national police departments): a name read
  // close to one of them is that one, and the list vouches for its letters.
  std::vector<std::string> known_issuers;
  // Labels of the dates that are this paper's own on a certificate that records its registrations
  // ("Đăng ký lần đầu: ngày …", "Đăng ký thay đổi lần thứ 2: ngày …"), folded: without a
  // place-and-date line the latest such date is the issue date (after "lần đầu" a date is
  // otherwise another paper's).
  std::vector<std::string> issue_date_labels;
  int valid_months = 0;  // 0: valid until revoked
  std::string valid_from_field = "ngay_ban_hanh";  // the months count from this field
  std::string valid_until_field;  // valid until the date in this field (a card's ngay_het_han)
  std::string valid_rule;
  bool reissue_supersedes_older = false;  // a newer one for the same person replaces the older
  std::string reissue_rule;
  // Fields that together name one document of a type that has no number of its own (a card: its
  // holder and its date of issue): another scan with the same values is the same document.
  std::vector<std::string> same_document_when;
  // Every person the records of this type name ("persons" in the catalogue; else the one whose
  // name is ho_ten, when the type has one and `person` is not "none"). The archive indexes them all.
  std::vector<PersonFields> persons;
  std::vector<Kind> kinds;

  bool must_have(std::string_view field) const;
  bool expects(std::string_view field) const;  // must or may have
  bool has_cue(std::string_view cue) const;
};

/// A title as the matcher sees it: folded, letters and digits only.
struct TitlePattern {
  std::string compact;  // "giaykhaisinh"
  std::string code;     // "giay_khai_sinh"
  std::string kind;     // "thong_bao" for kinds of van_ban_hanh_chinh, else empty
  bool first_word = false;
};

/// The arrival stamp an office puts on what it receives ("CV ĐẾN  Số: …  Ngày: …"), folded
/// ("cv den"): a ruled frame with a line opening with a head is one; its labels lead its fields.
struct ArrivalStamp {
  std::vector<std::string> heads, number_labels, date_labels;  // longest first
};

struct Catalogue {
  std::string path;  // where it was read from
  std::vector<Type> types;
  std::map<std::string, std::string> field_names;       // "so_ky_hieu" -> "Số, ký hiệu"
  std::map<std::string, std::string> field_validators;  // "so_ky_hieu" -> "so_ky_hieu"
  // Labels that open a line holding the field's value ("Ngày sinh:"), folded: a line that starts
  // with one and carries something, while no value was taken, asks a person.
  std::map<std::string, std::vector<std::string>> field_slot_labels;
  std::vector<std::string> authority_words;             // as printed
  std::vector<std::string> desk_units;                  // as printed
  std::vector<std::string> signer_positions;            // as printed, longest first
  std::map<std::string, std::string> issuer_abbrevs;    // "UBND" -> "Ủy ban nhân dân"
  ArrivalStamp arrival_stamp;
  std::vector<TitlePattern> titles;

  const Type* find(std::string_view code) const;
  /// The type, or the catch-all "khac" for an unknown code.
  const Type& get(std::string_view code) const;
  /// The doc_type codes in catalogue order.
  std::vector<std::string> codes() const;
  /// (code, kind) an abbreviation of "Số: 12/QĐ-UBND" names ("qd" folded); empty code when none.
  std::pair<std::string, std::string> by_abbrev(std::string_view folded_abbrev) const;
  /// A kind of van_ban_hanh_chinh by its code; nullptr when unknown.
  const Kind* find_kind(std::string_view kind) const;
};

/// Parses a catalogue file; throws sohoa::Error(internal) naming the file and what is wrong.
Catalogue load(const std::string& path);
/// The catalogue of models/doctypes.json, read once (core/models_dir.h says where from); throws
/// sohoa::Error when it is missing or malformed: sohoa cannot classify without it.
const Catalogue& catalogue();

/// "giay_khai_sinh" -> "Giấy khai sinh"; unknown codes come back unchanged.
std::string name_of(std::string_view code);
/// "single_use" or "reusable"; unknown codes are reusable (never silently drop a certificate).
std::string class_of(std::string_view code);

}  // namespace sohoa::doctypes
