#include "output/record_writer.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/fsutil.h"
#include "output/alto_writer.h"
#include "output/archive_terms.h"
#include "catalog/flags.h"
#include "output/pdf_writer.h"

namespace sohoa::output {

namespace stdfs = std::filesystem;
using json = nlohmann::ordered_json;

std::string record_id(const SourceRef& source, int first_page, int last_page) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "-p%03d-%03d", first_page, last_page);
  return source.sha256.substr(0, 16) + buf;
}

static double round2(double v) { return std::round(v * 100.0) / 100.0; }

json record_json(const Record& r, const std::vector<Page>& pages) {
  const Document& d = r.document;
  json j;
  j["id"] = r.id;
  j["source"] = {{"path", d.source.path},
                 {"member", d.source.member ? json(*d.source.member) : json(nullptr)},
                 {"pages", {d.first_page, d.last_page}},
                 {"sha256", d.source.sha256}};
  j["class"] = r.classification.cls;
  j["doc_type"] = r.classification.doc_type;
  j["archive"] = r.classification.cls == "reusable";
  j["review"] = r.classification.review;
  j["classification"] = {{"confidence", round2(r.classification.confidence)},
                         {"method", r.classification.method},
                         {"evidence", r.classification.evidence},
                         {"review", r.classification.review},
                         {"reason", r.classification.review_reason.empty() ? json(nullptr)
                                                                            : json(r.classification.review_reason)}};
  json meta = json::object(), evidence = json::object();
  for (const std::string& key : metadata_keys()) {
    auto it = r.metadata.find(key);
    if (it == r.metadata.end()) {
      meta[key] = nullptr;
      continue;
    }
    meta[key] = it->second.value;
    evidence[key] = {{"source", it->second.source}, {"page", it->second.page}};
  }
  j["metadata"] = meta;
  j["metadata_evidence"] = evidence;
  json page_list = json::array();
  for (int idx : d.pages) {
    const PageInfo& p = pages[idx].info;
    json regions = json::array();
    for (const Region& r : pages[idx].regions) {
      json lines = json::array();
      for (const RegionLine& l : r.lines) {
        std::string line;
        for (const auto& cell : l.cells)
          for (int id : cell)
            if (const std::string& t = pages[idx].ocr.words[id].text; !t.empty()) line += (line.empty() ? "" : " ") + t;
        lines.push_back(line);
      }
      regions.push_back({{"order", r.order + 1},
                         {"role", role_name(r.role)},
                         {"box", {r.box.x, r.box.y, r.box.w, r.box.h}},
                         {"lines", lines}});
    }
    page_list.push_back({{"number", p.number},
                         {"rotation", p.rotation},
                         {"rotation_confidence", round2(p.rotation_confidence)},
                         {"rotation_method", p.rotation_method.empty() ? json(nullptr) : json(p.rotation_method)},
                         {"skew_deg", round2(p.skew_deg)},
                         {"sheet_rectified", p.sheet_rectified},
                         {"lines_straightened", p.lines_straightened},
                         {"dpi", std::round(p.dpi)},
                         {"dpi_assumed", p.dpi_assumed},
                         {"blank", p.blank},
                         {"error", p.error.empty() ? json(nullptr) : json(p.error)},
                         {"ocr_confidence", round2(p.ocr_confidence)},
                         {"text_source", p.text_source},
                         {"regions", regions}});
  }
  j["pages"] = page_list;
  j["split"] = {{"cue", d.split_cue}};
  int pdf_pages = 0;
  for (int idx : d.pages) pdf_pages += pages[idx].info.unusable() ? 0 : 1;
  j["pdf_pages"] = pdf_pages;
  j["files"] = {{"pdf", pdf_pages ? json("document.pdf") : json(nullptr)}, {"text", "text.txt"}, {"alto", "alto.xml"}};
  // What needs a human, in the record itself (the catalog and the report read the same list).
  json flags = json::array();
  for (const auto& f : catalog::review_flags(j)) flags.push_back({{"code", f.code}, {"detail", f.detail}});
  j["flags"] = flags;
  j["created"] = iso_utc(output_epoch());
  j["sohoa_version"] = SOHOA_VERSION;
  return j;
}

std::string document_text(const Document& doc, const std::vector<Page>& pages) {
  std::string text;
  for (size_t i = 0; i < doc.pages.size(); ++i) {
    if (i) text += '\f';
    const Page& p = pages[doc.pages[i]];
    if (!p.info.blank) text += p.ocr.text;
  }
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text;
}

static void remove_quietly(const stdfs::path& p) {
  std::error_code ec;
  stdfs::remove_all(p, ec);
}

stdfs::path write_record(const stdfs::path& out_root, const Record& r, const std::vector<Page>& pages) {
  const stdfs::path records = out_root / "records";
  const stdfs::path final_dir = records / r.id;
  const stdfs::path tmp_dir = records / (".tmp-" + r.id + "-" + std::to_string(::getpid()));
  remove_quietly(tmp_dir);
  std::error_code ec;
  stdfs::create_directories(tmp_dir, ec);
  if (ec) throw Error(ErrorCode::output_io, "cannot create " + tmp_dir.string() + ": " + ec.message());
  try {
    const json rec = record_json(r, pages);
    std::vector<PdfPage> pdf_pages;
    std::vector<AltoPage> alto_pages;
    for (int idx : r.document.pages) {
      const Page& p = pages[idx];
      if (p.info.unusable()) continue;  // the back of a sheet adds nothing to read
      pdf_pages.push_back({&p.image, &p.ocr, p.info.dpi});
      alto_pages.push_back({&p.ocr, p.image.width, p.image.height, p.info.number, &p.regions});
    }
    PdfInfo info;
    const std::string type_name = doc_type_name(r.classification.doc_type);
    info.title = type_name + " - " + r.document.source.display();
    info.producer = std::string("sohoa ") + SOHOA_VERSION;
    info.subject = type_name + " (" + r.classification.doc_type + ")";
    if (auto it = r.metadata.find("trich_yeu"); it != r.metadata.end()) info.description = it->second.value;
    info.created = rec["created"].get<std::string>();
    if (!pdf_pages.empty()) fs::write_atomic(tmp_dir / "document.pdf", write_pdf(pdf_pages, info));
    fs::write_atomic(tmp_dir / "text.txt", document_text(r.document, pages));
    fs::write_atomic(tmp_dir / "alto.xml", write_alto(alto_pages, "document.pdf", SOHOA_VERSION));
    fs::write_atomic(tmp_dir / "record.json", rec.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
    fs::sync_dir(tmp_dir);
  } catch (...) {
    remove_quietly(tmp_dir);
    throw;
  }
  // Swap atomically with an older copy of the same record (a rerun), then drop the old one.
  if (::renameat2(AT_FDCWD, tmp_dir.c_str(), AT_FDCWD, final_dir.c_str(), RENAME_NOREPLACE) != 0) {
    if (errno == EEXIST &&
        ::renameat2(AT_FDCWD, tmp_dir.c_str(), AT_FDCWD, final_dir.c_str(), RENAME_EXCHANGE) == 0) {
      remove_quietly(tmp_dir);
    } else {
      const int err = errno;
      remove_quietly(tmp_dir);
      throw Error(ErrorCode::output_io, "cannot move the record into " + final_dir.string() + ": " + std::strerror(err));
    }
  }
  fs::sync_dir(records);
  return final_dir;
}

}  // namespace sohoa::output
