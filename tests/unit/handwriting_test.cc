#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <opencv2/imgproc.hpp>

#include "core/image.h"
#include "extract/handwriting.h"
#include "test_helpers.h"

using namespace sohoa;

namespace {

const handwriting::DigitModel& the_model() {
  static const handwriting::DigitModel m =
      handwriting::DigitModel::load(std::string(SOHOA_SAMPLES_DIR) + "/../models/digits_mlp.txt");
  return m;
}

struct Case {
  std::string file, text;
  int line_height = 0;
};

/// Digit strings in handwriting fonts the model never trained on (models/digits.py HELD_OUT),
/// each digit distorted, and scribbles and seal fragments: rendered now by the script that trains.
std::vector<Case> held_out(const std::filesystem::path& dir) {
  const std::string cmd = "/usr/bin/python3 " + std::string(SOHOA_SAMPLES_DIR) + "/../models/digits.py --render-heldout " +
                          dir.string() + " > /dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::vector<Case> out;
  std::ifstream in(dir / "labels.tsv");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    Case c;
    ss >> c.file >> c.text >> c.line_height;
    out.push_back(c);
  }
  return out;
}

cv::Mat grey(const std::filesystem::path& p) {
  Image img(pixRead(p.c_str()));
  return gray_to_mat(to_gray8(img));
}

}  // namespace

TEST(Handwriting, ModelLoads) {
  EXPECT_FALSE(the_model().empty());
  EXPECT_FALSE(handwriting::model().empty());  // found under models/ as the pipeline finds it
}

TEST(Handwriting, HeldOutFontsAreReadOrLeftUnread) {
  const auto dir = fixtures::temp_dir("handwriting");
  const std::vector<Case> cases = held_out(dir);
  int digits = 0, right = 0, wrong = 0, others = 0, others_read = 0;
  for (const Case& c : cases) {
    const handwriting::Digits d = handwriting::read_digits(grey(dir / c.file), c.line_height, 4, the_model());
    if (c.text == "-") {
      ++others;
      others_read += !d.text.empty();
      continue;
    }
    ++digits;
    if (d.text == c.text) ++right;
    else if (!d.text.empty()) {
      ++wrong;
      std::printf("%s: %s read as %s (p=%.3f)\n", c.file.c_str(), c.text.c_str(), d.text.c_str(), d.min_p);
    }
  }
  std::filesystem::remove_all(dir);
  std::printf("held-out strings: %d, read right %d, read wrong %d, left unread %d; non-digits %d, read %d\n", digits, right,
              wrong, digits - right - wrong, others, others_read);
  ASSERT_GE(digits, 70);
  ASSERT_GE(others, 20);
  // Floors from what the committed model does on this set (63 of 80 strings read right, 1 read
  // wrong, 1 of 24 non-digits read; models/README.md) less a margin: most strings are read whole,
  // and a string read is almost always read right. A reading asks for review all the same. (The
  // model before real hands were added read 54: under this floor.)
  EXPECT_GE(right, digits * 70 / 100) << right << " of " << digits << " read right";
  EXPECT_LE(wrong, digits * 2 / 100) << wrong << " of " << digits << " read wrong";
  EXPECT_LE(others_read, others / 20) << others_read << " of " << others << " scribbles or seal fragments read as digits";
}

TEST(Handwriting, FeaturesAreTheTrainingScriptsOwn) {
  // The model was trained on features models/digits.py computed: the same glyph must give the
  // same numbers here, or every reading is off.
  const auto dir = fixtures::temp_dir("handwriting-features");
  held_out(dir);
  std::ifstream in(dir / "features.tsv");
  std::string line;
  int glyphs = 0;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string file;
    ss >> file;
    std::vector<float> want;
    for (float v; ss >> v;) want.push_back(v);
    const std::vector<float> got = handwriting::features(grey(dir / file));
    ASSERT_EQ(got.size(), want.size()) << file;
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-4) << file << " feature " << i;
    ++glyphs;
  }
  std::filesystem::remove_all(dir);
  EXPECT_EQ(glyphs, 6);
}

TEST(Handwriting, AScribbleIsNotADigit) {
  // A loop-and-zigzag scrawl as tall as a digit, as a pen crossing out a slot leaves it.
  cv::Mat img(60, 90, CV_8U, cv::Scalar(255));
  std::vector<cv::Point> pts;
  for (int i = 0; i <= 40; ++i) pts.push_back({5 + i * 2, 30 + static_cast<int>(22 * std::sin(i * 0.9))});
  cv::polylines(img, pts, false, cv::Scalar(0), 4);
  const handwriting::Digits d = handwriting::read_digits(img, 40, 2, the_model());
  EXPECT_EQ(d.text, "");
  EXPECT_FALSE(d.why_not.empty());
}

TEST(Handwriting, AnEmptySlotIsNotRead) {
  cv::Mat img(60, 90, CV_8U, cv::Scalar(255));
  const handwriting::Digits d = handwriting::read_digits(img, 40, 2, the_model());
  EXPECT_EQ(d.text, "");
  EXPECT_EQ(d.why_not, "no ink in the slot");
}

namespace {

int components(const cv::Mat& grey) {
  cv::Mat bin, labels;
  cv::threshold(grey, bin, 127, 255, cv::THRESH_BINARY_INV);
  return cv::connectedComponents(bin, labels, 8) - 1;
}

}  // namespace

TEST(Handwriting, DigitsTouchingAPrintedWordAreReadOrRefused) {
  // The held-out strings again, now with a printed word ("ngay", in a Hershey face) before them
  // whose last letter the first digit runs into, as a pen does on a crowded date line. The word's
  // box (gap_from) is where OCR puts it. Its letters must not become part of a digit: the string
  // is read as without the word, or refused; never read otherwise.
  const auto dir = fixtures::temp_dir("handwriting-touch");
  const std::vector<Case> cases = held_out(dir);
  int touching = 0, right = 0, wrong = 0;
  for (const Case& c : cases) {
    if (c.text == "-") continue;
    const cv::Mat g = grey(dir / c.file);
    const handwriting::Digits alone = handwriting::read_digits(g, c.line_height, 4, the_model());
    if (alone.text != c.text) continue;  // what the segmenter cannot read alone is not this test's
    int x0 = g.cols, y1 = 0;
    for (int y = 0; y < g.rows; ++y)
      for (int x = 0; x < g.cols; ++x)
        if (g.at<uchar>(y, x) < 128) x0 = std::min(x0, x), y1 = std::max(y1, y);
    const int H = c.line_height, wordw = 4 * H;
    cv::Mat word(g.rows, wordw, CV_8U, cv::Scalar(255));
    cv::putText(word, "ngay", {2, y1 - H / 5}, cv::FONT_HERSHEY_COMPLEX, H / 40.0, cv::Scalar(0), std::max(1, H / 16));
    int wx1 = 0;
    for (int y = 0; y < word.rows; ++y)
      for (int x = 0; x < word.cols; ++x)
        if (word.at<uchar>(y, x) < 128) wx1 = std::max(wx1, x);
    // the digits placed so that the word's last ink column is 2 px into the first digit
    const int off = wx1 - x0 - 1;
    cv::Mat page(g.rows, off + g.cols, CV_8U, cv::Scalar(255));
    word(cv::Rect(0, 0, std::min(wordw, page.cols), g.rows)).copyTo(page(cv::Rect(0, 0, std::min(wordw, page.cols), g.rows)));
    cv::Mat dst = page(cv::Rect(off, 0, g.cols, g.rows));
    cv::min(dst, g, dst);
    cv::Mat digits_only(page.size(), CV_8U, cv::Scalar(255));
    g.copyTo(digits_only(cv::Rect(off, 0, g.cols, g.rows)));
    cv::Mat word_only(page.size(), CV_8U, cv::Scalar(255));
    word(cv::Rect(0, 0, std::min(wordw, page.cols), g.rows)).copyTo(word_only(cv::Rect(0, 0, std::min(wordw, page.cols), g.rows)));
    if (components(page) >= components(digits_only) + components(word_only)) continue;  // they do not touch
    ++touching;
    const handwriting::Digits d = handwriting::read_digits(page, H, 4, the_model(), wx1 + 1, page.cols);
    if (d.text == c.text) ++right;
    else if (!d.text.empty()) {
      ++wrong;
      std::printf("%s touching a word: %s read as %s (p=%.3f)\n", c.file.c_str(), c.text.c_str(), d.text.c_str(), d.min_p);
    }
  }
  std::filesystem::remove_all(dir);
  std::printf("strings touching a printed word: %d, read right %d, read wrong %d, refused %d\n", touching, right, wrong,
              touching - right - wrong);
  ASSERT_GE(touching, 15);
  EXPECT_EQ(wrong, 0);
  // Most are read: the word's letters are cut off at its box rather than the slot refused.
  EXPECT_GE(right, touching / 2) << right << " of " << touching << " read right";
}
