// PDF pages: real text layers are kept, single scanned images are taken out at their own
// resolution (rendering them is 100x slower), anything else is rendered for OCR.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <cctype>
#include <cmath>
#include <cstring>
#include <mutex>
#include <regex>
#include <set>
#include <string>

#include "core/error.h"
#include "core/text.h"
#include "ingest/page_source.h"

namespace sohoa::ingest {
namespace {

constexpr double kRenderDpi = 300;      // for OCR of pages that are not one image
constexpr double kTextPageDpi = 200;    // image of a page whose text we already have
constexpr size_t kMinTextLayerChars = 20;
// A text layer over a page-sized scan is the scan's own text (an OCR layer) when its word boxes
// hold at least this share of the scan's ink; else it is an addition (a header, a stamp) and the
// scan is read as well.
constexpr double kLayerInkShare = 0.5;
// ... and only when the layer is short, as such additions are: a page with a body of real text
// (a Word export over a letterhead image) is the document's own text whatever the image holds.
constexpr size_t kMaxAddedLayerChars = 300;

void silence_poppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

std::string utf8(const poppler::ustring& s) {
  poppler::byte_array bytes = s.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

Image poppler_to_pix(const poppler::image& img) {
  const int w = img.width(), h = img.height();
  PIX* pix = pixCreate(w, h, 32);
  const char* data = img.const_data();
  const int stride = img.bytes_per_row();
  l_uint32* out = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < h; ++y) {
    const auto* row = reinterpret_cast<const uint8_t*>(data + y * stride);
    l_uint32* line = out + y * wpl;
    for (int x = 0; x < w; ++x) {
      // argb32 is stored as native-endian 0xAARRGGBB, i.e. B,G,R,A bytes on little-endian.
      const uint8_t* p = row + 4 * x;
      composeRGBPixel(p[2], p[1], p[0], &line[x]);
    }
  }
  return Image(pix);
}

/// Wraps raw CCITT data in a one-strip TIFF so Leptonica (libtiff) can decode it.
/// With /BlackIs1 true the PDF shows the code's black runs as white, so the TIFF says MinIsBlack.
std::vector<uint8_t> ccitt_as_tiff(const std::string& data, int width, int height, int k, bool black_is_1) {
  std::vector<uint8_t> t;
  auto u16 = [&](uint16_t v) { t.push_back(v & 0xFF); t.push_back(v >> 8); };
  auto u32 = [&](uint32_t v) { for (int i = 0; i < 4; ++i) t.push_back((v >> (8 * i)) & 0xFF); };
  const uint16_t compression = k < 0 ? 4 : 3;
  struct Entry { uint16_t tag, type; uint32_t value; };
  std::vector<Entry> entries = {
      {256, 4, static_cast<uint32_t>(width)}, {257, 4, static_cast<uint32_t>(height)},
      {258, 3, 1}, {259, 3, compression}, {262, 3, black_is_1 ? 1u : 0u}, {273, 4, 0 /* patched */},
      {277, 3, 1}, {278, 4, static_cast<uint32_t>(height)},
      {279, 4, static_cast<uint32_t>(data.size())},
      {static_cast<uint16_t>(compression == 4 ? 293 : 292), 4, static_cast<uint32_t>(k > 0 ? 1 : 0)},
  };
  const uint32_t ifd_size = 2 + 12 * entries.size() + 4;
  const uint32_t data_offset = 8 + ifd_size;
  t.insert(t.end(), {'I', 'I', 42, 0});
  u32(8);
  u16(static_cast<uint16_t>(entries.size()));
  for (const Entry& e : entries) {
    u16(e.tag);
    u16(e.type);
    u32(1);
    uint32_t v = e.tag == 273 ? data_offset : e.value;
    if (e.type == 3) { u16(static_cast<uint16_t>(v)); u16(0); } else { u32(v); }
  }
  u32(0);
  t.insert(t.end(), data.begin(), data.end());
  return t;
}

/// ASCII85 (PDF's ASCII85Decode) to bytes; stops at "~>".
std::string ascii85_decode(const std::string& in) {
  std::string out;
  uint32_t group = 0;
  int n = 0;
  for (char c : in) {
    if (c == '~') break;
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (c == 'z' && n == 0) {
      out.append(4, '\0');
      continue;
    }
    if (c < '!' || c > 'u') throw std::runtime_error("not ASCII85");
    group = group * 85 + static_cast<uint32_t>(c - '!');
    if (++n == 5) {
      for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((group >> (8 * i)) & 0xFF));
      group = 0, n = 0;
    }
  }
  if (n > 1) {
    for (int i = n; i < 5; ++i) group = group * 85 + 84;
    for (int i = 0; i < n - 1; ++i) out.push_back(static_cast<char>((group >> (8 * (3 - i))) & 0xFF));
  }
  return out;
}

class PdfSource : public PageSource {
 public:
  PdfSource(Bytes bytes, const Limits& limits) : bytes_(std::move(bytes)), limits_(limits) {
    silence_poppler();
    if (bytes_->size() > static_cast<size_t>(INT32_MAX))
      throw Error(ErrorCode::resource_limit, "the PDF is larger than 2 GiB");
    doc_.reset(poppler::document::load_from_raw_data(reinterpret_cast<const char*>(bytes_->data()),
                                                     static_cast<int>(bytes_->size())));
    if (!doc_) {
      // Poppler gives no reason; an encrypted file it cannot open at all still says so to qpdf.
      if (is_encrypted_per_qpdf())
        throw Error(ErrorCode::encrypted, "the PDF is password-protected; ask for an unprotected copy");
      throw Error(ErrorCode::damaged, "the PDF is damaged and cannot be opened");
    }
    if (doc_->is_locked())
      throw Error(ErrorCode::encrypted, "the PDF is password-protected; ask for an unprotected copy");
    pages_ = doc_->pages();
    if (pages_ <= 0) throw Error(ErrorCode::damaged, "the PDF has no pages");
    if (pages_ > limits_.max_pages)
      throw Error(ErrorCode::resource_limit, "the PDF has " + std::to_string(pages_) +
                                                 " pages, more than the limit of " +
                                                 std::to_string(limits_.max_pages) +
                                                 "; split it or raise --max-pages");
  }

  int page_count() const override { return pages_; }

  RawPage load(int index) override {
    std::unique_ptr<poppler::page> page(doc_->create_page(index));
    if (!page) throw Error(ErrorCode::damaged, "page " + std::to_string(index + 1) + " of the PDF cannot be read");
    // Which text a page has is decided by region: signature appearances are evidence, the
    // rest of the text layer is the page's text unless a scan under it carries more.
    std::vector<poppler::text_box> boxes = page->text_list(poppler::page::text_list_include_font);
    std::vector<std::string> signature_text;
    std::vector<poppler::text_box> content;
    split_signature_appearances(index, *page, boxes, content, signature_text);
    size_t chars = 0;
    for (const auto& b : content) chars += b.text().size();
    RawPage out;
    // A long text layer is the page's text: no image is decoded for it (the fast path of exports).
    std::optional<RawPage> scan =
        chars < kMaxAddedLayerChars ? extract_single_image(index, *page) : std::optional<RawPage>{};
    const bool scan_under_layer =
        scan && chars < kMaxAddedLayerChars && !layer_holds_scan_ink(*scan, *page, content);
    if (chars >= kMinTextLayerChars && !scan_under_layer) {
      out = text_page(*page, content);
    } else if (scan) {
      out = std::move(*scan);
      out.partial_layer = layer_words(*page, content, out.dpi / 72.0).words;
    } else {
      out = render(*page, kRenderDpi);
      out.partial_layer = layer_words(*page, content, kRenderDpi / 72.0).words;
    }
    out.signature_text = std::move(signature_text);
    return out;
  }

 private:
  bool is_encrypted_per_qpdf() const {
    try {
      QPDF q;
      q.setSuppressWarnings(true);
      q.processMemoryFile("input.pdf", reinterpret_cast<const char*>(bytes_->data()), bytes_->size());
      return q.isEncrypted();
    } catch (const QPDFExc& e) {
      return e.getErrorCode() == qpdf_e_password;
    } catch (...) {
      return false;
    }
  }

  RawPage render(const poppler::page& page, double dpi) {
    poppler::rectf rect = page.page_rect(poppler::media_box);
    const double px = rect.width() / 72.0 * dpi * (rect.height() / 72.0 * dpi);
    if (px > static_cast<double>(limits_.max_pixels))
      throw Error(ErrorCode::resource_limit, "a PDF page is too large to render");
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_argb32);
    poppler::image img = renderer.render_page(&page, dpi, dpi);
    if (!img.is_valid()) throw Error(ErrorCode::damaged, "a PDF page cannot be rendered");
    RawPage out;
    out.image = poppler_to_pix(img);
    out.dpi = dpi;
    return out;
  }

  /// What a signing tool writes in a signature's appearance: who signed ("Ký bởi", "Người ký",
  /// "Signed by"), an e-mail address, the time of signing (hh:mm).
  static bool looks_like_signature_stamp(const std::string& raw) {
    const std::string t = text::fold(raw);
    static const std::regex stamp(R"((ky boi|nguoi ky|thoi gian ky|signed by|signature valid|@|\b[0-2]?[0-9]:[0-5][0-9]\b))");
    return std::regex_search(t, stamp);
  }

  /// A signature widget: where it is drawn (top-left origin, points) and the fonts its
  /// appearance uses, which tell its words from the page's own words printed under it.
  struct SignatureWidget {
    poppler::rectf rect;
    std::set<std::string> fonts;
  };

  static void appearance_fonts(QPDFObjectHandle xobject, std::set<std::string>& fonts, int depth) {
    if (depth > 8 || !xobject.isStream()) return;
    QPDFObjectHandle res = xobject.getDict().getKey("/Resources");
    if (!res.isDictionary()) return;
    QPDFObjectHandle f = res.getKey("/Font");
    if (f.isDictionary())
      for (auto& [name, font] : f.ditems())
        if (font.isDictionary() && font.getKey("/BaseFont").isName()) fonts.insert(font.getKey("/BaseFont").getName().substr(1));
    QPDFObjectHandle x = res.getKey("/XObject");
    if (x.isDictionary())
      for (auto& [name, sub] : x.ditems()) appearance_fonts(sub, fonts, depth + 1);
  }

  std::vector<SignatureWidget> signature_widgets(int index, const poppler::page& ppage) {
    std::vector<SignatureWidget> widgets;
    try {
      qpdf();
      if (index >= static_cast<int>(qpdf_pages_.size())) return widgets;
      if (!acro_) acro_ = std::make_unique<QPDFAcroFormDocumentHelper>(*qpdf_);
      if (!acro_->hasAcroForm()) return widgets;
      const poppler::rectf media = ppage.page_rect(poppler::media_box);
      for (auto& w : acro_->getWidgetAnnotationsForPage(qpdf_pages_[index])) {
        if (acro_->getFieldForAnnotation(w).getFieldType() != "/Sig") continue;
        QPDFObjectHandle::Rectangle r = w.getRect();
        // PDF space (origin bottom-left of the media box) to Poppler's text space (top-left).
        const double x0 = std::min(r.llx, r.urx) - media.left(), x1 = std::max(r.llx, r.urx) - media.left();
        const double top = media.height() - (std::max(r.lly, r.ury) - media.top());
        const double bottom = media.height() - (std::min(r.lly, r.ury) - media.top());
        SignatureWidget sw{poppler::rectf(x0, top, x1 - x0, bottom - top), {}};
        appearance_fonts(w.getAppearanceStream("/N"), sw.fonts, 0);
        widgets.push_back(std::move(sw));
      }
    } catch (const std::exception&) {
      widgets.clear();  // a damaged form: treat all text as the page's own
    }
    return widgets;
  }

  /// Words of a signature's appearance go to `signature_text` (one line per row): inside a
  /// signature widget, and drawn in a font of its appearance when the word tells its font (a
  /// signature stamped over the number line must not take the number with it).
  void split_signature_appearances(int index, const poppler::page& page, std::vector<poppler::text_box>& boxes,
                                   std::vector<poppler::text_box>& content, std::vector<std::string>& signature_text) {
    static const std::string kSig = "/Sig";
    const bool may_have = std::search(bytes_->begin(), bytes_->end(), kSig.begin(), kSig.end()) != bytes_->end();
    const std::vector<SignatureWidget> widgets =
        may_have && !boxes.empty() ? signature_widgets(index, page) : std::vector<SignatureWidget>{};
    // Per widget: a signing tool stamps both the signature's appearance ("Ký bởi: …", an
    // e-mail, a time) and, for the issuing office's signature, the number and day into the
    // printed slots ("Số: 11/TB-UBND", "ngày 08 tháng"). Only the former is evidence.
    std::vector<std::vector<size_t>> in_widget(widgets.size());
    std::vector<bool> taken(boxes.size(), false);
    for (size_t i = 0; i < boxes.size(); ++i) {
      const poppler::text_box& b = boxes[i];
      const poppler::rectf r = b.bbox();
      const double cx = r.left() + r.width() / 2, cy = r.top() + r.height() / 2;
      for (size_t k = 0; k < widgets.size(); ++k) {
        const SignatureWidget& s = widgets[k];
        const bool in_rect = cx >= s.rect.left() && cx <= s.rect.right() && cy >= s.rect.top() && cy <= s.rect.bottom();
        if (!in_rect) continue;
        if (!s.fonts.empty() && b.has_font_info() && !s.fonts.count(b.get_font_name())) continue;
        in_widget[k].push_back(i);
        taken[i] = true;
        break;
      }
    }
    std::vector<bool> is_appearance(boxes.size(), false);
    for (const auto& idx : in_widget) {
      std::string joined;
      for (size_t i : idx) joined += utf8(boxes[i].text()) + " ";
      if (looks_like_signature_stamp(joined))
        for (size_t i : idx) is_appearance[i] = true;
    }
    std::vector<poppler::text_box> appearance;
    for (size_t i = 0; i < boxes.size(); ++i) (is_appearance[i] ? appearance : content).push_back(std::move(boxes[i]));
    if (!appearance.empty()) {
      OcrResult lines = layer_words(page, appearance, 1.0);
      std::string line;
      for (const auto& w : lines.words) {
        if (!line.empty() && w.line != lines.words[&w - lines.words.data() - 1].line) {
          signature_text.push_back(line);
          line.clear();
        }
        line += (line.empty() ? "" : " ") + w.text;
      }
      if (!line.empty()) signature_text.push_back(line);
    }
  }

  /// Text-layer words in pixels at `scale` pixels per point, grouped into lines.
  static OcrResult layer_words(const poppler::page& page, const std::vector<poppler::text_box>& boxes, double scale) {
    (void)page;
    OcrResult ocr;
    double last_bottom = -1, last_top = -1;
    std::string text;
    for (const auto& b : boxes) {
      poppler::rectf r = b.bbox();
      OcrWord w;
      w.text = text::nfc(utf8(b.text()));
      w.box = {static_cast<int>(r.left() * scale), static_cast<int>(r.top() * scale),
               static_cast<int>(std::ceil(r.width() * scale)), static_cast<int>(std::ceil(r.height() * scale))};
      w.confidence = 100;
      // A new line starts when the box no longer overlaps the previous line vertically.
      const double mid = r.top() + r.height() / 2;
      if (ocr.lines.empty() || mid > last_bottom || mid < last_top) {
        if (!ocr.lines.empty()) text += '\n';
        OcrLine line;
        line.box = w.box;
        line.baseline = w.box.y + w.box.h;
        ocr.lines.push_back(line);
        last_top = r.top();
        last_bottom = r.bottom();
      } else {
        text += ' ';
        Box& lb = ocr.lines.back().box;
        const int right = std::max(lb.x + lb.w, w.box.x + w.box.w);
        const int bottom = std::max(lb.y + lb.h, w.box.y + w.box.h);
        lb.x = std::min(lb.x, w.box.x);
        lb.y = std::min(lb.y, w.box.y);
        lb.w = right - lb.x;
        lb.h = bottom - lb.y;
        ocr.lines.back().baseline = lb.y + lb.h;
      }
      text += w.text;
      w.line = static_cast<int>(ocr.lines.size()) - 1;
      ocr.words.push_back(std::move(w));
    }
    ocr.text = text;
    ocr.mean_confidence = 100;
    return ocr;
  }

  RawPage text_page(const poppler::page& page, const std::vector<poppler::text_box>& boxes) {
    RawPage out = render(page, kTextPageDpi);
    out.text_layer = layer_words(page, boxes, kTextPageDpi / 72.0);
    return out;
  }

  /// Whether the text layer's word boxes hold most of the scan's ink: then it is the scan's own
  /// text (a searchable scan), and reading the scan again adds nothing.
  static bool layer_holds_scan_ink(const RawPage& scan, const poppler::page& page,
                                   const std::vector<poppler::text_box>& boxes) {
    Image bin(pixConvertTo1(scan.image.get(), 128));
    if (!bin) return true;
    l_int32 total = 0;
    pixCountPixels(bin.get(), &total, nullptr);
    if (total == 0) return true;
    const int w = pixGetWidth(bin.get()), h = pixGetHeight(bin.get());
    const poppler::rectf media = page.page_rect(poppler::media_box);
    // Rotated pages: the image is already upright, the boxes too; scale by the longer sides.
    const double scale = std::max(w, h) / std::max(media.width(), media.height());
    Image mask(pixCreate(w, h, 1));
    for (const auto& b : boxes) {
      const poppler::rectf r = b.bbox();
      const int pad = static_cast<int>(r.height() * scale * 0.2);
      pixRasterop(mask.get(), static_cast<int>(r.left() * scale) - pad, static_cast<int>(r.top() * scale) - pad,
                  static_cast<int>(r.width() * scale) + 2 * pad, static_cast<int>(r.height() * scale) + 2 * pad,
                  PIX_SET, nullptr, 0, 0);
    }
    pixAnd(mask.get(), mask.get(), bin.get());
    l_int32 inside = 0;
    pixCountPixels(mask.get(), &inside, nullptr);
    return inside >= kLayerInkShare * total;
  }

  QPDF& qpdf() {
    if (!qpdf_) {
      qpdf_ = std::make_unique<QPDF>();
      qpdf_->setSuppressWarnings(true);
      qpdf_->processMemoryFile("input.pdf", reinterpret_cast<const char*>(bytes_->data()), bytes_->size());
      qpdf_pages_ = QPDFPageDocumentHelper(*qpdf_).getAllPages();
    }
    return *qpdf_;
  }

  /// The page's only image, decoded at its own resolution, when the page is nothing else.
  std::optional<RawPage> extract_single_image(int index, const poppler::page& ppage) {
    try {
      qpdf();
      if (index >= static_cast<int>(qpdf_pages_.size())) return std::nullopt;
      QPDFPageObjectHelper& page = qpdf_pages_[index];
      std::map<std::string, QPDFObjectHandle> images = page.getImages();
      if (images.size() != 1) return std::nullopt;
      QPDFObjectHandle img = images.begin()->second;
      QPDFObjectHandle dict = img.getDict();
      if (dict.hasKey("/SMask") || dict.hasKey("/Mask") ||
          (dict.hasKey("/ImageMask") && dict.getKey("/ImageMask").isBool() && dict.getKey("/ImageMask").getBoolValue()))
        return std::nullopt;
      const int w = dict.getKey("/Width").isInteger() ? dict.getKey("/Width").getIntValueAsInt() : 0;
      const int h = dict.getKey("/Height").isInteger() ? dict.getKey("/Height").getIntValueAsInt() : 0;
      if (w <= 0 || h <= 0) return std::nullopt;
      if (static_cast<uint64_t>(w) * h > limits_.max_pixels)
        throw Error(ErrorCode::resource_limit, "a PDF page image claims " + std::to_string(w) + "x" +
                                                   std::to_string(h) + " pixels, over the limit");
      // The image must fill the page, or the page holds more than the scan (a form, text, a logo).
      poppler::rectf media = ppage.page_rect(poppler::media_box);
      int rotate = 0;
      switch (ppage.orientation()) {
        case poppler::page::landscape: rotate = 90; break;
        case poppler::page::upside_down: rotate = 180; break;
        case poppler::page::seascape: rotate = 270; break;
        default: break;
      }
      const double page_aspect = media.width() / media.height();  // unrotated media box
      const double img_aspect = static_cast<double>(w) / h;
      if (std::fabs(page_aspect - img_aspect) / page_aspect > 0.03) return std::nullopt;

      std::string filter;
      bool ascii85 = false;  // the image's own code wrapped in ASCII85 (ReportLab, PostScript tools)
      QPDFObjectHandle f = dict.getKey("/Filter");
      if (f.isName()) filter = f.getName();
      else if (f.isArray() && f.getArrayNItems() == 1 && f.getArrayItem(0).isName()) filter = f.getArrayItem(0).getName();
      else if (f.isArray() && f.getArrayNItems() == 2 && f.getArrayItem(0).isName() && f.getArrayItem(1).isName() &&
               f.getArrayItem(0).getName() == "/ASCII85Decode") {
        filter = f.getArrayItem(1).getName();
        ascii85 = true;
      } else if (!f.isNull()) return std::nullopt;
      auto raw_data = [&]() -> std::string {
        std::shared_ptr<Buffer> raw = img.getRawStreamData();
        std::string data(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize());
        return ascii85 ? ascii85_decode(data) : data;
      };
      if (dict.hasKey("/Decode")) return std::nullopt;  // inverted or remapped samples: let the renderer handle it

      PIX* pix = nullptr;
      if (filter == "/DCTDecode") {
        const std::string raw = raw_data();
        pix = pixReadMem(reinterpret_cast<const l_uint8*>(raw.data()), raw.size());
      } else if (filter == "/CCITTFaxDecode") {
        QPDFObjectHandle parms = dict.getKey("/DecodeParms");
        if (parms.isArray() && parms.getArrayNItems() == 1) parms = parms.getArrayItem(0);
        int k = 0;
        bool black_is_1 = false;
        if (parms.isDictionary() && parms.getKey("/K").isInteger()) k = parms.getKey("/K").getIntValueAsInt();
        if (parms.isDictionary() && parms.getKey("/BlackIs1").isBool()) black_is_1 = parms.getKey("/BlackIs1").getBoolValue();
        const std::string data = raw_data();
        std::vector<uint8_t> tiff = ccitt_as_tiff(data, w, h, k, black_is_1);
        pix = pixReadMemTiff(tiff.data(), tiff.size(), 0);
      } else if (filter == "/FlateDecode" || filter.empty()) {
        pix = decode_flate(img, dict, w, h);
      }
      if (!pix) return std::nullopt;
      RawPage out;
      out.image = Image(pix);
      if (rotate) out.image = rotate_orth(out.image, rotate);
      out.dpi = std::round(w / (media.width() / 72.0));
      if (out.dpi < 50 || out.dpi > 4800) return std::nullopt;
      return out;
    } catch (const Error&) {
      throw;
    } catch (const std::exception&) {
      return std::nullopt;  // anything odd: fall back to rendering, which is slower but general
    }
  }

  static PIX* decode_flate(QPDFObjectHandle& img, QPDFObjectHandle& dict, int w, int h) {
    const int bpc = dict.getKey("/BitsPerComponent").isInteger() ? dict.getKey("/BitsPerComponent").getIntValueAsInt() : 0;
    int comps = 0;
    QPDFObjectHandle cs = dict.getKey("/ColorSpace");
    if (cs.isName()) {
      if (cs.getName() == "/DeviceGray") comps = 1;
      else if (cs.getName() == "/DeviceRGB") comps = 3;
    } else if (cs.isArray() && cs.getArrayNItems() == 2 && cs.getArrayItem(0).isName() &&
               cs.getArrayItem(0).getName() == "/ICCBased") {
      QPDFObjectHandle n = cs.getArrayItem(1).getDict().getKey("/N");
      if (n.isInteger() && (n.getIntValue() == 1 || n.getIntValue() == 3)) comps = n.getIntValueAsInt();
    }
    if (comps == 0 || !(bpc == 8 || (bpc == 1 && comps == 1))) return nullptr;
    std::shared_ptr<Buffer> data = img.getStreamData(qpdf_dl_generalized);
    const size_t row_bytes = bpc == 1 ? (w + 7) / 8 : static_cast<size_t>(w) * comps;
    if (data->getSize() < row_bytes * h) return nullptr;
    const unsigned char* src = data->getBuffer();
    PIX* pix = pixCreate(w, h, bpc == 1 ? 1 : (comps == 1 ? 8 : 32));
    l_uint32* out = pixGetData(pix);
    const int wpl = pixGetWpl(pix);
    for (int y = 0; y < h; ++y) {
      const unsigned char* row = src + y * row_bytes;
      l_uint32* line = out + y * wpl;
      for (int x = 0; x < w; ++x) {
        if (bpc == 1) {
          // PDF DeviceGray 1-bit: 0 is black; Leptonica 1-bpp: 1 is black.
          if (!((row[x >> 3] >> (7 - (x & 7))) & 1)) SET_DATA_BIT(line, x);
        } else if (comps == 1) {
          SET_DATA_BYTE(line, x, row[x]);
        } else {
          composeRGBPixel(row[3 * x], row[3 * x + 1], row[3 * x + 2], &line[x]);
        }
      }
    }
    return pix;
  }

  Bytes bytes_;
  Limits limits_;
  std::unique_ptr<poppler::document> doc_;
  std::unique_ptr<QPDF> qpdf_;
  std::unique_ptr<QPDFAcroFormDocumentHelper> acro_;
  std::vector<QPDFPageObjectHelper> qpdf_pages_;
  int pages_ = 0;
};

}  // namespace

std::unique_ptr<PageSource> open_pdf(Bytes bytes, const Limits& limits) {
  return std::make_unique<PdfSource>(std::move(bytes), limits);
}

}  // namespace sohoa::ingest
