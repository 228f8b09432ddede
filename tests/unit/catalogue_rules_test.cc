// Every rule of the document-type catalogue (models/doctypes.json), every validator it names and
// every review reason review.cc can give, each exercised on the project's own text. The tables
// walk the catalogue itself, so a type, title, abbreviation or validator added there is tested
// here without a new test; a review code added to review.cc without a case here fails
// ReviewReasons.EveryCodeReviewGivesHasACase.
#include <gtest/gtest.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <functional>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "classify/classify.h"
#include "cls_test_util.h"
#include "core/text.h"
#include "doctypes/doctypes.h"
#include "doctypes/validators.h"
#include "extract/extract.h"
#include "lexicon/lexicon.h"
#include "review/review.h"

using namespace sohoa;

namespace {

const doctypes::Catalogue& cat() { return doctypes::catalogue(); }

std::string upper(const std::string& s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  u.toUpper(icu::Locale("vi"));
  std::string out;
  return u.toUTF8String(out);
}

/// "QUYẾT ĐỊNH" as OCR gives it when it loses every mark: "QUYET DINH".
std::string without_marks(const std::string& s) {
  std::string f = text::fold(s), out;
  for (char c : f) out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  return out;
}

bool has_reason(const Record& r, const std::string& code, const std::string& field = "") {
  return std::any_of(r.review_reasons.begin(), r.review_reasons.end(),
                     [&](const ReviewReason& x) { return x.code == code && x.field == field; });
}

std::string reasons(const Record& r) {
  std::string s;
  for (const auto& x : r.review_reasons) s += x.code + "(" + x.field + ") ";
  return s;
}

Classification cls_of(const std::vector<std::string>& lines) {
  std::vector<Page> pages = {testutil::make_page(lines)};
  return classify::classify(testutil::doc_of(pages), pages);
}

const std::vector<std::string> kNationalHeader = {"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^Độc lập - Tự do - Hạnh phúc"};

// ------------------------------------------------------------------------------- validators
struct ValidatorCase {
  std::string validator;
  std::string type;  // the document it is checked for (so_ky_hieu's shape depends on it)
  std::string value;
  bool valid;
};

// Values as sohoa's records and samples carry them (samples/truth.json, the dev corpus's truth);
// the invalid ones are what OCR and the extractor have been seen to produce.
const std::vector<ValidatorCase> kValidatorCases = {
    {"so_ky_hieu", "quyet_dinh", "2788/QĐ-UBND", true},
    {"so_ky_hieu", "van_ban_hanh_chinh", "12/2020/NĐ-CP", true},
    {"so_ky_hieu", "van_ban_hanh_chinh", "204/UBND-XNTTHN", true},
    {"so_ky_hieu", "quyet_dinh", "27 88/QĐ", false},      // a number broken by a space
    {"so_ky_hieu", "quyet_dinh", "QĐ-UBND", false},       // the number lost
    {"so_ky_hieu", "quyet_dinh", "138", false},           // a register number is no number and symbol
    {"date_past", "quyet_dinh", "2023-06-14", true},
    {"date_past", "quyet_dinh", "2023-02-30", false},     // no such day
    {"date_past", "quyet_dinh", "2999-01-01", false},     // in the future
    {"date_past", "quyet_dinh", "1940-05-01", false},     // before the state that issues these
    {"date_past", "quyet_dinh", "14/06/2023", false},     // not ISO
    {"date_of_birth", "giay_khai_sinh", "1940-05-01", true},
    {"date_of_birth", "giay_khai_sinh", "2024-02-29", true},
    {"date_of_birth", "giay_khai_sinh", "2023-02-29", false},
    {"date_of_birth", "giay_khai_sinh", "1850-01-01", false},
    {"authority", "quyet_dinh", "UBND THÀNH PHỐ NHA TRANG", true},
    {"authority", "quyet_dinh", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", true},
    {"authority", "quyet_dinh", "TRUNG TÂM NGOẠI NGỮ - TIN HỌC KHÁNH HÒA", true},
    {"authority", "quyet_dinh", "UBND QUẬN 1 PHÒNG TÀI CHÍNH - KẾ HOẠCH", true},
    {"authority", "quyet_dinh", "BỘ LAO ĐỘNG-THƯƠNG BINH VÀ XÃ HỘI", true},  // OCR lost the spaces round "-"
    {"authority", "quyet_dinh", "KHÁNH HÒA", false},
    {"authority", "quyet_dinh", "UBND THÀNH PHỐ QUY", false},  // the end of "Quy Nhơn" lost
    // Pieces of the number line "Số: 12/CT-UBND" caught with the name.
    {"authority", "quyet_dinh", "SỞ /CT-UBND", false},
    {"authority", "quyet_dinh", "UBND TỈNH KHÁNH HÒA 12/CT-UBND", false},
    {"authority", "quyet_dinh", "UBND TỈNH KHÁNH HÒA CT-UBND", false},
    {"authority", "quyet_dinh", "SỞ TƯ PHÁP STP-HCTP", false},
    {"authority", "quyet_dinh", "UBND PHƯỜNG VĨNH HẢI Số:", false},
    {"person_name", "giay_khai_sinh", "Nguyễn Văn An", true},
    {"person_name", "giay_khai_sinh", "Lê Ngọc Vy", true},
    {"person_name", "giay_khai_sinh", "An", false},
    {"person_name", "giay_khai_sinh", "Nguyễn Văn4 An", false},
    {"person_name", "giay_khai_sinh", "nguyễn văn an", false},
    {"person_name", "giay_khai_sinh", "Nguyễn Văn Anh Thị Minh Ngọc Lan Hương", false},  // 8 words
    {"so_dinh_danh", "can_cuoc", "056190012345", true},
    {"so_dinh_danh", "can_cuoc", "05619001234", false},   // 11 digits
    {"so_dinh_danh", "can_cuoc", "003190012345", false},  // no province has 003
    {"so_dinh_danh", "can_cuoc", "056590012345", false},  // century digit 5
    {"so_dinh_danh", "can_cuoc", "0561900I2345", false},  // a letter for a digit
    {"subject_line", "quyet_dinh", "phê duyệt phương án bồi thường", true},
    {"subject_line", "quyet_dinh", "phê duyệt", false},
    {"date_expiry", "can_cuoc", "2035-11-05", true},  // an expiry lies ahead
    {"date_expiry", "can_cuoc", "2035-02-30", false},
};

TEST(Validators, EveryValidatorTheCatalogueNamesPassesAValidAndFailsAnInvalidValue) {
  std::map<std::string, std::pair<int, int>> seen;  // validator -> (valid, invalid) cases
  for (const ValidatorCase& c : kValidatorCases) {
    ASSERT_NE(cat().find(c.type), nullptr) << c.type;
    const std::string problem = doctypes::check(c.validator, c.value, cat().get(c.type));
    if (c.valid) {
      EXPECT_EQ(problem, "") << c.validator << " rejects \"" << c.value << "\" for " << c.type;
      ++seen[c.validator].first;
    } else {
      EXPECT_NE(problem, "") << c.validator << " accepts \"" << c.value << "\" for " << c.type;
      ++seen[c.validator].second;
    }
  }
  ASSERT_FALSE(cat().field_validators.empty());
  for (const auto& [field, validator] : cat().field_validators) {
    ASSERT_FALSE(validator.empty()) << field << " has no validator in the catalogue";
    EXPECT_GT(seen[validator].first, 0) << "no valid case for validator " << validator << " (field " << field << ")";
    EXPECT_GT(seen[validator].second, 0) << "no invalid case for validator " << validator << " (field " << field << ")";
  }
}

TEST(Validators, LongSubjectLineFails) {
  std::string many;
  for (int i = 0; i < 61; ++i) many += "việc ";
  EXPECT_NE(doctypes::check("subject_line", text::trim(many), cat().get("quyet_dinh")), "");
}

TEST(Validators, AuthorityFragmentOfTheNumberLineSaysWhy) {
  const std::string p = doctypes::check("authority", "SỞ /CT-UBND", cat().get("quyet_dinh"));
  EXPECT_NE(p.find("number"), std::string::npos) << p;
}

// so_ky_hieu_shape: a number and symbol everywhere; a register number on civil-status papers; a
// serial on diplomas and land and business certificates.
TEST(CatalogueRules, EveryTypesNumberShape) {
  std::set<std::string> shapes;
  for (const doctypes::Type& t : cat().types) {
    shapes.insert(t.so_ky_hieu_shape);
    EXPECT_EQ(doctypes::check("so_ky_hieu", "12/QĐ-UBND", t), "") << t.code;
    EXPECT_NE(doctypes::check("so_ky_hieu", "QĐ-UBND 12", t), "") << t.code;
    const bool reg = t.so_ky_hieu_shape == "register" || t.so_ky_hieu_shape == "serial";
    EXPECT_EQ(doctypes::check("so_ky_hieu", "138", t).empty(), reg) << t.code << " " << t.so_ky_hieu_shape;
    EXPECT_EQ(doctypes::check("so_ky_hieu", "B 1836054", t).empty(), t.so_ky_hieu_shape == "serial") << t.code;
    EXPECT_EQ(doctypes::check("so_ky_hieu", "CS 03759", t).empty(), t.so_ky_hieu_shape == "serial") << t.code;
    EXPECT_NE(doctypes::check("so_ky_hieu", "B-1836054", t), "") << t.code;
  }
  EXPECT_EQ(shapes, (std::set<std::string>{"number", "register", "serial"}));
}

TEST(CatalogueRules, EveryAuthorityWordStartsAnAuthoritysName) {
  ASSERT_FALSE(cat().authority_words.empty());
  const doctypes::Type& t = cat().get("quyet_dinh");
  for (const std::string& a : cat().authority_words) {
    EXPECT_EQ(doctypes::check("authority", a + " KHÁNH HÒA", t), "") << a;
    EXPECT_EQ(doctypes::check("authority", upper(a) + " KHÁNH HÒA", t), "") << a;
    EXPECT_NE(doctypes::check("authority", "KHÁNH HÒA " + a, t), "") << a;
  }
}

// ------------------------------------------------------------------------------- titles
struct Title {
  std::string printed, code, kind;
  bool first_word;
};

std::vector<Title> every_title() {
  std::vector<Title> v;
  for (const doctypes::Type& t : cat().types) {
    for (const std::string& s : t.titles) v.push_back({s, t.code, "", t.title_is_first_word});
    for (const doctypes::Kind& k : t.kinds)
      for (const std::string& s : k.titles) v.push_back({s, t.code, k.kind, k.title_is_first_word});
  }
  return v;
}

TEST(CatalogueRules, EveryTitleVariantIsClassifiedFromThePage) {
  const std::vector<Title> titles = every_title();
  ASSERT_GT(titles.size(), 60u);
  for (const Title& t : titles) {
    // As printed (upper case, with its marks), as OCR gives it without marks, and a one-word
    // title followed by what it is about.
    std::vector<std::string> shown = {upper(t.printed), without_marks(t.printed)};
    if (t.first_word) shown.push_back(upper(t.printed) + " ĐỀ NGHỊ");
    for (const std::string& line : shown) {
      std::vector<std::string> lines = kNationalHeader;
      lines.push_back("^" + line);
      const Classification c = cls_of(lines);
      EXPECT_EQ(c.doc_type, t.code) << "title \"" << line << "\"";
      EXPECT_EQ(c.rule_type, t.code) << "title \"" << line << "\"";
      if (!t.kind.empty()) EXPECT_EQ(c.kind, t.kind) << "title \"" << line << "\"";
    }
  }
}

TEST(CatalogueRules, ATitleReadWithOneSlipInSixLettersStillNamesTheType) {
  for (const Title& t : every_title()) {
    std::string shown = without_marks(t.printed);
    std::string letters;
    for (char c : shown)
      if (c >= 'A' && c <= 'Z') letters.push_back(c);
    if (letters.size() < 12) continue;  // a short title must be read exactly
    // One letter in the middle of the title misread ("QUYET DJNH").
    size_t mid = shown.size() / 2;
    while (mid < shown.size() && !(shown[mid] >= 'A' && shown[mid] <= 'Z')) ++mid;
    shown[mid] = shown[mid] == 'X' ? 'K' : 'X';
    std::vector<std::string> lines = kNationalHeader;
    lines.push_back("^" + shown);
    EXPECT_EQ(cls_of(lines).rule_type, t.code) << "title \"" << shown << "\"";
  }
}

std::string folded_letters(const std::string& s) {
  std::string out;
  for (char c : text::fold(s))
    if (c >= 'a' && c <= 'z') out.push_back(c);
  return out;
}

// KNOWN BROKEN (reported, not fixed here: doctypes.cc and classify.cc match the abbreviation on
// folded text): Nghị định 30/2020 gives "ĐA" (đề án) and "DA" (dự án), "HĐ" (hợp đồng) and "HD"
// (hướng dẫn); folded they are one, and by_abbrev names the first in the catalogue, so
// "12/HĐ-UBND" is called a hướng dẫn. Each entry must still collide with another abbreviation of
// the catalogue, so the list hides nothing else and must shrink when the matcher keeps the Đ.
const std::set<std::string> kFoldedCollisions = {"DA", "HĐ"};

TEST(CatalogueRules, EveryNumberAbbreviationNamesItsTypeAndKind) {
  int n = 0;
  std::map<std::string, std::set<std::string>> by_folded;  // folded -> abbreviations as printed
  for (const doctypes::Type& t : cat().types) {
    for (const std::string& a : t.number_abbrevs) by_folded[folded_letters(a)].insert(a);
    for (const doctypes::Kind& k : t.kinds)
      if (!k.abbrev.empty()) by_folded[folded_letters(k.abbrev)].insert(k.abbrev);
  }
  for (const std::string& a : kFoldedCollisions) EXPECT_GT(by_folded[folded_letters(a)].size(), 1u) << a;
  auto check = [&](const std::string& abbrev, const std::string& code, const std::string& kind) {
    ++n;
    const std::string folded = folded_letters(abbrev);
    if (!kFoldedCollisions.count(abbrev))
      EXPECT_EQ(cat().by_abbrev(folded), (std::pair<std::string, std::string>{code, kind})) << abbrev;
    else
      EXPECT_NE(cat().by_abbrev(folded), (std::pair<std::string, std::string>{code, kind}))
          << abbrev << " is told apart now: take it off kFoldedCollisions";
    // On a page with no title: the number line alone points at the type.
    const Classification c = cls_of({"UBND THÀNH PHỐ NHA TRANG || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                     "|| Độc lập - Tự do - Hạnh phúc",
                                     "Số: 12/" + abbrev + "-UBND || Nha Trang, ngày 14 tháng 6 năm 2023"});
    EXPECT_EQ(c.rule_type, code) << abbrev;  // the type is right even where the kind is not
    EXPECT_TRUE(std::any_of(c.evidence.begin(), c.evidence.end(),
                            [](const std::string& e) { return e.rfind("number: ", 0) == 0; }))
        << abbrev;
  };
  for (const doctypes::Type& t : cat().types) {
    for (const std::string& a : t.number_abbrevs) check(a, t.code, "");
    for (const std::string& p : t.number_abbrev_prefixes) check(p + "KS", t.code, "");
    for (const doctypes::Kind& k : t.kinds)
      if (!k.abbrev.empty()) check(k.abbrev, t.code, k.kind);
  }
  EXPECT_GT(n, 25);
}

// With a line of body under "Kính gửi" the model says quyet_dinh at p=1.00; the form (V/v, Kính
// gửi, a number naming only its issuer) must still win.
TEST(CatalogueRules, ACongVanIsKnownByItsStructure) {
  // The catalogue's vv_subject cue: no title, no kind abbreviation in the number.
  const Classification c = cls_of({"UBND TỈNH KHÁNH HÒA || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                   "SỞ TƯ PHÁP || Độc lập - Tự do - Hạnh phúc",
                                   "Số: 245/STP-HCTP || Khánh Hòa, ngày 14 tháng 6 năm 2023",
                                   "V/v tăng cường công tác tiếp nhận hồ sơ", "Kính gửi: Ủy ban nhân dân các xã, phường",
                                   "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về cải cách thủ tục hành chính,"});
  std::string why;
  for (const std::string& e : c.evidence) why += e + "; ";
  EXPECT_EQ(c.doc_type, "van_ban_hanh_chinh") << why;
  EXPECT_EQ(c.kind, "cong_van") << why;
  EXPECT_EQ(c.rule_type, "van_ban_hanh_chinh") << why;
  const doctypes::Kind* k = cat().find_kind("cong_van");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->structure, "vv_subject");
}

// ------------------------------------------------------------------------------- fields per type
/// A valid value of each field for a document of type t.
std::map<std::string, std::string> valid_values(const doctypes::Type& t) {
  std::string number = "12/UBND-VP";
  if (t.so_ky_hieu_shape == "register") number = "138";
  if (t.so_ky_hieu_shape == "serial") number = "B 1836054";
  if (!t.number_abbrevs.empty()) number = "12/" + t.number_abbrevs.front() + "-UBND";
  return {{"so_ky_hieu", number},
          {"ngay_ban_hanh", "2023-06-14"},
          {"co_quan_ban_hanh", "UBND PHƯỜNG VĨNH HẢI"},
          {"ho_ten", "Nguyễn Văn An"},
          {"so_dinh_danh", "056190012345"},
          {"ngay_sinh", "1990-11-05"},
          {"trich_yeu", "phê duyệt phương án bồi thường"},
          {"ngay_het_han", "2035-11-05"}};
}

/// A record the rules and the model agree on, read at good confidence, with these fields.
Record record_of(const doctypes::Type& t, const std::vector<std::string>& keys, std::vector<Page>* pages) {
  Record r;
  r.classification.doc_type = t.code;
  r.classification.cls = t.cls;
  r.classification.rule_type = t.code;
  r.classification.model_type = t.code;
  r.classification.model_p = 0.95;
  r.classification.confidence = 0.95;
  *pages = {testutil::make_page({"x"})};
  (*pages)[0].info.ocr_confidence = 95;
  r.document.pages = {0};
  const auto values = valid_values(t);
  for (const std::string& k : keys) {
    MetadataValue v{values.at(k), "ocr", 1};
    v.word_confidence = v.min_word_confidence = 93;
    r.metadata[k] = v;
  }
  return r;
}

TEST(CatalogueRules, EveryRequiredFieldOfEveryTypeIsAskedForWhenMissing) {
  int cases = 0;
  for (const doctypes::Type& t : cat().types) {
    std::vector<std::string> all = t.required;
    all.insert(all.end(), t.optional.begin(), t.optional.end());
    std::vector<Page> pages;
    // Everything the type may have, all valid: no field is flagged.
    Record full = record_of(t, all, &pages);
    review::assess(full, pages);
    for (const ReviewReason& x : full.review_reasons)
      EXPECT_TRUE(x.field.empty()) << t.code << ": " << reasons(full);
    EXPECT_EQ(full.review, !t.review_always.empty()) << t.code << ": " << reasons(full);
    for (const std::string& key : t.required) {
      std::vector<std::string> keys = all;
      keys.erase(std::find(keys.begin(), keys.end(), key));
      Record r = record_of(t, keys, &pages);
      review::assess(r, pages);
      EXPECT_TRUE(has_reason(r, "field_missing", key)) << t.code << " without " << key << ": " << reasons(r);
      EXPECT_TRUE(r.review) << t.code;
      EXPECT_LE(r.confidence, 0.5) << t.code;
      ++cases;
    }
    for (const std::string& key : t.optional) {
      std::vector<std::string> keys = t.required;
      Record r = record_of(t, keys, &pages);
      review::assess(r, pages);
      EXPECT_FALSE(has_reason(r, "field_missing", key)) << t.code << " may lack " << key << ": " << reasons(r);
    }
  }
  EXPECT_GT(cases, 30);
}

TEST(CatalogueRules, AKindThatRequiresASubjectAsksForIt) {
  const doctypes::Type& t = cat().get("van_ban_hanh_chinh");
  ASSERT_FALSE(t.kinds.empty());
  int required = 0;
  for (const doctypes::Kind& k : t.kinds) {
    std::vector<Page> pages;
    Record r = record_of(t, t.required, &pages);
    r.classification.kind = k.kind;
    review::assess(r, pages);
    EXPECT_EQ(has_reason(r, "field_missing", "trich_yeu"), k.trich_yeu_required) << k.kind << ": " << reasons(r);
    required += k.trich_yeu_required;
  }
  EXPECT_GT(required, 0);
}

/// A page that carries every field: a number, a date, an authority, a subject, a person.
const std::vector<std::string> kEveryField = {
    "UBND THÀNH PHỐ NHA TRANG || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "UBND PHƯỜNG VĨNH HẢI || Độc lập - Tự do - Hạnh phúc",
    "Số: 138/UBND-VP || Nha Trang, ngày 14 tháng 6 năm 2023",
    "V/v cấp bản sao giấy tờ hộ tịch cho công dân",
    "Họ và tên: NGUYỄN VĂN AN",
    "Ngày, tháng, năm sinh: 05/11/1990",
    "Số định danh cá nhân: 056190012345",
    "Nơi cư trú: phường Vĩnh Hải, thành phố Nha Trang, tỉnh Khánh Hòa"};

TEST(CatalogueRules, AFieldATypeDoesNotListIsNeverRead) {
  std::vector<Page> pages = {testutil::make_page(kEveryField)};
  const Document doc = testutil::doc_of(pages);
  std::set<std::string> read_somewhere;
  for (const doctypes::Type& t : cat().types) {
    Classification c;
    c.doc_type = t.code;
    c.cls = t.cls;
    const auto md = extract::extract(doc, pages, c, nullptr);
    for (const auto& [key, v] : md) {
      if (key.find('.') != std::string::npos) continue;  // "review.so_ky_hieu": a note, not a value
      EXPECT_TRUE(t.expects(key)) << t.code << " read " << key << " = " << v.value;
      read_somewhere.insert(key);
    }
  }
  // The page is rich enough that the test means something: most fields are read for some type.
  EXPECT_GE(read_somewhere.size(), 5u);
}

TEST(CatalogueRules, WhoseNameTheRecordCarries) {
  // person "none": a văn bản hành chính names nobody; "named_in_subject": a decision's person is
  // the one its subject names.
  std::vector<Page> pages = {testutil::make_page(kEveryField)};
  Classification c;
  c.doc_type = "van_ban_hanh_chinh";
  EXPECT_EQ(cat().get("van_ban_hanh_chinh").person, "none");
  EXPECT_FALSE(extract::extract(testutil::doc_of(pages), pages, c, nullptr).count("ho_ten"));
  EXPECT_EQ(cat().get("quyet_dinh").person, "named_in_subject");
  std::vector<Page> qd = {testutil::make_page(
      {"UBND THÀNH PHỐ NHA TRANG || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "|| Độc lập - Tự do - Hạnh phúc",
       "Số: 2788/QĐ-UBND || Nha Trang, ngày 14 tháng 6 năm 2023", "^QUYẾT ĐỊNH",
       "^Về việc cho phép ông Nguyễn Văn An nghỉ hưu trước tuổi", "^CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ NHA TRANG",
       "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
       "Họ và tên: TRẦN THỊ LAN"})};
  c.doc_type = "quyet_dinh";
  const auto md = extract::extract(testutil::doc_of(qd), qd, c, nullptr);
  ASSERT_TRUE(md.count("ho_ten"));
  EXPECT_EQ(md.at("ho_ten").value, "Nguyễn Văn An");
}

TEST(CatalogueRules, AnApplicantMayBeBornAfterTheFormIsDated) {
  // person "applicant": the form's date says nothing about the birth of the person it is about
  // (a child's birth is declared by a parent); on a certificate of the person it does.
  std::vector<Page> pages;
  for (const char* code : {"don", "giay_khai_sinh"}) {
    const doctypes::Type& t = cat().get(code);
    Record r = record_of(t, {"ho_ten", "ngay_sinh", "ngay_ban_hanh"}, &pages);
    r.metadata["ngay_sinh"].value = "2024-07-21";
    r.metadata["ngay_ban_hanh"].value = "2024-07-01";
    review::assess(r, pages);
    EXPECT_EQ(has_reason(r, "fields_disagree", "ngay_sinh"), t.person != "applicant") << code << ": " << reasons(r);
  }
}

TEST(CatalogueRules, TheIssuerANumberNamesMustBeTheIssuer) {
  // issuer_abbrevs: "…-UBND" is a people's committee's number.
  ASSERT_TRUE(cat().issuer_abbrevs.count("UBND"));
  std::vector<Page> pages;
  const doctypes::Type& t = cat().get("quyet_dinh");
  Record ok = record_of(t, t.required, &pages);
  ok.metadata["co_quan_ban_hanh"].value = "ỦY BAN NHÂN DÂN PHƯỜNG VĨNH HẢI";
  review::assess(ok, pages);
  EXPECT_FALSE(has_reason(ok, "fields_disagree", "co_quan_ban_hanh")) << reasons(ok);
  for (const auto& [abbr, full] : cat().issuer_abbrevs) {
    Record r = record_of(t, t.required, &pages);
    r.metadata["so_ky_hieu"].value = "12/QĐ-" + abbr;
    r.metadata["co_quan_ban_hanh"].value = "SỞ TƯ PHÁP TỈNH KHÁNH HÒA";
    review::assess(r, pages);
    EXPECT_TRUE(has_reason(r, "fields_disagree", "co_quan_ban_hanh")) << abbr << ": " << reasons(r);
  }
}

TEST(CatalogueRules, ADeskIsNeverTheIssuer) {
  ASSERT_FALSE(cat().desk_units.empty());
  for (const std::string& desk : cat().desk_units) {
    std::vector<Page> pages = {testutil::make_page(
        {"UBND THÀNH PHỐ NHA TRANG || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND PHƯỜNG VĨNH HẢI || Độc lập - Tự do - Hạnh phúc",
         upper(desk) + " || Nha Trang, ngày 21 tháng 08 năm 2024", "^GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
         "Mã hồ sơ: 000.97.61.H56-240821-0587", "Ông/Bà: LÊ ĐỨC LỘC"})};
    Classification c;
    c.doc_type = "bien_nhan";
    std::map<std::string, std::string> extra;
    const auto md = extract::extract(testutil::doc_of(pages), pages, c, &extra);
    ASSERT_TRUE(md.count("co_quan_ban_hanh")) << desk;
    EXPECT_EQ(md.at("co_quan_ban_hanh").value, "UBND PHƯỜNG VĨNH HẢI") << desk;
    EXPECT_EQ(extra["don_vi"], upper(desk)) << desk;
  }
}

// ------------------------------------------------------------------------------- review reasons
/// The codes review.cc can give: every add("code", …) in its source.
std::set<std::string> codes_in_review_source() {
  std::ifstream in(std::string(SOHOA_TESTS_DIR) + "/../pipeline/review/review.cc");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string src = ss.str();
  static const std::regex add(R"re(\badd\("([a-z_]+)")re");
  std::set<std::string> codes;
  for (auto it = std::sregex_iterator(src.begin(), src.end(), add); it != std::sregex_iterator(); ++it)
    codes.insert((*it)[1].str());
  return codes;
}

/// One record that must get the reason (code, field), built from a real page where the pipeline
/// can produce it from one, else constructed as the stages would hand it on.
struct ReasonCase {
  std::string code, field;
  std::function<Record()> make;
};

/// Classify, extract and assess a one-page document the way the batch does.
Record run_page(Page page) {
  static std::vector<Page> pages;
  pages = {std::move(page)};
  Record r;
  r.document.pages = {0};
  r.classification = classify::classify(r.document, pages);
  r.metadata = extract::extract(r.document, pages, r.classification, &r.extra);
  review::assess(r, pages);
  return r;
}

Page page_of(const std::vector<std::string>& lines, float word_conf = 93.f, double page_conf = 93) {
  Page p = testutil::make_page(lines);
  for (auto& w : p.ocr.words) w.confidence = word_conf;
  p.info.ocr_confidence = page_conf;
  return p;
}

const std::vector<std::string> kDecision = {
    "UBND THÀNH PHỐ NHA TRANG || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "|| Độc lập - Tự do - Hạnh phúc",
    "Số: 2788/QĐ-UBND || Nha Trang, ngày 14 tháng 6 năm 2023",
    "^QUYẾT ĐỊNH",
    "^Về việc phê duyệt phương án bồi thường khi Nhà nước thu hồi đất",
    "^CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ NHA TRANG",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Điều 1. Phê duyệt phương án bồi thường, hỗ trợ khi Nhà nước thu hồi đất."};

std::vector<std::string> decision_with(size_t line, const std::string& text) {
  auto l = kDecision;
  l[line] = text;
  return l;
}

Record assessed(const std::string& type, const std::vector<std::string>& keys,
                const std::function<void(Record&, std::vector<Page>&)>& change) {
  static std::vector<Page> pages;
  Record r = record_of(cat().get(type), keys, &pages);
  change(r, pages);
  review::assess(r, pages);
  return r;
}

/// A signature that verifies, by a certificate the --trust anchors vouch for.
DigitalSignature signed_by(const std::string& name) {
  DigitalSignature s;
  s.sub_filter = "adbe.pkcs7.detached";
  s.signer_name = name;
  s.covers_whole_file = s.bytes_intact = s.trust_anchors = true;
  s.certificate = "valid";
  return s;
}

const std::vector<std::string> kQdFields = {"so_ky_hieu", "ngay_ban_hanh", "co_quan_ban_hanh", "trich_yeu"};
const std::vector<std::string> kKsFields = {"ho_ten", "ngay_sinh", "ngay_ban_hanh", "co_quan_ban_hanh", "so_dinh_danh"};

std::vector<ReasonCase> reason_cases() {
  return {
      {"no_text", "", [] { return run_page(testutil::make_page({})); }},
      {"page_error", "",
       [] {
         return assessed("quyet_dinh", kQdFields, [](Record& r, std::vector<Page>& p) {
           p.push_back(testutil::make_page({}, false, 2));
           p[1].info.error = "JPEG data cut short";
           r.document.pages = {0, 1};
         });
       }},
      {"text_unreadable", "", [] { return run_page(page_of(kDecision, 93.f, 70)); }},
      {"type_unknown", "",
       [] {
         return run_page(page_of({"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "^Độc lập - Tự do - Hạnh phúc", "^GIẤY CHỨNG SINH",
                                  "Họ và tên mẹ: Vũ Hồng Linh", "Đã sinh con vào lúc 10 giờ ngày 21/07/2024"}));
       }},
      {"type_unidentified", "",
       [] {
         // No title, no number, no layout cue: only the model says what it is.
         return run_page(page_of({"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                                  "Xét đề nghị của Trưởng phòng Tài nguyên và Môi trường,",
                                  "Phê duyệt phương án bồi thường, hỗ trợ khi Nhà nước thu hồi đất."}));
       }},
      {"type_disagreement", "",
       [] {
         return assessed("quyet_dinh", kQdFields, [](Record& r, std::vector<Page>&) {
           r.classification.model_type = "to_khai";
           r.classification.model_p = 0.9;
         });
       }},
      {"type_low_confidence", "",
       [] {
         // A form's body without its title: the model alone, and a form needs a title to be believed.
         return run_page(page_of({"Họ, chữ đệm, tên người yêu cầu: Lý Trọng Đạt",
                                  "Nơi cư trú: phường Vĩnh Hải, thành phố Nha Trang",
                                  "Giấy tờ tùy thân: Căn cước công dân số 056190012345",
                                  "Đề nghị cấp bản sao trích lục khai sinh cho người có tên dưới đây"}));
       }},
      {"field_missing", "trich_yeu", [] { return run_page(page_of(decision_with(4, ""))); }},
      {"field_unreadable", "so_ky_hieu",
       [] {
         // The extractor's note for a printed slot whose handwritten number OCR could not read.
         return assessed("quyet_dinh", {"ngay_ban_hanh", "co_quan_ban_hanh", "trich_yeu"}, [](Record& r, std::vector<Page>&) {
           r.metadata["review.so_ky_hieu"] = {"the number after \"Số:\" is handwritten and could not be read", "ocr", 1};
         });
       }},
      {"field_invalid", "so_ky_hieu",
       [] {
         return assessed("quyet_dinh", kQdFields,
                         [](Record& r, std::vector<Page>&) { r.metadata["so_ky_hieu"].value = "27 88/QĐ"; });
       }},
      {"field_invalid", "co_quan_ban_hanh",
       [] {
         return assessed("quyet_dinh", kQdFields,
                         [](Record& r, std::vector<Page>&) { r.metadata["co_quan_ban_hanh"].value = "SỞ /CT-UBND"; });
       }},
      {"field_invalid", "ngay_ban_hanh",
       [] {
         return assessed("quyet_dinh", kQdFields,
                         [](Record& r, std::vector<Page>&) { r.metadata["ngay_ban_hanh"].value = "2023-02-30"; });
       }},
      {"field_low_confidence", "so_ky_hieu", [] { return run_page(page_of(kDecision, 60.f, 90)); }},
      {"fields_disagree", "ngay_sinh",
       [] {
         return assessed("giay_khai_sinh", kKsFields, [](Record& r, std::vector<Page>&) {
           r.metadata["ngay_sinh"].value = "2024-07-21";
           r.metadata["ngay_ban_hanh"].value = "2024-07-01";
         });
       }},
      {"fields_disagree", "so_dinh_danh",
       [] {
         return assessed("giay_khai_sinh", kKsFields,
                         [](Record& r, std::vector<Page>&) { r.metadata["so_dinh_danh"].value = "056192012345"; });
       }},
      {"fields_disagree", "so_ky_hieu",
       [] { return run_page(page_of(decision_with(2, "Số: 2788/TB-UBND || Nha Trang, ngày 14 tháng 6 năm 2023"))); }},
      {"fields_disagree", "co_quan_ban_hanh",
       [] { return run_page(page_of(decision_with(0, "SỞ TƯ PHÁP TỈNH KHÁNH HÒA || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))); }},
      {"sources_disagree", "ho_ten",
       [] {
         return assessed("can_cuoc", {"ho_ten", "so_dinh_danh", "ngay_sinh"}, [](Record& r, std::vector<Page>&) {
           for (auto& [k, v] : r.metadata) v.source = "qr";
           r.metadata["ho_ten"].other_readings = {{"ocr", "Nguyễn Văn Ấn"}};
         });
       }},
      {"signature_invalid", "",
       [] {
         return assessed("quyet_dinh", kQdFields, [](Record& r, std::vector<Page>&) {
           r.signatures = {signed_by("UBND tỉnh Khánh Hòa")};
           r.signatures[0].bytes_intact = false;  // a byte changed after signing
         });
       }},
      {"signature_untrusted", "",
       [] {
         return assessed("quyet_dinh", kQdFields, [](Record& r, std::vector<Page>&) {
           r.signatures = {signed_by("UBND tỉnh Khánh Hòa"), signed_by("Trung tâm Công báo")};
           r.signatures[1].certificate = "expired";
           r.signatures[1].certificate_problems = {"expired"};
         });
       }},
  };
}

TEST(ReviewReasons, EveryCaseGetsItsCodeOnItsField) {
  for (const ReasonCase& c : reason_cases()) {
    const Record r = c.make();
    EXPECT_TRUE(has_reason(r, c.code, c.field))
        << c.code << "(" << c.field << ") not given; got " << reasons(r) << "; classified " << r.classification.doc_type
        << " " << r.classification.confidence << " (" << r.classification.method << ")";
    EXPECT_TRUE(r.review) << c.code;
    for (const ReviewReason& x : r.review_reasons) EXPECT_FALSE(x.detail.empty()) << x.code;
  }
}

TEST(ReviewReasons, EveryCodeReviewGivesHasACase) {
  const std::set<std::string> codes = codes_in_review_source();
  ASSERT_GE(codes.size(), 13u) << "review.cc not found or its add(\"code\", …) calls changed";
  std::set<std::string> covered;
  for (const ReasonCase& c : reason_cases()) covered.insert(c.code);
  for (const std::string& code : codes) EXPECT_TRUE(covered.count(code)) << "no test gives review code " << code;
  for (const std::string& code : covered) EXPECT_TRUE(codes.count(code)) << code << " is not a code review.cc gives";
}

TEST(ReviewReasons, ARecordWithNothingWrongHasNone) {
  // The counterpart: the same decision, read well, asks nobody.
  const Record r = run_page(page_of(kDecision));
  EXPECT_FALSE(r.review) << reasons(r);
  EXPECT_TRUE(r.review_reasons.empty());
  EXPECT_GT(r.confidence, 0.8);
}

TEST(ReviewReasons, SignaturesThatHoldAskNobody) {
  // Signed twice, both intact and trusted: nothing to ask. A certificate judged without --trust
  // anchors (unknown issuer by default) is not the signer's fault: not asked either.
  const Record fine = assessed("quyet_dinh", kQdFields, [](Record& r, std::vector<Page>&) {
    r.signatures = {signed_by("UBND tỉnh Khánh Hòa"), signed_by("Trung tâm Công báo")};
    r.signatures[0].covers_whole_file = false;  // signed again after it: normal
  });
  EXPECT_FALSE(fine.review) << reasons(fine);
  const Record unjudged = assessed("quyet_dinh", kQdFields, [](Record& r, std::vector<Page>&) {
    r.signatures = {signed_by("UBND tỉnh Khánh Hòa")};
    r.signatures[0].trust_anchors = false;
    r.signatures[0].certificate = "unknown_issuer";
    r.signatures[0].certificate_problems = {"unknown_issuer"};
  });
  EXPECT_FALSE(unjudged.review) << reasons(unjudged);
  EXPECT_DOUBLE_EQ(unjudged.confidence, fine.confidence);
}

}  // namespace
