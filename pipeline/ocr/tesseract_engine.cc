#include <tesseract/baseapi.h>
#include <leptonica/allheaders.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <regex>
#include <vector>

#include "core/error.h"
#include "core/text.h"
#include "ocr/engine.h"
#include "ocr/rereads.h"
#include "ocr/word_filter.h"

namespace sohoa::ocr {
namespace {

/// A number read again and the line's own "." or ")" just right of it are one word, "1.": the
/// mark joins the number and its word is emptied (the caller drops empty words).
void absorb_orphan_mark(OcrWord& number, std::vector<OcrWord>& words) {
  for (OcrWord& k : words) {
    if (k.line != number.line || k.box.x < number.box.x || k.box.x - (number.box.x + number.box.w) > number.box.h / 2) continue;
    if (k.text == "." || k.text == ")") {
      if (number.text.back() != k.text[0]) number.text += k.text;
      number.box = unite(number.box, k.box);
      k.text.clear();
    }
  }
}

class TesseractEngine : public Engine {
 public:
  explicit TesseractEngine(const EngineConfig& config) : config_(config) {
    const char* datapath = config_.tessdata.empty() ? nullptr : config_.tessdata.c_str();
    if (api_.Init(datapath, config_.lang.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
      throw Error(ErrorCode::internal, "Tesseract cannot load the '" + config_.lang +
                                           "' model; install tesseract-ocr-" + config_.lang);
    api_.SetPageSegMode(tesseract::PSM_AUTO);
    // Inverted-text detection re-recognises every weak line; scans are dark-on-light.
    api_.SetVariable("tessedit_do_invert", "0");
    api_.SetVariable("debug_file", "/dev/null");
  }

  OcrResult recognize(const Image& img, double dpi, bool single_block, bool sparse) override {
    api_.SetPageSegMode(sparse ? tesseract::PSM_SPARSE_TEXT : single_block ? tesseract::PSM_SINGLE_BLOCK : tesseract::PSM_AUTO);
    return read(api_, img, dpi);
  }

  OcrResult recognize_as(const Image& img, double dpi, const std::string& lang) override {
    if (lang == config_.lang) return recognize(img, dpi, false, false);
    if (std::find(failed_.begin(), failed_.end(), lang) != failed_.end()) return {};
    auto& api = others_[lang];
    if (!api) {
      api = std::make_unique<tesseract::TessBaseAPI>();
      const char* datapath = config_.tessdata.empty() ? nullptr : config_.tessdata.c_str();
      if (api->Init(datapath, lang.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
        // Without the model the region keeps its first reading; the batch goes on.
        api.reset();
        failed_.push_back(lang);
        return {};
      }
      api->SetVariable("tessedit_do_invert", "0");
      api->SetVariable("debug_file", "/dev/null");
    }
    api->SetPageSegMode(tesseract::PSM_AUTO);
    return read(*api, img, dpi);
  }

 private:
  // The recognised words, lines and text of one image, with the given Tesseract instance.
  static OcrResult read(tesseract::TessBaseAPI& api, const Image& img, double dpi) {
    api.SetImage(img.get());
    api.SetSourceResolution(static_cast<int>(std::lround(dpi)));
    if (api.Recognize(nullptr) != 0) {
      api.Clear();
      throw Error(ErrorCode::ocr_failed, "Tesseract could not recognise the page");
    }
    OcrResult result;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    std::vector<LineInfo> info;  // one per result.lines entry
    int block_no = 0;
    if (it) {
      bool pending_block = false, pending_line = false;  // carried over a dropped word
      do {
        if (it->Empty(tesseract::RIL_WORD)) continue;
        if (it->IsAtBeginningOf(tesseract::RIL_BLOCK)) ++block_no;
        const bool new_block = pending_block || it->IsAtBeginningOf(tesseract::RIL_BLOCK);
        const bool new_line = pending_line || it->IsAtBeginningOf(tesseract::RIL_TEXTLINE);
        std::unique_ptr<char[]> word(it->GetUTF8Text(tesseract::RIL_WORD));
        // A table's vertical rule read as '|', a speck read as '_' or '~', a leader's last dots.
        std::string word_text = clean_word(text::nfc(word ? word.get() : ""), it->Confidence(tesseract::RIL_WORD));
        {
          int l, t, r, b, ll, lt, lr, lb;
          it->BoundingBox(tesseract::RIL_WORD, &l, &t, &r, &b);
          it->BoundingBox(tesseract::RIL_TEXTLINE, &ll, &lt, &lr, &lb);
          if (speck(r - l, b - t, lb - lt, it->Confidence(tesseract::RIL_WORD))) word_text.clear();
        }
        if (word_text.empty()) {
          pending_block = new_block;
          pending_line = new_line;
          continue;
        }
        pending_block = pending_line = false;
        if (new_line || result.lines.empty()) {
          OcrLine line;
          int l, t, r, b;
          it->BoundingBox(tesseract::RIL_TEXTLINE, &l, &t, &r, &b);
          line.box = {l, t, r - l, b - t};
          int x1, y1, x2, y2;
          line.baseline = it->Baseline(tesseract::RIL_TEXTLINE, &x1, &y1, &x2, &y2) ? (y1 + y2) / 2 : b;
          result.lines.push_back(line);
          tesseract::Orientation orientation;
          tesseract::WritingDirection direction;
          tesseract::TextlineOrder order;
          float deskew = 0;
          it->Orientation(&orientation, &direction, &order, &deskew);
          info.push_back({block_no, new_block, orientation != tesseract::ORIENTATION_PAGE_UP});
        }
        OcrWord w;
        w.text = std::move(word_text);
        int l, t, r, b;
        it->BoundingBox(tesseract::RIL_WORD, &l, &t, &r, &b);
        w.box = {l, t, r - l, b - t};
        w.confidence = it->Confidence(tesseract::RIL_WORD);
        w.line = static_cast<int>(result.lines.size()) - 1;
        result.words.push_back(std::move(w));
      } while (it->Next(tesseract::RIL_WORD));
    }
    it.reset();  // its results are the page's; a re-read below replaces them
    // Tesseract's own black-and-white page: where the re-reads look for ink no word took.
    Pix* ink = api.GetThresholdedImage();
    bool changed = reread_number_columns(api, img, result, info);
    if (ink) {
      std::vector<bool> vertical;
      for (const LineInfo& li : info) vertical.push_back(li.vertical);
      changed = restore_item_numbers(api, img, ink, result, vertical) || changed;
      pixDestroy(&ink);
    }
    if (changed) drop_empty_lines(result, info);
    reread_misread_digits(api, result);
    join_text(result, info);
    api.Clear();
    return result;
  }

  struct LineInfo {
    int block = 0;
    bool starts_block = false;
    bool vertical = false;  // Tesseract took the line for text turned 90 or 270 degrees
  };

  /// A column of item numbers ("1.", "2.", … down a form's left edge) is tall and narrow, and
  /// Tesseract's layout takes it for one line of text turned sideways: the numbers are lost and
  /// junk ("CŒ I CI") stands in a line of its own. Such a block on an upright page is read again
  /// as a block of level lines; the reading is kept when its words stand on the page's lines, left
  /// of their text, and read surely; they then join those lines. True sideways text (a margin
  /// note) reads as junk level, or aligns with no line, and keeps its first reading.
  static bool reread_number_columns(tesseract::TessBaseAPI& api, const Image& img, OcrResult& result,
                                    std::vector<LineInfo>& info) {
    size_t level_words = 0;
    std::map<int, Box> columns;  // by block
    for (const OcrWord& w : result.words) {
      const LineInfo& li = info[static_cast<size_t>(w.line)];
      if (!li.vertical) {
        ++level_words;
        continue;
      }
      const Box lb = unite(result.lines[static_cast<size_t>(w.line)].box, w.box);
      auto [at, fresh] = columns.emplace(li.block, lb);
      if (!fresh) at->second = unite(at->second, lb);
    }
    if (columns.empty() || level_words < 20) return false;  // a page mostly sideways is no form
    bool changed = false;
    for (const auto& [block, col] : columns) {
      if (col.h < 3 * col.w) continue;
      // The level lines beside the column: the numbers' places.
      std::vector<size_t> beside;
      for (size_t i = 0; i < result.lines.size(); ++i) {
        const Box& b = result.lines[i].box;
        if (!info[i].vertical && b.y + b.h > col.y && b.y < col.y + col.h && b.x >= col.x + col.w / 2 &&
            b.x < col.x + col.w + 3 * b.h)
          beside.push_back(i);
      }
      if (beside.size() < 2) continue;
      // Each number is read with the start of its line ("1. Họ,"): Tesseract reads a lone digit
      // worse than a line, and the line's words tell where the number ends.
      std::vector<std::pair<OcrWord, size_t>> found;  // a number and the line it joins
      size_t unplaced = 0;
      double conf = 0;
      api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
      for (size_t li : beside) {
        const Box& lb = result.lines[li].box;
        const OcrWord* first = nullptr;
        for (const OcrWord& w : result.words)
          if (static_cast<size_t>(w.line) == li && w.text != "." && (!first || w.box.x < first->box.x)) first = &w;
        if (!first) continue;
        const int pad = std::max(2, lb.h / 4);
        const int x0 = std::max(0, col.x - pad), y0 = std::max(0, lb.y - pad / 2);
        const int x1 = std::min(img.width(), first->box.x + first->box.w), y1 = std::min(img.height(), lb.y + lb.h + pad / 2);
        if (x1 <= x0 || y1 <= y0) continue;
        api.SetRectangle(x0, y0, x1 - x0, y1 - y0);
        if (api.Recognize(nullptr) != 0) continue;
        std::unique_ptr<tesseract::ResultIterator> ri(api.GetIterator());
        bool any = false;
        if (ri) {
          do {
            if (ri->Empty(tesseract::RIL_WORD)) continue;
            int l, tp, r, b;
            ri->BoundingBox(tesseract::RIL_WORD, &l, &tp, &r, &b);
            if ((l + r) / 2 > col.x + col.w) break;  // the line's own words
            std::unique_ptr<char[]> t(ri->GetUTF8Text(tesseract::RIL_WORD));
            std::string wt = clean_word(text::nfc(t ? t.get() : ""), ri->Confidence(tesseract::RIL_WORD));
            if (wt.empty()) continue;
            OcrWord w;
            w.text = std::move(wt);
            w.box = {l, tp, r - l, b - tp};
            w.confidence = ri->Confidence(tesseract::RIL_WORD);
            conf += w.confidence;
            found.push_back({std::move(w), li});
            any = true;
          } while (ri->Next(tesseract::RIL_WORD));
        }
        if (!any) ++unplaced;
      }
      const size_t n = found.size() + unplaced;
      if (found.size() < 2 || unplaced * 3 > n || conf / static_cast<double>(n) < 75) continue;
      // The sideways reading goes; the numbers join their lines.
      std::vector<OcrWord> kept;
      for (OcrWord& w : result.words)
        if (!(info[static_cast<size_t>(w.line)].vertical && info[static_cast<size_t>(w.line)].block == block)) kept.push_back(std::move(w));
      for (auto& [w, line] : found) {
        w.line = static_cast<int>(line);
        absorb_orphan_mark(w, kept);
        result.lines[line].box = unite(result.lines[line].box, w.box);
        kept.push_back(std::move(w));
      }
      kept.erase(std::remove_if(kept.begin(), kept.end(), [](const OcrWord& k) { return k.text.empty(); }), kept.end());
      result.words = std::move(kept);
      changed = true;
    }
    return changed;
  }

  /// Lines left without words by a re-read go (later stages take a line for text); words in
  /// line order again, left to right within a line.
  static void drop_empty_lines(OcrResult& result, std::vector<LineInfo>& info) {
    std::vector<int> renumber(result.lines.size(), -1);
    for (const OcrWord& w : result.words) renumber[static_cast<size_t>(w.line)] = 0;
    std::vector<OcrLine> lines;
    std::vector<LineInfo> infos;
    for (size_t i = 0; i < result.lines.size(); ++i) {
      if (renumber[i] < 0) continue;
      renumber[i] = static_cast<int>(lines.size());
      lines.push_back(result.lines[i]);
      infos.push_back(info[i]);
    }
    for (OcrWord& w : result.words) w.line = renumber[static_cast<size_t>(w.line)];
    result.lines = std::move(lines);
    info = std::move(infos);
    std::stable_sort(result.words.begin(), result.words.end(), [](const OcrWord& a, const OcrWord& b) {
      return a.line != b.line ? a.line < b.line : a.box.x < b.box.x;
    });
  }

  /// The text (lines joined by '\n', blocks by a blank line) and the word-length weighted mean
  /// confidence of the words in their order.
  static void join_text(OcrResult& result, const std::vector<LineInfo>& info) {
    std::string text;
    double conf_sum = 0, weight = 0;
    int last = -1;
    for (const OcrWord& w : result.words) {
      if (w.line != last) {
        if (last >= 0) text += info[static_cast<size_t>(w.line)].starts_block ? "\n\n" : "\n";
        last = w.line;
      } else {
        text += ' ';
      }
      text += w.text;
      const double len = static_cast<double>(text::length(w.text));
      conf_sum += w.confidence * len;
      weight += len;
    }
    result.text = std::move(text);
    result.mean_confidence = weight > 0 ? static_cast<float>(conf_sum / weight) : 0.f;
  }

  EngineConfig config_;
  tesseract::TessBaseAPI api_;
  std::map<std::string, std::unique_ptr<tesseract::TessBaseAPI>> others_;  // by language
  std::vector<std::string> failed_;  // languages whose model would not load
};

}  // namespace

// Reads only the place a number would take, so a page without dropped numbers costs no recognition.
bool restore_item_numbers(tesseract::TessBaseAPI& api, const Image& img, Pix* ink, OcrResult& result,
                        const std::vector<bool>& vertical) {
  static const std::regex item_number(R"(^(\d{1,2}|[IVX]{1,4}|[a-zđ])[.)]?$)");
  const int pw = static_cast<int>(pixGetWidth(ink)), ph = static_cast<int>(pixGetHeight(ink));
  if (pw != img.width() || ph != img.height() || pixGetDepth(ink) != 1) return false;
  const l_uint32* data = pixGetData(ink);
  const int wpl = pixGetWpl(ink);
  auto dark = [&](int x, int y) { return GET_DATA_BIT(data + static_cast<size_t>(y) * wpl, x) != 0; };
  // The first word of each level line, and whether that word is a number's orphan ".".
  std::vector<const OcrWord*> first(result.lines.size(), nullptr), second(result.lines.size(), nullptr);
  for (const OcrWord& w : result.words) {
    const size_t li = static_cast<size_t>(w.line);
    if (vertical[li]) continue;
    if (!first[li] || w.box.x < first[li]->box.x) {
      second[li] = first[li];
      first[li] = &w;
    } else if (!second[li] || w.box.x < second[li]->box.x) {
      second[li] = &w;
    }
  }
  std::vector<OcrWord> found;
  api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
  for (size_t li = 0; li < result.lines.size(); ++li) {
    const OcrWord* f = first[li];
    if (!f) continue;
    const Box& lb = result.lines[li].box;
    const int h = lb.h;
    if (h < 8) continue;
    // Where a number would stand: up to two letters' width left of the first word, not
    // reaching into another word.
    int x0 = std::max(0, f->box.x - 3 * h);
    const int x1 = f->box.x - 1, y0 = lb.y, y1 = std::min(ph, lb.y + lb.h);
    if (x1 - x0 < h / 3) continue;
    for (const OcrWord& w : result.words)
      if (&w != f && w.box.y < y1 && w.box.y + w.box.h > y0 && w.box.x + w.box.w <= x1 && w.box.x + w.box.w > x0)
        x0 = w.box.x + w.box.w + 1;
    // The ink's extent in that place, columns and rows.
    int ix0 = -1, ix1 = -1, iy0 = y1, iy1 = -1;
    for (int x = x1; x >= x0; --x)
      for (int y = y0; y < y1; ++y)
        if (dark(x, y)) {
          if (ix1 < 0) ix1 = x;
          ix0 = x;
          iy0 = std::min(iy0, y);
          iy1 = std::max(iy1, y);
        }
    // A number is as tall as half the line's first word at least (a skewed line's box is
    // taller than its letters), and near the word; specks and dots are not.
    const OcrWord* end = (f->text == "." || f->text == ")") && second[li] ? second[li] : f;
    if (ix1 < 0 || iy1 - iy0 + 1 < std::max(h / 3, end->box.h / 2) || x1 - ix1 > 3 * h / 2) continue;
    // A table's rule beside a cell's text runs on above and below the line: no number.
    bool rule = false;
    for (int x = ix0; x <= ix1 && !rule; ++x)
      rule = y0 >= 2 && y1 + 1 < ph && dark(x, y0 - 2) && dark(x, y1 + 1) && dark(x, (y0 + y1) / 2);
    if (rule) continue;
    const int pad = std::max(2, h / 4);
    const int rx0 = std::max(0, ix0 - pad), ry0 = std::max(0, lb.y - pad / 2);
    // A lone "2." reads worse than "2. Ngày,": an orphan "." is read with the word after it.
    const int rx1 = std::min(pw, end->box.x + end->box.w), ry1 = std::min(ph, lb.y + lb.h + pad / 2);
    api.SetRectangle(rx0, ry0, rx1 - rx0, ry1 - ry0);
    if (api.Recognize(nullptr) != 0) continue;
    std::unique_ptr<tesseract::ResultIterator> ri(api.GetIterator());
    if (!ri) continue;
    do {
      if (ri->Empty(tesseract::RIL_WORD)) continue;
      int l, tp, r, b;
      ri->BoundingBox(tesseract::RIL_WORD, &l, &tp, &r, &b);
      if ((l + r) / 2 >= f->box.x) break;  // the line's own first word
      std::unique_ptr<char[]> t(ri->GetUTF8Text(tesseract::RIL_WORD));
      const std::string wt = text::nfc(t ? t.get() : "");
      const float conf = ri->Confidence(tesseract::RIL_WORD);
      if (conf < 75 || !std::regex_match(wt, item_number)) break;
      OcrWord w;
      w.text = wt;
      w.box = {l, tp, r - l, b - tp};
      w.confidence = conf;
      w.line = static_cast<int>(li);
      found.push_back(std::move(w));
      break;  // one number a line
    } while (ri->Next(tesseract::RIL_WORD));
  }
  if (found.empty()) return false;
  for (OcrWord& w : found) {
    absorb_orphan_mark(w, result.words);
    Box& lb = result.lines[static_cast<size_t>(w.line)].box;
    lb = unite(lb, w.box);
    result.words.push_back(std::move(w));
  }
  result.words.erase(std::remove_if(result.words.begin(), result.words.end(), [](const OcrWord& k) { return k.text.empty(); }),
                     result.words.end());
  return true;
}

// Only words already misread are read again: a clean page costs no recognition. A word read
// again was misread once, whatever either reading's confidence: it is kept under the fields'
// bar for numbers and dates (review asks under 85 in any of their words), so a value made of it is
// always asked.
constexpr float kRereadConfidence = 60.f;
void reread_misread_digits(tesseract::TessBaseAPI& api, OcrResult& result) {
  // A serial's letters before the digits ("CB"), a number's symbol after them ("/TLKT-BS").
  static const std::regex code(
      R"(^([A-Z]{0,3})((?:[0-9]|§|\$|Š|š|ï|í|ì|Í|Ì|ó|ò|ô|ö|Ø|ø|O|o|T|I|l|\||\]|\[|!)+)(/[A-Z0-9./\-]+)?$)");
  // The day and month of "ngày … tháng … năm": a word there is a number, whatever OCR made of it
  // ("tháng TÌ" for 11), when it is made of the glyphs digits are misread as.
  static const std::regex slot_glyphs(R"(^(?:[0-9]|Ì|Í|ì|í|I|l|T|O|o|\]|\[|!|\|){1,3}[.,]?$)");
  static const std::regex date_like(
      R"(^(?:[0-9]|Ì|Í|ì|í|I|l|O|o|\]|\[|!|\||§|Š|ï|ó|Ø|ø){1,2}/(?:[0-9]|Ì|Í|ì|í|I|l|O|o|\]|\[|!|\||§|Š|ï|ó|Ø|ø){1,2}/(?:[0-9]|Ì|Í|ì|í|I|l|O|o|\]|\[|!|\||§|Š|ï|ó|Ø|ø){4}[.,;]?$)");
  static const std::regex a_date(R"(^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$)");
  static const std::regex strokes(R"(^(?:[0-9]|Ì|Í|ì|í|I|l|T|\]|!|\|){1,2}$)");
  auto folded = [&](size_t i) { return i < result.words.size() ? text::fold(result.words[i].text) : std::string(); };
  bool set = false;
  for (size_t wi = 0; wi < result.words.size(); ++wi) {
    OcrWord& w = result.words[wi];
    const bool same_line_around = wi > 0 && wi + 1 < result.words.size() && result.words[wi - 1].line == w.line &&
                                  result.words[wi + 1].line == w.line;
    const bool date_slot = same_line_around && std::regex_match(w.text, slot_glyphs) &&
                           ((folded(wi - 1) == "ngay" && folded(wi + 1) == "thang") ||
                            (folded(wi - 1) == "thang" && folded(wi + 1) == "nam"));
    std::smatch m;
    std::string prefix, core, suffix;
    const bool date_token = !date_slot && std::regex_match(w.text, date_like);
    if (date_slot) {
      core = w.text;
      while (!core.empty() && (core.back() == '.' || core.back() == ',')) core.pop_back();
    } else if (date_token) {
      core = w.text;  // "09/08/199]": the slashes are kept, the rest must be digits
      while (!core.empty() && (core.back() == '.' || core.back() == ',' || core.back() == ';')) core.pop_back();
    } else if (std::regex_match(w.text, m, code)) {
      prefix = m[1].str(), core = m[2].str(), suffix = m[3].str();
    } else {
      continue;
    }
    // "T0" is a misread 10, not a serial "T" + "0" ("T1" may be a block's name: left alone).
    if (core == "0" && prefix.size() == 1 && prefix.find_first_of("TIO") == 0) core = prefix + core, prefix.clear();
    const size_t chars = text::length(core);
    size_t digits = 0;
    for (char c : core) digits += c >= '0' && c <= '9';
    if (digits == core.size() || (date_token && digits + 2 == core.size())) continue;  // read as digits already
    // Digits with a glyph among them; a word of letters with one digit ("lO1") is no number.
    if (!date_slot && !date_token && (chars < 2 || digits == 0 || digits * 2 < chars)) continue;
    if (!set) {
      api.SetPageSegMode(tesseract::PSM_SINGLE_WORD);
      set = true;
    }
    std::string allowed = "0123456789" + prefix + suffix + (date_token ? "/" : "");
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    api.SetVariable("tessedit_char_whitelist", allowed.c_str());
    const int pad = std::max(2, w.box.h / 4);
    api.SetRectangle(std::max(0, w.box.x - pad), std::max(0, w.box.y - pad), w.box.w + 2 * pad, w.box.h + 2 * pad);
    if (api.Recognize(nullptr) != 0) continue;
    std::unique_ptr<char[]> t(api.GetUTF8Text());
    std::string read = t ? t.get() : "";
    read.erase(std::remove_if(read.begin(), read.end(), [](char c) { return c == ' ' || c == '\n'; }), read.end());
    if (date_token) {
      if (!std::regex_match(read, a_date)) continue;
      w.text = read + w.text.substr(core.size());  // the full stop or comma after it kept
      w.confidence = std::min({w.confidence, static_cast<float>(api.MeanTextConf()), kRereadConfidence});
      continue;
    }
    // The same letters and symbol around digits alone, about as many as were read.
    const bool kept_around = read.size() >= prefix.size() + suffix.size() + 1 && read.compare(0, prefix.size(), prefix) == 0 &&
                             read.compare(read.size() - suffix.size(), suffix.size(), suffix) == 0;
    const std::string number = kept_around ? read.substr(prefix.size(), read.size() - prefix.size() - suffix.size()) : "";
    // A glyph stands for one digit: a day, month or short number keeps its length ("I9" read
    // "9" is no 19); a long code may have gained or lost one.
    const bool length_ok = chars <= 4 ? number.size() == chars : number.size() + 1 >= chars && number.size() <= chars + 1;
    if (!kept_around || number.find_first_not_of("0123456789") != std::string::npos || !length_ok) {
      // A day or month of upright strokes ("tháng TÌ", "IÌ") the digit-only reading gives up on:
      // the one digit of that shape is 1. Asked all the same (confidence at most 50).
      if (!date_slot || !std::regex_match(core, strokes)) continue;
      std::string ones;
      for (size_t i = 0; i < core.size();) {
        const unsigned char c = static_cast<unsigned char>(core[i]);
        ones += (c >= '0' && c <= '9') ? static_cast<char>(c) : '1';
        i += c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
      }
      w.text = ones + w.text.substr(core.size());
      w.confidence = std::min(w.confidence, 50.f);  // under kRereadConfidence: a guess by shape
      continue;
    }
    w.text = date_slot ? read + w.text.substr(core.size()) : read;
    w.confidence = std::min({w.confidence, static_cast<float>(api.MeanTextConf()), kRereadConfidence});
  }
  if (set) api.SetVariable("tessedit_char_whitelist", "");
}

std::unique_ptr<Engine> make_tesseract_engine(const EngineConfig& config) {
  return std::make_unique<TesseractEngine>(config);
}

}  // namespace sohoa::ocr
