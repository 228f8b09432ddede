// Seals as stamp regions: read after the region they are pressed on, taking along only the lines
// of their own ink.
#include "layout/stamp.h"

#include <gtest/gtest.h>

namespace sohoa::layout {
namespace {

Page signed_page() {
  Page p;
  p.ocr.lines = {{{100, 100, 800, 40}, 135}, {{1200, 900, 500, 40}, 935}, {{1250, 960, 200, 40}, 995},
                 {{1200, 1200, 500, 40}, 1235}};
  p.ocr.words = {{"Nội", {100, 100, 100, 40}, 92, 0},       {"dung", {220, 100, 120, 40}, 91, 0},
                 {"GIÁM", {1200, 900, 200, 40}, 90, 1},     {"ĐỐC", {1420, 900, 200, 40}, 90, 1},
                 {"ÉÁ", {1260, 960, 60, 40}, 31, 2},        {"ƯT", {1340, 960, 60, 40}, 40, 2},
                 {"Trần", {1200, 1200, 200, 40}, 93, 3},    {"Bình", {1420, 1200, 200, 40}, 92, 3}};
  Region body, sig;
  body.box = {100, 100, 800, 40};
  body.lines = {RegionLine{{{0, 1}}}};
  sig.role = RegionRole::signature;
  sig.box = {1200, 900, 500, 340};
  sig.order = 1;
  sig.lines = {RegionLine{{{2, 3}}}, RegionLine{{{4, 5}}}, RegionLine{{{6, 7}}}};
  p.regions = {body, sig};
  return p;
}

TEST(Stamp, SealIsReadAfterTheRegionItIsPressedOnAndTakesItsOwnInk) {
  Page p = signed_page();
  // The seal covers the signer's title and the doubtful line under it, not the name.
  add_stamps(p, {{1150, 850, 450, 300}});
  ASSERT_EQ(p.regions.size(), 3u);
  EXPECT_EQ(p.regions[1].role, RegionRole::signature);
  EXPECT_EQ(p.regions[2].role, RegionRole::stamp);
  EXPECT_EQ(p.regions[2].order, 2);
  // GIÁM ĐỐC is sure and stays with the signature even under the seal; the seal's letters go.
  EXPECT_EQ(p.ocr.text, "Nội dung\n\nGIÁM ĐỐC\nTrần Bình\n\nÉÁ ƯT");
}

TEST(Stamp, SealOverNothingComesLast) {
  Page p = signed_page();
  add_stamps(p, {{100, 2000, 400, 400}});
  ASSERT_EQ(p.regions.size(), 3u);
  EXPECT_EQ(p.regions[2].role, RegionRole::stamp);
  EXPECT_TRUE(p.regions[2].lines.empty());
  EXPECT_EQ(p.ocr.text, "Nội dung\n\nGIÁM ĐỐC\nÉÁ ƯT\nTrần Bình");
}

}  // namespace
}  // namespace sohoa::layout
