#include "output/pdf_writer.h"

#include <zlib.h>

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/error.h"
#include "core/hash.h"
#include "output/xml.h"

namespace sohoa::output {
namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string deflate(const std::string& in) {
  uLongf len = compressBound(in.size());
  std::string out(len, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &len, reinterpret_cast<const Bytef*>(in.data()), in.size(),
                Z_BEST_COMPRESSION) != Z_OK)
    throw Error(ErrorCode::internal, "zlib compression failed");
  out.resize(len);
  return out;
}

/// UTF-8 to big-endian UTF-16 hex, the codes of an Identity-H font whose ToUnicode is identity.
std::string utf16be_hex(const std::string& s) {
  std::string out;
  char buf[8];
  auto put = [&](unsigned v) { std::snprintf(buf, sizeof buf, "%04X", v); out += buf; };
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    unsigned cp = 0;
    int n = 0;
    if (c < 0x80) { cp = c; n = 1; }
    else if ((c >> 5) == 6) { cp = c & 0x1F; n = 2; }
    else if ((c >> 4) == 14) { cp = c & 0x0F; n = 3; }
    else if ((c >> 3) == 30) { cp = c & 0x07; n = 4; }
    else { ++i; continue; }
    if (i + n > s.size()) break;
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xD800 + (cp >> 10));
      put(0xDC00 + (cp & 0x3FF));
    } else {
      put(cp);
    }
  }
  return out;
}

std::string pdf_string_literal(const std::string& s) {
  // Info dictionary strings as UTF-16BE with BOM, so Vietnamese titles survive.
  return "<FEFF" + utf16be_hex(s) + ">";
}

std::string read_whole(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

/// "2025-03-01T08:00:00Z" -> "D:20250301080000Z" (PDF date); empty stays empty.
std::string pdf_date(const std::string& iso) {
  if (iso.size() < 19) return "";
  return "D:" + iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2) + iso.substr(11, 2) + iso.substr(14, 2) +
         iso.substr(17, 2) + "Z";
}

/// Info /Subject and XMP dc:description: the type, then the trích yếu when known.
std::string subject_line(const PdfInfo& info) {
  return info.description.empty() ? info.subject : info.subject + ": " + info.description;
}

/// XMP packet for PDF/A-2b; every Info entry has its XMP twin with the same value.
std::string xmp_packet(const PdfInfo& info) {
  std::string x =
      "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">"
      "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>\n"
      "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
      "<dc:format>application/pdf</dc:format>"
      "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" +
      xml_escape(info.title) + "</rdf:li></rdf:Alt></dc:title>";
  if (!info.subject.empty())
    x += "<dc:type><rdf:Bag><rdf:li>" + xml_escape(info.subject) + "</rdf:li></rdf:Bag></dc:type>"
         "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_escape(subject_line(info)) +
         "</rdf:li></rdf:Alt></dc:description>";
  if (!info.lang.empty()) x += "<dc:language><rdf:Bag><rdf:li>" + xml_escape(info.lang) + "</rdf:li></rdf:Bag></dc:language>";
  x += "</rdf:Description>\n"
       "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">"
       "<pdf:Producer>" + xml_escape(info.producer) + "</pdf:Producer></rdf:Description>\n";
  if (!info.created.empty())
    x += "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">"
         "<xmp:CreatorTool>" + xml_escape(info.producer) + "</xmp:CreatorTool>"
         "<xmp:CreateDate>" + info.created + "</xmp:CreateDate><xmp:ModifyDate>" + info.created +
         "</xmp:ModifyDate><xmp:MetadataDate>" + info.created + "</xmp:MetadataDate></rdf:Description>\n";
  x += "</rdf:RDF>\n</x:xmpmeta>\n";
  // Padding lets an editor update the packet in place, as XMP recommends.
  for (int i = 0; i < 20; ++i) x += std::string(99, ' ') + "\n";
  x += "<?xpacket end=\"w\"?>";
  return x;
}

class PdfBuilder {
 public:
  int reserve() {
    offsets_.push_back(0);
    return static_cast<int>(offsets_.size());
  }
  void object(int id, const std::string& body) {
    offsets_[id - 1] = out_.size();
    out_ += std::to_string(id) + " 0 obj\n" + body + "\nendobj\n";
  }
  void stream(int id, const std::string& dict_entries, const std::string& data) {
    offsets_[id - 1] = out_.size();
    out_ += std::to_string(id) + " 0 obj\n<< " + dict_entries + " /Length " + std::to_string(data.size()) +
            " >>\nstream\n";
    out_ += data;
    out_ += "\nendstream\nendobj\n";
  }
  std::string finish(int root, int info) {
    const size_t xref = out_.size();
    out_ += "xref\n0 " + std::to_string(offsets_.size() + 1) + "\n0000000000 65535 f \n";
    char buf[32];
    for (size_t off : offsets_) {
      std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
      out_ += buf;
    }
    // A fixed ID derived from the content keeps the file identical across runs.
    const std::string id = sha256_hex({reinterpret_cast<const uint8_t*>(out_.data()), out_.size()}).substr(0, 32);
    out_ += "trailer\n<< /Size " + std::to_string(offsets_.size() + 1) + " /Root " + std::to_string(root) +
            " 0 R /Info " + std::to_string(info) + " 0 R /ID [<" + id + "> <" + id + ">] >>\nstartxref\n" +
            std::to_string(xref) + "\n%%EOF\n";
    return std::move(out_);
  }
  void header() { out_ = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"; }

 private:
  std::string out_;
  std::vector<size_t> offsets_;
};

std::string text_layer(const OcrResult& ocr, double scale, double page_h) {
  // Render mode 3 (invisible). Each word is stretched with Tz to cover its box, so a
  // selection in a viewer lands on the printed word.
  std::ostringstream s;
  s << "BT\n3 Tr\n";
  for (size_t i = 0; i < ocr.words.size(); ++i) {
    const OcrWord& w = ocr.words[i];
    if (w.text.empty() || w.box.w <= 0) continue;
    const OcrLine* line = w.line >= 0 && w.line < static_cast<int>(ocr.lines.size()) ? &ocr.lines[w.line] : nullptr;
    const double line_h = (line ? line->box.h : w.box.h) * scale;
    const double font = std::max(1.0, line_h * 0.8);
    const double baseline_px = line ? line->baseline : w.box.y + w.box.h;
    const double x = w.box.x * scale;
    const double y = page_h - baseline_px * scale;
    const bool last_on_line = i + 1 == ocr.words.size() || ocr.words[i + 1].line != w.line;
    const std::string text = last_on_line ? w.text : w.text + " ";
    size_t units = 0;
    for (unsigned char c : text) units += (c & 0xC0) != 0x80;
    double width = w.box.w * scale;
    if (!last_on_line) {
      const OcrWord& next = ocr.words[i + 1];
      width = std::max(width, (next.box.x - w.box.x) * scale);
    }
    const double natural = units * 0.5 * font;  // every glyph of the font is 500 units wide
    const double tz = natural > 0 ? 100.0 * width / natural : 100.0;
    s << "/F1 " << fmt(font) << " Tf " << fmt(tz) << " Tz 1 0 0 1 " << fmt(x) << ' ' << fmt(y) << " Tm <"
      << utf16be_hex(text) << "> Tj\n";
  }
  s << "ET\n";
  return s.str();
}

}  // namespace

std::string find_srgb_profile() {
  for (const char* c : {"/usr/share/color/icc/sRGB.icc", "/usr/share/color/icc/colord/sRGB.icc",
                        "/usr/share/color/icc/ghostscript/srgb.icc"})
    if (std::filesystem::exists(c)) return c;
  throw Error(ErrorCode::internal, "no sRGB ICC profile found; install icc-profiles-free");
}

std::string find_glyphless_font() {
  std::vector<std::string> candidates;
  if (const char* prefix = std::getenv("TESSDATA_PREFIX")) {
    candidates.push_back(std::string(prefix) + "/pdf.ttf");
    candidates.push_back(std::string(prefix) + "/tessdata/pdf.ttf");
  }
  candidates.push_back("/usr/share/tesseract-ocr/5/tessdata/pdf.ttf");
  candidates.push_back("/usr/share/tesseract-ocr/4.00/tessdata/pdf.ttf");
  for (const auto& c : candidates)
    if (std::filesystem::exists(c)) return c;
  throw Error(ErrorCode::internal, "Tesseract's pdf.ttf was not found; install tesseract-ocr");
}

EncodedImage encode_page_image(const Image& img, int jpeg_quality) {
  Image src = img.depth() == 1 || img.depth() == 8 || img.depth() == 32 ? img.clone() : to_gray8(img);
  if (pixGetColormap(src.get())) src = Image(pixRemoveColormap(src.get(), REMOVE_CMAP_BASED_ON_SRC));
  const l_int32 type = src.depth() == 1 ? L_G4_ENCODE : L_JPEG_ENCODE;
  L_COMP_DATA* cid = nullptr;
  if (pixGenerateCIData(src.get(), type, jpeg_quality, 0, &cid) != 0 || !cid)
    throw Error(ErrorCode::internal, "the page image cannot be compressed");
  EncodedImage out;
  out.data.assign(cid->datacomp, cid->datacomp + cid->nbytescomp);
  out.width = cid->w;
  out.height = cid->h;
  out.bits_per_component = cid->bps;
  out.components = cid->spp == 3 ? 3 : 1;
  out.filter = type == L_G4_ENCODE ? "CCITTFaxDecode" : "DCTDecode";
  l_CIDataDestroy(&cid);
  return out;
}

std::string write_pdf(const std::vector<PdfPage>& pages, const PdfInfo& info) {
  static const std::string font_bytes = read_whole(find_glyphless_font());
  static const std::string icc_bytes = read_whole(find_srgb_profile());
  PdfBuilder b;
  b.header();
  const int catalog = b.reserve(), page_tree = b.reserve(), info_id = b.reserve();
  const int type0 = b.reserve(), cidfont = b.reserve(), descriptor = b.reserve(), fontfile = b.reserve(),
            cidmap = b.reserve(), tounicode = b.reserve();
  const int metadata = b.reserve(), icc = b.reserve();

  std::vector<int> page_ids;
  for (const PdfPage& p : pages) {
    const int page_id = b.reserve(), contents = b.reserve(), image = b.reserve();
    page_ids.push_back(page_id);
    const EncodedImage& img = *p.image;
    const double w_pt = img.width / p.dpi * 72.0, h_pt = img.height / p.dpi * 72.0;
    std::string image_dict = "/Type /XObject /Subtype /Image /Width " + std::to_string(img.width) + " /Height " +
                             std::to_string(img.height) + " /BitsPerComponent " +
                             std::to_string(img.bits_per_component) + " /ColorSpace " +
                             (img.components == 3 ? "/DeviceRGB" : "/DeviceGray") + " /Filter /" + img.filter;
    if (img.filter == "CCITTFaxDecode")
      image_dict += " /DecodeParms << /K -1 /Columns " + std::to_string(img.width) + " /Rows " +
                    std::to_string(img.height) + " /BlackIs1 false >>";
    b.stream(image, image_dict, std::string(img.data.begin(), img.data.end()));
    std::string content = "q " + fmt(w_pt) + " 0 0 " + fmt(h_pt) + " 0 0 cm /Im0 Do Q\n";
    if (p.ocr && !p.ocr->words.empty()) content += text_layer(*p.ocr, 72.0 / p.dpi, h_pt);
    b.stream(contents, "/Filter /FlateDecode", deflate(content));
    b.object(page_id, "<< /Type /Page /Parent " + std::to_string(page_tree) + " 0 R /MediaBox [0 0 " + fmt(w_pt) +
                          " " + fmt(h_pt) + "] /Resources << /XObject << /Im0 " + std::to_string(image) +
                          " 0 R >> /Font << /F1 " + std::to_string(type0) + " 0 R >> >> /Contents " +
                          std::to_string(contents) + " 0 R >>");
  }

  std::string kids;
  for (int id : page_ids) kids += std::to_string(id) + " 0 R ";
  b.object(catalog, "<< /Type /Catalog /Pages " + std::to_string(page_tree) + " 0 R /Metadata " +
                        std::to_string(metadata) + " 0 R /Lang " + pdf_string_literal(info.lang) +
                        " /OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier "
                        "(sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) /RegistryName (http://www.color.org) "
                        "/DestOutputProfile " +
                        std::to_string(icc) + " 0 R >>] >>");
  b.stream(metadata, "/Type /Metadata /Subtype /XML", xmp_packet(info));
  b.stream(icc, "/N 3 /Filter /FlateDecode", deflate(icc_bytes));
  b.object(page_tree, "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(page_ids.size()) + " >>");
  std::string info_dict = "<< /Title " + pdf_string_literal(info.title) + " /Producer " +
                          pdf_string_literal(info.producer);
  if (!info.subject.empty()) info_dict += " /Subject " + pdf_string_literal(subject_line(info));
  if (!info.created.empty()) {
    info_dict += " /Creator " + pdf_string_literal(info.producer) + " /CreationDate (" + pdf_date(info.created) +
                 ") /ModDate (" + pdf_date(info.created) + ")";
  }
  b.object(info_id, info_dict + " >>");
  b.object(type0, "<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H /DescendantFonts [" +
                      std::to_string(cidfont) + " 0 R] /ToUnicode " + std::to_string(tounicode) + " 0 R >>");
  b.object(cidfont, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont /CIDSystemInfo << /Registry "
                    "(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor " +
                        std::to_string(descriptor) + " 0 R /DW 500 /CIDToGIDMap " + std::to_string(cidmap) +
                        " 0 R >>");
  b.object(descriptor, "<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 500 1000] "
                       "/ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 /FontFile2 " +
                           std::to_string(fontfile) + " 0 R >>");
  b.stream(fontfile, "/Length1 " + std::to_string(font_bytes.size()) + " /Filter /FlateDecode", deflate(font_bytes));
  // Every code maps to glyph 1, the font's one invisible glyph.
  std::string map(2 * 65536, '\0');
  for (size_t i = 1; i < map.size(); i += 2) map[i] = 1;
  b.stream(cidmap, "/Filter /FlateDecode", deflate(map));
  const std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) "
      "/Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n1 beginbfrange\n<0000> <FFFF> <0000>\n"
      "endbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  b.stream(tounicode, "", cmap);
  return b.finish(catalog, info_id);
}

std::string retitle_pdf(const std::string& pdf, const PdfInfo& info) {
  QPDF q;
  q.setSuppressWarnings(true);
  q.processMemoryFile("document.pdf", pdf.data(), pdf.size());
  QPDFObjectHandle dict = q.getTrailer().getKey("/Info");
  if (dict.isDictionary()) {
    dict.replaceKey("/Title", QPDFObjectHandle::newUnicodeString(info.title));
    if (!info.subject.empty()) dict.replaceKey("/Subject", QPDFObjectHandle::newUnicodeString(subject_line(info)));
    else dict.removeKey("/Subject");
  }
  // The XMP packet made the way write_pdf makes it, so Info and XMP still agree (PDF/A).
  QPDFObjectHandle meta = q.getRoot().getKey("/Metadata");
  if (meta.isStream()) meta.replaceStreamData(xmp_packet(info), QPDFObjectHandle::newNull(), QPDFObjectHandle::newNull());
  return qpdf_bytes(q);
}

std::string qpdf_bytes(QPDF& q) {
  QPDFWriter w(q);
  w.setOutputMemory();
  w.setDeterministicID(true);
  w.write();
  auto buf = w.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
}

}  // namespace sohoa::output
