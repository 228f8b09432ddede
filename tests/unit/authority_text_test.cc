// A card's text put right from its own QR code: only a doubted, close, unique reading is mended.
#include "extract/authority_text.h"

#include <gtest/gtest.h>

#include "layout/layout.h"

namespace sohoa::extract {
namespace {

struct W {
  const char* text;
  float confidence;
};

/// A card page: each inner list is one line of words, laid out left to right, one region.
Page card(const std::vector<std::vector<W>>& lines) {
  Page p;
  p.info.number = 1;
  Region r;
  r.role = RegionRole::card;
  int y = 10;
  for (const auto& line : lines) {
    OcrLine ol;
    ol.box = {10, y, 600, 30};
    p.ocr.lines.push_back(ol);
    RegionLine rl;
    rl.cells.emplace_back();
    int x = 10;
    for (const W& w : line) {
      OcrWord ow;
      ow.text = w.text;
      ow.confidence = w.confidence;
      ow.line = static_cast<int>(p.ocr.lines.size()) - 1;
      ow.box = {x, y, 20 * static_cast<int>(std::string(w.text).size()), 30};
      x += ow.box.w + 12;
      rl.cells.back().push_back(static_cast<int>(p.ocr.words.size()));
      p.ocr.words.push_back(ow);
    }
    r.lines.push_back(rl);
    y += 40;
  }
  p.regions.push_back(r);
  p.ocr.text = layout::text_of(p.ocr, p.regions);
  return p;
}

MetadataValue from_qr(const std::string& value) {
  MetadataValue v{value, "qr", 1};
  v.authority_checked = true;
  return v;
}

TEST(AuthorityText, ANameMisreadUnderGlareIsWrittenFromTheCode) {
  std::vector<Page> pages = {card({{{"CĂN", 96}, {"CƯỚC", 96}, {"CÔNG", 97}, {"DÂN", 95}},
                                   {{"Họ", 97}, {"và", 97}, {"tên", 97}},
                                   {{"NC", 73}, {"YÊN", 58}, {"HỒNG", 96}},
                                   {{"Ngày", 96}, {"sinh:", 93}, {"29/04/1990", 95}}})};
  mend_text_from_authority({{"ho_ten", from_qr("Nguyễn Hồng Lan")}, {"ngay_sinh", from_qr("1990-04-29")}}, pages);
  EXPECT_NE(pages[0].ocr.text.find("NGUYỄN HỒNG LAN"), std::string::npos) << pages[0].ocr.text;
  EXPECT_NE(pages[0].ocr.text.find("CĂN CƯỚC CÔNG DÂN"), std::string::npos);
  ASSERT_EQ(pages[0].info.text_mended.size(), 1u);  // the date was read right: nothing to do
  EXPECT_EQ(pages[0].info.text_mended[0].field, "ho_ten");
  EXPECT_EQ(pages[0].info.text_mended[0].before, "NC YÊN HỒNG");
  EXPECT_EQ(pages[0].info.text_mended[0].after, "NGUYỄN HỒNG LAN");
}

TEST(AuthorityText, AReadingOcrWasSureOfIsLeftAsPrinted) {
  // Another card's holder, read cleanly: the text says what the paper says.
  std::vector<Page> pages = {card({{{"NGUYỄN", 95}, {"HỒNG", 96}, {"LÂM", 94}}})};
  mend_text_from_authority({{"ho_ten", from_qr("Nguyễn Hồng Lan")}}, pages);
  EXPECT_EQ(pages[0].ocr.text, "NGUYỄN HỒNG LÂM");
  EXPECT_TRUE(pages[0].info.text_mended.empty());
}

TEST(AuthorityText, TwoCloseReadingsOfANumberAreLeftForAPerson) {
  std::vector<Page> pages = {card({{{"Số:", 95}, {"0221906579", 60}}, {{"Số:", 95}, {"022190657", 55}}})};
  mend_text_from_authority({{"so_dinh_danh", from_qr("022190657907")}}, pages);
  EXPECT_TRUE(pages[0].info.text_mended.empty());
  const std::vector<Page> one = {card({{{"Số:", 95}, {"0221906579", 60}}})};
  std::vector<Page> single = one;
  mend_text_from_authority({{"so_dinh_danh", from_qr("022190657907")}}, single);
  EXPECT_EQ(single[0].ocr.text, "Số: 022190657907");
}

TEST(AuthorityText, OnlyACheckedSourceVouches) {
  std::vector<Page> pages = {card({{{"NC", 73}, {"YÊN", 58}, {"HỒNG", 96}}})};
  MetadataValue unchecked{"Nguyễn Hồng Lan", "qr", 1};  // a code whose number did not validate
  MetadataValue mrz_name{"Nguyen Hong Lan", "mrz", 1};  // no check digit, no diacritics
  mend_text_from_authority({{"ho_ten", unchecked}}, pages);
  mend_text_from_authority({{"ho_ten", mrz_name}}, pages);
  EXPECT_TRUE(pages[0].info.text_mended.empty());
}

TEST(AuthorityText, ANameNeedsAWordInCommonNotJustLettersOfLikeLength) {
  // "CĂN CƯỚC CÔNG DÂN" is as far from "NGUYỄN HỒNG LAN" by edit distance as a misread name.
  EXPECT_GE(authority_similarity("ho_ten", "CƯỚC CÔNG DÂN", "Nguyễn Hồng Lan"), 0.5);
  std::vector<Page> pages = {card({{{"CƯỚC", 60}, {"CÔNG", 60}, {"DÂN", 60}}})};
  mend_text_from_authority({{"ho_ten", from_qr("Nguyễn Hồng Lan")}}, pages);
  EXPECT_TRUE(pages[0].info.text_mended.empty());
}

TEST(AuthorityText, DatesCompareAsPrinted) {
  EXPECT_DOUBLE_EQ(authority_similarity("ngay_sinh", "29/04/1990", "1990-04-29"), 1.0);
  EXPECT_LT(authority_similarity("ngay_sinh", "29/04/2030", "1990-04-29"), 0.7);
}

}  // namespace
}  // namespace sohoa::extract
