#include "verify/verify.h"
#include "core/fsutil.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/error.h"
#include "ingest/pdf_signatures.h"
#include "package/package.h"
#include "package/zip.h"
#include "sign/signature.h"
#include "verify/json_schema.h"

namespace sohoa::verify {
namespace stdfs = std::filesystem;
using json = nlohmann::json;

namespace {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using XmlDoc = std::unique_ptr<xmlDoc, DocFree>;

XmlDoc parse_xml(const std::string& bytes) {
  return XmlDoc(xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), "file.xml", nullptr,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

std::string attr(xmlNode* n, const char* name, const char* ns = nullptr) {
  xmlChar* v = ns ? xmlGetNsProp(n, BAD_CAST name, BAD_CAST ns) : xmlGetProp(n, BAD_CAST name);
  if (!v) return "";
  std::string s(reinterpret_cast<char*>(v));
  xmlFree(v);
  return s;
}

template <class F>
void walk(xmlNode* n, F&& f) {
  for (; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) f(n);
    walk(n->children, f);
  }
}

std::string slurp(const stdfs::path& p) { return fs::read_text_or_empty(p); }

/// -1 when the PDF cannot be read.
int pdf_page_count(const std::string& bytes, std::string* err) {
  try {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.processMemoryFile("document.pdf", bytes.data(), bytes.size());
    const int n = static_cast<int>(QPDFPageDocumentHelper(pdf).getAllPages().size());
    if (pdf.anyWarnings()) *err = "qpdf reports damage";
    return n;
  } catch (const std::exception& e) {
    *err = e.what();
    return -1;
  }
}

int alto_page_count(const std::string& bytes) {
  XmlDoc doc = parse_xml(bytes);
  if (!doc) return -1;
  int n = 0;
  walk(xmlDocGetRootElement(doc.get()), [&](xmlNode* e) { n += std::string(reinterpret_cast<const char*>(e->name)) == "Page"; });
  return n;
}

/// What the signature checks need: the trust anchors (none: integrity only) and a counter.
struct Signatures {
  std::shared_ptr<const sign::Trust> trust;
  int checked = 0;
  explicit Signatures(const Options& o) {
    if (!o.trust_dir.empty()) trust = sign::Trust::load(o.trust_dir, o.crl_files);
  }
};

void check_signatures(const std::string& where, const std::string& pdf_name, const std::string& pdf, Signatures& sigs,
                      std::vector<Problem>& out) {
  if (!sigs.trust && pdf.find("/ByteRange") == std::string::npos) return;  // unsigned, and nobody asked for a signature
  const auto checks = sign::check_pdf(pdf, sigs.trust.get());
  if (checks.empty() && sigs.trust) out.push_back({where, pdf_name + ": not signed"});
  for (const auto& c : checks) {
    ++sigs.checked;
    const std::string who = c.found.signer.subject.empty() ? "" : " by " + c.found.signer.subject;
    for (const auto& p : c.problems) out.push_back({where, pdf_name + ": signature \"" + c.found.field + "\"" + who + ": " + p});
  }
}

/// The checks shared by a record folder and a record inside a package.
void check_record(const std::string& where, const std::string& rec_bytes, const std::string* pdf, const std::string* text,
                  const std::string* alto, const std::string& pdf_name, const std::string& text_name,
                  const std::string& alto_name, std::vector<Problem>& out, Signatures& sigs, bool files_elsewhere = false) {
  const json rec = json::parse(rec_bytes, nullptr, false);
  if (rec.is_discarded()) {
    out.push_back({where, "record.json is not valid JSON"});
    return;
  }
  for (const std::string& e : validate(record_schema(), rec)) out.push_back({where, "record.json: " + e});
  // A copy of a record archived in another place carries its metadata only.
  if (files_elsewhere && !pdf && !text && !alto) {
    if (!rec.contains("duplicate_of") || !rec["duplicate_of"].is_string())
      out.push_back({where, "its files are missing and record.json names no record it duplicates"});
    return;
  }
  if (!rec.contains("pages") || !rec["pages"].is_array()) return;
  const int pages = static_cast<int>(rec["pages"].size());
  int nonblank = 0;
  for (const auto& p : rec["pages"]) nonblank += p.value("blank", false) ? 0 : 1;
  if (rec.contains("source") && rec["source"].contains("pages") && rec["source"]["pages"].size() == 2 &&
      rec["source"]["pages"][1].get<int>() - rec["source"]["pages"][0].get<int>() + 1 != pages)
    out.push_back({where, "record.json: source.pages spans a different number of pages than pages[] (" + std::to_string(pages) + ")"});
  if (nonblank > 0 && !pdf) out.push_back({where, pdf_name + " is missing"});
  if (pdf) {
    std::string err;
    const int n = pdf_page_count(*pdf, &err);
    if (n < 0) out.push_back({where, pdf_name + " cannot be read: " + err});
    else if (n != nonblank) out.push_back({where, pdf_name + " has " + std::to_string(n) + " pages, record.json " + std::to_string(nonblank) + " non-blank"});
    else if (!err.empty()) out.push_back({where, pdf_name + ": " + err});
    check_signatures(where, pdf_name, *pdf, sigs, out);
  }
  if (!text) out.push_back({where, text_name + " is missing"});
  else {
    const int n = 1 + static_cast<int>(std::count(text->begin(), text->end(), '\f'));
    if (n != pages) out.push_back({where, text_name + " has " + std::to_string(n) + " pages, record.json " + std::to_string(pages)});
  }
  if (!alto) out.push_back({where, alto_name + " is missing"});
  else {
    const int n = alto_page_count(*alto);
    if (n < 0) out.push_back({where, alto_name + " is not well-formed XML"});
    else if (n != nonblank) out.push_back({where, alto_name + " has " + std::to_string(n) + " pages, record.json " + std::to_string(nonblank) + " non-blank"});
  }
}

/// The preservation original of a record: present, still the input's bytes (its SHA-256 is the
/// record's source.sha256), and its digital signatures still verifying over their bytes.
template <class Get>
void check_original(const std::string& rec_bytes, Get get, const std::string& where_prefix, std::vector<Problem>& out) {
  const json rec = json::parse(rec_bytes, nullptr, false);
  if (rec.is_discarded() || !rec.contains("original") || !rec["original"].is_object()) return;
  const std::string sha = rec["original"].value("sha256", "");
  const std::string file = stdfs::path(rec["original"].value("file", "")).filename().string();
  const std::string where = where_prefix + file;
  const std::string* bytes = get(file);
  if (!bytes) return out.push_back({where, "the preservation original is missing"});
  if (package::sha256_of(*bytes) != sha)
    return out.push_back({where, "the preservation original was changed: its SHA-256 is not the input's " + sha});
  const auto& recorded = rec.value("signatures", json::array());
  if (recorded.empty()) return;
  const std::vector<DigitalSignature> now = ingest::read_pdf_signatures(
      std::span(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()), nullptr, 0);
  if (now.size() != recorded.size())
    return out.push_back({where, "the preservation original has " + std::to_string(now.size()) + " signature(s), record.json " +
                                     std::to_string(recorded.size())});
  for (size_t i = 0; i < now.size(); ++i)
    if (recorded[i].value("bytes_intact", false) && !now[i].bytes_intact)
      out.push_back({where, "signature " + std::to_string(i + 1) + " (" + now[i].signer_name + ") no longer verifies"});
}

std::map<std::string, std::string> parse_manifest(const std::string& text) {
  std::map<std::string, std::string> m;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto sp = line.find("  ");
    if (sp == std::string::npos) continue;
    m[line.substr(sp + 2)] = line.substr(0, sp);
  }
  return m;
}

}  // namespace

Report verify_package(const stdfs::path& zip, const Options& options) {
  Report r;
  Signatures sigs(options);
  r.packages = 1;
  const std::string pkg = zip.filename().string();
  std::vector<package::ZipEntry> entries;
  try {
    entries = package::read_zip(zip);
  } catch (const Error& e) {
    r.problems.push_back({pkg, e.what()});
    return r;
  }
  const std::string code = zip.stem().string();
  const std::string top = code + "/";
  std::map<std::string, const std::string*> files;  // path inside the bag -> bytes
  for (const auto& e : entries) {
    if (e.path.rfind(top, 0) != 0) {
      r.problems.push_back({pkg + ":" + e.path, "outside the bag folder " + top});
      continue;
    }
    files[e.path.substr(top.size())] = &e.bytes;
  }
  r.files = static_cast<int>(files.size());
  auto at = [&](const std::string& p) { return pkg + ":" + top + p; };
  auto get = [&](const std::string& p) -> const std::string* {
    auto it = files.find(p);
    return it == files.end() ? nullptr : it->second;
  };
  if (!get("bagit.txt") || get("bagit.txt")->find("BagIt-Version: 1.0") == std::string::npos)
    r.problems.push_back({at("bagit.txt"), "missing or not BagIt 1.0"});
  // Manifests: every payload file in each, every digest right.
  uint64_t octets = 0;
  int payload_files = 0;
  for (const auto& [p, b] : files)
    if (p.rfind("data/", 0) == 0) octets += b->size(), ++payload_files;
  for (const auto& [mname, sha512] : {std::pair<std::string, bool>{"manifest-sha256.txt", false}, {"manifest-sha512.txt", true}}) {
    const std::string* m = get(mname);
    if (!m) {
      r.problems.push_back({at(mname), "missing"});
      continue;
    }
    const auto entries_m = parse_manifest(*m);
    for (const auto& [p, digest] : entries_m) {
      const std::string* b = get(p);
      if (!b) r.problems.push_back({at(p), "listed in " + mname + " but missing"});
      else if ((sha512 ? package::sha512_hex(*b) : package::sha256_of(*b)) != digest)
        r.problems.push_back({at(p), std::string(sha512 ? "SHA-512" : "SHA-256") + " differs from " + mname});
    }
    for (const auto& [p, b] : files)
      if (p.rfind("data/", 0) == 0 && !entries_m.count(p)) r.problems.push_back({at(p), "not listed in " + mname});
  }
  if (const std::string* tm = get("tagmanifest-sha256.txt")) {
    for (const auto& [p, digest] : parse_manifest(*tm)) {
      const std::string* b = get(p);
      if (!b) r.problems.push_back({at(p), "listed in tagmanifest-sha256.txt but missing"});
      else if (package::sha256_of(*b) != digest)
        r.problems.push_back({at(p), "SHA-256 differs from " + top + "tagmanifest-sha256.txt (one of the two is damaged)"});
    }
  } else {
    r.problems.push_back({at("tagmanifest-sha256.txt"), "missing"});
  }
  if (const std::string* info = get("bag-info.txt")) {
    const std::string oxum = "Payload-Oxum: " + std::to_string(octets) + "." + std::to_string(payload_files);
    if (info->find(oxum) == std::string::npos) r.problems.push_back({at("bag-info.txt"), "Payload-Oxum does not match the payload (" + oxum + ")"});
    if (info->find("External-Identifier: " + code + "\n") == std::string::npos)
      r.problems.push_back({at("bag-info.txt"), "External-Identifier is not " + code});
  } else {
    r.problems.push_back({at("bag-info.txt"), "missing"});
  }
  // METS: every file with its size and SHA-256, every payload file listed.
  const std::string* mets = get("data/METS.xml");
  std::set<std::string> listed;
  if (!mets) {
    r.problems.push_back({at("data/METS.xml"), "missing"});
  } else if (XmlDoc doc = parse_xml(*mets); !doc) {
    r.problems.push_back({at("data/METS.xml"), "not well-formed XML"});
  } else {
    walk(xmlDocGetRootElement(doc.get()), [&](xmlNode* e) {
      const std::string name = reinterpret_cast<const char*>(e->name);
      xmlNode* loc = nullptr;
      if (name == "mdRef") loc = e;
      else if (name == "file")
        for (xmlNode* c = e->children; c; c = c->next)
          if (c->type == XML_ELEMENT_NODE && std::string(reinterpret_cast<const char*>(c->name)) == "FLocat") loc = c;
      if (!loc) return;
      const std::string href = "data/" + attr(loc, "href", "http://www.w3.org/1999/xlink");
      listed.insert(href);
      const std::string* b = get(href);
      if (!b) return r.problems.push_back({at(href), "listed in METS.xml but missing"});
      if (attr(e, "SIZE") != std::to_string(b->size()))
        r.problems.push_back({at(href), "size " + std::to_string(b->size()) + " differs from METS.xml (" + attr(e, "SIZE") + ")"});
      if (attr(e, "CHECKSUM") != package::sha256_of(*b)) r.problems.push_back({at(href), "SHA-256 differs from METS.xml"});
    });
    for (const auto& [p, b] : files)
      if (p.rfind("data/", 0) == 0 && p != "data/METS.xml" && !listed.count(p)) r.problems.push_back({at(p), "not listed in METS.xml"});
  }
  // Records: descriptive record.json beside the representation files.
  for (const auto& [p, b] : files) {
    const std::string prefix = "data/metadata/descriptive/";
    if (p.rfind(prefix, 0) != 0 || p.size() < 5 || p.substr(p.size() - 5) != ".json") continue;
    const std::string name = p.substr(prefix.size(), p.size() - prefix.size() - 5);
    const std::string rep = "data/" + std::string(package::kRepData) + name;
    ++r.records;
    const std::string* desc_xml = get(prefix + name + ".xml");
    const bool elsewhere = desc_xml && desc_xml->find("ma=\"ban_luu_tai\"") != std::string::npos;
    check_record(pkg + ":" + name, *b, get(rep + ".pdf"), get(rep + ".txt"), get(rep + ".alto.xml"), top + rep + ".pdf",
                 top + rep + ".txt", top + rep + ".alto.xml", r.problems, sigs, elsewhere);
    check_original(*b, [&](const std::string& f) { return get("data/" + std::string(package::kOriginalData) + f); },
                   at("data/" + std::string(package::kOriginalData)), r.problems);
  }
  r.signatures = sigs.checked;
  return r;
}

namespace {

std::string where_of(const json& item) {
  std::string w = item.value("path", "");
  if (item.contains("member") && item["member"].is_string()) w += "!" + item["member"].get<std::string>();
  return w;
}

/// The archive names and record ids a package holds, from its descriptive record.json files.
std::map<std::string, std::string> package_records(const std::vector<package::ZipEntry>& entries, const std::string& code) {
  std::map<std::string, std::string> out;  // archive name -> record id
  const std::string prefix = code + "/data/metadata/descriptive/";
  for (const auto& e : entries) {
    if (e.path.rfind(prefix, 0) != 0 || e.path.size() < prefix.size() + 5 || e.path.substr(e.path.size() - 5) != ".json") continue;
    const json rec = json::parse(e.bytes, nullptr, false);
    out[e.path.substr(prefix.size(), e.path.size() - prefix.size() - 5)] =
        rec.is_object() && rec.contains("id") && rec["id"].is_string() ? rec["id"].get<std::string>() : "";
  }
  return out;
}

}  // namespace

BatchCheck check_batch(const stdfs::path& out, bool all_catalog_rows,
                       const std::function<bool(const std::string& record_id)>& elsewhere) {
  BatchCheck c;
  const json batch = json::parse(slurp(out / "batch.json"), nullptr, false);
  if (!batch.is_object()) {
    c.problems.push_back({"batch.json", "missing or not valid JSON"});
    return c;
  }
  std::error_code ec;
  if (stdfs::is_directory(out / "records", ec))
    for (const auto& e : stdfs::directory_iterator(out / "records", ec))
      if (e.path().filename().string().find(".tmp-") == std::string::npos && stdfs::exists(e.path() / "record.json", ec))
        ++c.records_on_disk;

  // Every record the batch lists: there, once, and the record of the input that lists it.
  std::map<std::string, std::string> claimed;  // record id -> input
  std::vector<std::pair<std::string, std::string>> duplicates;  // record id -> the id it duplicates
  for (const auto& item : batch.value("items", json::array())) {
    const std::string input = where_of(item);
    for (const auto& rid_j : item.value("records", json::array())) {
      const std::string rid = rid_j.get<std::string>();
      const std::string where = "records/" + rid;
      ++c.records;
      if (auto [it, fresh] = claimed.emplace(rid, input); !fresh) {
        c.problems.push_back({where, "listed for two inputs, " + it->second + " and " + input + ": one overwrote the other"});
        continue;
      }
      if (!stdfs::is_directory(out / "records" / rid, ec)) {
        c.problems.push_back({where, "record folder missing (batch.json lists it for " + input + ")"});
        continue;
      }
      if (!stdfs::exists(out / "records" / rid / "record.json", ec)) {
        c.problems.push_back({where + "/record.json", "missing"});
        continue;
      }
      const json rec = json::parse(slurp(out / "records" / rid / "record.json"), nullptr, false);
      if (!rec.is_object() || !rec.contains("source") || !rec["source"].is_object()) {
        c.problems.push_back({where + "/record.json", "not valid JSON or no source"});
        continue;
      }
      if (rec.value("id", "") != rid) c.problems.push_back({where + "/record.json", "its id is " + rec.value("id", "") + ", not its folder's"});
      const json& src = rec["source"];
      if (where_of(src) != input) c.problems.push_back({where, "record.json is of " + where_of(src) + ", batch.json lists it for " + input});
      else if (src.value("sha256", "") != item.value("sha256", ""))
        c.problems.push_back({where, "record.json has another SHA-256 than its input in batch.json"});
      if (rec.contains("duplicate_of") && rec["duplicate_of"].is_string()) duplicates.emplace_back(rid, rec["duplicate_of"].get<std::string>());
    }
  }
  for (const auto& [rid, of] : duplicates)
    if (!claimed.count(of) && !(elsewhere && elsewhere(of))) c.problems.push_back({"records/" + rid, "duplicate_of " + of + " is not a record of this batch"});

  // Every dossier's package holds exactly its records, under their archive names.
  std::vector<package::Dossier> dossiers;
  try {
    dossiers = package::dossiers_of(out);
  } catch (const std::exception& e) {
    c.problems.push_back({"batch.json", e.what()});
  }
  std::map<std::string, std::map<std::string, std::string>> held;  // package code -> archive name -> record id
  auto holdings = [&](const std::string& code) -> const std::map<std::string, std::string>* {
    if (auto it = held.find(code); it != held.end()) return &it->second;
    const stdfs::path zip = out / "packages" / (code + ".zip");
    if (!stdfs::exists(zip, ec)) return nullptr;
    try {
      return &(held[code] = package_records(package::read_zip(zip), code));
    } catch (const std::exception& e) {
      c.problems.push_back({"packages/" + code + ".zip", e.what()});
      return &(held[code] = {});
    }
  };
  std::map<std::string, std::pair<std::string, std::string>> placed;  // record id -> (code, archive name)
  for (const auto& d : dossiers) {
    ++c.packages;
    const std::string where = "packages/" + d.code + ".zip";
    for (const auto& m : d.members) placed[m.record_id] = {d.code, m.name};
    const auto* in_zip = holdings(d.code);
    if (!in_zip) {
      c.problems.push_back({where, "missing (" + std::to_string(d.members.size()) + " records of dossier " + d.code + ")"});
      continue;
    }
    std::set<std::string> names;
    for (const auto& m : d.members) {
      names.insert(m.name);
      auto it = in_zip->find(m.name);
      if (it == in_zip->end()) c.problems.push_back({where, m.name + " (record " + m.record_id + ") is not in it"});
      else if (it->second != m.record_id)
        c.problems.push_back({where, m.name + " holds record " + it->second + ", the batch has " + m.record_id});
    }
    for (const auto& [name, rid] : *in_zip)
      if (!names.count(name)) c.problems.push_back({where, "holds " + name + " (record " + rid + "), which the batch does not"});
  }

  // The catalog: every record and package of the batch, as the packages name them.
  const stdfs::path catalog = out / "catalog.sqlite";
  sqlite3* db = nullptr;
  if (!stdfs::exists(catalog, ec) || sqlite3_open_v2(catalog.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    c.problems.push_back({"catalog.sqlite", "missing or unreadable"});
    return c;
  }
  struct Row {
    std::string dossier, name, package;
  };
  std::map<std::string, Row> rows;
  std::map<std::string, std::string> packages;  // code -> package SHA-256
  auto query = [&](const char* sql, auto&& row) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
      c.problems.push_back({"catalog.sqlite", sqlite3_errmsg(db)});
      return;
    }
    while (sqlite3_step(s) == SQLITE_ROW) row(s);
    sqlite3_finalize(s);
  };
  auto txt = [](sqlite3_stmt* s, int col) {
    auto p = sqlite3_column_text(s, col);
    return std::string(p ? reinterpret_cast<const char*>(p) : "");
  };
  query("SELECT id, dossier, name, package FROM records", [&](sqlite3_stmt* s) { rows[txt(s, 0)] = {txt(s, 1), txt(s, 2), txt(s, 3)}; });
  query("SELECT code, package_sha256 FROM dossiers", [&](sqlite3_stmt* s) { packages[txt(s, 0)] = txt(s, 1); });
  sqlite3_close(db);
  c.catalog_rows = static_cast<int>(rows.size());
  for (const auto& [rid, input] : claimed) {
    auto row = rows.find(rid);
    if (row == rows.end()) {
      c.problems.push_back({"records/" + rid, "not in the catalog"});
      continue;
    }
    auto p = placed.find(rid);
    const std::string name = p == placed.end() ? "" : p->second.second;
    const std::string pkg = p == placed.end() ? "" : "packages/" + p->second.first + ".zip";
    if (row->second.name != name || row->second.package != pkg)
      c.problems.push_back({"records/" + rid, "the catalog has it as " + (row->second.name.empty() ? "-" : row->second.name) + " in " +
                                                  (row->second.package.empty() ? "no package" : row->second.package) + ", the batch as " +
                                                  (name.empty() ? "-" : name) + " in " + (pkg.empty() ? "no package" : pkg)});
  }
  for (const auto& d : dossiers) {
    const std::string where = "packages/" + d.code + ".zip";
    auto it = packages.find(d.code);
    if (it == packages.end()) c.problems.push_back({where, "not in the catalog"});
    else if (stdfs::exists(out / where, ec) && it->second != package::sha256_of(slurp(out / where)))
      c.problems.push_back({where, "SHA-256 differs from the catalog"});
  }
  if (!all_catalog_rows) return c;
  for (const auto& [rid, row] : rows) {
    if (!stdfs::exists(out / "records" / rid / "record.json", ec))
      c.problems.push_back({"records/" + rid, "in the catalog but missing on disk"});
    if (row.package.empty() || claimed.count(rid)) continue;  // the batch's own rows are checked above
    const std::string code = row.package.substr(row.package.find('/') + 1, row.package.size() - row.package.find('/') - 5);
    const auto* in_zip = holdings(code);
    if (!in_zip) c.problems.push_back({"records/" + rid, "the catalog puts it in " + row.package + ", which is missing"});
    else if (auto it = in_zip->find(row.name); it == in_zip->end() || it->second != rid)
      c.problems.push_back({"records/" + rid, "the catalog puts it in " + row.package + " as " + row.name + ", which does not hold it"});
  }
  return c;
}

Report verify_out(const stdfs::path& out, const Options& options) {
  Report r;
  Signatures sigs(options);
  const json batch = json::parse(slurp(out / "batch.json"), nullptr, false);
  if (batch.is_discarded()) {
    r.problems.push_back({(out / "batch.json").string(), "missing or not valid JSON"});
    return r;
  }
  r.problems = check_batch(out, true, options.elsewhere).problems;
  // The catalog's checksums of every record file, and of every package.
  std::map<std::pair<std::string, std::string>, std::pair<long long, std::string>> cat_files;
  std::map<std::string, std::pair<std::string, int>> cat_packages;  // code -> (sha256, records)
  const stdfs::path catalog = out / "catalog.sqlite";
  sqlite3* db = nullptr;
  if (stdfs::exists(catalog) && sqlite3_open_v2(catalog.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    auto query = [&](const char* sql, auto&& row) {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
        r.problems.push_back({catalog.string(), sqlite3_errmsg(db)});
        return;
      }
      while (sqlite3_step(s) == SQLITE_ROW) row(s);
      sqlite3_finalize(s);
    };
    auto txt = [](sqlite3_stmt* s, int c) { auto p = sqlite3_column_text(s, c); return std::string(p ? reinterpret_cast<const char*>(p) : ""); };
    query("SELECT record_id, name, size, sha256 FROM files", [&](sqlite3_stmt* s) {
      cat_files[{txt(s, 0), txt(s, 1)}] = {sqlite3_column_int64(s, 2), txt(s, 3)};
    });
    query("SELECT code, package_sha256, records FROM dossiers", [&](sqlite3_stmt* s) {
      cat_packages[txt(s, 0)] = {txt(s, 1), sqlite3_column_int(s, 2)};
    });
  }
  sqlite3_close(db);
  for (const auto& item : batch.value("items", json::array())) {
    for (const auto& rid_j : item.value("records", json::array())) {
      const std::string rid = rid_j.get<std::string>();
      const stdfs::path dir = out / "records" / rid;
      const std::string where = "records/" + rid;
      ++r.records;
      if (!stdfs::exists(dir / "record.json")) continue;  // check_batch names it
      std::map<std::string, std::string> bytes;
      for (const char* f : {"record.json", "document.pdf", "text.txt", "alto.xml"})
        if (stdfs::exists(dir / f)) bytes[f] = slurp(dir / f), ++r.files;
      auto ptr = [&](const char* f) { return bytes.count(f) ? &bytes[f] : nullptr; };
      check_record(where, bytes["record.json"], ptr("document.pdf"), ptr("text.txt"), ptr("alto.xml"), "document.pdf",
                   "text.txt", "alto.xml", r.problems, sigs);
      std::map<std::string, std::string> original;
      check_original(bytes["record.json"], [&](const std::string& f) -> const std::string* {
        const stdfs::path p = out / "originals" / f;
        if (!stdfs::exists(p)) return nullptr;
        return &(original[f] = slurp(p));
      }, "originals/", r.problems);
      for (const auto& [f, b] : bytes) {
        auto it = cat_files.find({rid, f});
        if (it == cat_files.end()) continue;
        if (it->second.first != static_cast<long long>(b.size()))
          r.problems.push_back({where + "/" + f, "size " + std::to_string(b.size()) + " differs from the catalog (" + std::to_string(it->second.first) + ")"});
        else if (it->second.second != package::sha256_of(b))
          r.problems.push_back({where + "/" + f, "SHA-256 differs from the catalog"});
      }
    }
  }
  // Packages: each one whole, and as the catalog knows it.
  const stdfs::path pdir = out / "packages";
  std::set<std::string> seen;
  if (stdfs::is_directory(pdir)) {
    std::vector<stdfs::path> zips;
    for (const auto& e : stdfs::directory_iterator(pdir))
      if (e.path().extension() == ".zip" && e.path().filename().string()[0] != '.') zips.push_back(e.path());
    std::sort(zips.begin(), zips.end());
    for (const auto& z : zips) {
      Report pr = verify_package(z, options);
      r.packages += pr.packages;
      r.signatures += pr.signatures;
      r.files += pr.files;
      for (auto& p : pr.problems) r.problems.push_back({"packages/" + p.where, p.what});
      const std::string code = z.stem().string();
      seen.insert(code);
      auto it = cat_packages.find(code);
      if (it == cat_packages.end()) r.problems.push_back({"packages/" + z.filename().string(), "not in the catalog"});
      else {
        if (it->second.first != package::sha256_of(slurp(z)))
          r.problems.push_back({"packages/" + z.filename().string(), "SHA-256 differs from the catalog"});
        if (it->second.second != pr.records)
          r.problems.push_back({"packages/" + z.filename().string(), std::to_string(pr.records) + " records, the catalog says " + std::to_string(it->second.second)});
      }
    }
  }
  for (const auto& [code, v] : cat_packages)
    if (!seen.count(code)) r.problems.push_back({"packages/" + code + ".zip", "in the catalog but missing"});
  r.signatures += sigs.checked;
  // One line per problem, however many checks found it.
  std::set<std::pair<std::string, std::string>> said;
  std::vector<Problem> unique;
  for (auto& p : r.problems)
    if (said.insert({p.where, p.what}).second) unique.push_back(std::move(p));
  r.problems = std::move(unique);
  return r;
}

}  // namespace sohoa::verify
