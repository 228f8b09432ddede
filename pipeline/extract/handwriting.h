// Handwritten digits in the printed slots of administrative papers: "Số: 07 /CT-UBND",
// "ngày 20 tháng 3 năm 2018". OCR reads the printed words and stumbles on the pen; the ink
// between them is cut into digits and each is read by a small recogniser (models/digits.py,
// models/digits_mlp.txt). A reading is kept only when every digit is read surely; otherwise the
// slot says why not, and the field stays for a person (never invented).
#pragma once
#include <array>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/image.h"
#include "core/types.h"

namespace sohoa::handwriting {

constexpr int kClasses = 11;  // 0-9 and "not a digit"
constexpr int kReject = 10;
/// The lowest probability of a digit kept: of the digits read at this level, 99.7% in held-out
/// handwriting fonts and 98% of held-out real hands are right (models/README.md); below it the
/// slot is asked of a person, and above it a person still confirms.
constexpr double kMinDigitP = 0.95;

/// The recogniser's input: the glyph's ink (CV_8U, 255 where there is ink, 0 elsewhere), cropped
/// to its bounding box. The same arithmetic as features() in models/digits.py.
std::vector<float> features(const cv::Mat& ink);

/// The model of models/digits_mlp.txt (a one-hidden-layer perceptron over features()).
class DigitModel {
 public:
  /// Throws sohoa::Error when the file is missing or malformed.
  static DigitModel load(const std::string& path);
  std::array<double, kClasses> probabilities(const cv::Mat& ink) const;
  bool empty() const { return layers_.empty(); }

 private:
  struct Layer {
    int in = 0, out = 0;
    std::vector<float> w;  // out rows of in
    std::vector<float> b;
  };
  std::vector<float> mean_, std_;
  std::vector<Layer> layers_;
};

/// The model found under models/ (loaded once); an empty model when there is none.
const DigitModel& model();

/// Digits written in a part of the page (grey, dark ink on light).
struct Digits {
  std::string text;       // "" when not read
  double min_p = 0;       // the least sure digit's probability
  std::vector<Box> boxes; // each digit's box, in the region's pixels
  std::string why_not;    // when not read: what was in the way, for the reviewer
};
/// `line_height` is the printed words' height beside the slot (pixels): it tells a digit from a
/// dot of the leader or a speck. [gap_from, gap_to) are the columns between the printed words
/// (the whole region when empty): marks mostly outside are theirs.
Digits read_digits(const cv::Mat& grey, int line_height, int max_digits, const DigitModel& m, int gap_from = 0,
                   int gap_to = 0);

/// The handwritten parts of the page's slots, read where they can be: the number between
/// "Số:" and "/XX-YYY", the day between "ngày" and "tháng" and the month between "tháng" and
/// "năm" (words and their boxes from OCR, the page's pixels from `color`). Words the slot's ink
/// was read as are left as they are.
std::vector<HandwrittenSlot> read_slots(const OcrResult& ocr, const Image& color, const DigitModel& m);

}  // namespace sohoa::handwriting
