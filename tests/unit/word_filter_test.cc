// What is left of recognised words once the marks of rules, specks and leaders are taken off.
#include "ocr/word_filter.h"

#include <gtest/gtest.h>

namespace sohoa::ocr {
namespace {

TEST(WordFilter, RuleAndSpeckMarksAtTheEdgesGo) {
  EXPECT_EQ(clean_word("|Xã", 90), "Xã");
  EXPECT_EQ(clean_word("5_", 90), "5");
  EXPECT_EQ(clean_word("“Thị", 90), "“Thị");  // a quotation mark can be print
  EXPECT_EQ(clean_word("¬—", 30), "");
  EXPECT_EQ(clean_word("_NGƯỜI", 90), "NGƯỜI");
  EXPECT_EQ(clean_word("~|Kinh_", 90), "Kinh");
}

TEST(WordFilter, LeaderDotsAtTheEdgesGoButAFullStopStays) {
  EXPECT_EQ(clean_word("chồng:...", 90), "chồng:");
  EXPECT_EQ(clean_word("..1993", 90), "1993");
  EXPECT_EQ(clean_word("Phòng._..", 90), "Phòng.");
  EXPECT_EQ(clean_word("2021.", 90), "2021.");
  EXPECT_EQ(clean_word("v.v", 90), "v.v");
}

TEST(WordFilter, PunctuationAloneStaysOnlyWhenTesseractIsSure) {
  EXPECT_EQ(clean_word("-", 95), "-");  // "Độc lập - Tự do - Hạnh phúc"
  EXPECT_EQ(clean_word("-", 40), "");
  EXPECT_EQ(clean_word(".", 50), "");
  EXPECT_EQ(clean_word("...", 95), "");
  EXPECT_EQ(clean_word("(Ký,", 30), "(Ký,");  // letters: never dropped here, however doubted
}

TEST(WordFilter, VietnameseLettersCountAsText) {
  EXPECT_EQ(clean_word("Đ", 20), "Đ");
  EXPECT_EQ(clean_word("ữ", 20), "ữ");
  EXPECT_EQ(clean_word("9", 20), "9");
}

TEST(WordFilter, ASpeckFarSmallerThanItsLineGoesButASmallWordStays) {
  // A 2x3 px "Ũ" beside a card photo's edge, in a 27 px line, confidence 2.
  EXPECT_TRUE(speck(2, 3, 27, 2));
  // A real letter is never under a quarter of its line's height...
  EXPECT_FALSE(speck(12, 14, 27, 2));
  // ...and a tiny mark Tesseract is sure of is left to clean_word's rules.
  EXPECT_FALSE(speck(2, 3, 27, 85));
  // A word alone on its line is as tall as the line.
  EXPECT_FALSE(speck(3, 4, 4, 5));
}

}  // namespace
}  // namespace sohoa::ocr
