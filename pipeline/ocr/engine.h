// The OCR engine seen by the batch: one instance per worker thread, never shared.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "core/types.h"

namespace sohoa::ocr {

class Engine {
 public:
  virtual ~Engine() = default;
  /// Full recognition: words with boxes and confidences, and the page text (NFC).
  /// single_block: read the image as one block of horizontal lines, with no layout analysis
  /// (which would otherwise find sideways text and turn it for us).
  /// sparse: find as much text as possible in no particular order (a stamp's labels and values
  /// set apart on dotted lines), each piece a line of its own; the caller orders them.
  virtual OcrResult recognize(const Image& img, double dpi, bool single_block = false, bool sparse = false) = 0;
  /// Recognition of a part of a page (a region) in another language ("eng"), with that
  /// language's model alone; the model is loaded on first use. An engine that has no such model
  /// reads nothing (empty result).
  virtual OcrResult recognize_as(const Image& img, double dpi, const std::string& lang) {
    (void)img, (void)dpi, (void)lang;
    return {};
  }
};

struct EngineConfig {
  std::string lang = "vie";
  std::string tessdata;  // empty: Tesseract's default
};

std::unique_ptr<Engine> make_tesseract_engine(const EngineConfig& config);

}  // namespace sohoa::ocr
