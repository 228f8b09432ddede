#include <gtest/gtest.h>

#include "ocr/layer_merge.h"

using namespace sohoa;

namespace {
OcrWord word(const std::string& t, sohoa::Box b, int line) {
  OcrWord w;
  w.text = t;
  w.box = b;
  w.line = line;
  return w;
}
}  // namespace

TEST(LayerMerge, WordsOcrReadAlreadyAreNotAddedTwiceOthersKeepTheirLine) {
  OcrResult ocr;
  ocr.lines.push_back({{100, 500, 400, 40}, 540});
  ocr.words.push_back(word("Số:", {100, 500, 80, 40}, 0));
  ocr.words.push_back(word("15/TB-UBND", {200, 500, 300, 40}, 0));
  // The same number drawn as text over the scan, and a header the system added above it.
  std::vector<OcrWord> layer = {word("15/TB-UBND", {205, 502, 290, 36}, 0), word("ĐÃ", {1200, 20, 60, 20}, 1),
                                word("TIẾP", {1270, 20, 80, 20}, 1), word("NHẬN", {1360, 20, 90, 20}, 1)};
  ocr::PageTransform t{2000, 3000, 0, 0};
  EXPECT_EQ(ocr::merge_layer_words(ocr, layer, t), 3);
  ASSERT_EQ(ocr.words.size(), 5u);
  EXPECT_EQ(ocr.lines.size(), 2u);
  for (size_t i = 2; i < 5; ++i) EXPECT_EQ(ocr.words[i].line, 1);
  EXPECT_EQ(ocr.lines[1].box.x, 1200);
  EXPECT_EQ(ocr.lines[1].box.w, 250);
}

TEST(LayerMerge, BoxesFollowTheQuarterTurnAndTheDeskew) {
  // A 100x200 page turned a quarter clockwise becomes 200 wide: its top-left corner goes top-right.
  ocr::PageTransform t{100, 200, 90, 0};
  sohoa::Box b = ocr::map_box({0, 0, 10, 20}, t);
  EXPECT_EQ(b.x, 180);
  EXPECT_EQ(b.y, 0);
  EXPECT_EQ(b.w, 20);
  EXPECT_EQ(b.h, 10);
  // A box at the centre stays there under a small deskew.
  ocr::PageTransform s{1000, 1000, 0, 1.0};
  sohoa::Box c = ocr::map_box({490, 490, 20, 20}, s);
  EXPECT_NEAR(c.x + c.w / 2.0, 500, 1);
  EXPECT_NEAR(c.y + c.h / 2.0, 500, 1);
}
