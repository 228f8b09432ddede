#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <random>

#include "prepare/clean.h"
#include "prepare/photo.h"
#include "test_helpers.h"

using namespace sohoa;

namespace {
// Where the corners of a 1200x1700 page land in a 1500x2000 photo: held at a slant.
constexpr double kCorners[8] = {160, 120, 1330, 190, 1390, 1880, 110, 1840};

/// text_like_page photographed: warped onto those corners over a dark table.
Image photographed_page() {
  const cv::Mat page = gray_to_mat(fixtures::text_like_page(1200, 1700));
  const cv::Point2f from[4] = {{0, 0}, {1199, 0}, {1199, 1699}, {0, 1699}};
  cv::Point2f to[4];
  for (int i = 0; i < 4; ++i) to[i] = {static_cast<float>(kCorners[2 * i]), static_cast<float>(kCorners[2 * i + 1])};
  cv::Mat photo;
  cv::warpPerspective(page, photo, cv::getPerspectiveTransform(from, to), cv::Size(1500, 2000), cv::INTER_LINEAR,
                      cv::BORDER_CONSTANT, cv::Scalar(70));
  return mat_to_gray(photo);
}

int gray_at_pix(const Image& g, int x, int y) {
  l_uint32 v = 0;
  pixGetPixel(g.get(), x, y, &v);
  return static_cast<int>(v);
}

/// The vertical centre of the ink in columns [x0, x0+w) between rows y0 and y1.
double ink_centre(const Image& gray, int x0, int w, int y0, int y1) {
  double sum = 0, n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x0 + w; ++x) {
      l_uint32 v = 0;
      pixGetPixel(gray.get(), x, y, &v);
      if (v < 128) sum += y, n += 1;
    }
  return n > 0 ? sum / n : -1;
}

/// text_like_page with every row bowed: column x moved down by sag * (1 - ((x - w/2) / (w/2))²).
Image curled_page(double sag) {
  const cv::Mat page = gray_to_mat(fixtures::text_like_page(1600, 2200));
  cv::Mat map_x(page.size(), CV_32F), map_y(page.size(), CV_32F);
  for (int y = 0; y < page.rows; ++y)
    for (int x = 0; x < page.cols; ++x) {
      const double t = (x - page.cols / 2.0) / (page.cols / 2.0);
      map_x.at<float>(y, x) = static_cast<float>(x);
      map_y.at<float>(y, x) = static_cast<float>(y - sag * (1 - t * t));
    }
  cv::Mat curled;
  cv::remap(page, curled, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  return mat_to_gray(curled);
}
}  // namespace

TEST(Photo, TheSheetIsFoundWithinAFewPixelsOfItsCorners) {
  const prepare::PageOutline outline = prepare::find_page_outline(photographed_page());
  ASSERT_TRUE(outline.found);
  for (int i = 0; i < 8; ++i) EXPECT_NEAR(outline.corners[i], kCorners[i], 6) << "coordinate " << i;
  EXPECT_GT(outline.contrast, 100);
}

TEST(Photo, RectifiedSheetHasThePagesProportionsAndLevelRows) {
  const Image photo = photographed_page();
  const Image sheet = prepare::rectify_page(photo, prepare::find_page_outline(photo));
  // The longer of each pair of opposite edges: ~1.0-1.1x the page as printed.
  EXPECT_NEAR(sheet.width() / 1200.0, 1.03, 0.06);
  EXPECT_NEAR(sheet.height() / 1700.0, 1.03, 0.06);
  // Level rows: a band of rows holds its ink at the same height at the left and the right.
  const int band_top = sheet.height() / 2 - 60, band_bottom = sheet.height() / 2 + 60;
  const double left = ink_centre(sheet, sheet.width() / 5, 100, band_top, band_bottom);
  const double right = ink_centre(sheet, sheet.width() * 3 / 5, 100, band_top, band_bottom);
  EXPECT_NEAR(left, right, 8);
}

TEST(Photo, NoSheetWhenThePaperFillsThePictureOrDoesNotStandOut) {
  EXPECT_FALSE(prepare::find_page_outline(fixtures::text_like_page(1200, 1700)).found);
  // A paper tone barely above its surround: a shadow, not a sheet.
  PIX* pix = pixCreate(1500, 2000, 8);
  pixSetAllArbitrary(pix, 200);
  BOX* box = boxCreate(200, 200, 1100, 1600);
  pixSetInRectArbitrary(pix, box, 220);
  boxDestroy(&box);
  EXPECT_FALSE(prepare::find_page_outline(Image(pix)).found);
}

TEST(Photo, CurledLinesComeOutStraight) {
  Image gray = curled_page(40);
  Image color = gray.clone();
  // One row of text (printed at 1020-1058, bowed down 24 px at its start and 40 in the middle,
  // and straightened to the middle's height): its height at its start against the middle's.
  // (Rows start at x=250 and run at least to x=1090; the row is alone in these bands.)
  auto bow = [](const Image& g) {
    const int y0 = 1012, y1 = 1105;
    return std::abs(ink_centre(g, g.width() / 2 - 40, 80, y0, y1) - ink_centre(g, 250, 80, y0, y1));
  };
  ASSERT_GT(bow(gray), 12);
  ASSERT_TRUE(prepare::straighten_lines(color, gray));
  EXPECT_LT(bow(gray), 3);
  EXPECT_EQ(color.width(), gray.width());
  EXPECT_LT(bow(color), 3);
}

/// A page of letter-sized marks (18 x 26 px, words of 3-8 of them) in rows every 60 px from
/// y=200, from x=150 to at most w-150: median_glyph_height sees letters, not word boxes.
Image lettered_page(int w, int h) {
  PIX* pix = pixCreate(w, h, 8);
  pixSetAllArbitrary(pix, 255);
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> letters(3, 8);
  for (int y = 200; y < h - 200; y += 60) {
    int x = 150;
    while (true) {
      const int n = letters(rng);
      if (x + n * 24 > w - 150) break;
      for (int k = 0; k < n; ++k, x += 24) {
        BOX* box = boxCreate(x, y, 18, 26);
        pixSetInRectArbitrary(pix, box, 20);
        boxDestroy(&box);
      }
      x += 22;
    }
  }
  return Image(pix);
}

/// lettered_page with its top-left corner lifted off the table: rows there pushed down by up to
/// `lift` px at the left edge (up, when negative), fading out by the middle of the width and a
/// third of the way down.
Image lifted_page(double lift) {
  const cv::Mat page = gray_to_mat(lettered_page(1600, 2200));
  cv::Mat map_x(page.size(), CV_32F), map_y(page.size(), CV_32F);
  for (int y = 0; y < page.rows; ++y)
    for (int x = 0; x < page.cols; ++x) {
      const double u = std::max(0.0, 1 - x / (0.5 * page.cols)), v = std::max(0.0, 1 - y / (0.35 * page.rows));
      map_x.at<float>(y, x) = static_cast<float>(x);
      map_y.at<float>(y, x) = static_cast<float>(y - lift * u * u * v);
    }
  cv::Mat lifted;
  cv::remap(page, lifted, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  return mat_to_gray(lifted);
}

TEST(Photo, ALiftedCornersLinesAreLevelledOneByOne) {
  // The page model of straighten_lines cannot follow a lifted corner; local_dewarp levels each
  // row about its middle.
  Image gray = lifted_page(100);
  Image color = gray.clone();
  // The fifth row (printed at 440-466, its left end pushed down some 24 px, alone in this
  // band at either place): its left end against its middle.
  auto lean = [](const Image& g) { return std::abs(ink_centre(g, 150, 80, 436, 500) - ink_centre(g, 760, 80, 436, 500)); };
  ASSERT_GT(lean(gray), 20);
  const prepare::LocalCurl curl = prepare::local_dewarp(color, gray);
  ASSERT_TRUE(curl.applied);
  EXPECT_GT(curl.max_shift_px, 20);
  EXPECT_LT(lean(gray), 4);
  EXPECT_LT(lean(color), 4);
  // A row far below the corner stays where it was printed (1220-1246).
  EXPECT_NEAR(ink_centre(gray, 150, 80, 1200, 1270), 1232.5, 2);
}

TEST(Photo, ARowsMapNeverStandsStillOrRunsBack) {
  // A header line at row 40 levelled 16 px down (its source 16 rows higher), the shift gone by
  // row 30 above it: rows 30-40 all read about the same source rows (the line smeared tall), and
  // above them the map runs back (the line again, mirrored). Column 1 is in order throughout.
  cv::Mat map_y(120, 2, CV_32F);
  for (int y = 0; y < map_y.rows; ++y) {
    const double fall = y >= 40 ? 1.0 : std::exp(-std::pow((40 - y) / 6.0, 2));
    map_y.at<float>(y, 0) = static_cast<float>(y - 16 * fall);
    map_y.at<float>(y, 1) = static_cast<float>(y + 0.3 * std::sin(y / 9.0));
  }
  const cv::Mat before = map_y.clone();
  int back = 0;
  for (int y = 1; y < 40; ++y) back += before.at<float>(y, 0) < before.at<float>(y - 1, 0);
  ASSERT_GT(back, 3);
  prepare::keep_rows_in_order(map_y);
  for (int y = 1; y < map_y.rows; ++y)
    for (int x = 0; x < 2; ++x) EXPECT_GE(map_y.at<float>(y, x) - map_y.at<float>(y - 1, x), 0.5f - 1e-4f) << y;
  for (int y = 40; y < map_y.rows; ++y) EXPECT_EQ(map_y.at<float>(y, 0), before.at<float>(y, 0)) << "the line's rows";
  for (int y = 0; y < map_y.rows; ++y) EXPECT_EQ(map_y.at<float>(y, 1), before.at<float>(y, 1)) << "a map in order";
}

TEST(Photo, LevelLinesAreNotResampledOneByOne) {
  Image gray = lettered_page(1600, 2200);
  Image color = gray.clone();
  PIX* before = gray.get();
  const prepare::LocalCurl curl = prepare::local_dewarp(color, gray);
  EXPECT_FALSE(curl.applied);
  EXPECT_GT(curl.lines, 10);
  EXPECT_LT(curl.max_shift_px, 2);
  EXPECT_EQ(gray.get(), before);
}

TEST(Photo, StraightLinesAreLeftAlone) {
  Image gray = fixtures::text_like_page(1600, 2200);
  Image color = gray.clone();
  PIX* before = gray.get();
  EXPECT_FALSE(prepare::straighten_lines(color, gray));
  EXPECT_EQ(gray.get(), before);
}

TEST(Photo, PaperUnderTintedUnevenLightComesOutWhiteAndPenInkBlue) {
  // Warm light, dimmer towards the bottom; a stroke of blue pen in the middle.
  const int w = 800, h = 1000;
  PIX* pix = pixCreate(w, h, 32);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double light = 1.0 - 0.4 * y / h;
      const bool pen = y > 480 && y < 500 && x > 300 && x < 500;
      const int r = static_cast<int>((pen ? 70 : 235) * light), g = static_cast<int>((pen ? 80 : 220) * light),
                b = static_cast<int>((pen ? 150 : 170) * light);
      pixSetRGBPixel(pix, x, y, r, g, b);
    }
  const Image balanced = prepare::balance_to_paper(Image(pix));
  l_int32 r = 0, g = 0, b = 0;
  for (const auto [x, y] : {std::pair{50, 50}, std::pair{700, 950}, std::pair{400, 300}}) {
    pixGetRGBPixel(balanced.get(), x, y, &r, &g, &b);
    EXPECT_GE(std::min({r, g, b}), 245) << x << "," << y;
  }
  pixGetRGBPixel(balanced.get(), 400, 490, &r, &g, &b);
  // Against white paper the pen is clearly blue: blue well above red and green.
  EXPECT_GT(b - r, 80);
  EXPECT_GT(b - g, 60);
}

TEST(Photo, APhotographedSheetsGrainIsWhitenedAndItsPrintKept) {
  // Paper at 225 with camera grain (σ 4) and a line of dark print.
  std::mt19937 rng(3);
  std::normal_distribution<double> grain(0, 4);
  PIX* pix = pixCreate(1200, 900, 8);
  for (int y = 0; y < 900; ++y)
    for (int x = 0; x < 1200; ++x) {
      const bool print = y >= 400 && y < 430 && x >= 200 && x < 1000 && (x / 40) % 2 == 0;
      pixSetPixel(pix, x, y, static_cast<l_uint32>(std::clamp(print ? 40.0 : 225.0 + grain(rng), 0.0, 255.0)));
    }
  const Image page(pix);
  auto paper_left_grey = [](const Image& g) {  // share of paper pixels not white
    int grey = 0, n = 0;
    for (int y = 100; y < 300; ++y)
      for (int x = 100; x < 1100; x += 3) grey += gray_at_pix(g, x, y) < 250, ++n;
    return static_cast<double>(grey) / n;
  };
  const Image scan = prepare::normalize_background(page, false);
  const Image photo = prepare::normalize_background(page, true);
  EXPECT_GT(paper_left_grey(scan), 0.1);  // the stretch to white alone keeps grain (measured 16%)
  EXPECT_LT(paper_left_grey(photo), 0.01);
  EXPECT_LT(gray_at_pix(photo, 260, 415), 80);  // print stays dark
}

TEST(Photo, AWashedOutPhotosGreyLettersStayDarkAfterTheShadowsGo) {
  // Small letters (strokes 2 px wide, 7 px tall, 4 px apart, lines 16 px apart) printed at 150
  // on paper of 205 with camera grain, as a faded phone photo shows them, and on the right a
  // shadow (its edge 30 px wide): paper 120, letters 50. Ink lighter than Leptonica's fixed
  // level (60) used to count as paper, so the paper's map sank under the lines and the letters
  // faded towards white.
  std::mt19937 rng(5);
  std::normal_distribution<double> grain(0, 3);
  PIX* pix = pixCreate(900, 600, 8);
  auto letter = [](int x, int y) { return y % 16 >= 5 && y % 16 < 12 && x % 4 < 2 && x > 40 && y > 40 && y < 560; };
  for (int y = 0; y < 600; ++y)
    for (int x = 0; x < 900; ++x) {
      const double shade = std::clamp((x - 585) / 30.0, 0.0, 1.0);
      const double v = letter(x, y) ? 150 - 100 * shade : 205 - 85 * shade;
      pixSetPixel(pix, x, y, static_cast<l_uint32>(std::clamp(v + grain(rng), 0.0, 255.0)));
    }
  const Image page(pix);
  for (const bool photo : {false, true}) {
    bool light = false;
    const Image norm = prepare::normalize_background(page, photo, true, &light);
    EXPECT_TRUE(light);
    const Image faded = prepare::normalize_background(page, photo, false);
    auto tones = [&](const Image& g) {  // mean letter and paper tone in the unshaded part
      double ink = 0, paper = 0;
      int ni = 0, np = 0;
      for (int y = 100; y < 500; ++y)
        for (int x = 100; x < 500; ++x) {
          const int v = gray_at_pix(g, x, y);
          if (letter(x, y)) ink += v, ++ni;
          else paper += v, ++np;
        }
      return std::pair{ink / ni, paper / np};
    };
    const auto [ink, paper] = tones(norm);
    EXPECT_GE(paper, 245) << "photo " << photo;
    // 150 on 205 is ink at 73% of the paper, some 70 levels under white once stretched. The
    // map that counts them as paper leaves the photo's letters at 230 (25 levels: Tesseract's
    // threshold loses them).
    EXPECT_GE(paper - ink, 40) << "photo " << photo << ": letters at " << ink;
    if (photo) EXPECT_LT(tones(faded).second - tones(faded).first, 30) << "the faded reading is what it was";
    EXPECT_GE(gray_at_pix(norm, 750, 303), 245) << "shadowed paper whitened";
    EXPECT_LE(gray_at_pix(norm, 752, 310), 140) << "shadowed letters kept";
  }
  // Black print is not light ink: the plain map stands, and says so.
  PIX* dark = pixCopy(nullptr, page.get());
  for (int y = 0; y < 600; ++y)
    for (int x = 0; x < 600; ++x)
      if (letter(x, y)) pixSetPixel(dark, x, y, 20);
  bool light = true;
  prepare::normalize_background(Image(dark), false, true, &light);
  EXPECT_FALSE(light);
}
