#include "output/alto_writer.h"

#include <algorithm>
#include <cstdio>

#include "output/xml.h"

namespace sohoa::output {
namespace {

std::string box_attrs(const Box& b) {
  char buf[96];
  std::snprintf(buf, sizeof buf, " HPOS=\"%d\" VPOS=\"%d\" WIDTH=\"%d\" HEIGHT=\"%d\"", b.x, b.y, std::max(0, b.w),
                std::max(0, b.h));
  return buf;
}

Box unite(const Box& a, const Box& b) {
  if (a.w <= 0 || a.h <= 0) return b;
  const int x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  const int x1 = std::max(a.x + a.w, b.x + b.w), y1 = std::max(a.y + a.h, b.y + b.h);
  return {x0, y0, x1 - x0, y1 - y0};
}

}  // namespace

std::string write_alto(const std::vector<AltoPage>& pages, const std::string& image_file,
                       const std::string& software_version) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v3#\" "
      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://www.loc.gov/standards/alto/ns-v3# "
      "http://www.loc.gov/alto/v3/alto-3-1.xsd\">\n"
      "  <Description>\n    <MeasurementUnit>pixel</MeasurementUnit>\n"
      "    <sourceImageInformation><fileName>" +
      xml_escape(image_file) +
      "</fileName></sourceImageInformation>\n"
      "    <OCRProcessing ID=\"OCR_0\"><ocrProcessingStep>"
      "<processingSoftware><softwareCreator>sohoa</softwareCreator><softwareName>sohoa (Tesseract 5, vie)</softwareName>"
      "<softwareVersion>" +
      xml_escape(software_version) + "</softwareVersion></processingSoftware></ocrProcessingStep></OCRProcessing>\n  </Description>\n  <Layout>\n";
  for (size_t pi = 0; pi < pages.size(); ++pi) {
    const AltoPage& p = pages[pi];
    const std::string pid = "P" + std::to_string(pi + 1);
    x += "    <Page ID=\"" + pid + "\" PHYSICAL_IMG_NR=\"" + std::to_string(pi + 1) + "\" PRINTED_IMG_NR=\"" +
         std::to_string(p.number) + "\" WIDTH=\"" + std::to_string(p.width) + "\" HEIGHT=\"" +
         std::to_string(p.height) + "\" PROCESSING=\"OCR_0\">\n";
    x += "      <PrintSpace" + box_attrs({0, 0, p.width, p.height}) + ">\n";
    const OcrResult* ocr = p.ocr;
    if (ocr && !ocr->words.empty()) {
      // One TextBlock holding every line, in reading order; words keep their line index.
      Box block{};
      for (const OcrWord& w : ocr->words) block = unite(block, w.box);
      x += "        <TextBlock ID=\"" + pid + "_B1\"" + box_attrs(block) + ">\n";
      size_t i = 0;
      int line_no = 0;
      while (i < ocr->words.size()) {
        size_t j = i;
        Box lb{};
        while (j < ocr->words.size() && ocr->words[j].line == ocr->words[i].line) lb = unite(lb, ocr->words[j++].box);
        const std::string lid = pid + "_L" + std::to_string(++line_no);
        x += "          <TextLine ID=\"" + lid + "\"" + box_attrs(lb) + ">";
        int n = 0;
        for (size_t k = i; k < j; ++k) {
          const OcrWord& w = ocr->words[k];
          if (w.text.empty()) continue;
          if (n++) x += "<SP/>";
          char wc[16];
          std::snprintf(wc, sizeof wc, "%.2f", std::clamp(w.confidence / 100.0, 0.0, 1.0));
          x += "<String ID=\"" + lid + "_W" + std::to_string(n) + "\"" + box_attrs(w.box) + " CONTENT=\"" +
               xml_escape(w.text) + "\" WC=\"" + wc + "\"/>";
        }
        x += "</TextLine>\n";
        i = j;
      }
      x += "        </TextBlock>\n";
    }
    x += "      </PrintSpace>\n    </Page>\n";
  }
  x += "  </Layout>\n</alto>\n";
  return x;
}

}  // namespace sohoa::output
