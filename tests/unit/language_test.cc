// A region's language told from its words, and the English second reading kept only when it is
// surer and about as long as the first.
#include "layout/language.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace sohoa::layout {
namespace {

std::vector<std::string> split(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

TEST(Language, EnglishAndVietnameseLinesAreToldApart) {
  EXPECT_EQ(language_of(split("Year of graduation: 2021")), "en");
  EXPECT_EQ(language_of(split("THE DEGREE OF BACHELOR OF SCIENCE")), "en");
  // Two words that tell are too few to call a line English (capital codes tell nothing).
  EXPECT_EQ(language_of(split("THE DEGREE OF BACHELOR")), "vi");
  // As the Vietnamese model reads an English panel: misread letters, still English.
  EXPECT_EQ(language_of(split("SOCTALIST REPUBLIC OE VIETNAM CONÍers")), "en");
  EXPECT_EQ(language_of(split("Xếp loại tốt nghiệp: Khá")), "vi");
  EXPECT_EQ(language_of(split("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")), "vi");
  // Vietnamese written without marks is still Vietnamese syllables.
  EXPECT_EQ(language_of(split("Cong hoa xa hoi chu nghia Viet Nam")), "vi");
}

TEST(Language, CodesNumbersAndNamesSayNothing) {
  // A number, a code and short capital abbreviations: too little to call English.
  EXPECT_EQ(language_of(split("Số: 1234/STP-HCTP UBND HCTP 15/10/1998")), "vi");
  EXPECT_EQ(language_of(split("NĐ-CP QĐ 2021")), "vi");
}

// A page of one English region read by the Vietnamese model (weaker), and one Vietnamese region.
Page bilingual_page() {
  Page p;
  auto add = [&](const std::string& text, int line, int x, float conf) {
    p.ocr.words.push_back({text, {x, 100 + 40 * line, 120, 30}, conf, line});
  };
  p.ocr.lines = {{{100, 100, 600, 30}, 128}, {{100, 140, 600, 30}, 168}, {{900, 100, 600, 30}, 128}};
  add("THE", 0, 100, 80);
  add("DEGREE", 0, 240, 70);
  add("OE", 0, 380, 60);
  add("CONÍers", 1, 100, 55);
  add("upon", 1, 240, 80);
  add("graduation", 1, 380, 75);
  add("BẰNG", 2, 900, 92);
  add("CỬ", 2, 1040, 93);
  add("NHÂN", 2, 1180, 91);
  Region en, vi;
  en.box = {100, 100, 420, 70};
  en.lines = {RegionLine{{{0, 1, 2}}}, RegionLine{{{3, 4, 5}}}};
  vi.box = {900, 100, 420, 30};
  vi.order = 1;
  vi.lines = {RegionLine{{{6, 7, 8}}}};
  p.regions = {en, vi};
  detect_languages(p.ocr, p.regions);
  return p;
}

OcrResult english_reading(float conf, const std::string& second_line) {
  OcrResult r;
  r.lines = {{{100, 100, 420, 30}, 128}, {{100, 140, 420, 30}, 168}};
  r.words = {{"THE", {100, 100, 100, 30}, conf, 0}, {"DEGREE", {240, 100, 120, 30}, conf, 0},
             {"OF", {380, 100, 60, 30}, conf, 0}};
  int x = 100;
  for (const std::string& w : split(second_line)) {
    r.words.push_back({w, {x, 140, 100, 30}, conf, 1});
    x += 140;
  }
  return r;
}

TEST(Language, EnglishRegionIsReadAgainWhenTheEnglishModelIsSurer) {
  Page p = bilingual_page();
  ASSERT_EQ(p.regions[0].language, "en");
  ASSERT_EQ(p.regions[1].language, "vi");
  std::vector<Box> asked;
  const int replaced = reread_english(p, [&](const Box& b) {
    asked.push_back(b);
    return english_reading(90, "confers upon graduation");
  });
  EXPECT_EQ(replaced, 1);
  ASSERT_EQ(asked.size(), 1u);  // the Vietnamese region is not read again
  EXPECT_EQ(p.ocr.text, "THE DEGREE OF\nconfers upon graduation\n\nBẰNG CỬ NHÂN");
  EXPECT_EQ(p.regions[0].lines.size(), 2u);
  EXPECT_EQ(p.regions[0].lines[1].language, "en");
  // Every word a region lists is on the page once, with its line.
  EXPECT_EQ(p.ocr.words.size(), 9u);
  for (const Region& r : p.regions)
    for (const RegionLine& l : r.lines)
      for (int id : l.cells[0]) {
        ASSERT_GE(id, 0);
        ASSERT_LT(id, static_cast<int>(p.ocr.words.size()));
        EXPECT_LT(p.ocr.words[id].line, static_cast<int>(p.ocr.lines.size()));
      }
}

TEST(Language, EnglishReadingIsRefusedWhenNotSurerOrNotAsLong) {
  {
    Page p = bilingual_page();
    EXPECT_EQ(reread_english(p, [](const Box&) { return english_reading(69, "confers upon graduation"); }), 0);
    EXPECT_EQ(p.ocr.words[3].text, "CONÍers");
  }
  {
    Page p = bilingual_page();  // surer, but most of the text lost
    EXPECT_EQ(reread_english(p, [](const Box&) { return english_reading(95, ""); }), 0);
    EXPECT_EQ(p.ocr.words[3].text, "CONÍers");
  }
  {
    Page p = bilingual_page();  // surer, but far longer: noise read as letters
    EXPECT_EQ(reread_english(p, [](const Box&) {
                return english_reading(95, "confers upon graduation mmmmmmmmmm wwwwwwwwww iiiiiiiiii");
              }), 0);
  }
}

// A blurred header read in scraps (an unsure region) above a paragraph read well.
Page blurred_header_page() {
  Page p;
  auto add = [&](const std::string& text, int line, int x, float conf) {
    p.ocr.words.push_back({text, {x, 100 + 40 * line, 100, 30}, conf, line});
  };
  p.ocr.lines = {{{100, 100, 500, 30}, 128}, {{100, 140, 500, 30}, 168}, {{100, 300, 900, 30}, 328}};
  add("LíY", 0, 100, 20);
  add("HẠNn", 0, 220, 15);
  add("NHẬẨN", 0, 340, 10);
  add("HHOYỆN", 1, 100, 20);
  add("TÍNHI", 1, 220, 25);
  add("1Á", 1, 340, 30);
  for (const char* w : {"Kính", "gửi:", "Chủ", "tịch"}) add(w, 2, 100 + 120 * static_cast<int>(p.ocr.words.size() - 6), 92);
  p.ocr.words.back().box.y = 300;
  Region head, body;
  head.box = {100, 100, 500, 70};
  head.lines = {RegionLine{{{0, 1, 2}}}, RegionLine{{{3, 4, 5}}}};
  body.box = {100, 300, 900, 30};
  body.order = 1;
  body.lines = {RegionLine{{{6, 7, 8, 9}}}};
  p.regions = {head, body};
  detect_languages(p.ocr, p.regions);
  return p;
}

OcrResult block_reading(float conf, const std::string& first, const std::string& second) {
  OcrResult r;
  r.lines = {{{100, 100, 500, 30}, 128}, {{100, 140, 500, 30}, 168}};
  int line = 0;
  for (const std::string& text : {first, second}) {
    int x = 100;
    for (const std::string& w : split(text)) {
      r.words.push_back({w, {x, 100 + 40 * line, 100, 30}, conf, line});
      x += 120;
    }
    ++line;
  }
  return r;
}

TEST(Language, AnUnsureRegionIsReadAgainAsOneBlockWhenThatReadsBetter) {
  Page p = blurred_header_page();
  std::vector<Box> asked;
  const auto outcomes = reread_unsure(p, [&](const Box& b) {
    asked.push_back(b);
    return block_reading(60, "ỦY BAN NHÂN DÂN", "HUYỆN TĨNH GIA");
  });
  ASSERT_EQ(asked.size(), 1u);  // the paragraph read at 92 is not read again
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_TRUE(outcomes[0].applied);
  EXPECT_EQ(outcomes[0].reason.rfind("read again as one block", 0), 0u) << outcomes[0].reason;
  EXPECT_EQ(p.ocr.text, "ỦY BAN NHÂN DÂN\nHUYỆN TĨNH GIA\n\nKính gửi: Chủ tịch");
  // The new lines take the header's place in the page's line order, which later stages sort
  // by: the header still comes before the paragraph.
  int header_line = -1, body_line = -1;
  for (const OcrWord& w : p.ocr.words) {
    if (w.text == "HUYỆN") header_line = w.line;
    if (w.text == "Kính") body_line = w.line;
  }
  EXPECT_LT(header_line, body_line);
  EXPECT_LT(body_line, static_cast<int>(p.ocr.lines.size()));
}

TEST(Language, ABlockReadingIsRefusedWhenNotSurerOrNoMoreVietnamese) {
  {
    Page p = blurred_header_page();  // no surer
    const auto outcomes = reread_unsure(p, [](const Box&) { return block_reading(18, "ỦY BAN NHÂN DÂN", "HUYỆN TĨNH GIA"); });
    ASSERT_EQ(outcomes.size(), 1u);
    EXPECT_FALSE(outcomes[0].applied) << outcomes[0].reason;
    EXPECT_EQ(p.ocr.words[0].text, "LíY");
  }
  {
    Page p = blurred_header_page();  // surer, but junk: no more of it Vietnamese syllables
    const auto outcomes = reread_unsure(p, [](const Box&) { return block_reading(80, "XQZW WWRT KKPL", "QQVX ZZZT"); });
    ASSERT_EQ(outcomes.size(), 1u);
    EXPECT_FALSE(outcomes[0].applied) << outcomes[0].reason;
    EXPECT_EQ(p.ocr.words[0].text, "LíY");
  }
}

}  // namespace
}  // namespace sohoa::layout
