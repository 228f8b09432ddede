#include <gtest/gtest.h>

#include "classify/classify.h"
#include "cls_test_util.h"
#include "extract/extract.h"
#include "extract/office_fields.h"
#include "review/review.h"
#include "output/record_writer.h"

using namespace sohoa;
using testutil::doc_of;
using testutil::make_page;

namespace {
std::map<std::string, std::string> run(const std::vector<Page>& pages) {
  Document d = doc_of(pages);
  Classification c = classify::classify(d, pages);
  std::map<std::string, std::string> out;
  for (auto& [k, v] : extract::extract(d, pages, c)) out[k] = v.value;
  return out;
}

/// OCR of "Số: 07 /CT-UBND" and "ngày 20 tháng 3" with the digits written by hand.
Page directive_with_slots(const std::string& date_line = "Quảng Ngãi, ngày 8O tháng 3 năm 2018") {
  return make_page({
      "ỦY BAN NHÂN DÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "TỈNH QUẢNG NGÃI || Độc lập - Tự do - Hạnh phúc",
      "Số: /CT-UBND || " + date_line,
      "CHỈ THỊ",
      "Về việc tăng cường công tác thi hành án hành chính",
      "Trong thời gian qua, công tác triển khai thi hành Luật tố tụng hành chính đạt kết quả.",
  });
}
/// A báo cáo of a provincial People's Committee whose signature block has the position and the
/// signer's name as given.
std::vector<Page> report_signed(const std::string& position, const std::string& signer) {
  return {make_page({
      "ỦY BAN NHÂN DÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "TỈNH QUẢNG NGÃI || Độc lập - Tự do - Hạnh phúc",
      "Số: 23/BC-UBND || Quảng Ngãi, ngày 23 tháng 01 năm 2025",
      "Kính gửi: Văn phòng Chính phủ",
      "Tình hình thực hiện công tác cải cách thủ tục hành chính tháng 01/2025 như sau.",
      "Nơi nhận: || KT. CHỦ TỊCH",
      "- Như trên; || " + position,
      "- Lưu: VT, TTHC.",
      " || " + signer,
  })};
}

}  // namespace

TEST(OfficeFields, MarksArrivalStampSignatureBlockAndRecipients) {
  std::vector<Page> pages = {make_page({
      "UBND TỈNH KHÁNH HÒA || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "SỞ TƯ PHÁP || Độc lập - Tự do - Hạnh phúc",
      "Số: 512/STP-VP || Khánh Hòa, ngày 14 tháng 5 năm 2024",
      "V/v triển khai rà soát thủ tục hành chính || HỎA TỐC",
      "MẬT",
      "CV ĐẾN Số: 1234",
      "Ngày: 16/5/2024",
      "Kính gửi: Ủy ban nhân dân các huyện, thị xã, thành phố",
      "Đề nghị các đơn vị khẩn trương thực hiện và báo cáo kết quả.",
      "Nơi nhận: || KT. GIÁM ĐỐC",
      "- Như trên; || PHÓ GIÁM ĐỐC",
      "- UBND tỉnh (báo cáo);",
      "- Lưu: VT, VP.",
      " || Lê Thị Hoa",
  })};
  auto m = run(pages);
  EXPECT_EQ(m["do_khan"], "HỎA TỐC");
  EXPECT_EQ(m["do_mat"], "MẬT");
  EXPECT_EQ(m["van_ban_den.so_den"], "1234");
  EXPECT_EQ(m["van_ban_den.ngay_den"], "2024-05-16");
  EXPECT_EQ(m["tham_quyen_ky"], "KT. GIÁM ĐỐC");
  EXPECT_EQ(m["chuc_vu_nguoi_ky"], "PHÓ GIÁM ĐỐC");
  EXPECT_EQ(m["nguoi_ky"], "Lê Thị Hoa");
  EXPECT_EQ(m["noi_nhan"], "Như trên\nUBND tỉnh (báo cáo)\nLưu: VT, VP");
  EXPECT_EQ(m["so_ky_hieu"], "512/STP-VP");
  EXPECT_EQ(m.count("review.so_ky_hieu"), 0u);
}

TEST(OfficeFields, ThePositionSpeltAsTheCatalogueHasIt) {
  // A bold position under the authority line loses its marks in OCR ("PHO CHU TỊCH"); the words
  // after a known position stay as read.
  auto block = [](const std::string& position) { return report_signed(position, "Trần Hoàng Tuấn"); };
  EXPECT_EQ(run(block("PHO CHU TỊCH"))["chuc_vu_nguoi_ky"], "PHÓ CHỦ TỊCH");
  EXPECT_EQ(run(block("TỔNG GIAM ĐỐC"))["chuc_vu_nguoi_ky"], "TỔNG GIÁM ĐỐC");
  EXPECT_EQ(run(block("PHÓ CHỦ TỊCH THƯỜNG TRỰC"))["chuc_vu_nguoi_ky"], "PHÓ CHỦ TỊCH THƯỜNG TRỰC");
  // A line of capitals that is no position is not taken for one.
  EXPECT_EQ(run(block("TRUNG TÂM CÔNG BÁO"))["chuc_vu_nguoi_ky"], "");
}

TEST(OfficeFields, BodyWordsAreNotMarksAndADateWithoutYearIsNotInvented) {
  std::vector<Page> pages = {make_page({
      "ỦY BAN NHÂN DÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "XÃ PHƯỚC ĐỒNG || Độc lập - Tự do - Hạnh phúc",
      "Số: 45/UBND-VP || Phước Đồng, ngày 02 tháng 6 năm 2023",
      "V/v khẩn trương hoàn thành hồ sơ",
      "CV ĐẾN Số: 77 Ngày: 05/6",
      "Đề nghị các thôn khẩn trương thực hiện, bảo đảm bí mật thông tin cá nhân.",
  })};
  auto m = run(pages);
  EXPECT_EQ(m.count("do_khan"), 0u);
  EXPECT_EQ(m.count("do_mat"), 0u);
  EXPECT_EQ(m["van_ban_den.so_den"], "77");
  EXPECT_EQ(m.count("van_ban_den.ngay_den"), 0u);
}

TEST(OfficeFields, HandwrittenSlotsUnreadAreFlaggedNotInvented) {
  std::vector<Page> pages = {directive_with_slots()};
  Document d = doc_of(pages);
  Record r;
  r.document = d;
  r.classification = classify::classify(d, pages);
  r.metadata = extract::extract(d, pages, r.classification);
  EXPECT_EQ(r.metadata.count("so_ky_hieu"), 0u);
  EXPECT_EQ(r.metadata.count("ngay_ban_hanh"), 0u);
  ASSERT_EQ(r.metadata.count("review.so_ky_hieu"), 1u);
  EXPECT_NE(r.metadata["review.so_ky_hieu"].value.find("/CT-UBND"), std::string::npos);
  ASSERT_EQ(r.metadata.count("review.ngay_ban_hanh"), 1u);
  EXPECT_NE(r.metadata["review.ngay_ban_hanh"].value.find("tháng 3 năm 2018"), std::string::npos);
  review::assess(r, pages);
  r.id = "0123456789abcdef-p001-001";
  const auto j = output::record_json(r, pages);
  EXPECT_TRUE(j["review"].get<bool>());
  EXPECT_TRUE(j["metadata"]["so_ky_hieu"].is_null());
  int unreadable = 0;
  for (const auto& f : j["review_reasons"]) unreadable += f["code"] == "field_unreadable";
  EXPECT_EQ(unreadable, 2);
}

TEST(OfficeFields, ADayOcrReadIsNoHandwrittenSlot) {
  // The only date on the page is a cited paper's, read whole: no issue date, and nothing says
  // a handwritten day could not be read.
  std::vector<Page> pages = {make_page({
      "ỦY BAN NHÂN DÂN || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "TỈNH QUẢNG NGÃI || Độc lập - Tự do - Hạnh phúc",
      "CHỈ THỊ",
      "Về việc tăng cường công tác thi hành án hành chính",
      "Căn cứ Quyết định số 12/QĐ-UBND ngày 05 tháng 3 năm 2020 của Ủy ban nhân dân tỉnh;",
  })};
  auto m = run(pages);
  EXPECT_EQ(m.count("ngay_ban_hanh"), 0u);
  EXPECT_EQ(m.count("review.ngay_ban_hanh"), 0u) << m["review.ngay_ban_hanh"];
}

TEST(OfficeFields, AHandwrittenDayAfterTheSignatureIsTakenBack) {
  // Signed 2018-03-21 16:41 UTC: a paper dated the 22nd (local, UTC+7) is possible, the 28th not.
  DigitalSignature sig;
  sig.signing_time = "2018-03-21T16:41:00Z";
  for (const auto& [day, kept] : {std::pair{"2018-03-20", true}, std::pair{"2018-03-22", true}, std::pair{"2018-03-28", false}}) {
    std::map<std::string, MetadataValue> md;
    md["ngay_ban_hanh"] = {day, "handwritten", 1};
    extract::check_handwritten_date(md, {sig});
    EXPECT_EQ(md.count("ngay_ban_hanh") == 1, kept) << day;
    EXPECT_EQ(md.count("review.ngay_ban_hanh") == 1, !kept) << day;
  }
  // A day OCR read is not the recogniser's to take back.
  std::map<std::string, MetadataValue> md;
  md["ngay_ban_hanh"] = {"2018-03-28", "ocr", 1};
  extract::check_handwritten_date(md, {sig});
  EXPECT_EQ(md.count("ngay_ban_hanh"), 1u);
}

TEST(OfficeFields, HandwrittenSlotsReadAreUsedWhenPossible) {
  // The same slots, the digit recogniser's readings on the page: a possible day is used (and
  // says it was handwritten), an impossible one is flagged with what was read.
  for (const auto& [day, want] : {std::pair{"20", "2018-03-20"}, std::pair{"32", ""}}) {
    std::vector<Page> pages = {directive_with_slots()};
    pages[0].info.handwritten = {{"so", "07", 0.99, {260, 265, 60, 45}, ""}, {"ngay", day, 0.97, {1600, 265, 60, 45}, ""}};
    Document d = doc_of(pages);
    const auto md = extract::extract(d, pages, classify::classify(d, pages));
    ASSERT_EQ(md.count("so_ky_hieu"), 1u);
    EXPECT_EQ(md.at("so_ky_hieu").value, "07/CT-UBND");
    EXPECT_EQ(md.at("so_ky_hieu").source, "handwritten");
    if (*want) {
      ASSERT_EQ(md.count("ngay_ban_hanh"), 1u) << day;
      EXPECT_EQ(md.at("ngay_ban_hanh").value, want);
      EXPECT_EQ(md.at("ngay_ban_hanh").source, "handwritten");
    } else {
      EXPECT_EQ(md.count("ngay_ban_hanh"), 0u) << day;
      ASSERT_EQ(md.count("review.ngay_ban_hanh"), 1u) << day;
      EXPECT_NE(md.at("review.ngay_ban_hanh").value.find("not a day of that month"), std::string::npos);
    }
  }
}

TEST(OfficeFields, AHandwrittenMonthIsReadLikeTheDay) {
  // A month by hand ("tháng ậ" from OCR), alone or with the day: the recogniser's reading makes
  // the date when it is a possible one; a month 13 is flagged with what was read.
  struct Case {
    const char* line;
    std::vector<HandwrittenSlot> slots;
    const char* want;
  };
  const HandwrittenSlot day{"ngay", "20", 0.97, {1500, 265, 60, 45}, ""};
  const std::vector<Case> cases = {
      {"Quảng Ngãi, ngày 20 tháng ậ năm 2018", {{"thang", "3", 0.98, {1700, 265, 40, 45}, ""}}, "2018-03-20"},
      {"Quảng Ngãi, ngày 20 tháng năm 2018", {{"thang", "11", 0.99, {1700, 265, 40, 45}, ""}}, "2018-11-20"},
      {"Quảng Ngãi, ngày ậ0 tháng ậ năm 2018", {day, {"thang", "3", 0.98, {1700, 265, 40, 45}, ""}}, "2018-03-20"},
      {"Quảng Ngãi, ngày 20 tháng ậĩ năm 2018", {{"thang", "13", 0.98, {1700, 265, 40, 45}, ""}}, ""},
      {"Quảng Ngãi, ngày 20 tháng ậ năm 2018", {{"thang", "", 0.6, {1700, 265, 40, 45}, "a mark that is not a digit"}}, ""},
  };
  for (const Case& c : cases) {
    std::vector<Page> pages = {directive_with_slots(c.line)};
    pages[0].info.handwritten = c.slots;
    Document d = doc_of(pages);
    const auto md = extract::extract(d, pages, classify::classify(d, pages));
    if (*c.want) {
      ASSERT_EQ(md.count("ngay_ban_hanh"), 1u) << c.line;
      EXPECT_EQ(md.at("ngay_ban_hanh").value, c.want) << c.line;
      EXPECT_EQ(md.at("ngay_ban_hanh").source, "handwritten");
    } else {
      EXPECT_EQ(md.count("ngay_ban_hanh"), 0u) << c.line;
      ASSERT_EQ(md.count("review.ngay_ban_hanh"), 1u) << c.line;
      const std::string why = md.at("review.ngay_ban_hanh").value;
      EXPECT_TRUE(why.find("read as 13") != std::string::npos || why.find("not a digit") != std::string::npos) << why;
    }
  }
}

TEST(OfficeFields, ASignerNameOfUnknownMarksIsAskedOrSpeltAsItsCertificate) {
  // OCR shifts a name's marks ("Tuần" for Tuấn): no one is known to bear it, a common name has its
  // letters. Without a certificate of that name a person is asked; a person's certificate whose
  // signature holds spells it, in the case the page prints.
  std::vector<Page> pages = report_signed("PHÓ CHỦ TỊCH", "Trần Hoàng Tuần");
  Record r;
  r.document = doc_of(pages);
  r.classification = classify::classify(r.document, pages);
  r.metadata = extract::extract(r.document, pages, r.classification);
  ASSERT_EQ(r.metadata.at("nguoi_ky").value, "Trần Hoàng Tuần");
  review::assess(r, pages);
  bool asked = false;
  for (const ReviewReason& x : r.review_reasons) asked |= x.field == "nguoi_ky" && x.code == std::string("field_low_confidence");
  EXPECT_TRUE(asked);

  DigitalSignature person;
  person.signer_name = "TRẦN HOÀNG TUẤN";
  person.bytes_intact = true;
  DigitalSignature broken = person;
  broken.bytes_intact = false;
  DigitalSignature other = person;
  other.signer_name = "Trần Hoàng Tú";
  for (const DigitalSignature& s : {broken, other}) {
    std::map<std::string, MetadataValue> md = r.metadata;
    extract::check_signer(md, {s});
    EXPECT_EQ(md.at("nguoi_ky").value, "Trần Hoàng Tuần") << s.signer_name;
    EXPECT_FALSE(md.at("nguoi_ky").doubts.empty());
  }
  extract::check_signer(r.metadata, {person});
  EXPECT_EQ(r.metadata.at("nguoi_ky").value, "Trần Hoàng Tuấn");
  EXPECT_TRUE(r.metadata.at("nguoi_ky").doubts.empty());
  ASSERT_EQ(r.metadata.at("nguoi_ky").corrections.size(), 1u);
  review::assess(r, pages);
  for (const ReviewReason& x : r.review_reasons) EXPECT_NE(x.field, "nguoi_ky") << x.detail;
  // A name printed in capitals stays in capitals.
  std::map<std::string, MetadataValue> caps;
  caps["nguoi_ky"] = {"TRẦN HOÀNG TUẦN", "ocr", 1};
  person.signer_name = "Trần Hoàng Tuấn";
  extract::check_signer(caps, {person});
  EXPECT_EQ(caps.at("nguoi_ky").value, "TRẦN HOÀNG TUẤN");
}
