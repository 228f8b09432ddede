#include <gtest/gtest.h>

#include "classify/mrz.h"

using namespace sohoa;

namespace {
// A 2024 căn cước zone; its check digits computed by hand from ICAO 9303 part 3 (weights 7 3 1).
const char* kLine1 = "IDVNM0900012345079090001234<<1";
const char* kLine2 = "9003152M3003150VNM<<<<<<<<<<<6";
const char* kLine3 = "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";
}  // namespace

TEST(Mrz, CheckDigitsOfTheIcaoSpecimen) {
  // ICAO 9303 part 5's TD1 specimen: I<UTOD231458907<<<..., 7408122F1204159UTO<<<...6
  EXPECT_EQ(mrz::check_digit("D23145890"), 7);
  EXPECT_EQ(mrz::check_digit("740812"), 2);
  EXPECT_EQ(mrz::check_digit("120415"), 9);
  EXPECT_EQ(mrz::check_digit("D23145890" "7" "<<<<<<<<<<<<<<<" "7408122" "1204159" "<<<<<<<<<<<"), 6);
}

TEST(Mrz, ReadsAValidZone) {
  const auto td = mrz::parse_td1(kLine1, kLine2, kLine3);
  ASSERT_TRUE(td);
  EXPECT_EQ(td->document_number, "090001234");
  EXPECT_EQ(td->so_dinh_danh, "079090001234");
  EXPECT_EQ(td->ngay_sinh, "1990-03-15");
  EXPECT_EQ(td->het_han, "2030-03-15");
  EXPECT_EQ(td->gioi_tinh, "Nam");
  EXPECT_EQ(td->ho_ten, "NGUYEN VAN AN");
}

TEST(Mrz, MendsWhatOcrMakesOfIt) {
  // Spaces between words, O for 0 and I for 1 in numbers, "«" for two fillers, a filler run
  // read three short, lower case.
  const auto td = mrz::parse_td1("IDVNM O9OOO1234 5 O79O9OOO1234«1", "9OO3152M3OO315O VNM<<<<<<<<6",
                                 "nguyen«van<an<<<<<<<<");
  ASSERT_TRUE(td);
  EXPECT_EQ(td->lines[0], kLine1);
  EXPECT_EQ(td->lines[1], kLine2);
  EXPECT_EQ(td->so_dinh_danh, "079090001234");
  EXPECT_EQ(td->ngay_sinh, "1990-03-15");
  EXPECT_EQ(td->ho_ten, "NGUYEN VAN AN");
}

TEST(Mrz, AWrongDigitFailsItsCheck) {
  EXPECT_FALSE(mrz::parse_td1("IDVNM0900012346079090001234<<1", kLine2, kLine3));  // document number
  EXPECT_FALSE(mrz::parse_td1(kLine1, "9003162M3003150VNM<<<<<<<<<<<6", kLine3));  // birth date
  EXPECT_FALSE(mrz::parse_td1(kLine1, "9003152M3003160VNM<<<<<<<<<<<6", kLine3));  // expiry
  // Each field's own digit right, the personal number wrong: only the composite digit sees it.
  EXPECT_FALSE(mrz::parse_td1("IDVNM0900012345079090001235<<1", kLine2, kLine3));
  EXPECT_FALSE(mrz::parse_td1("IDVNM0900012345079090001234<<1", "9003152M3003150VNM<<<<<<<<<<<7", kLine3));
}

TEST(Mrz, AnUnreadableNameIsLeftOut) {
  const auto td = mrz::parse_td1(kLine1, kLine2, "NGUY3N<<VAN<<A<N<<<<<<<<");
  ASSERT_TRUE(td);
  EXPECT_EQ(td->so_dinh_danh, "079090001234");
  EXPECT_EQ(td->ho_ten, "");
}

TEST(Mrz, FoundAmongAPagesLines) {
  // Two cards side by side: the zone's lines share their rows with the other card's text, which
  // Tesseract puts on lines of their own; the zone is found by content and its lines paired.
  OcrResult ocr;
  auto line = [&](int x, int y, std::vector<std::string> words) {
    const int n = static_cast<int>(ocr.lines.size());
    ocr.lines.push_back({{x, y, 900, 40}, y + 35});
    for (size_t i = 0; i < words.size(); ++i)
      ocr.words.push_back({words[i], {x + static_cast<int>(i) * 100, y, 90, 40}, 90, n});
  };
  line(1200, 400, {"Họ", "và", "tên:", "NGUYỄN", "VĂN", "AN"});
  line(100, 400, {"IDVNM0900012345079090001234<<1"});
  line(1200, 460, {"Ngày", "sinh:", "15/03/1990"});
  line(100, 460, {"9003152M3003150VNM", "<<<<<<<<<<<6"});
  line(100, 520, {"NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"});
  const std::vector<mrz::Td1> found = mrz::find_td1(ocr);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].so_dinh_danh, "079090001234");
  EXPECT_EQ(found[0].ho_ten, "NGUYEN VAN AN");
  EXPECT_EQ(found[0].box.x, 100);
  EXPECT_EQ(found[0].box.y, 400);
  EXPECT_EQ(found[0].box.h, 160);
}

TEST(Mrz, TheNameLineIsALineWithWords) {
  // After the zone is read again (batch), the first reading's lines keep their boxes with no
  // words left; the name is on the new reading's line, which lies further down the list.
  OcrResult ocr;
  auto line = [&](int y, std::vector<std::string> words) {
    const int n = static_cast<int>(ocr.lines.size());
    ocr.lines.push_back({{100, y, 900, 40}, y + 35});
    for (size_t i = 0; i < words.size(); ++i)
      ocr.words.push_back({words[i], {100 + static_cast<int>(i) * 100, y, 90, 40}, 90, n});
  };
  line(400, {});
  line(452, {});
  line(500, {});
  line(398, {kLine1});
  line(450, {kLine2});
  line(502, {kLine3});
  const std::vector<mrz::Td1> found = mrz::find_td1(ocr);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].ho_ten, "NGUYEN VAN AN");
}

TEST(Mrz, NoZoneOnAnOrdinaryPage) {
  OcrResult ocr;
  ocr.lines.push_back({{0, 0, 900, 40}, 35});
  ocr.words.push_back({"Quốc tịch: VNM 1234567890123456789", {0, 0, 900, 40}, 90, 0});
  EXPECT_TRUE(mrz::find_td1(ocr).empty());
}

TEST(Mrz, AZoneThatDoesNotCheckOutIsFoundForAnotherReading) {
  // The 2024 copy as Tesseract's vie model reads it: zeros as 6, an extra digit. The zone does
  // not check out, but where it lies is known, so it can be read again.
  OcrResult ocr;
  auto line = [&](int y, const std::string& text) {
    const int n = static_cast<int>(ocr.lines.size());
    ocr.lines.push_back({{100, y, 900, 40}, y + 35});
    ocr.words.push_back({text, {100, y, 900, 40}, 70, n});
  };
  line(200, "Ngày, tháng, năm hết hạn / Date of expiry: 02/08/2022");
  line(400, "TDVNM0829095900679082969590<<0");
  line(450, "8208020M2208628VNM<<<<<<<<<<<8");
  line(500, "NG0<<XUAN<QUAN<<<<<<<<<<<<<<<<");
  EXPECT_TRUE(mrz::find_td1(ocr).empty());
  const auto zone = mrz::unchecked_zone(ocr);
  ASSERT_TRUE(zone.has_value());
  EXPECT_EQ(zone->y, 400);
  EXPECT_EQ(zone->h, 140);
}

TEST(Mrz, NoZoneToReadAgainOnAnOrdinaryPage) {
  // Capitals and digits alone are no zone: a heading, a number; the filler "<<" must be there.
  OcrResult ocr;
  ocr.lines.push_back({{0, 0, 900, 40}, 35});
  ocr.words.push_back({"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {0, 0, 900, 40}, 90, 0});
  ocr.lines.push_back({{0, 50, 900, 40}, 85});
  ocr.words.push_back({"SO 0790820909590 079082909590", {0, 50, 900, 40}, 90, 1});
  EXPECT_FALSE(mrz::unchecked_zone(ocr).has_value());
}
