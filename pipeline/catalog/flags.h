// What in a record needs a human before the archive accepts it.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sohoa::catalog {

struct Flag {
  std::string code;    // a review reason's code (review/review.h), or low_ocr_confidence, low_dpi, dpi_assumed, unsure_orientation, unsure_class, split, blank_pages
  std::string detail;  // for a person: which page, what value
};

/// Thresholds: OCR confidence under 60, resolution under 200 dpi (the archive's minimum),
/// orientation confidence under 0.5, classification flagged for review or under 0.5.
inline std::vector<Flag> review_flags(const nlohmann::json& rec) {
  std::vector<Flag> flags;
  // The review stage's reasons first: they are what made the record ask for a person.
  for (const auto& x : rec.value("review_reasons", nlohmann::json::array())) {
    flags.push_back({x.value("code", std::string("review")), x.value("detail", std::string())});
  }
  auto num = [](const nlohmann::json& j, const char* k) { return j.contains(k) && j[k].is_number() ? j[k].get<double>() : 0.0; };
  int blank = 0;
  for (const auto& p : rec.value("pages", nlohmann::json::array())) {
    const std::string page = "page " + std::to_string(p.value("number", 0));
    if (p.contains("error") && p["error"].is_string()) {
      flags.push_back({"page_error", page + ": " + p["error"].get<std::string>()});
      continue;
    }
    if (p.value("blank", false)) {
      ++blank;
      continue;
    }
    if (p.value("text_source", "ocr") == "ocr" && num(p, "ocr_confidence") < 60)
      flags.push_back({"low_ocr_confidence", page + ": OCR confidence " + std::to_string(static_cast<int>(num(p, "ocr_confidence")))});
    if (num(p, "dpi") < 200) flags.push_back({"low_dpi", page + ": " + std::to_string(static_cast<int>(num(p, "dpi"))) + " dpi"});
    if (p.value("dpi_assumed", false)) flags.push_back({"dpi_assumed", page + ": no resolution in the file, 300 dpi assumed"});
    if (p.contains("rotation_method") && p["rotation_method"].is_string() && num(p, "rotation_confidence") < 0.5)
      flags.push_back({"unsure_orientation", page + ": rotation " + std::to_string(p.value("rotation", 0)) + "°, confidence " +
                                                 std::to_string(num(p, "rotation_confidence")).substr(0, 4)});
  }
  const auto cls = rec.value("classification", nlohmann::json::object());
  if (cls.value("review", false) || num(cls, "confidence") < 0.5) {
    std::string why = cls.contains("reason") && cls["reason"].is_string() ? cls["reason"].get<std::string>() : "";
    flags.push_back({"unsure_class", "confidence " + std::to_string(num(cls, "confidence")).substr(0, 4) + (why.empty() ? "" : ": " + why)});
  }
  const auto split = rec.value("split", nlohmann::json::object());
  if (split.value("cue", "whole_input") != "whole_input")
    flags.push_back({"split", "cut from a longer input by " + split.value("cue", std::string())});
  if (blank) flags.push_back({"blank_pages", std::to_string(blank) + " blank page(s) left out of the PDF"});
  return flags;
}

}  // namespace sohoa::catalog
