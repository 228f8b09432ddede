#include "package/package.h"

#include <sys/stat.h>
#include <tesseract/baseapi.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <tuple>

#include "core/error.h"
#include "core/fsutil.h"
#include "output/archive_terms.h"
#include "output/xml.h"
#include "package/zip.h"
#include "sign/signature.h"

namespace sohoa::package {
namespace stdfs = std::filesystem;
using json = nlohmann::json;
using output::xml_escape;

namespace {

std::string slurp(const stdfs::path& p) {
  try {
    const std::vector<uint8_t> data = fs::read_file(p, 4ull << 30);
    return std::string(data.begin(), data.end());
  } catch (const Error& e) {
    throw Error(e.code(), p.string() + ": " + e.what());
  }
}

struct Payload {
  std::string path;  // relative to data/
  std::string bytes;
  std::string mime;
};

std::string jstr(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

/// One record's metadata under the archive's names (Thông tư 05/2025/TT-BNV field names).
std::string descriptive_xml(const std::string& code, const Member& m, const json& rec, const std::string& archived_at) {
  const json& md = rec.contains("metadata") ? rec["metadata"] : json::object();
  auto field = [](const char* key, const char* name, const std::string& value) {
    if (value.empty()) return std::string("  <truong ma=\"") + key + "\" ten=\"" + name + "\"/>\n";
    return std::string("  <truong ma=\"") + key + "\" ten=\"" + name + "\">" + xml_escape(value) + "</truong>\n";
  };
  const std::string type = jstr(rec, "doc_type");
  int pages = 0;
  if (rec.contains("pages")) pages = static_cast<int>(rec["pages"].size());
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<vanBan xmlns=\"urn:sohoa:vanban:1\" maDinhDanh=\"" +
                  xml_escape(m.name) + "\">\n";
  x += field("ma_ho_so", "Mã hồ sơ", code);
  x += field("ma_dinh_danh_van_ban", "Mã định danh văn bản", m.name);
  x += field("so_va_ky_hieu", "Số và ký hiệu văn bản", jstr(md, "so_ky_hieu"));
  x += field("ngay_thang_nam_van_ban", "Ngày tháng năm văn bản", jstr(md, "ngay_ban_hanh"));
  x += field("ten_loai_van_ban", "Tên loại văn bản", output::doc_type_name(type));
  x += field("ma_loai_van_ban", "Mã loại văn bản (sohoa)", type);
  x += field("ten_co_quan_ban_hanh", "Tên cơ quan, tổ chức ban hành văn bản", jstr(md, "co_quan_ban_hanh"));
  x += field("trich_yeu_noi_dung", "Trích yếu nội dung", jstr(md, "trich_yeu"));
  x += field("ho_ten", "Họ và tên", jstr(md, "ho_ten"));
  x += field("so_dinh_danh", "Số định danh cá nhân", jstr(md, "so_dinh_danh"));
  x += field("ngay_sinh", "Ngày sinh", jstr(md, "ngay_sinh"));
  x += field("so_luong_trang", "Số lượng trang", std::to_string(pages));
  x += field("ngon_ngu", "Ngôn ngữ", "Tiếng Việt");
  x += field("loai_su_dung", "Loại (dùng một lần / tái sử dụng)",
             jstr(rec, "class") == "reusable" ? "Tái sử dụng" : "Dùng một lần");
  x += field("ban_ghi_sohoa", "Mã bản ghi sohoa", m.record_id);
  if (!archived_at.empty()) x += field("ban_luu_tai", "Bản giống hệt đã lưu tại", archived_at);
  x += "</vanBan>\n";
  return x;
}

/// Signatures of each record's PDF (record name -> signatures), and where each signer's chain is.
struct Signed {
  std::map<std::string, std::vector<sign::Found>> of;
  std::map<std::string, std::string> chain_file;  // signer serial + issuer -> path under data/
};

std::string signer_key(const sign::SignerInfo& s) { return s.issuer + "/" + s.serial; }

std::string premis_xml(const std::string& code, const std::vector<std::pair<Member, json>>& records,
                       const std::map<std::string, const Payload*>& pdfs, const std::vector<Payload>& originals,
                       const std::map<std::string, std::string>& archived_at, const std::string& now, const Signed& sigs) {
  const std::string tess = tesseract::TessBaseAPI::Version();
  auto id = [](const std::string& type, const std::string& value) {
    return "<premis:" + type + "IdentifierType>local</premis:" + type + "IdentifierType><premis:" + type +
           "IdentifierValue>" + xml_escape(value) + "</premis:" + type + "IdentifierValue>";
  };
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<premis:premis xmlns:premis=\"http://www.loc.gov/premis/v3\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"3.0\">\n";
  for (const auto& [m, rec] : records) {
    auto it = pdfs.find(m.name);
    if (it == pdfs.end()) continue;
    x += "  <premis:object xsi:type=\"premis:file\"><premis:objectIdentifier>" + id("object", m.name + ".pdf") +
         "</premis:objectIdentifier><premis:objectCharacteristics><premis:compositionLevel>0</premis:compositionLevel>"
         "<premis:fixity><premis:messageDigestAlgorithm>SHA-256</premis:messageDigestAlgorithm><premis:messageDigest>" +
         sha256_of(it->second->bytes) + "</premis:messageDigest></premis:fixity><premis:size>" +
         std::to_string(it->second->bytes.size()) +
         "</premis:size><premis:format><premis:formatDesignation><premis:formatName>PDF/A-2b</premis:formatName>"
         "</premis:formatDesignation></premis:format></premis:objectCharacteristics><premis:originalName>" +
         xml_escape(jstr(rec["source"], "path")) + "</premis:originalName></premis:object>\n";
  }
  for (const Payload& o : originals) {
    const std::string file = o.path.substr(std::string(kOriginalData).size());
    std::string original_name;
    for (const auto& [m, rec] : records)
      if (rec.contains("original") && jstr(rec["original"], "sha256") == sha256_of(o.bytes)) original_name = jstr(rec["source"], "path");
    x += "  <premis:object xsi:type=\"premis:file\"><premis:objectIdentifier>" + id("object", file) +
         "</premis:objectIdentifier><premis:preservationLevel><premis:preservationLevelValue>preservation original"
         "</premis:preservationLevelValue></premis:preservationLevel><premis:objectCharacteristics>"
         "<premis:compositionLevel>0</premis:compositionLevel><premis:fixity><premis:messageDigestAlgorithm>SHA-256"
         "</premis:messageDigestAlgorithm><premis:messageDigest>" + sha256_of(o.bytes) +
         "</premis:messageDigest></premis:fixity><premis:size>" + std::to_string(o.bytes.size()) +
         "</premis:size><premis:format><premis:formatDesignation><premis:formatName>" + xml_escape(o.mime) +
         "</premis:formatName></premis:formatDesignation></premis:format></premis:objectCharacteristics>"
         "<premis:originalName>" + xml_escape(original_name) + "</premis:originalName></premis:object>\n";
  }
  std::string outcome = "success";
  auto event = [&](const std::string& ev_id, const std::string& type, const std::string& date,
                   const std::string& detail, const std::string& agent, const std::string& object) {
    x += "  <premis:event><premis:eventIdentifier>" + id("event", ev_id) + "</premis:eventIdentifier><premis:eventType>" +
         type + "</premis:eventType><premis:eventDateTime>" + date +
         "</premis:eventDateTime><premis:eventDetailInformation><premis:eventDetail>" + xml_escape(detail) +
         "</premis:eventDetail></premis:eventDetailInformation><premis:eventOutcomeInformation><premis:eventOutcome>" +
         outcome + "</premis:eventOutcome></premis:eventOutcomeInformation><premis:linkingAgentIdentifier>" +
         id("linkingAgent", agent) + "</premis:linkingAgentIdentifier>";
    if (!object.empty())
      x += "<premis:linkingObjectIdentifier>" + id("linkingObject", object) + "</premis:linkingObjectIdentifier>";
    x += "</premis:event>\n";
  };
  const std::string sohoa_agent = std::string("sohoa ") + SOHOA_VERSION;
  std::set<std::string> people;  // clerks who changed something at the review desk
  for (const auto& [m, rec] : records) {
    const std::string date = rec.contains("created") && rec["created"].is_string() ? rec["created"].get<std::string>() : now;
    const json& src = rec["source"];
    std::string where = jstr(src, "path");
    if (src.contains("member") && src["member"].is_string()) where += "!" + src["member"].get<std::string>();
    const json& pg = src.contains("pages") ? src["pages"] : json::array();
    const std::string range = pg.size() == 2 ? " pages " + pg[0].dump() + "-" + pg[1].dump() : "";
    // Events link to the record's PDF only where this package holds one.
    const std::string object = pdfs.count(m.name) ? m.name + ".pdf" : "";
    const auto elsewhere = archived_at.find(m.name);
    event(m.name + "-ingestion", "ingestion", date,
          "read " + where + range + " (sha256 " + jstr(src, "sha256") + ")" +
              (elsewhere == archived_at.end() ? "" : "; identical to " + elsewhere->second + ", whose files are archived there"),
          sohoa_agent, object);
    double conf = 0;
    int n = 0;
    for (const auto& p : rec.value("pages", json::array()))
      if (!p.value("blank", false)) conf += p.value("ocr_confidence", 0.0), ++n;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", n ? conf / n : 0.0);
    event(m.name + "-ocr", "text recognition", date,
          "Tesseract " + tess + ", language vie; mean word confidence " + buf + "/100; ALTO and text written",
          "tesseract " + tess, object);
    const json& cl = rec.value("classification", json::object());
    std::snprintf(buf, sizeof buf, "%.2f", cl.value("confidence", 0.0));
    event(m.name + "-classification", "classification", date,
          "class " + jstr(rec, "class") + ", doc_type " + jstr(rec, "doc_type") + ", confidence " + buf + ", method " +
              jstr(cl, "method") + (rec.value("review", false) ? ", needs review" : ""),
          sohoa_agent, object);
    // What people changed or decided at the review desk (sohoa review), each as its own event.
    if (rec.contains("desk") && rec["desk"].is_object())
      for (const auto& e : rec["desk"].value("events", json::array())) {
        const std::string action = jstr(e, "action");
        const std::string who = "person " + jstr(e, "who");
        people.insert(jstr(e, "who"));
        std::string detail;
        if (action == "approve") detail = "approved at the review desk";
        else if (action == "reject") detail = "rejected at the review desk";
        else detail = jstr(e, "field") + ": " + (e.contains("before") ? e["before"].dump() : "null") + " -> " +
                      (e.contains("after") ? e["after"].dump() : "null");
        if (!jstr(e, "why").empty()) detail += "; why: " + jstr(e, "why");
        outcome = action == "reject" ? "failure" : "success";
        // A split correction changes which pages the record holds: its files, not only its metadata.
        const bool regroup = action == "split" || action == "join" || action == "move_page";
        event(jstr(e, "id"), action == "edit" ? "metadata modification" : regroup ? "modification" : "validation", jstr(e, "when"),
              detail, who, object);
        outcome = "success";
      }
    auto sit = sigs.of.find(m.name);
    if (sit == sigs.of.end()) continue;
    int k = 0;
    for (const sign::Found& f : sit->second) {
      const std::string level = f.timestamped ? "B-T" : "B-B";
      auto cf = sigs.chain_file.find(signer_key(f.signer));
      event(m.name + "-signature" + (k++ ? "-" + std::to_string(k) : ""), "digital signature generation",
            output::iso_utc(f.signing_time),
            "PAdES " + level + " (" + f.sub_filter + ") signature \"" + f.field + "\" on " + m.name + ".pdf by " +
                f.signer.subject + ", certificate serial " + f.signer.serial + " issued by " + f.signer.issuer +
                (f.timestamped ? "; time from an RFC 3161 time-stamp" : "; time claimed by the signer") +
                (cf != sigs.chain_file.end() ? "; certificate chain in " + cf->second : ""),
            "certificate " + f.signer.serial, m.name + ".pdf");
    }
  }
  // The signatures of each original, as read at ingest: one validation event each.
  std::set<std::string> seen;
  for (const auto& [m, rec] : records) {
    if (!rec.contains("original") || !rec["original"].is_object()) continue;
    const std::string sha = jstr(rec["original"], "sha256");
    if (!seen.insert(sha).second) continue;
    const std::string object = stdfs::path(jstr(rec["original"], "file")).filename().string();
    const std::string date = rec.contains("created") && rec["created"].is_string() ? rec["created"].get<std::string>() : now;
    int k = 0;
    for (const auto& sig : rec.value("signatures", json::array())) {
      const json& cert = sig.value("certificate", json::object());
      auto str = [](const json& j, const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string("?"); };
      const bool intact = sig.value("bytes_intact", false);
      outcome = intact && str(cert, "state") == "valid" ? "success" : intact ? "warning" : "failure";
      event(m.name + "-signature-" + std::to_string(++k), "validation", date,
            "digital signature " + str(sig, "type") + " by " + str(sig, "signer_dn") + ", signed " + str(sig, "signing_time") +
                "; signed bytes " + (intact ? "intact" : "NOT intact") +
                (sig.value("covers_whole_file", false) ? ", covers the whole file" : ", the file was extended after it") +
                "; certificate " + str(cert, "state"),
            sohoa_agent, object);
    }
    outcome = "success";
    event(m.name + "-original", "ingestion", date, "preservation original kept byte for byte (sha256 " + sha + ")",
          sohoa_agent, object);
  }
  event(code + "-packaging", "information package creation", now,
        "BagIt 1.0 bag holding an E-ARK CSIP package of dossier " + code, sohoa_agent, "");
  x += "  <premis:agent><premis:agentIdentifier>" + id("agent", sohoa_agent) +
       "</premis:agentIdentifier><premis:agentName>sohoa</premis:agentName><premis:agentType>software</premis:agentType>"
       "<premis:agentVersion>" SOHOA_VERSION "</premis:agentVersion></premis:agent>\n";
  x += "  <premis:agent><premis:agentIdentifier>" + id("agent", "tesseract " + tess) +
       "</premis:agentIdentifier><premis:agentName>Tesseract OCR</premis:agentName><premis:agentType>software"
       "</premis:agentType><premis:agentVersion>" + xml_escape(tess) + "</premis:agentVersion></premis:agent>\n";
  for (const std::string& who : people)
    x += "  <premis:agent><premis:agentIdentifier>" + id("agent", "person " + who) + "</premis:agentIdentifier><premis:agentName>" +
         xml_escape(who) + "</premis:agentName><premis:agentType>person</premis:agentType><premis:agentNote>archive staff at the "
         "review desk (sohoa review)</premis:agentNote></premis:agent>\n";
  std::map<std::string, const sign::SignerInfo*> signers;
  for (const auto& [name, found] : sigs.of)
    for (const auto& f : found) signers.emplace("certificate " + f.signer.serial, &f.signer);
  for (const auto& [agent, s] : signers)
    x += "  <premis:agent><premis:agentIdentifier>" + id("agent", agent) + "</premis:agentIdentifier><premis:agentName>" +
         xml_escape(s->subject) + "</premis:agentName><premis:agentType>organization</premis:agentType><premis:agentNote>" +
         xml_escape("signer: X.509 certificate serial " + s->serial + " issued by " + s->issuer + ", valid " +
                    output::iso_utc(s->not_before) + " to " + output::iso_utc(s->not_after)) +
         "</premis:agentNote></premis:agent>\n";
  x += "</premis:premis>\n";
  return x;
}

std::string checksum_attrs(const Payload& p, const std::string& created) {
  return " MIMETYPE=\"" + p.mime + "\" SIZE=\"" + std::to_string(p.bytes.size()) + "\" CREATED=\"" + created +
         "\" CHECKSUM=\"" + sha256_of(p.bytes) + "\" CHECKSUMTYPE=\"SHA-256\"";
}

std::string href(const std::string& path) {
  return " LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"" + xml_escape(path) + "\"";
}

std::string mets_xml(const std::string& code, const std::vector<Payload>& payload, const std::string& now) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xmlns:csip=\"https://DILCIS.eu/XML/METS/CSIPExtensionMETS\" "
      "xsi:schemaLocation=\"http://www.loc.gov/METS/ http://www.loc.gov/standards/mets/mets.xsd\" "
      "OBJID=\"" + xml_escape(code) + "\" LABEL=\"Hồ sơ " + xml_escape(code) +
      "\" TYPE=\"Other\" csip:OTHERTYPE=\"Hồ sơ thủ tục hành chính (một cửa)\" csip:CONTENTINFORMATIONTYPE=\"MIXED\" "
      "PROFILE=\"https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml\">\n"
      "  <mets:metsHdr CREATEDATE=\"" + now + "\" RECORDSTATUS=\"NEW\" csip:OAISPACKAGETYPE=\"SIP\">\n"
      "    <mets:agent ROLE=\"CREATOR\" TYPE=\"OTHER\" OTHERTYPE=\"SOFTWARE\"><mets:name>sohoa</mets:name>"
      "<mets:note csip:NOTETYPE=\"SOFTWARE VERSION\">" SOHOA_VERSION "</mets:note></mets:agent>\n"
      "  </mets:metsHdr>\n";
  // Descriptive metadata, one dmdSec per file of metadata/descriptive/.
  std::map<std::string, std::vector<std::string>> dmd_of;  // record name -> dmdSec ids
  std::vector<std::string> all_dmd, all_amd;
  int n = 0;
  for (const Payload& p : payload) {
    if (p.path.rfind("metadata/descriptive/", 0) != 0) continue;
    const std::string file = p.path.substr(21);
    const std::string rec = file.substr(0, file.rfind('.'));
    const std::string dmd_id = "dmd-" + std::to_string(++n);
    dmd_of[rec].push_back(dmd_id);
    all_dmd.push_back(dmd_id);
    const bool is_json = p.mime == "application/json";
    x += "  <mets:dmdSec ID=\"" + dmd_id + "\" CREATED=\"" + now + "\" STATUS=\"CURRENT\"><mets:mdRef" + href(p.path) +
         " MDTYPE=\"OTHER\" OTHERMDTYPE=\"" + (is_json ? "SOHOA-RECORD-JSON" : "TT05-2025-BNV") + "\"" +
         checksum_attrs(p, now) + "/></mets:dmdSec>\n";
  }
  x += "  <mets:amdSec>\n";
  n = 0;
  for (const Payload& p : payload) {
    if (p.path.rfind("metadata/preservation/", 0) != 0) continue;
    const std::string amd_id = "premis-" + std::to_string(++n);
    all_amd.push_back(amd_id);
    const bool premis = p.path.size() > 4 && p.path.substr(p.path.size() - 4) == ".xml";
    x += "    <mets:digiprovMD ID=\"" + amd_id + "\" STATUS=\"CURRENT\"><mets:mdRef" + href(p.path) +
         (premis ? " MDTYPE=\"PREMIS\"" : " MDTYPE=\"OTHER\" OTHERMDTYPE=\"X.509 CERTIFICATE CHAIN (PEM)\"") +
         checksum_attrs(p, now) + "/></mets:digiprovMD>\n";
  }
  x += "  </mets:amdSec>\n  <mets:fileSec ID=\"filesec\">\n"
       "    <mets:fileGrp ID=\"grp-rep1\" USE=\"Representations/rep1/Data\">\n";
  std::map<std::string, std::vector<std::string>> files_of;  // record name -> file ids
  std::vector<std::string> record_order;
  n = 0;
  for (const Payload& p : payload) {
    if (p.path.rfind(kRepData, 0) != 0) continue;
    const std::string file = p.path.substr(std::string(kRepData).size());
    // "HS-1.3.pdf", "HS-1.3.txt", "HS-1.3.alto.xml" -> "HS-1.3"
    std::string rec = file.substr(0, file.find('.', code.size() + 1));
    const std::string fid = "file-" + std::to_string(++n);
    if (!files_of.count(rec)) record_order.push_back(rec);
    files_of[rec].push_back(fid);
    x += "      <mets:file ID=\"" + fid + "\"" + checksum_attrs(p, now) + "><mets:FLocat" + href(p.path) +
         "/></mets:file>\n";
  }
  x += "    </mets:fileGrp>\n";
  std::vector<std::string> original_ids;
  for (const Payload& p : payload) {
    if (p.path.rfind(kOriginalData, 0) != 0) continue;
    if (original_ids.empty())
      x += "    <mets:fileGrp ID=\"grp-original\" USE=\"Representations/original/Data\">\n";
    const std::string fid = "file-" + std::to_string(++n);
    original_ids.push_back(fid);
    x += "      <mets:file ID=\"" + fid + "\"" + checksum_attrs(p, now) + "><mets:FLocat" + href(p.path) + "/></mets:file>\n";
  }
  if (!original_ids.empty()) x += "    </mets:fileGrp>\n";
  x += "  </mets:fileSec>\n";
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& e : v) s += (s.empty() ? "" : " ") + e;
    return s;
  };
  x += "  <mets:structMap ID=\"structmap-csip\" TYPE=\"PHYSICAL\" LABEL=\"CSIP\">\n    <mets:div ID=\"root\" LABEL=\"" +
       xml_escape(code) + "\">\n      <mets:div ID=\"div-metadata\" LABEL=\"Metadata\"" +
       (all_dmd.empty() ? "" : " DMDID=\"" + join(all_dmd) + "\"") +
       (all_amd.empty() ? "" : " ADMID=\"" + join(all_amd) + "\"") +
       "/>\n      <mets:div ID=\"div-rep1\" LABEL=\"Representations/rep1\">\n";
  n = 0;
  for (const std::string& rec : record_order) {
    x += "        <mets:div ID=\"div-rec-" + std::to_string(++n) + "\" LABEL=\"" + xml_escape(rec) + "\"" +
         (dmd_of.count(rec) ? " DMDID=\"" + join(dmd_of[rec]) + "\"" : "") + ">";
    for (const auto& fid : files_of[rec]) x += "<mets:fptr FILEID=\"" + fid + "\"/>";
    x += "</mets:div>\n";
  }
  x += "      </mets:div>\n";
  if (!original_ids.empty()) {
    // The preservation originals: the files as they arrived (signed PDFs keep their signatures).
    x += "      <mets:div ID=\"div-original\" LABEL=\"Representations/original\">";
    for (const auto& fid : original_ids) x += "<mets:fptr FILEID=\"" + fid + "\"/>";
    x += "</mets:div>\n";
  }
  x += "    </mets:div>\n  </mets:structMap>\n</mets:mets>\n";
  return x;
}

/// The input a record came from, byte for byte, once per dossier: named by its SHA-256.
void add_original(const stdfs::path& out_root, const json& rec, std::vector<Payload>& originals) {
  if (!rec.contains("original") || !rec["original"].is_object()) return;
  const std::string file = jstr(rec["original"], "file");
  const std::string name = std::string(kOriginalData) + stdfs::path(file).filename().string();
  for (const Payload& p : originals)
    if (p.path == name) return;
  std::string bytes = slurp(out_root / file);
  if (sha256_of(bytes) != jstr(rec["original"], "sha256"))
    throw Error(ErrorCode::output_io, (out_root / file).string() + " no longer holds the input it was copied from");
  const std::string ext = stdfs::path(file).extension().string();
  originals.push_back({name, std::move(bytes), ext == ".pdf" ? "application/pdf" : ext == ".tiff" ? "image/tiff"
                                                : ext == ".jpeg" ? "image/jpeg" : ext == ".png" ? "image/png"
                                                                                : "application/octet-stream"});
}

/// A file's identity without reading it: inode, size, modification time in ns ("-" when absent).
/// sohoa replaces its files whole (a new inode), so a file written again shows another stamp.
std::string file_stamp(const stdfs::path& p) {
  struct stat st{};
  if (::stat(p.c_str(), &st) != 0) return "-";
  return std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

/// What each package was made from (OUT/.sohoa-cache/packages.json): code -> the key of its
/// inputs, the stamp of the zip written from them and its payload file count. A package whose
/// key and zip are unchanged is not made again: a merge after one shard ran again rewrites only
/// that shard's dossiers.
stdfs::path state_path(const stdfs::path& out_root) { return out_root / ".sohoa-cache" / "packages.json"; }

std::string manifest(const std::vector<ZipEntry>& files, const std::string& prefix, bool sha512) {
  std::string m;
  for (const ZipEntry& f : files) m += (sha512 ? sha512_hex(f.bytes) : sha256_of(f.bytes)) + "  " + prefix + f.path + "\n";
  return m;
}

}  // namespace

std::vector<Dossier> dossiers_of(const stdfs::path& out_root, const std::string& default_code) {
  const json batch = json::parse(slurp(out_root / "batch.json"));
  struct Item {
    std::string dossier, path, member;
    std::vector<std::string> records;
  };
  std::vector<Item> items;
  for (const auto& it : batch.value("items", json::array())) {
    Item item;
    item.dossier = it.contains("dossier") && it["dossier"].is_string() ? it["dossier"].get<std::string>() : default_code;
    if (item.dossier.empty()) continue;
    item.path = jstr(it, "path");
    item.member = it.contains("member") && it["member"].is_string() ? it["member"].get<std::string>() : "";
    for (const auto& r : it.value("records", json::array())) item.records.push_back(r.get<std::string>());
    items.push_back(std::move(item));
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.dossier, a.path, a.member) < std::tie(b.dossier, b.path, b.member);
  });
  std::vector<Dossier> out;
  for (const Item& item : items) {
    if (out.empty() || out.back().code != item.dossier) out.push_back({item.dossier, {}});
    std::vector<std::string> recs = item.records;
    std::sort(recs.begin(), recs.end());  // "<hash>-pNNN-NNN": page order
    for (const auto& r : recs) {
      Dossier& d = out.back();
      const int seq = static_cast<int>(d.members.size()) + 1;
      d.members.push_back({r, seq, d.code + "." + std::to_string(seq)});
    }
  }
  return out;
}

std::vector<Written> write_packages(const stdfs::path& out_root, const Options& options) {
  const long long epoch = options.epoch ? options.epoch : output::output_epoch();
  const std::string now = output::iso_utc(epoch);
  const stdfs::path dir = out_root / "packages";
  std::error_code ec;
  stdfs::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::output_io, "cannot create " + dir.string() + ": " + ec.message());
  std::vector<Written> written;
  const std::vector<Dossier> dossiers = dossiers_of(out_root, options.default_dossier);
  std::map<std::string, std::pair<std::string, std::string>> placed;  // record id -> (code, archive name)
  for (const Dossier& d : dossiers)
    for (const Member& m : d.members) placed[m.record_id] = {d.code, m.name};
  json state = json::parse(fs::read_text_or_empty(state_path(out_root)), nullptr, false);
  if (!state.is_object()) state = json::object();
  json new_state = json::object();
  // The same bytes come from the same inputs, this version and this date (a fixed
  // SOURCE_DATE_EPOCH; without it an unchanged package keeps the date it was made).
  const char* sde = std::getenv("SOURCE_DATE_EPOCH");
  const std::string key_base = std::string("sohoa-package-1\n") + SOHOA_VERSION + "\n" + tesseract::TessBaseAPI::Version() +
                               "\n" + (options.epoch ? std::to_string(options.epoch) : sde ? sde : "now") + "\n";
  for (const Dossier& d : dossiers) {
    std::vector<Payload> desc, rep, originals;
    std::vector<std::pair<Member, json>> records;
    std::map<std::string, std::string> archived_at;  // archive name -> where its identical copy's files are
    std::vector<std::pair<std::string, std::string>> read;  // record bytes, where its files are archived
    std::string key = key_base + d.code + "\n";
    for (const Member& m : d.members) {
      const stdfs::path rdir = out_root / "records" / m.record_id;
      std::string rec_bytes = slurp(rdir / "record.json");
      json rec = json::parse(rec_bytes);
      // Identical content is archived once: once in a dossier, and a reusable document once in all
      // (a single-use form belongs to its dossier, so each dossier keeps its own copy).
      std::string elsewhere;
      if (rec.contains("duplicate_of") && rec["duplicate_of"].is_string())
        if (auto it = placed.find(rec["duplicate_of"].get<std::string>());
            it != placed.end() && (it->second.first == d.code || jstr(rec, "class") == "reusable"))
          elsewhere = archived_at[m.name] = it->second.second + " (packages/" + it->second.first + ".zip)";
      key += m.name + "\n" + m.record_id + "\n" + sha256_of(rec_bytes) + "\n" + elsewhere + "\n";
      for (const char* f : {"document.pdf", "text.txt", "alto.xml"}) key += file_stamp(rdir / f) + "\n";
      if (rec.contains("original") && rec["original"].is_object()) key += file_stamp(out_root / jstr(rec["original"], "file")) + "\n";
      read.emplace_back(std::move(rec_bytes), elsewhere);
      records.emplace_back(m, std::move(rec));
    }
    key = sha256_of(key);
    const stdfs::path zip_path = dir / (d.code + ".zip");
    if (const auto it = state.find(d.code); it != state.end() && it->is_object() && it->value("key", "") == key &&
                                            it->value("zip", "") == file_stamp(zip_path)) {
      new_state[d.code] = *it;
      written.push_back({d.code, zip_path, static_cast<int>(d.members.size()), it->value("files", 0), false});
      continue;
    }
    for (size_t k = 0; k < d.members.size(); ++k) {
      const Member& m = d.members[k];
      const stdfs::path rdir = out_root / "records" / m.record_id;
      const std::string& rec_bytes = read[k].first;
      const std::string& elsewhere = read[k].second;
      const json& rec = records[k].second;
      desc.push_back({"metadata/descriptive/" + m.name + ".xml", descriptive_xml(d.code, m, rec, elsewhere), "application/xml"});
      desc.push_back({"metadata/descriptive/" + m.name + ".json", rec_bytes, "application/json"});
      if (elsewhere.empty()) {
        const std::string base = std::string(kRepData) + m.name;
        if (stdfs::exists(rdir / "document.pdf")) rep.push_back({base + ".pdf", slurp(rdir / "document.pdf"), "application/pdf"});
        rep.push_back({base + ".txt", slurp(rdir / "text.txt"), "text/plain"});
        if (stdfs::exists(rdir / "alto.xml")) rep.push_back({base + ".alto.xml", slurp(rdir / "alto.xml"), "application/xml"});
      }
      add_original(out_root, rec, originals);
    }
    std::map<std::string, const Payload*> pdfs;
    for (const Payload& p : rep)
      if (p.mime == "application/pdf") {
        const std::string file = p.path.substr(std::string(kRepData).size());
        pdfs[file.substr(0, file.size() - 4)] = &p;
      }
    // Signed PDFs: who signed, and each signer's certificate chain kept beside the PREMIS.
    Signed sigs;
    std::vector<Payload> chains;
    for (const auto& [name, p] : pdfs) {
      if (p->bytes.find("/ByteRange") == std::string::npos) continue;
      auto found = sign::find_signatures(p->bytes);
      for (const auto& f : found) {
        if (f.signer.chain_pem.empty() || sigs.chain_file.count(signer_key(f.signer))) continue;
        std::string pem;
        for (const auto& c : f.signer.chain_pem) pem += c;
        const std::string path = "metadata/preservation/certificates/" + sha256_of(f.signer.chain_pem.front()).substr(0, 16) + ".pem";
        sigs.chain_file[signer_key(f.signer)] = path;
        chains.push_back({path, pem, "application/x-pem-file"});
      }
      if (!found.empty()) sigs.of[name] = std::move(found);
    }
    std::vector<Payload> payload = desc;
    payload.push_back({"metadata/preservation/premis.xml", premis_xml(d.code, records, pdfs, originals, archived_at, now, sigs), "application/xml"});
    payload.insert(payload.end(), chains.begin(), chains.end());
    payload.insert(payload.end(), rep.begin(), rep.end());
    payload.insert(payload.end(), originals.begin(), originals.end());
    const std::string mets = mets_xml(d.code, payload, now);

    // The bag: payload under data/, the METS first.
    std::vector<ZipEntry> data;
    data.push_back({"data/METS.xml", mets});
    for (Payload& p : payload) data.push_back({"data/" + p.path, std::move(p.bytes)});
    uint64_t octets = 0;
    for (const auto& f : data) octets += f.bytes.size();
    std::vector<ZipEntry> tags;
    tags.push_back({"bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"});
    tags.push_back({"bag-info.txt", "External-Identifier: " + d.code + "\nExternal-Description: Hồ sơ " + d.code +
                                        ", " + std::to_string(d.members.size()) +
                                        " văn bản số hóa (E-ARK CSIP in data/)\nBagging-Date: " + now.substr(0, 10) +
                                        "\nBag-Software-Agent: sohoa " SOHOA_VERSION "\nPayload-Oxum: " +
                                        std::to_string(octets) + "." + std::to_string(data.size()) + "\n"});
    tags.push_back({"manifest-sha256.txt", manifest(data, "", false)});
    tags.push_back({"manifest-sha512.txt", manifest(data, "", true)});
    const std::string tagmanifest = manifest(tags, "", false);
    tags.push_back({"tagmanifest-sha256.txt", tagmanifest});

    std::vector<ZipEntry> zip;
    const std::string top = d.code + "/";
    for (auto& t : tags) zip.push_back({top + t.path, std::move(t.bytes)});
    for (auto& f : data) zip.push_back({top + f.path, std::move(f.bytes)});
    write_zip(zip_path, zip, epoch);
    written.push_back({d.code, zip_path, static_cast<int>(d.members.size()), static_cast<int>(data.size()), true});
    new_state[d.code] = {{"key", key}, {"zip", file_stamp(zip_path)}, {"files", static_cast<int>(data.size())}};
  }
  // Packages of this OUT that this batch does not make keep their entry (another batch's dossiers).
  for (const auto& [code, v] : state.items())
    if (!new_state.contains(code)) new_state[code] = v;
  try {
    std::error_code mk;
    stdfs::create_directories(state_path(out_root).parent_path(), mk);
    fs::write_atomic(state_path(out_root), new_state.dump(1) + "\n");
  } catch (const std::exception&) {
    // Only a cache: without it the next merge makes every package again.
  }
  return written;
}

}  // namespace sohoa::package
