#include "output/record_writer.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/text.h"
#include "output/alto_writer.h"
#include "output/archive_terms.h"
#include "catalog/flags.h"
#include "output/pdf_writer.h"

namespace sohoa::output {

namespace stdfs = std::filesystem;
using json = nlohmann::ordered_json;

std::string source_key(const SourceRef& source) {
  return source.dossier + "\n" + source.path + "\n" + source.member.value_or("");
}

std::string record_id(const SourceRef& source, int first_page, int last_page) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "-p%03d-%03d", first_page, last_page);
  const std::string key = source_key(source);
  return sha256_hex({reinterpret_cast<const uint8_t*>(key.data()), key.size()}).substr(0, 16) + buf;
}

static double round2(double v) { return std::round(v * 100.0) / 100.0; }

/// The office's fields (extract/office_fields.h) in their JSON shape, present only when read;
/// the signer named in the signature block checked against the digital signatures' subjects.
/// What was changed in a value after it was read, and what a person should check.
static void add_changes(json& e, const MetadataValue& v) {
  if (!v.corrections.empty()) {
    json cs = json::array();
    for (const Correction& c : v.corrections) cs.push_back({{"before", c.before}, {"after", c.after}, {"why", c.why}});
    e["corrections"] = cs;
  }
  if (!v.doubts.empty()) {
    json ds = json::array();
    for (const Correction& c : v.doubts) ds.push_back({{"word", c.before}, {"reads_like", c.after}, {"why", c.why}, {"applied", c.applied}});
    e["doubts"] = ds;
  }
}

/// Returns the fields left empty for a person, with why.
static json office_metadata(const Record& r, json& meta, json& evidence) {
  auto get = [&](const std::string& key) -> const MetadataValue* {
    auto it = r.metadata.find(key);
    return it == r.metadata.end() ? nullptr : &it->second;
  };
  auto note = [&](const std::string& key, const MetadataValue& v) {
    evidence[key] = {{"source", v.source}, {"page", v.page}};
    add_changes(evidence[key], v);
  };
  for (const char* key : {"do_khan", "do_mat", "tham_quyen_ky", "chuc_vu_nguoi_ky", "nguoi_ky", "ngay_het_han"})
    if (const MetadataValue* v = get(key)) meta[key] = v->value, note(key, *v);
  const MetadataValue* so_den = get("van_ban_den.so_den");
  const MetadataValue* ngay_den = get("van_ban_den.ngay_den");
  if (so_den || ngay_den) {
    meta["van_ban_den"] = {{"so_den", so_den ? json(so_den->value) : json(nullptr)},
                           {"ngay_den", ngay_den ? json(ngay_den->value) : json(nullptr)}};
    note("van_ban_den", so_den ? *so_den : *ngay_den);
  }
  if (const MetadataValue* v = get("noi_nhan")) {
    json list = json::array();
    size_t at = 0;
    while (at <= v->value.size()) {
      size_t nl = v->value.find('\n', at);
      if (nl == std::string::npos) nl = v->value.size();
      list.push_back(v->value.substr(at, nl - at));
      at = nl + 1;
    }
    meta["noi_nhan"] = list;
    note("noi_nhan", *v);
  }
  if (const MetadataValue* v = get("nguoi_ky"); v && !r.signatures.empty()) {
    // The name under the signature should be a signer of the file (a person's certificate).
    json match = nullptr;
    const std::string name = text::fold(v->value);
    for (const DigitalSignature& s : r.signatures)
      if (!s.signer_name.empty() && text::fold(s.signer_name).find(name) != std::string::npos) match = s.signer_name;
    evidence["nguoi_ky"]["digital_signature"] = match;
  }
  json notes = json::object();
  for (const auto& [key, v] : r.metadata)
    if (key.rfind("review.", 0) == 0) notes[key.substr(7)] = v.value;
  return notes;
}

json signatures_json(const std::vector<DigitalSignature>& sigs) {
  json list = json::array();
  auto str_or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  for (const DigitalSignature& s : sigs) {
    list.push_back({{"field", s.field},
                    {"type", str_or_null(s.sub_filter)},
                    {"signer", str_or_null(s.signer_name)},
                    {"signer_dn", str_or_null(s.signer_dn)},
                    {"organization", str_or_null(s.organization)},
                    {"issuer_dn", str_or_null(s.issuer_dn)},
                    {"serial", str_or_null(s.serial)},
                    {"signing_time", str_or_null(s.signing_time)},
                    {"signing_time_source", str_or_null(s.signing_time_source)},
                    {"digest", str_or_null(s.digest)},
                    {"byte_range", s.byte_range},
                    {"covers_whole_file", s.covers_whole_file},
                    {"bytes_intact", s.bytes_intact},
                    {"certificate", {{"state", str_or_null(s.certificate)},
                                     {"problems", s.certificate_problems},
                                     {"trust_anchors", s.trust_anchors},
                                     {"not_before", str_or_null(s.not_before)},
                                     {"not_after", str_or_null(s.not_after)}}},
                    {"page", s.page ? json(s.page) : json(nullptr)},
                    {"error", str_or_null(s.error)}});
  }
  return list;
}

json record_json(const Record& r, const std::vector<Page>& pages) {
  const Document& d = r.document;
  json j;
  j["id"] = r.id;
  j["source"] = {{"path", d.source.path},
                 {"member", d.source.member ? json(*d.source.member) : json(nullptr)},
                 {"pages", {d.first_page, d.last_page}},
                 {"sha256", d.source.sha256},
                 {"dossier", d.source.dossier.empty() ? json(nullptr) : json(d.source.dossier)}};
  j["duplicate_of"] = r.duplicate_of.empty() ? json(nullptr) : json(r.duplicate_of);
  j["class"] = r.classification.cls;
  j["doc_type"] = r.classification.doc_type;
  j["archive"] = r.classification.cls == "reusable";
  j["review"] = r.review;
  json reasons = json::array();
  for (const ReviewReason& x : r.review_reasons)
    reasons.push_back({{"code", x.code}, {"field", x.field.empty() ? json(nullptr) : json(x.field)}, {"detail", x.detail}});
  j["review_reasons"] = reasons;
  j["confidence"] = round2(r.confidence);
  j["classification"] = {{"confidence", round2(r.classification.confidence)},
                         {"kind", r.classification.kind.empty() ? json(nullptr) : json(r.classification.kind)},
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
    const MetadataValue& v = it->second;
    meta[key] = v.value;
    json e = {{"source", v.source}, {"page", v.page}, {"confidence", round2(v.confidence)}};
    if (v.word_confidence >= 0) {
      e["word_confidence"] = round2(v.word_confidence);
      e["min_word_confidence"] = round2(v.min_word_confidence);
    }
    if (!v.boxes.empty()) {
      json boxes = json::array();
      for (const Box& b : v.boxes) boxes.push_back({b.x, b.y, b.w, b.h});
      e["boxes"] = boxes;
    }
    add_changes(e, v);
    if (!v.catalogue_match.empty()) e["catalogue_match"] = v.catalogue_match;
    if (!v.other_readings.empty()) {
      json o = json::array();
      for (const auto& [source, value] : v.other_readings) o.push_back({{"source", source}, {"value", value}});
      e["other_readings"] = o;
    }
    evidence[key] = e;
  }
  // Metadata beyond the contract's keys (the unit under the issuing organ, …).
  for (const auto& [key, value] : r.extra) meta[key] = value;
  json review_notes = office_metadata(r, meta, evidence);
  j["metadata"] = meta;
  j["metadata_evidence"] = evidence;
  if (!review_notes.empty()) j["metadata_review"] = review_notes;
  json page_list = json::array();
  for (int idx : d.pages) {
    const PageInfo& p = pages[idx].info;
    json steps = json::array(), others = json::array();
    for (const PrepareStep& s : p.prepare)
      steps.push_back({{"step", s.step}, {"applied", s.applied}, {"reason", s.reason.empty() ? json(nullptr) : json(s.reason)}});
    for (const Box& b : p.other_sheets) others.push_back({{"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}});
    json mended = json::array();
    for (const TextMend& m : p.text_mended)
      mended.push_back({{"field", m.field}, {"before", m.before}, {"after", m.after}, {"source", m.source}});
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
                         {"language", r.language},
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
                         {"prepare", steps},
                         {"other_sheets", others},
                         {"text_mended", mended},
                         {"dpi", std::round(p.dpi)},
                         {"dpi_assumed", p.dpi_assumed},
                         {"blank", p.blank},
                         {"error", p.error.empty() ? json(nullptr) : json(p.error)},
                         {"ocr_confidence", round2(p.ocr_confidence)},
                         {"text_source", p.text_source},
                         {"regions", regions}});
    if (!p.signature_text.empty()) page_list.back()["signature_appearance"] = p.signature_text;
  }
  j["pages"] = page_list;
  j["signatures"] = signatures_json(r.signatures);
  if (!r.original.empty())
    j["original"] = {{"file", r.original}, {"sha256", d.source.sha256}};
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
