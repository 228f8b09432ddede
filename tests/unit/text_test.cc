#include <gtest/gtest.h>

#include "core/text.h"

using namespace sohoa;

TEST(Text, NfcComposesDecomposedVietnamese) {
  // "ễ" as e + circumflex + tilde (NFD) becomes the single code point U+1EC5.
  EXPECT_EQ(text::nfc("Nguye\xCC\x82\xCC\x83n"), "Nguy\xE1\xBB\x85n");
  EXPECT_EQ(text::length(text::nfc("Nguye\xCC\x82\xCC\x83n")), 6u);
}

TEST(Text, FoldRemovesDiacriticsAndDStroke) {
  EXPECT_EQ(text::fold("Nguyễn Văn An"), "nguyen van an");
  EXPECT_EQ(text::fold("ĐƠN ĐỀ NGHỊ"), "don de nghi");
  EXPECT_EQ(text::fold("Quyết định"), "quyet dinh");
}

TEST(Text, CollapseSpaces) {
  EXPECT_EQ(text::collapse_spaces("  a \n\t b\f c  "), "a b c");
  EXPECT_EQ(text::trim("\n x y \t"), "x y");
}
