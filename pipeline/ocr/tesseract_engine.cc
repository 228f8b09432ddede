#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <vector>

#include "core/error.h"
#include "core/text.h"
#include "ocr/engine.h"
#include "ocr/word_filter.h"

namespace sohoa::ocr {
namespace {

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
    std::string text;
    double conf_sum = 0, weight = 0;
    if (it) {
      bool pending_block = false, pending_line = false;  // carried over a dropped word
      do {
        if (it->Empty(tesseract::RIL_WORD)) continue;
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
          if (!result.lines.empty()) text += new_block ? "\n\n" : "\n";
          result.lines.push_back(line);
        } else {
          text += ' ';
        }
        OcrWord w;
        w.text = std::move(word_text);
        int l, t, r, b;
        it->BoundingBox(tesseract::RIL_WORD, &l, &t, &r, &b);
        w.box = {l, t, r - l, b - t};
        w.confidence = it->Confidence(tesseract::RIL_WORD);
        w.line = static_cast<int>(result.lines.size()) - 1;
        const double len = static_cast<double>(text::length(w.text));
        conf_sum += w.confidence * len;
        weight += len;
        text += w.text;
        result.words.push_back(std::move(w));
      } while (it->Next(tesseract::RIL_WORD));
    }
    result.text = std::move(text);
    result.mean_confidence = weight > 0 ? static_cast<float>(conf_sum / weight) : 0.f;
    api.Clear();
    return result;
  }

  EngineConfig config_;
  tesseract::TessBaseAPI api_;
  std::map<std::string, std::unique_ptr<tesseract::TessBaseAPI>> others_;  // by language
  std::vector<std::string> failed_;  // languages whose model would not load
};

}  // namespace

std::unique_ptr<Engine> make_tesseract_engine(const EngineConfig& config) {
  return std::make_unique<TesseractEngine>(config);
}

}  // namespace sohoa::ocr
