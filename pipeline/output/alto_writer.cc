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
  std::string body;
  bool used[9] = {};
  for (size_t pi = 0; pi < pages.size(); ++pi) {
    const AltoPage& p = pages[pi];
    const std::string pid = "P" + std::to_string(pi + 1);
    body += "    <Page ID=\"" + pid + "\" PHYSICAL_IMG_NR=\"" + std::to_string(pi + 1) + "\" PRINTED_IMG_NR=\"" +
            std::to_string(p.number) + "\" WIDTH=\"" + std::to_string(p.width) + "\" HEIGHT=\"" +
            std::to_string(p.height) + "\" PROCESSING=\"OCR_0\">\n";
    body += "      <PrintSpace" + box_attrs({0, 0, p.width, p.height}) + ">\n";
    const OcrResult* ocr = p.ocr;
    if (ocr && !ocr->words.empty()) {
      // One TextBlock per region, in reading order, tagged with its role; a page laid out by no
      // one (no regions) is one block of its OCR lines.
      std::vector<Region> fallback;
      const std::vector<Region>* regions = p.regions;
      if (!regions || regions->empty()) {
        Region all;
        for (size_t i = 0; i < ocr->words.size(); ++i) {
          if (all.lines.empty() || ocr->words[i].line != ocr->words[all.lines.back().cells[0].back()].line)
            all.lines.push_back(RegionLine{{std::vector<int>{}}});
          all.lines.back().cells[0].push_back(static_cast<int>(i));
        }
        fallback.push_back(std::move(all));
        regions = &fallback;
      }
      int line_no = 0;
      for (size_t ri = 0; ri < regions->size(); ++ri) {
        const Region& r = (*regions)[ri];
        Box block{};
        for (const RegionLine& l : r.lines)
          for (const auto& cell : l.cells)
            for (int id : cell) block = unite(block, ocr->words[id].box);
        if (block.w == 0 && block.h == 0) block = r.box;  // a stamp whose ink OCR does not read
        const std::string bid = pid + "_B" + std::to_string(ri + 1);
        body += "        <TextBlock ID=\"" + bid + "\"" + box_attrs(block);
        if (p.regions && !p.regions->empty()) {
          body += std::string(" TAGREFS=\"ROLE_") + role_name(r.role) + "\" LANG=\"" + r.language + "\"";
          used[static_cast<int>(r.role)] = true;
        }
        body += ">\n";
        for (const RegionLine& l : r.lines) {
          Box lb{};
          for (const auto& cell : l.cells)
            for (int id : cell) lb = unite(lb, ocr->words[id].box);
          const std::string lid = pid + "_L" + std::to_string(++line_no);
          body += "          <TextLine ID=\"" + lid + "\"" + box_attrs(lb);
          if (p.regions && !p.regions->empty() && l.language != r.language) body += " LANG=\"" + l.language + "\"";
          body += ">";
          int n = 0;
          for (const auto& cell : l.cells)
            for (int id : cell) {
              const OcrWord& w = ocr->words[id];
              if (w.text.empty()) continue;
              if (n++) body += "<SP/>";
              char wc[16];
              std::snprintf(wc, sizeof wc, "%.2f", std::clamp(w.confidence / 100.0, 0.0, 1.0));
              body += "<String ID=\"" + lid + "_W" + std::to_string(n) + "\"" + box_attrs(w.box) + " CONTENT=\"" +
                      xml_escape(w.text) + "\" WC=\"" + wc + "\"/>";
            }
          body += "</TextLine>\n";
        }
        body += "        </TextBlock>\n";
      }
    }
    body += "      </PrintSpace>\n    </Page>\n";
  }
  // The roles the blocks refer to (TAGREFS), before the layout as the schema orders them.
  std::string tags;
  for (int role = 0; role < 9; ++role)
    if (used[role]) {
      const std::string name = role_name(static_cast<RegionRole>(role));
      tags += "    <LayoutTag ID=\"ROLE_" + name + "\" TYPE=\"region\" LABEL=\"" + name + "\"/>\n";
    }
  if (!tags.empty()) {
    const size_t at = x.rfind("  <Layout>\n");
    x.insert(at, "  <Tags>\n" + tags + "  </Tags>\n");
  }
  x += body;
  x += "  </Layout>\n</alto>\n";
  return x;
}

}  // namespace sohoa::output
