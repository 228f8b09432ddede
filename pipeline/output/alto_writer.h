// alto.xml: a record's OCR layout (words, lines, boxes, confidences) in ALTO 3.1.
#pragma once
#include <string>
#include <vector>

#include "core/types.h"

namespace sohoa::output {

struct AltoPage {
  const OcrResult* ocr = nullptr;  // boxes in page-image pixels
  int width = 0, height = 0;       // page image in pixels
  int number = 0;                  // page number within the input (PRINTED_IMG_NR)
  const std::vector<Region>* regions = nullptr;  // the page's layout, in reading order
};

/// ALTO v3 (namespace http://www.loc.gov/standards/alto/ns-v3#), one <Page> per PDF page, in
/// PDF order; measurement unit pixel. A page's regions are TextBlocks in reading order, each
/// referring by TAGREFS to a LayoutTag that names its role (ROLE_header, ROLE_title, …). Deterministic for the same input.
std::string write_alto(const std::vector<AltoPage>& pages, const std::string& image_file,
                       const std::string& software_version);

}  // namespace sohoa::output
