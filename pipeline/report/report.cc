#include "report/report.h"

#include <leptonica/allheaders.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <cmath>
#include <fstream>
#include <map>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "catalog/flags.h"
#include "core/fsutil.h"
#include "output/archive_terms.h"
#include "output/xml.h"
#include "package/zip.h"

namespace sohoa::report {
namespace stdfs = std::filesystem;
using json = nlohmann::json;
using output::xml_escape;

namespace {

std::string slurp(const stdfs::path& p) { return fs::read_text_or_empty(p); }

std::string base64(const unsigned char* d, size_t n) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < n; i += 3) {
    const unsigned v = (d[i] << 16) | (i + 1 < n ? d[i + 1] << 8 : 0) | (i + 2 < n ? d[i + 2] : 0);
    out += t[(v >> 18) & 63];
    out += t[(v >> 12) & 63];
    out += i + 1 < n ? t[(v >> 6) & 63] : '=';
    out += i + 2 < n ? t[v & 63] : '=';
  }
  return out;
}

constexpr int kThumbWidth = 160;

std::string jpeg_data_url(PIX* pix) {
  l_uint8* jpeg = nullptr;
  size_t size = 0;
  std::string out;
  if (pixWriteMemJpeg(&jpeg, &size, pix, 70, 0) == 0) {
    out = "data:image/jpeg;base64," + base64(jpeg, size);
    lept_free(jpeg);
  }
  return out;
}

/// The thumbnail of a page that is one JPEG filling the page, as sohoa writes them: libjpeg
/// decodes it at 1/2 to 1/8 scale, a fraction of what rendering the whole page costs (about
/// 40 ms a page, most of the report's time). Null for any other page.
PIX* jpeg_page_thumbnail(QPDFPageObjectHelper& page) {
  if (page.getAttribute("/Rotate", false).isInteger() && page.getAttribute("/Rotate", false).getIntValue() % 360 != 0)
    return nullptr;
  std::map<std::string, QPDFObjectHandle> images = page.getImages();
  if (images.size() != 1) return nullptr;
  QPDFObjectHandle dict = images.begin()->second.getDict();
  QPDFObjectHandle filter = dict.getKey("/Filter");
  if (!filter.isName() || filter.getName() != "/DCTDecode" || dict.hasKey("/Decode") || dict.hasKey("/SMask") ||
      dict.hasKey("/Mask"))
    return nullptr;
  const int w = dict.getKey("/Width").isInteger() ? dict.getKey("/Width").getIntValueAsInt() : 0;
  const int h = dict.getKey("/Height").isInteger() ? dict.getKey("/Height").getIntValueAsInt() : 0;
  const QPDFObjectHandle::Rectangle box = page.getMediaBox().getArrayAsRectangle();
  const double pw = box.urx - box.llx, ph = box.ury - box.lly;
  // The image must fill the page, or the page shows more than it (the renderer handles that).
  if (w <= 0 || h <= 0 || pw <= 0 || ph <= 0 || std::fabs(pw / ph - static_cast<double>(w) / h) > 0.03 * pw / ph)
    return nullptr;
  int reduction = 1;  // libjpeg scales by 1/2, 1/4 or 1/8 while decoding; keep at least twice the thumbnail
  while (reduction < 8 && w / (2 * reduction) >= 2 * kThumbWidth) reduction *= 2;
  std::shared_ptr<Buffer> raw = images.begin()->second.getRawStreamData();
  l_int32 warnings = 0;
  PIX* decoded = pixReadMemJpeg(raw->getBuffer(), raw->getSize(), 0, reduction, &warnings, 0);
  if (!decoded) return nullptr;
  const int tw = kThumbWidth, th = std::max(1, static_cast<int>(std::lround(kThumbWidth * ph / pw)));
  PIX* thumb = pixScaleToSize(decoded, tw, th);
  pixDestroy(&decoded);
  return thumb;
}

/// JPEG data URLs of the PDF's pages, about 160 pixels wide.
std::vector<std::string> render_thumbnails(const stdfs::path& pdf) {
  std::vector<std::string> out;
  if (!stdfs::exists(pdf)) return out;
  std::vector<QPDFPageObjectHelper> qpages;
  QPDF qpdf;
  try {
    qpdf.setSuppressWarnings(true);
    qpdf.processFile(pdf.c_str());
    qpages = QPDFPageDocumentHelper(qpdf).getAllPages();
  } catch (const std::exception&) {
    qpages.clear();  // let the renderer try
  }
  std::unique_ptr<poppler::document> doc;
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_rgb24);
  const int pages = !qpages.empty() ? static_cast<int>(qpages.size()) : -1;
  for (int i = 0; pages < 0 || i < pages; ++i) {
    PIX* pix = nullptr;
    if (pages > 0) {
      try {
        pix = jpeg_page_thumbnail(qpages[i]);
      } catch (const std::exception&) {
        pix = nullptr;
      }
    }
    if (!pix) {
      if (!doc) doc.reset(poppler::document::load_from_file(pdf.string()));
      if (!doc) break;
      if (pages < 0 && i >= doc->pages()) break;
      if (i >= doc->pages()) break;
      std::unique_ptr<poppler::page> page(doc->create_page(i));
      if (!page) continue;
      const double dpi = kThumbWidth / std::max(1.0, page->page_rect().width()) * 72.0;
      poppler::image img = renderer.render_page(page.get(), dpi, dpi);
      if (!img.is_valid()) continue;
      const int w = img.width(), h = img.height();
      pix = pixCreate(w, h, 32);
      const char* data = img.const_data();
      for (int y = 0; y < h; ++y) {
        const unsigned char* row = reinterpret_cast<const unsigned char*>(data + y * img.bytes_per_row());
        for (int x = 0; x < w; ++x) pixSetRGBPixel(pix, x, y, row[3 * x], row[3 * x + 1], row[3 * x + 2]);
      }
    }
    std::string url = jpeg_data_url(pix);
    pixDestroy(&pix);
    if (!url.empty()) out.push_back(std::move(url));
  }
  return out;
}

/// Thumbnails are most of the report's time (tens of ms a page), and a merge or a run again
/// writes the report of records it has seen before: they are kept in OUT/.sohoa-cache/thumbs/,
/// one file per PDF named by the SHA-256 of its bytes (the same bytes give the same thumbnails),
/// and looked up there and in the caches of the shards the records came from.
class ThumbCache {
 public:
  ThumbCache(const stdfs::path& out_root, const std::vector<stdfs::path>& more) : dir_(out_root / kCacheDir) {
    for (const auto& m : more) more_.push_back(m / kCacheDir);
  }
  std::vector<std::string> of(const stdfs::path& pdf) {
    std::error_code ec;
    if (!stdfs::exists(pdf, ec)) return {};
    const std::string name = package::sha256_of(slurp(pdf)) + ".txt";
    used_.insert(name);
    for (const stdfs::path* d : candidates()) {
      if (!stdfs::exists(*d / name, ec)) continue;
      std::vector<std::string> urls;
      std::istringstream in(slurp(*d / name));
      for (std::string line; std::getline(in, line);)
        if (!line.empty()) urls.push_back(line);
      if (d != &dir_) store(name, urls);
      return urls;
    }
    std::vector<std::string> urls = render_thumbnails(pdf);
    store(name, urls);
    return urls;
  }
  /// Thumbnails of PDFs this report no longer shows.
  void prune() {
    std::error_code ec;
    if (!stdfs::is_directory(dir_, ec)) return;
    for (const auto& e : stdfs::directory_iterator(dir_, ec))
      if (!used_.count(e.path().filename().string())) stdfs::remove(e.path(), ec);
  }

 private:
  static constexpr const char* kCacheDir = ".sohoa-cache/thumbs";
  std::vector<const stdfs::path*> candidates() const {
    std::vector<const stdfs::path*> c{&dir_};
    for (const auto& m : more_) c.push_back(&m);
    return c;
  }
  void store(const std::string& name, const std::vector<std::string>& urls) {
    std::string text;
    for (const auto& u : urls) text += u + "\n";
    try {
      std::error_code ec;
      stdfs::create_directories(dir_, ec);
      fs::write_atomic(dir_ / name, text);
    } catch (const std::exception&) {
      // Only a cache: the report is written all the same.
    }
  }
  stdfs::path dir_;
  std::vector<stdfs::path> more_;
  std::set<std::string> used_;
};

const char* kStyle = R"(
body{font-family:system-ui,sans-serif;margin:1em 2em;color:#222}
h1{font-size:1.4em} h2{border-bottom:2px solid #246;padding-bottom:.2em;margin-top:2em}
.record{border:1px solid #ccc;border-radius:6px;margin:1em 0;padding:.8em;display:grid;grid-template-columns:180px 1fr 1fr;gap:1em}
.record.review{border-color:#c60;background:#fff8f0}
.thumbs img{width:160px;border:1px solid #999;display:block;margin-bottom:.4em}
pre{white-space:pre-wrap;max-height:24em;overflow:auto;background:#f6f6f6;padding:.5em;font-size:.85em}
table{border-collapse:collapse;font-size:.9em} td{padding:.15em .5em;vertical-align:top} td:first-child{color:#555}
.flags li{color:#a40} .ok{color:#070} .hidden{display:none}
#bar{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ddd}
)";

const char* kScript = R"(
(function(){
  var box=document.getElementById('only-review');
  function apply(){
    var only=box.checked, shown=0;
    document.querySelectorAll('.record').forEach(function(r){
      var hide=only && r.getAttribute('data-review')!=='1';
      r.classList.toggle('hidden',hide); if(!hide) shown++;
    });
    document.querySelectorAll('section.dossier').forEach(function(s){
      s.classList.toggle('hidden', s.querySelectorAll('.record:not(.hidden)').length===0);
    });
    document.getElementById('shown').textContent=shown;
  }
  box.addEventListener('change',apply);
  apply();
})();
)";

std::string fmt2(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

}  // namespace

void write_report(const stdfs::path& out_root, const std::vector<package::Dossier>& dossiers_in,
                  const std::vector<stdfs::path>& other_outs) {
  ThumbCache thumbs(out_root, other_outs);
  const json batch = json::parse(slurp(out_root / "batch.json"), nullptr, false);
  // Records outside any dossier get a section of their own.
  std::vector<package::Dossier> dossiers = dossiers_in;
  std::set<std::string> placed;
  for (const auto& d : dossiers)
    for (const auto& m : d.members) placed.insert(m.record_id);
  package::Dossier loose{"", {}};
  if (batch.is_object())
    for (const auto& item : batch.value("items", json::array()))
      for (const auto& r : item.value("records", json::array()))
        if (!placed.count(r.get<std::string>())) loose.members.push_back({r.get<std::string>(), 0, ""});
  if (!loose.members.empty()) dossiers.push_back(loose);

  // Identical content in two places: each copy names the other (record.json duplicate_of).
  std::map<std::string, std::string> name_of;                 // record id -> archive name, else the id
  std::map<std::string, std::string> duplicate_of;            // record id -> the first copy's id
  std::map<std::string, std::vector<std::string>> copies_of;  // first copy's id -> later copies' ids
  for (const auto& d : dossiers)
    for (const auto& m : d.members) {
      name_of[m.record_id] = m.name.empty() ? m.record_id : m.name;
      const json rec = json::parse(slurp(out_root / "records" / m.record_id / "record.json"), nullptr, false);
      if (rec.is_object() && rec.contains("duplicate_of") && rec["duplicate_of"].is_string()) {
        duplicate_of[m.record_id] = rec["duplicate_of"].get<std::string>();
        copies_of[duplicate_of[m.record_id]].push_back(m.record_id);
      }
    }
  auto link = [&](const std::string& id) {
    auto it = name_of.find(id);
    return "<a href=\"#" + xml_escape(id) + "\">" + xml_escape(it == name_of.end() ? id : it->second) + "</a>";
  };

  int total = 0, review = 0;
  std::string body;
  for (const auto& d : dossiers) {
    body += "<section class=\"dossier\"><h2>" + (d.code.empty() ? std::string("Ngoài hồ sơ (no dossier)") : "Hồ sơ " + xml_escape(d.code)) +
            " <small>(" + std::to_string(d.members.size()) + " văn bản" +
            (d.code.empty() ? "" : ", packages/" + xml_escape(d.code) + ".zip") + ")</small></h2>\n";
    for (const auto& m : d.members) {
      const stdfs::path dir = out_root / "records" / m.record_id;
      const json rec = json::parse(slurp(dir / "record.json"), nullptr, false);
      if (!rec.is_object()) continue;
      const auto flags = catalog::review_flags(rec);
      ++total;
      review += flags.empty() ? 0 : 1;
      const std::string type = rec.value("doc_type", "");
      const auto& cls = rec.value("classification", json::object());
      const auto dup = duplicate_of.find(m.record_id);
      body += "<article class=\"record" + std::string(flags.empty() ? "" : " review") + "\" id=\"" + m.record_id +
              "\" data-review=\"" + (flags.empty() ? "0" : "1") + "\"" +
              (dup == duplicate_of.end() ? "" : " data-duplicate-of=\"" + xml_escape(dup->second) + "\"") +
              ">\n<div class=\"thumbs\">";
      for (const auto& t : thumbs.of(dir / "document.pdf")) body += "<img alt=\"page\" src=\"" + t + "\">";
      body += "</div>\n<div><h3>" + xml_escape(m.name.empty() ? m.record_id : m.name) + " — " +
              xml_escape(output::doc_type_name(type)) + "</h3><table>";
      auto row = [&](const std::string& k, const std::string& v) { body += "<tr><td>" + k + "</td><td>" + xml_escape(v) + "</td></tr>"; };
      row("record", m.record_id);
      if (dup != duplicate_of.end())
        body += "<tr class=\"duplicate\"><td>duplicate of</td><td>" + link(dup->second) +
                " (the same file, read first there; kept as a record of its own)</td></tr>";
      if (auto c = copies_of.find(m.record_id); c != copies_of.end()) {
        std::string links;
        for (const auto& id : c->second) links += (links.empty() ? "" : ", ") + link(id);
        body += "<tr class=\"duplicate\"><td>copies</td><td>" + links + " (the same file, elsewhere in the batch)</td></tr>";
      }
      const auto& src = rec.value("source", json::object());
      row("source", src.value("path", "") + (src.contains("member") && src["member"].is_string() ? "!" + src["member"].get<std::string>() : "") +
                        (src.contains("pages") ? " pages " + src["pages"][0].dump() + "-" + src["pages"][1].dump() : ""));
      row("class / type", rec.value("class", "") + " / " + type);
      row("confidence", fmt2(cls.value("confidence", 0.0)) + " (" + cls.value("method", "") + ")");
      const json md = rec.value("metadata", json::object());
      for (const auto& [k, v] : md.items())
        row(k, v.is_string() ? v.get<std::string>() : v.is_null() ? "—" : v.dump(-1, ' ', false, json::error_handler_t::replace));
      // Digital signatures of the original: who, when, and whether they still hold.
      for (const auto& sg : rec.value("signatures", json::array())) {
        auto str = [&](const char* k) { return sg.contains(k) && sg[k].is_string() ? sg[k].get<std::string>() : std::string("?"); };
        const auto cert = sg.value("certificate", json::object());
        row("chữ ký số", str("signer") + " — " + str("type") + ", " + str("signing_time") + "; " +
                             (sg.value("bytes_intact", false) ? "nội dung nguyên vẹn" : "NỘI DUNG ĐÃ BỊ SỬA") +
                             (sg.value("covers_whole_file", false) ? ", toàn tệp" : ", một phần tệp") + "; chứng thư: " +
                             (cert.contains("state") && cert["state"].is_string() ? cert["state"].get<std::string>() : "?"));
      }
      body += "</table>";
      if (flags.empty()) body += "<p class=\"ok\">Nothing to review</p>";
      else {
        body += "<ul class=\"flags\">";
        for (const auto& f : flags) body += "<li><b>" + f.code + "</b>: " + xml_escape(f.detail) + "</li>";
        body += "</ul>";
      }
      body += "</div>\n<pre>" + xml_escape(slurp(dir / "text.txt")) + "</pre>\n</article>\n";
    }
    body += "</section>\n";
  }
  std::string html = "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>sohoa report</title><style>" +
                     std::string(kStyle) + "</style></head><body>\n<h1>sohoa — báo cáo số hóa</h1>\n<div id=\"bar\">" +
                     std::to_string(total) + " records, " + std::to_string(review) +
                     " need review. <label><input type=\"checkbox\" id=\"only-review\"> Only records that need review</label> — "
                     "showing <span id=\"shown\">" + std::to_string(total) + "</span></div>\n" + body + "<script>" + kScript +
                     "</script>\n</body></html>\n";
  fs::write_atomic(out_root / "report.html", html);
  thumbs.prune();
}

}  // namespace sohoa::report
