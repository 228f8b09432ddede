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

/// The checks shared by a record folder and a record inside a package.
void check_record(const std::string& where, const std::string& rec_bytes, const std::string* pdf, const std::string* text,
                  const std::string* alto, const std::string& pdf_name, const std::string& text_name,
                  const std::string& alto_name, std::vector<Problem>& out) {
  const json rec = json::parse(rec_bytes, nullptr, false);
  if (rec.is_discarded()) {
    out.push_back({where, "record.json is not valid JSON"});
    return;
  }
  for (const std::string& e : validate(record_schema(), rec)) out.push_back({where, "record.json: " + e});
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

Report verify_package(const stdfs::path& zip) {
  Report r;
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
    check_record(pkg + ":" + name, *b, get(rep + ".pdf"), get(rep + ".txt"), get(rep + ".alto.xml"), top + rep + ".pdf",
                 top + rep + ".txt", top + rep + ".alto.xml", r.problems);
    check_original(*b, [&](const std::string& f) { return get("data/" + std::string(package::kOriginalData) + f); },
                   at("data/" + std::string(package::kOriginalData)), r.problems);
  }
  return r;
}

Report verify_out(const stdfs::path& out) {
  Report r;
  const json batch = json::parse(slurp(out / "batch.json"), nullptr, false);
  if (batch.is_discarded()) {
    r.problems.push_back({(out / "batch.json").string(), "missing or not valid JSON"});
    return r;
  }
  // The catalog's checksums of every record file, and of every package.
  std::map<std::pair<std::string, std::string>, std::pair<long long, std::string>> cat_files;
  std::map<std::string, std::pair<std::string, int>> cat_packages;  // code -> (sha256, records)
  std::set<std::string> cat_records;
  const stdfs::path catalog = out / "catalog.sqlite";
  sqlite3* db = nullptr;
  if (!stdfs::exists(catalog) || sqlite3_open_v2(catalog.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    r.problems.push_back({catalog.string(), "missing or unreadable"});
  } else {
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
    query("SELECT id FROM records", [&](sqlite3_stmt* s) { cat_records.insert(txt(s, 0)); });
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
      if (!stdfs::is_directory(dir)) {
        r.problems.push_back({where, "record folder missing"});
        continue;
      }
      std::map<std::string, std::string> bytes;
      for (const char* f : {"record.json", "document.pdf", "text.txt", "alto.xml"})
        if (stdfs::exists(dir / f)) bytes[f] = slurp(dir / f), ++r.files;
      if (!bytes.count("record.json")) {
        r.problems.push_back({where + "/record.json", "missing"});
        continue;
      }
      auto ptr = [&](const char* f) { return bytes.count(f) ? &bytes[f] : nullptr; };
      check_record(where, bytes["record.json"], ptr("document.pdf"), ptr("text.txt"), ptr("alto.xml"), "document.pdf",
                   "text.txt", "alto.xml", r.problems);
      std::map<std::string, std::string> original;
      check_original(bytes["record.json"], [&](const std::string& f) -> const std::string* {
        const stdfs::path p = out / "originals" / f;
        if (!stdfs::exists(p)) return nullptr;
        return &(original[f] = slurp(p));
      }, "originals/", r.problems);
      if (db == nullptr && !stdfs::exists(catalog)) continue;
      if (!cat_records.count(rid)) r.problems.push_back({where, "not in the catalog"});
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
      Report pr = verify_package(z);
      r.packages += pr.packages;
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
  return r;
}

}  // namespace sohoa::verify
