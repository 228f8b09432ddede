#include <gtest/gtest.h>

#include <cmath>

#include "prepare/clean.h"
#include "prepare/prepare.h"
#include "test_helpers.h"

using namespace sohoa;

TEST(Prepare, DeskewRecoversAKnownAngleWithinTwoTenthsOfADegree) {
  Image page = fixtures::text_like_page();
  for (double angle : {-4.0, -1.5, 2.0, 3.0}) {
    Image tilted = prepare::rotate_by(page, angle);
    const prepare::Skew skew = prepare::measure_skew(tilted);
    // Rotating back by the measured angle must undo the tilt.
    EXPECT_NEAR(skew.degrees, -angle, 0.2) << "tilt " << angle;
    EXPECT_GT(skew.confidence, 2.5);
  }
}

TEST(Prepare, StraightPageMeasuresNoSkew) {
  const prepare::Skew skew = prepare::measure_skew(fixtures::text_like_page());
  EXPECT_NEAR(skew.degrees, 0.0, 0.1);
}

TEST(Prepare, BlankPageIsBlankEvenWithSpecksAndBorders) {
  PIX* pix = pixCreate(2480, 3508, 8);
  pixSetAllArbitrary(pix, 250);
  // Dark scanner border and dust specks: still the blank back of a sheet.
  BOX* border = boxCreate(0, 0, 120, 3508);
  pixSetInRectArbitrary(pix, border, 10);
  boxDestroy(&border);
  for (int i = 0; i < 40; ++i) pixSetPixel(pix, 400 + i * 40, 900 + i * 50, 0);
  Image blank(pix);
  EXPECT_TRUE(prepare::is_blank(blank));
  EXPECT_FALSE(prepare::is_blank(fixtures::text_like_page()));
}

TEST(Prepare, BackOfASheetShowingTheFrontThroughIsBlankButFadedPrintIsNot) {
  // The back of a thin sheet: the front's text shows through some 15 grey levels under the paper.
  const Image text = fixtures::text_like_page();  // ink 20 on paper 255
  auto lifted = [&](float contrast) {  // the same page with its ink `contrast` levels under the paper
    PIX* pix = pixInvert(nullptr, text.get());
    pixMultConstantGray(pix, contrast / 235.0f);
    pixInvert(pix, pix);
    return Image(pix);
  };
  EXPECT_TRUE(prepare::is_blank(lifted(17)));
  // Faded print (a weak fax, a pale photocopy) is some 90 levels under the paper: still text.
  EXPECT_FALSE(prepare::is_blank(lifted(90)));
}

namespace {
void fill_rgb(PIX* pix, int x0, int y0, int w, int h, int r, int g, int b) {
  for (int y = y0; y < y0 + h; ++y)
    for (int x = x0; x < x0 + w; ++x) pixSetRGBPixel(pix, x, y, r, g, b);
}
int gray_at(const Image& g, int x, int y) {
  l_uint32 v = 0;
  pixGetPixel(g.get(), x, y, &v);
  return static_cast<int>(v);
}
}  // namespace

TEST(Clean, SealInkAndItsFringeGoButBlackPrintAndTintedPrintElsewhereStay) {
  PIX* pix = pixCreate(600, 300, 32);
  pixSetResolution(pix, 300, 300);
  fill_rgb(pix, 0, 0, 600, 300, 250, 250, 248);
  fill_rgb(pix, 100, 100, 60, 6, 200, 40, 50);    // a red seal stroke
  fill_rgb(pix, 100, 106, 60, 2, 216, 171, 176);  // its pale pink edge (JPEG blend with paper)
  fill_rgb(pix, 100, 98, 60, 2, 116, 40, 76);     // its dark magenta edge
  fill_rgb(pix, 300, 100, 60, 6, 40, 40, 60);     // dark, nearly grey ink (print, not pen)
  fill_rgb(pix, 100, 120, 60, 4, 20, 20, 20);     // black print under the seal's edge
  fill_rgb(pix, 450, 100, 60, 6, 216, 171, 176);  // the same pink far from any seal: print tint
  Image page(pix);
  prepare::CleanStats stats;
  const Image gray = prepare::gray_without_color_ink(page, &stats);
  EXPECT_EQ(gray_at(gray, 130, 103), 255);  // seal
  EXPECT_EQ(gray_at(gray, 130, 107), 255);  // pale fringe
  EXPECT_EQ(gray_at(gray, 130, 99), 255);   // dark fringe
  EXPECT_LT(gray_at(gray, 130, 121), 60);   // black print kept
  EXPECT_LT(gray_at(gray, 330, 103), 80);   // dark near-grey ink kept
  EXPECT_LT(gray_at(gray, 480, 103), 230);  // tinted print far from colour ink kept
  EXPECT_EQ(stats.color_pixels, 60 * 10);  // the seal and both fringes, nothing else
}

TEST(Clean, LettersRenderedWithSubpixelColourEdgesKeepTheirEdges) {
  // A form saved from a screen: each one-pixel stem is drawn as red, black and light blue
  // side by side (ClearType). The colour is the letters' own; taking it out leaves hairlines.
  PIX* pix = pixCreate(600, 300, 32);
  pixSetResolution(pix, 300, 300);
  fill_rgb(pix, 0, 0, 600, 300, 255, 255, 255);
  for (int x = 20; x < 580; x += 8) {
    fill_rgb(pix, x, 100, 1, 20, 132, 0, 0);
    fill_rgb(pix, x + 1, 100, 1, 20, 0, 0, 0);
    fill_rgb(pix, x + 2, 100, 1, 20, 132, 199, 255);
  }
  Image page(pix);
  prepare::CleanStats stats;
  const Image gray = prepare::gray_without_color_ink(page, &stats);
  EXPECT_LT(gray_at(gray, 20, 110), 80);  // the red edge stays ink
  EXPECT_EQ(stats.color_pixels, 0);
}

namespace {
/// Dark pixels (under 128) of a grey image inside a box.
int dark_in(const Image& g, int x0, int y0, int w, int h) {
  int n = 0;
  for (int y = y0; y < y0 + h; ++y)
    for (int x = x0; x < x0 + w; ++x) n += gray_at(g, x, y) < 128;
  return n;
}
}  // namespace

// A card's red printed title is text and stays, as dark ink; a red seal stamped over black
// print goes, with the straight line of text inside its ring, and so does a blue signature
// across a line of print; the print under them stays.
TEST(Clean, ColourPrintedLineStaysWhileASealRingWithItsTextAndASignatureGo) {
  PIX* pix = pixCreate(1600, 900, 32);
  pixSetResolution(pix, 300, 300);
  fill_rgb(pix, 0, 0, 1600, 900, 248, 248, 245);
  L_BMF* big = bmfCreate(nullptr, 20);
  L_BMF* small = bmfCreate(nullptr, 12);
  ASSERT_TRUE(big && small);
  l_uint32 red = 0, black = 0;
  composeRGBPixel(190, 30, 30, &red);
  composeRGBPixel(20, 20, 20, &black);
  pixSetTextline(pix, big, "CAN CUOC CONG DAN", red, 100, 120, nullptr, nullptr);
  pixSetTextline(pix, big, "Ho va ten: Nguyen Van An", black, 100, 220, nullptr, nullptr);
  // Black print, then a seal over it: a ring with a straight line of text well inside it.
  pixSetTextline(pix, big, "Chu tich Uy ban nhan dan xa", black, 500, 640, nullptr, nullptr);
  const int cx = 1100, cy = 560, radius = 230;
  for (int y = cy - radius; y <= cy + radius; ++y)
    for (int x = cx - radius; x <= cx + radius; ++x) {
      const double d = std::hypot(x - cx, y - cy);
      if (d <= radius && d >= radius - 12) pixSetRGBPixel(pix, x, y, 205, 35, 45);
    }
  pixSetTextline(pix, small, "UBND XA AN PHU", red, 960, 540, nullptr, nullptr);
  // A blue signature: one cursive stroke looping across the name line.
  for (int x = 400; x < 900; ++x) {
    const int y = 190 + static_cast<int>(std::lround(35 * std::sin(x / 18.0)));
    fill_rgb(pix, x, y, 1, 5, 30, 50, 170);
  }
  bmfDestroy(&big);
  bmfDestroy(&small);
  Image page(pix);
  prepare::CleanStats stats;
  const Image gray = prepare::gray_without_color_ink(page, &stats);
  // Red pixels of the input inside a box.
  auto red_in = [&](int x0, int y0, int w, int h) {
    int n = 0;
    for (int y = y0; y < y0 + h; ++y)
      for (int x = x0; x < x0 + w; ++x) {
        l_int32 r, g, b;
        pixGetRGBPixel(page.get(), x, y, &r, &g, &b);
        n += r - g > 60;
      }
    return n;
  };
  // The title reads as dark letters, every red pixel of it kept.
  const int title = red_in(50, 30, 1200, 110);
  ASSERT_GT(title, 3000);
  EXPECT_EQ(dark_in(gray, 50, 30, 1200, 110), title);
  EXPECT_EQ(stats.color_print_pixels, title);
  // The seal is gone: its ring and the text inside it.
  const int seal_text = red_in(940, 490, 320, 60);
  ASSERT_GT(seal_text, 1000);
  EXPECT_EQ(dark_in(gray, 940, 490, 320, 60), 0);
  EXPECT_EQ(gray_at(gray, cx + radius - 6, cy), 255);
  // The signature is gone.
  int blue = 0, blue_left = 0;
  for (int y = 150; y < 240; ++y)
    for (int x = 400; x < 900; ++x) {
      l_int32 r, g, b;
      pixGetRGBPixel(page.get(), x, y, &r, &g, &b);
      if (b - r > 60) ++blue, blue_left += gray_at(gray, x, y) < 255;
    }
  ASSERT_GT(blue, 1500);
  EXPECT_EQ(blue_left, 0);
  // The black print under the seal and the black line elsewhere stay.
  EXPECT_GT(dark_in(gray, 500, 580, 900, 80), 5000);
  EXPECT_GT(dark_in(gray, 50, 150, 1200, 90), 5000);
}

namespace {
void fill_gray(PIX* pix, int x0, int y0, int w, int h, int v) {
  BOX* box = boxCreate(x0, y0, w, h);
  pixSetInRectArbitrary(pix, box, v);
  boxDestroy(&box);
}
}  // namespace

// "Họ và tên: ....... Nguyễn Văn An ......" as a 300-dpi scan shows it: the colon's lower dot sits
// on the leader's baseline, and the leader fades out in places (JPEG, fax) and breaks into pieces.
TEST(Clean, LeadersGoEvenWhereTheyBreakButTheColonBeforeThemStays) {
  PIX* pix = pixCreate(1400, 300, 8);
  pixSetResolution(pix, 300, 300);
  pixSetAllArbitrary(pix, 255);
  const int base = 150;                       // baseline
  for (int x = 100; x < 300; x += 24) fill_gray(pix, x, base - 30, 18, 30, 0);  // the label's letters
  fill_gray(pix, 320, base - 5, 5, 5, 0);      // colon: lower dot on the baseline, spaced like the leader
  fill_gray(pix, 320, base - 20, 5, 5, 0);     // colon: upper dot an x-height above
  std::vector<int> dots;
  for (int x = 335; x < 700; x += 15) dots.push_back(x);  // an even leader
  for (int x = 760; x < 800; x += 15) dots.push_back(x);  // a piece after a faded stretch
  for (int x : dots) fill_gray(pix, x, base - 5, 5, 5, 0);
  for (int x = 820; x < 1120; x += 24) fill_gray(pix, x, base - 30, 18, 30, 0);  // the value
  Image page(pix);
  prepare::CleanStats stats;
  const Image clean = prepare::remove_form_furniture(page, 300, 30, &stats);
  EXPECT_LT(gray_at(clean, 322, base - 3), 128) << "colon's lower dot";
  EXPECT_LT(gray_at(clean, 322, base - 18), 128) << "colon's upper dot";
  for (int x : dots) EXPECT_EQ(gray_at(clean, x + 2, base - 3), 255) << "leader dot at x=" << x;
  EXPECT_LT(gray_at(clean, 830, base - 15), 128) << "value";
  EXPECT_LT(gray_at(clean, 110, base - 15), 128) << "label";
  EXPECT_EQ(stats.leader_dots, static_cast<int>(dots.size()));
}

TEST(Image, GrayHistogramCountsWhatLeptonicaCounts) {
  // Widths that are and are not whole words of four pixels, pixels in runs of one level (paper)
  // and scattered: the word-at-a-time count must match the pixel-by-pixel one.
  uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  for (const int w : {1, 3, 4, 5, 7, 64, 333}) {
    PIX* pix = pixCreate(w, 37, 8);
    for (int y = 0; y < 37; ++y)
      for (int x = 0; x < w; ++x) pixSetPixel(pix, x, y, (next() >> 24) % 5 == 0 ? next() >> 24 : 250);
    Image img(pix);
    const std::array<uint32_t, 256> counts = gray_histogram(img);
    NUMA* leptonica = pixGetGrayHistogram(img.get(), 1);
    for (int v = 0; v < 256; ++v) {
      l_float32 n = 0;
      numaGetFValue(leptonica, v, &n);
      EXPECT_EQ(counts[v], static_cast<uint32_t>(n)) << "width " << w << ", level " << v;
    }
    numaDestroy(&leptonica);
  }
}
