// Vietnamese knowledge for the metadata fields: the administrative units (old and post-2025
// names), the valid syllables (Debian's hunspell-vi), surnames and given-name syllables, and a
// short list of administrative phrases. Loaded once from models/ (gazetteer.tsv, names.tsv,
// phrases.txt, built by models/build_gazetteer.py) and /usr/share/hunspell/vi_VN.dic.
// Everything taken and returned is UTF-8 NFC.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sohoa::lexicon {

struct AdminUnit {
  char era = 'o';          // 'o': the units of 2019-2025; 'n': from 2025-07-01 (34 provinces)
  int level = 0;           // 1 province, 2 district (old era only), 3 commune/ward/township
  std::string code;        // GSO code, unique per era and level ("079", "760", "26734")
  std::string parent;      // code of the unit above in the same era; "" for a province
  std::string type;        // "Tỉnh", "Thành phố", "Huyện", "Quận", "Thị xã", "Xã", "Phường", ...
  std::string name;        // as the GSO writes it: "Huyện Tĩnh Gia"
  std::string bare;        // without the type word: "Tĩnh Gia"
  std::string from, until; // ISO dates; from "" = before 2019-09-11, until "" = still in force
  std::vector<std::string> successors;  // new-era codes an old unit went into on 2025-07-01
  std::string province;    // code of its province (itself for a province), same era
};

struct Lexicon {
  bool ok = false;      // gazetteer and syllables both loaded
  std::string models_dir, hunspell_path;
  std::vector<AdminUnit> units;
  // folded bare name ("tinh gia", numbers without leading zeros) -> indices into units
  std::unordered_map<std::string, std::vector<uint32_t>> by_name;
  std::unordered_map<std::string, uint32_t> province_index;  // era + level-1 code -> unit
  std::unordered_set<std::string> syllables;        // hunspell-vi, lower case
  std::unordered_set<std::string> extra_syllables;  // in place names and personal names only
  std::unordered_set<std::string> acronyms;         // hunspell-vi's all-caps entries ("ubnd", "tv")
  // fold -> syllables (hunspell's, then place and name syllables): "duyet" -> {"duyệt"}
  std::unordered_map<std::string, std::vector<std::string>> by_fold;
  std::unordered_set<std::string> known_folds;      // fold of every syllable above
  std::unordered_map<std::string, int> surnames;    // "nguyễn" -> count in the source
  std::unordered_map<std::string, int> given;       // given-name syllable -> count
  std::unordered_set<std::string> phrase_pairs;     // "phê duyệt": adjacent words of phrases.txt
  std::unordered_set<std::string> phrase_pairs_folded;  // "phe duyet"
  std::unordered_set<std::string> phrase_words;     // every word of phrases.txt: "phê", "duyệt"
  std::unordered_set<std::string> place_pairs;      // "vĩnh hải": adjacent syllables of unit names
  // "tiền mặt" -> 20: adjacent syllables counted in Vietnamese text Debian ships (word_pairs.tsv)
  std::unordered_map<std::string, int> word_pairs;
};

/// The lexicon, loaded on first use: data from the first models folder that has gazetteer.tsv
/// (see core/models_dir.h), syllables from $SOHOA_HUNSPELL_VI or /usr/share/hunspell/vi_VN.dic.
const Lexicon& lexicon();
Lexicon load(const std::string& models_dir, const std::string& hunspell_dic);

// ---- identity numbers -------------------------------------------------------------------

struct IdProvince {
  std::string code;          // 3 digits as on the card: "079"
  std::string name;          // the province the code was issued for: "Thành phố Hồ Chí Minh"
  std::string current_name;  // the province it belongs to since 2025-07-01
};
/// Whether the first 3 digits of a 12-digit số định danh are a province code (the GSO code of
/// one of the 63 provinces of 2019-2025, padded to 3 digits; the 34 provinces of 2025 keep codes
/// among them).
bool is_valid_province_code(std::string_view code3, const Lexicon& lx = lexicon());
std::optional<IdProvince> province_for_code(std::string_view code3, const Lexicon& lx = lexicon());

enum class Gender { male, female };
struct IdCheckFailure {
  std::string check;   // "format", "province", "century", "birth_year", "gender"
  std::string reason;  // Vietnamese-free explanation for the record's review reasons
};
/// Checks a số định danh cá nhân / CCCD number: 12 digits (spaces ignored), a real province
/// code, the 4th digit (century and gender: 0/1 born 1900-1999 male/female, 2/3 2000-2099, 4/5
/// 2100-2199, ...) agreeing with birth_year and gender, the 5th-6th digits the last two digits of
/// the birth year, and (when no birth year is given) digits 4-6 that do not put the birth in the
/// future. Empty when every check passes.
std::vector<IdCheckFailure> validate_so_dinh_danh(std::string_view number,
                                                  std::optional<int> birth_year = std::nullopt,
                                                  std::optional<Gender> gender = std::nullopt,
                                                  const Lexicon& lx = lexicon());

// ---- places -----------------------------------------------------------------------------

struct PlaceMatch {
  size_t begin = 0, end = 0;  // bytes of the input the unit's type word and name cover
  std::string written;        // that text as written
  int level = 0;
  // Every unit of that type and name, narrowed by the other places named in the same text
  // (a district or province that contains some of them) and by on_date when given.
  std::vector<const AdminUnit*> candidates;
  // The unit when the candidates are one place (one unit, or units of the same level and name
  // in provinces of one name, across eras or renamings such as Huyện -> Thị xã: then the most
  // recent; pass on_date to choose by date); nullptr when the name is ambiguous.
  const AdminUnit* unit = nullptr;
  // The province (of the candidate's era) when all candidates lie in provinces of one name.
  const AdminUnit* province = nullptr;
  bool diacritics_exact = false;  // the name was written with the gazetteer's diacritics
  int edits = 0;                  // letters changed (after folding) to match: 0 or 1
};
/// Every administrative unit named in text, in order: a type word (tỉnh, thành phố/TP, quận,
/// huyện, thị xã, thị trấn, xã, phường, đặc khu; with or without diacritics) followed by a name
/// of that type, matched without diacritics and with one OCR slip allowed for names of 5+
/// letters when only one name fits. When no type word names a unit, a province named by itself
/// ("SỞ Y TẾ NGHỆ AN") is found. on_date ("YYYY-MM-DD") keeps units in force on that day.
/// context (e.g. the document's text) only narrows ambiguous names: candidates inside a place it
/// names (or equal to one it names unambiguously) are kept, when there are any.
/// begin/end are byte offsets into the NFC form of text (the same bytes when text is NFC).
std::vector<PlaceMatch> find_places(std::string_view text, std::string_view on_date = {},
                                    std::string_view context = {}, const Lexicon& lx = lexicon());
/// The first of find_places(): the unit an authority line such as "UBND HUYỆN TĨNH GIA" names.
std::optional<PlaceMatch> find_place(std::string_view text, std::string_view on_date = {},
                                     std::string_view context = {}, const Lexicon& lx = lexicon());
const AdminUnit* province_of(const AdminUnit& u, const Lexicon& lx = lexicon());

/// text with every unit name find_places() sees there whose letters are the gazetteer's but whose
/// marks are not ("QUẬN HÁI CHẤU") written as the gazetteer writes it ("QUẬN HẢI CHÂU", in the
/// case it was written in); nullopt when there is none, or the units the name may be spell it
/// differently.
std::optional<std::string> respell_place_names(std::string_view text, const Lexicon& lx = lexicon());

/// A people's committee's name OCR garbled in a small or blurred header, read as what it must
/// be: "LÝ HẠN NHÂN ĐẠN" / "ĐHUVỆN TÍNH GIÁ" -> "ỦY BAN NHÂN DÂN HUYỆN TĨNH GIA". head is the
/// line that should say "Ủy ban nhân dân" (or "UBND"; empty when unit_line starts with it),
/// unit_line the one with the unit's type and name. Accepted only when every part is near what
/// it must be (folded: "ủy ban nhân dân" within 3 letters; the type word within 1 letter, 2 for
/// a word of 5+ letters, unless it is another Vietnamese word such as "PHÒNG"; the name within
/// 1 letter of exactly one name of that type in the gazetteer, as find_places matches names)
/// and no other reading fits. The caller keeps it in doubt: a person confirms what was read as
/// something else.
struct CouncilReading {
  std::string value;  // "ỦY BAN NHÂN DÂN HUYỆN TĨNH GIA"
  const AdminUnit* unit = nullptr;
  int edits = 0;      // letters changed, after folding, to read it so
};
std::optional<CouncilReading> read_as_council(std::string_view head, std::string_view unit_line,
                                              const Lexicon& lx = lexicon());

// ---- words ------------------------------------------------------------------------------

/// A Vietnamese syllable hunspell-vi knows (any case): "duyệt" yes, "đuyệt" no.
bool is_valid_syllable(std::string_view word, const Lexicon& lx = lexicon());
/// The letters of a word that is such a syllable once the punctuation around it is off ("hội,"
/// -> 3), else 0: how much of a reading is the language, which Tesseract's confidence alone does
/// not tell on a blurred photo.
size_t syllable_letters(std::string_view word, const Lexicon& lx = lexicon());

struct Correction {
  size_t index = 0;    // word index (correct_words) or byte offset in the input (resplit_glued)
  std::string before, after, why;
  bool apply = true;   // usage_doubts: false when the variant is only likelier, not to be put in
};
struct Resplit {
  std::string text;                 // the input with glued words split
  std::vector<Correction> changes;  // one per split word
};
/// Splits words OCR glued together ("ĐA KHOATỈNH" -> "ĐA KHOA TỈNH"): a word that is no valid
/// syllable (not even without its diacritics, nor a place or name syllable) is split when exactly
/// one way of cutting it into 2 or 3 parts of 2+ letters gives valid syllables (ties broken by phrase and
/// place-name pairs, else left alone). Case is kept; words with digits or inner punctuation are
/// left alone.
Resplit resplit_glued(std::string_view text, const Lexicon& lx = lexicon());

enum class Field { co_quan_ban_hanh, trich_yeu, ho_ten };
struct WordConf {
  std::string text;       // one OCR word, NFC; leading/trailing punctuation is kept around it
  float confidence = 0;   // 0-100, as Tesseract gives
};
/// Proposed corrections of the words read with confidence below low_conf; a word at or above it
/// is touched only when it is no syllable and one diacritic variant forms a known pair (first
/// rule below). A word is changed only when one candidate is clearly better:
///  - an invalid syllable whose candidates (diacritic-level variants, else when there is none
///    syllables one letter away) only one forms a known pair with a neighbour ("phê đuyệt" ->
///    "phê duyệt") (a phrase of models/phrases.txt, or for
///    co_quan_ban_hanh and trich_yeu, within 3 words after a unit type word such as "phường", a
///    place name of the gazetteer);
///  - a valid syllable that forms no known pair while exactly one diacritic variant does
///    ("địch vụ" -> "dịch vụ", "VĨNH HÀI" after "PHƯỜNG" -> "VĨNH HẢI");
///  - in ho_ten, an invalid syllable with exactly one diacritic variant among the surnames
///    (first word) or given-name syllables (other words).
/// Ties leave the word alone. Case is kept. Apply them with apply_corrections().
std::vector<Correction> correct_words(const std::vector<WordConf>& words, Field field,
                                      float low_conf = 80, const Lexicon& lx = lexicon());
/// Doubts about words OCR read with confidence, from how Vietnamese is usually written: a valid
/// syllable that forms no known pair with either neighbour (phrases.txt, word_pairs.tsv) while
/// exactly one other syllable with the same letters and other marks forms a common one ("không
/// dùng tiên mặt": "tiền mặt" is common, "tiên mặt" never seen). Only marks change, so a doubt is
/// a likely slip of a tone or vowel mark, for a person to confirm; rare true words are doubted
/// too, which is why these are never silent corrections. Where only one neighbour knows the
/// variant ("rà soát đói tượng": "đối tượng" is common, "soát đối" unseen) it is still a doubt,
/// with apply false: the word is asked about, the value keeps it.
std::vector<Correction> usage_doubts(const std::vector<WordConf>& words, const Lexicon& lx = lexicon());
/// Words that carry Vietnamese marks (a tone, ă â ê ô ơ ư, đ) but are no Vietnamese syllable
/// ("bù địp"): a misread mark or letter, whatever OCR's confidence. after holds up to three
/// syllables with its letters, those its neighbours go with first ("?" when there is none).
/// Unmarked words are left alone: they may be foreign ("website"); but a lone lower-case letter
/// that is no word ("đối tượng h chính sách") is a word OCR cut short, and doubted too.
std::vector<Correction> marked_non_syllables(const std::vector<WordConf>& words, const Lexicon& lx = lexicon());
/// The words joined by single spaces with the corrections applied.
std::string apply_corrections(const std::vector<WordConf>& words,
                              const std::vector<Correction>& corrections);

// ---- names ------------------------------------------------------------------------------

struct NameCheck {
  bool plausible = false;
  std::vector<std::string> reasons;  // why not, one per failed check
};
/// A Vietnamese personal name: 2-6 syllables, the first a known surname, every syllable a valid
/// Vietnamese syllable (or a known given-name syllable). "NGUYỄN VĂN AN" is plausible.
NameCheck check_vietnamese_name(std::string_view name, const Lexicon& lx = lexicon());
bool is_plausible_vietnamese_name(std::string_view name, const Lexicon& lx = lexicon());

}  // namespace sohoa::lexicon
