#include "desk/desk.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <regex>
#include <map>
#include <memory>
#include <cctype>
#include <set>
#include <thread>

#include "catalog/catalog.h"
#include "catalog/flags.h"
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "core/error.h"
#include "core/fsutil.h"
#include "core/text.h"
#include "doctypes/doctypes.h"
#include "doctypes/validators.h"
#include "output/archive_terms.h"
#include "output/pdf_writer.h"
#include "report/report.h"
#include "package/package.h"
#include "package/zip.h"

namespace sohoa::desk {
namespace stdfs = std::filesystem;

namespace {

std::string slurp(const stdfs::path& p) {
  const std::vector<uint8_t> data = fs::read_file(p, 4ull << 30);
  return std::string(data.begin(), data.end());
}

std::string dump(const ojson& j) { return j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n"; }

/// Several desks (or a desk and `sohoa sign`) on one OUT take turns to rewrite it.
class DirLock {
 public:
  explicit DirLock(const stdfs::path& file) {
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) throw Error(ErrorCode::output_io, "cannot lock " + file.string());
  }
  ~DirLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  int fd_ = -1;
};

/// Trimmed, NFC, inner runs of white space made one space (a clerk's paste carries tabs and NBSPs).
std::string clean(const std::string& s) {
  std::string n = text::nfc(s), out;
  bool space = false;
  for (char c : n) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

/// document.pdf with pages turned (pdf page index -> clockwise degrees, added to /Rotate). The
/// pages' images and text layer stay as they are, so the words keep their place on the page.
std::string rotate_pdf(const std::string& pdf, const std::map<int, int>& turns) {
  QPDF q;
  q.setSuppressWarnings(true);
  q.processMemoryFile("document.pdf", pdf.data(), pdf.size());
  auto pages = QPDFPageDocumentHelper(q).getAllPages();
  for (const auto& [index, degrees] : turns) {
    if (index < 0 || index >= static_cast<int>(pages.size())) throw Refused(400, "document.pdf has no page " + std::to_string(index + 1));
    pages[index].rotatePage(degrees, true);
  }
  return output::qpdf_bytes(q);  // same corrections, same bytes
}

/// One page of a record with its share of the record's files, so pages can change records.
struct Unit {
  ojson page;        // its pages[] entry
  std::string text;  // its part of text.txt
  int pdf = -1;      // its page index in document.pdf; -1 for a blank or unread page (not there)
  std::string alto;  // its <Page> of alto.xml; empty when not there
  int from = 0;      // which of the old records it came from
};

struct OldRecord {
  std::string id;
  ojson rec;
  std::string pdf, alto_head;
  std::vector<Unit> units;
};

bool in_pdf(const ojson& page) { return !page.value("blank", false) && !(page.contains("error") && page["error"].is_string()); }

/// A record read into its pages: record.json's pages[], text.txt's form-feed parts, alto.xml's
/// <Page> elements and document.pdf's pages, matched up the way record_writer wrote them.
OldRecord read_old(const stdfs::path& out, const std::string& id, const ojson& rec, int from) {
  OldRecord o{id, rec, "", "", {}};
  const stdfs::path dir = out / "records" / id;
  const ojson& pages = rec["pages"];
  const std::string text = fs::read_text_or_empty(dir / "text.txt");
  std::vector<std::string> parts;
  for (size_t at = 0;;) {
    const size_t ff = text.find('\f', at);
    parts.push_back(text.substr(at, ff == std::string::npos ? std::string::npos : ff - at));
    if (ff == std::string::npos) break;
    at = ff + 1;
  }
  if (parts.size() != pages.size()) throw Refused(409, id + ": text.txt does not have one part per page; the record cannot be regrouped");
  const std::string alto = fs::read_text_or_empty(dir / "alto.xml");
  std::vector<std::string> chunks;
  size_t first = alto.find("    <Page ");
  o.alto_head = alto.substr(0, first == std::string::npos ? alto.find("  </Layout>") : first);
  if (const size_t t = o.alto_head.find("  <Tags>\n"); t != std::string::npos) {
    const size_t e = o.alto_head.find("  </Tags>\n", t);
    if (e != std::string::npos) o.alto_head.erase(t, e + 10 - t);  // made again from the pages' roles
  }
  for (size_t at = first; at != std::string::npos;) {
    const size_t end = alto.find("    </Page>\n", at);
    if (end == std::string::npos) break;
    chunks.push_back(alto.substr(at, end + 12 - at));
    at = alto.find("    <Page ", end);
  }
  int n_pdf = 0;
  for (size_t i = 0; i < pages.size(); ++i) {
    Unit u{pages[i], parts[i], -1, "", from};
    if (in_pdf(pages[i])) {
      if (n_pdf >= static_cast<int>(chunks.size())) throw Refused(409, id + ": alto.xml lacks a page; the record cannot be regrouped");
      u.alto = chunks[n_pdf];
      u.pdf = n_pdf++;
    }
    o.units.push_back(std::move(u));
  }
  if (n_pdf) {
    o.pdf = slurp(dir / "document.pdf");
    if (o.pdf.find("/ByteRange") != std::string::npos)
      throw Refused(422, "document.pdf of " + id + " is signed: regrouping its pages would break the signature",
                    {{"pages", "tệp PDF đã ký số"}});
  }
  return o;
}

/// alto.xml of pages taken from several records: their <Page> elements renumbered (P1, P2, … and
/// every ID under them) and the role tags the blocks refer to listed again.
std::string join_alto(const std::string& head, const std::vector<const Unit*>& units) {
  static const char* roles[] = {"header", "title", "body", "table", "signature", "recipients", "stamp", "card", "panel"};
  std::string body, tags;
  int k = 0;
  for (const Unit* u : units) {
    if (u->alto.empty()) continue;
    const std::string n = std::to_string(++k);
    const std::string& c = u->alto;
    std::string r;
    for (size_t i = 0; i < c.size();) {
      if (c.compare(i, 6, " ID=\"P") == 0) {
        r += " ID=\"P" + n;
        i += 6;
        while (i < c.size() && std::isdigit(static_cast<unsigned char>(c[i]))) ++i;
      } else if (c.compare(i, 17, "PHYSICAL_IMG_NR=\"") == 0) {
        r += "PHYSICAL_IMG_NR=\"" + n;
        i += 17;
        while (i < c.size() && std::isdigit(static_cast<unsigned char>(c[i]))) ++i;
      } else {
        r += c[i++];
      }
    }
    body += r;
  }
  for (const char* role : roles)
    if (body.find(std::string("TAGREFS=\"ROLE_") + role + "\"") != std::string::npos)
      tags += std::string("    <LayoutTag ID=\"ROLE_") + role + "\" TYPE=\"region\" LABEL=\"" + role + "\"/>\n";
  std::string x = head;
  if (!tags.empty())
    if (const size_t at = x.rfind("  <Layout>\n"); at != std::string::npos) x.insert(at, "  <Tags>\n" + tags + "  </Tags>\n");
  return x + body + "  </Layout>\n</alto>\n";
}

/// document.pdf of pages taken from several records' PDFs: the heir's PDF (its PDF/A metadata
/// and output intent) with its pages replaced by the chosen ones, copied across with qpdf.
std::string join_pdf(const std::vector<OldRecord>& olds, int heir, const std::vector<const Unit*>& units) {
  std::vector<std::unique_ptr<QPDF>> docs;
  std::vector<std::vector<QPDFPageObjectHelper>> pages;
  for (const OldRecord& o : olds) {
    docs.push_back(std::make_unique<QPDF>());
    pages.emplace_back();
    if (o.pdf.empty()) continue;
    docs.back()->setSuppressWarnings(true);
    docs.back()->processMemoryFile(("document.pdf of " + o.id).c_str(), o.pdf.data(), o.pdf.size());
    pages.back() = QPDFPageDocumentHelper(*docs.back()).getAllPages();
  }
  int base = heir;
  if (olds[base].pdf.empty())
    for (size_t i = 0; i < olds.size(); ++i)
      if (!olds[i].pdf.empty()) base = static_cast<int>(i);
  QPDF& q = *docs[base];
  QPDFPageDocumentHelper helper(q);
  for (auto& p : pages[base]) helper.removePage(p);
  for (const Unit* u : units) {
    if (u->pdf < 0) continue;
    if (u->pdf >= static_cast<int>(pages[u->from].size())) throw Refused(409, "document.pdf of " + olds[u->from].id + " lacks a page");
    helper.addPage(pages[u->from][u->pdf], false);  // a page of another PDF is copied in whole
  }
  return output::qpdf_bytes(q);  // same corrections, same bytes
}

/// The highest N of the events "<rid>-desk-N" a record id ever had: in its record and in the audit
/// table. A split correction can bring an id back (split, join, split again) with a shorter history,
/// and an event id must never be used twice (the audit table keeps the first).
int last_event_number(const stdfs::path& out, const std::string& rid, const ojson& events) {
  int n = static_cast<int>(events.size());
  const std::string prefix = rid + "-desk-";
  auto see = [&](const std::string& id) {
    if (id.rfind(prefix, 0) != 0) return;
    const std::string k = id.substr(prefix.size());
    if (!k.empty() && k.size() < 9 && k.find_first_not_of("0123456789") == std::string::npos) n = std::max(n, std::stoi(k));
  };
  for (const auto& e : events)
    if (e.contains("id") && e["id"].is_string()) see(e["id"].get<std::string>());
  for (const auto& a : catalog::audit_of(out, rid)) see(a.id);
  return n;
}

std::pair<int, int> range_of(const ojson& rec) {
  const ojson& p = rec["source"]["pages"];
  return {p[0].get<int>(), p[1].get<int>()};
}

}  // namespace

bool well_formed_id(const std::string& id) {
  static const std::regex re("^[0-9a-f]{16}-p[0-9]{3}-[0-9]{3}$");
  return std::regex_match(id, re);
}

std::string in_vietnamese(const std::string& problem) {
  // The catalogue's validators speak English (their words also go into review_reasons, which
  // programs and tests read); the clerk reads Vietnamese. An unknown message is shown as it is.
  static const std::vector<std::pair<std::regex, std::string>> said = [] {
    std::vector<std::pair<std::regex, std::string>> v;
    auto add = [&](const char* en, const char* vi) { v.emplace_back(std::regex(en), vi); };
    add("^not a serial or register number: (.*)$", "không phải số sê-ri hay số đăng ký: $1");
    add("^not a register number: (.*)$", "không phải số đăng ký: $1");
    add("^not a number and symbol \\(like 12/QĐ-UBND\\): (.*)$", "không phải số và ký hiệu (như 12/QĐ-UBND): $1");
    add("^names a place the gazetteer does not know: (.*)$", "có địa danh không có trong danh mục địa giới: $1");
    add("^\"(.*)\" is no Vietnamese word: (.*)$", "“$1” không phải từ tiếng Việt: $2");
    add("^holds part of a number and symbol \\(\"(.*)\"\\), not only an authority's name: (.*)$",
        "có lẫn một phần số và ký hiệu (“$1”), không chỉ tên cơ quan: $2");
    add("^too short for an authority's name: (.*)$", "quá ngắn để là tên cơ quan: $1");
    add("^does not start like an authority's name .*: (.*)$",
        "không bắt đầu như tên một cơ quan (Ủy ban nhân dân, Sở, Bộ, Trường …): $1");
    add("^a person's name has 2 to 7 words: (.*)$", "họ tên gồm 2 đến 7 tiếng: $1");
    add("^not a Vietnamese name syllable: (.*)$", "không phải một tiếng của tên người Việt: $1");
    add("^a name has letters only: (.*)$", "họ tên chỉ gồm chữ cái: $1");
    add("^each part of a name starts with a capital: (.*)$", "mỗi tiếng của họ tên viết hoa chữ đầu: $1");
    add("^not a Vietnamese name \\((.*)\\): (.*)$", "không giống tên người Việt ($1): $2");
    add("^not a real date: (.*)$", "không phải ngày có thật: $1");
    add("^in the future: (.*)$", "ngày ở tương lai: $1");
    add("^too early: (.*)$", "ngày quá sớm: $1");
    add("^too short for a subject line: (.*)$", "quá ngắn cho trích yếu: $1");
    add("^too long for a subject line \\(([0-9]+) words\\)$", "quá dài cho trích yếu ($1 tiếng)");
    add("^a personal number has 12 digits: (.*)$", "số định danh cá nhân có 12 chữ số: $1");
    add("^no province has code ([0-9]+): (.*)$", "không tỉnh nào có mã $1: $2");
    add("^century/sex digit (.) is not 0-3 \\(born 1900-2099\\): (.*)$",
        "chữ số thế kỷ/giới tính $1 không thuộc 0-3 (sinh 1900-2099): $2");
    add("^century digit (.) does not fit the birth year ([0-9]+): (.*)$", "chữ số thế kỷ $1 không khớp năm sinh $2: $3");
    add("^digits 5-6 \\(([0-9]+)\\) are not the birth year ([0-9]+): (.*)$", "chữ số 5-6 ($1) không phải năm sinh $2: $3");
    return v;
  }();
  for (const auto& [re, vi] : said)
    if (std::regex_match(problem, re)) return std::regex_replace(problem, re, vi);
  return problem;
}

std::string check_field(const std::string& doc_type, const std::string& key, const std::string& value) {
  const doctypes::Catalogue& cat = doctypes::catalogue();
  if (value.empty()) return cat.get(doc_type).must_have(key) ? "trường bắt buộc với loại văn bản này" : "";
  if (value.size() > 2000) return "quá dài";
  // The schema's shapes first: a value the package's record.json could not hold is never saved.
  if ((key.rfind("ngay_", 0) == 0 || key == "van_ban_den.ngay_den") && !doctypes::real_date(value))
    return "ngày phải viết YYYY-MM-DD và là ngày có thật";
  if (key == "do_khan" && value != "KHẨN" && value != "THƯỢNG KHẨN" && value != "HỎA TỐC") return "KHẨN, THƯỢNG KHẨN hoặc HỎA TỐC";
  if (key == "do_mat" && value != "MẬT" && value != "TỐI MẬT" && value != "TUYỆT MẬT") return "MẬT, TỐI MẬT hoặc TUYỆT MẬT";
  auto v = cat.field_validators.find(key);
  if (v == cat.field_validators.end()) return "";
  return in_vietnamese(doctypes::check(v->second, value, cat.get(doc_type), cat));
}

Desk::Desk(stdfs::path out, std::string default_dossier) : out_(std::move(out)), default_dossier_(std::move(default_dossier)) {}

std::vector<std::pair<std::string, std::string>> Desk::records() const {
  std::vector<std::pair<std::string, std::string>> out;
  const ojson batch = ojson::parse(slurp(out_ / "batch.json"));
  for (const auto& it : batch.value("items", ojson::array())) {
    const std::string dossier = it.contains("dossier") && it["dossier"].is_string() ? it["dossier"].get<std::string>() : default_dossier_;
    for (const auto& r : it.value("records", ojson::array()))
      if (r.is_string() && stdfs::exists(out_ / "records" / r.get<std::string>() / "record.json")) out.emplace_back(r, dossier);
  }
  return out;
}

ojson Desk::load(const std::string& record_id, std::string* etag) const {
  if (!well_formed_id(record_id)) throw Refused(404, "no such record: " + record_id);
  const stdfs::path p = out_ / "records" / record_id / "record.json";
  std::error_code ec;
  if (!stdfs::is_regular_file(p, ec)) throw Refused(404, "no such record: " + record_id);
  const std::string bytes = slurp(p);
  if (etag) *etag = package::sha256_of(bytes);
  return ojson::parse(bytes);
}

Saved Desk::apply(const Edit& edit) {
  std::lock_guard<std::mutex> guard(mu_);
  stdfs::create_directories(out_ / ".desk");
  DirLock lock(out_ / ".desk" / "lock");
  if (stdfs::exists(out_ / ".desk" / "pending.json")) commit_pending();
  std::string etag;
  ojson rec = load(edit.record_id, &etag);
  if (edit.base != etag)
    throw Refused(409, "the record was changed since this screen loaded it (by another clerk or window); reload it",
                  {{"etag", etag}});
  if (edit.who.empty()) throw Refused(400, "who made the change is not known");
  if (!edit.action.empty() && edit.action != "approve" && edit.action != "reject") throw Refused(400, "unknown action: " + edit.action);
  if (edit.changes.empty() && edit.action.empty()) throw Refused(400, "nothing to change");
  const doctypes::Catalogue& cat = doctypes::catalogue();
  const std::string when = output::iso_utc(std::time(nullptr));  // a person's act: the clock, never SOURCE_DATE_EPOCH
  ojson& desk = rec["desk"];
  if (!desk.is_object()) desk = {{"status", nullptr}, {"version", 0}, {"events", ojson::array()}};
  int n = last_event_number(out_, edit.record_id, desk["events"]);
  ojson events = ojson::array();
  auto event = [&](const std::string& action, const std::string& field, const ojson& before, const ojson& after) {
    events.push_back({{"id", edit.record_id + "-desk-" + std::to_string(++n)}, {"who", clean(edit.who)}, {"when", when},
                      {"action", action}, {"field", field.empty() ? ojson(nullptr) : ojson(field)}, {"before", before},
                      {"after", after}, {"why", clean(edit.why)}});
  };
  // The type first: the metadata validators depend on it.
  std::vector<Change> ordered;
  for (const Change& c : edit.changes)
    if (c.field == "doc_type") ordered.insert(ordered.begin(), c);
    else ordered.push_back(c);
  ojson problems = ojson::object();
  std::map<int, int> turns;  // document.pdf page index -> degrees
  bool class_given = false;
  for (const Change& c : edit.changes) class_given |= c.field == "class";
  for (const Change& c : ordered) {
    if (!c.value.is_string() && !c.value.is_null()) throw Refused(400, c.field + ": a value is a string or null");
    const std::string v = c.value.is_string() ? clean(c.value.get<std::string>()) : "";
    if (c.field == "doc_type") {
      if (!cat.find(v)) throw Refused(422, "unknown doc_type: " + v, {{"doc_type", "loại văn bản không có trong danh mục"}});
      if (rec["doc_type"] == v) continue;
      event("edit", "doc_type", rec["doc_type"], v);
      rec["doc_type"] = v;
      if (!class_given && rec["class"] != doctypes::class_of(v)) {
        event("edit", "class", rec["class"], doctypes::class_of(v));
        rec["class"] = doctypes::class_of(v);
      }
    } else if (c.field == "class") {
      if (v != "single_use" && v != "reusable") throw Refused(422, "class is single_use or reusable", {{"class", "single_use hoặc reusable"}});
      if (rec["class"] == v) continue;
      event("edit", "class", rec["class"], v);
      rec["class"] = v;
    } else if (c.field == "metadata.noi_nhan") {
      // A list: one recipient a line, as the clerk's text box has them.
      ojson after = ojson::array();
      const std::string raw = c.value.is_string() ? c.value.get<std::string>() : "";
      if (raw.size() > 4000) {
        problems["noi_nhan"] = "quá dài";
        continue;
      }
      for (size_t at = 0; at <= raw.size();) {
        size_t nl = raw.find('\n', at);
        if (nl == std::string::npos) nl = raw.size();
        if (const std::string line = clean(raw.substr(at, nl - at)); !line.empty()) after.push_back(line);
        at = nl + 1;
      }
      const ojson before = rec["metadata"].contains("noi_nhan") ? rec["metadata"]["noi_nhan"] : ojson(nullptr);
      if (after.empty()) after = nullptr;
      if (before == after) continue;
      event("edit", c.field, before, after);
      if (after.is_null()) rec["metadata"].erase("noi_nhan");  // absent when empty (the schema's array)
      else rec["metadata"]["noi_nhan"] = after;
      ojson& ev = rec["metadata_evidence"];
      if (!ev.is_object()) ev = ojson::object();
      if (after.is_null()) ev.erase("noi_nhan");
      else if (ev.contains("noi_nhan")) ev["noi_nhan"]["source"] = "desk";
      else ev["noi_nhan"] = {{"source", "desk"}, {"page", rec["source"]["pages"][0]}};
    } else if (c.field == "metadata.van_ban_den.so_den" || c.field == "metadata.van_ban_den.ngay_den") {
      // The arrival stamp's two values live in one object; it is absent when both are empty.
      const std::string sub = c.field.substr(21);
      if (const std::string why = check_field(rec["doc_type"].get<std::string>(), "van_ban_den." + sub, v); !why.empty()) {
        problems["van_ban_den." + sub] = why;
        continue;
      }
      ojson& md = rec["metadata"];
      ojson vbd = md.contains("van_ban_den") && md["van_ban_den"].is_object() ? md["van_ban_den"]
                                                                            : ojson{{"so_den", nullptr}, {"ngay_den", nullptr}};
      const ojson before = vbd.contains(sub) ? vbd[sub] : ojson(nullptr);
      const ojson after = v.empty() ? ojson(nullptr) : ojson(v);
      if (before == after) continue;
      event("edit", c.field, before, after);
      vbd[sub] = after;
      ojson& ev = rec["metadata_evidence"];
      if (!ev.is_object()) ev = ojson::object();
      if (vbd.value("so_den", ojson(nullptr)).is_null() && vbd.value("ngay_den", ojson(nullptr)).is_null()) {
        md.erase("van_ban_den");
        ev.erase("van_ban_den");
      } else {
        md["van_ban_den"] = vbd;
        if (ev.contains("van_ban_den")) ev["van_ban_den"]["source"] = "desk";
        else ev["van_ban_den"] = {{"source", "desk"}, {"page", rec["source"]["pages"][0]}};
      }
    } else if (c.field.rfind("metadata.", 0) == 0) {
      const std::string key = c.field.substr(9);
      if (!cat.field_names.count(key) && !(rec["metadata"].contains(key) && (rec["metadata"][key].is_string() || rec["metadata"][key].is_null())))
        throw Refused(400, "unknown field: " + key);
      if (rec["metadata"].contains(key) && !rec["metadata"][key].is_string() && !rec["metadata"][key].is_null())
        throw Refused(400, key + " is not a text field; the desk cannot edit it");
      const ojson after = v.empty() ? ojson(nullptr) : ojson(v);
      if (const std::string why = check_field(rec["doc_type"].get<std::string>(), key, v); !why.empty()) {
        problems[key] = why;
        continue;
      }
      const ojson before = rec["metadata"].contains(key) ? rec["metadata"][key] : ojson(nullptr);
      if (before == after) continue;
      event("edit", c.field, before, after);
      // The seven contract keys stay present as null; the others are absent when empty (the schema's enums).
      static const std::set<std::string> contract = {"so_ky_hieu", "ngay_ban_hanh", "co_quan_ban_hanh", "ho_ten",
                                                     "so_dinh_danh", "ngay_sinh", "trich_yeu"};
      if (after.is_null() && !contract.count(key)) rec["metadata"].erase(key);
      else rec["metadata"][key] = after;
      ojson& ev = rec["metadata_evidence"];
      if (!ev.is_object()) ev = ojson::object();
      if (after.is_null()) ev.erase(key);
      else if (ev.contains(key)) ev[key]["source"] = "desk";  // boxes stay: where the clerk read it from
      else ev[key] = {{"source", "desk"}, {"page", rec["source"]["pages"][0]}};
    } else if (c.field.rfind("pages.", 0) == 0 && c.field.size() > 13 && c.field.substr(c.field.size() - 7) == ".rotate") {
      // "pages.<index>.rotate": turn page <index> of pages[] clockwise by 90, 180 or 270 degrees.
      const std::string num = c.field.substr(6, c.field.size() - 13);
      if (num.empty() || num.size() > 4 || num.find_first_not_of("0123456789") != std::string::npos)
        throw Refused(400, "unknown field: " + c.field);
      const int k = std::stoi(num);
      ojson& pages = rec["pages"];
      if (k >= static_cast<int>(pages.size())) throw Refused(400, "the record has no page index " + num);
      if (v != "90" && v != "180" && v != "270") throw Refused(422, "a page turns by 90, 180 or 270 degrees", {{c.field, "90, 180 hoặc 270"}});
      ojson& pg = pages[k];
      if (pg.value("blank", false) || (pg.contains("error") && pg["error"].is_string()))
        throw Refused(422, "a blank or unread page is not in document.pdf", {{c.field, "trang trắng hoặc không đọc được"}});
      int pdf_index = 0;
      for (int i = 0; i < k; ++i)
        if (!pages[i].value("blank", false) && !(pages[i].contains("error") && pages[i]["error"].is_string())) ++pdf_index;
      const int before = pg.value("desk_rotation", 0);
      const int after = (before + std::stoi(v)) % 360;
      turns[pdf_index] = (turns[pdf_index] + std::stoi(v)) % 360;
      event("edit", c.field, before, after);
      pg["desk_rotation"] = after;
    } else {
      throw Refused(400, "unknown field: " + c.field);
    }
  }
  if (!problems.empty()) throw Refused(422, "some values do not pass their checks", problems);
  rec["archive"] = rec["class"] == "reusable";
  if (edit.action == "approve") {
    event("approve", "", desk["status"], "approved");
    desk["status"] = "approved";
    rec["review"] = false;  // a person has looked: the catalog and report stop asking
  } else if (edit.action == "reject") {
    event("reject", "", desk["status"], "rejected");
    desk["status"] = "rejected";
  }
  if (events.empty()) throw Refused(400, "nothing changed: every value is already what was sent");
  for (const auto& e : events) desk["events"].push_back(e);
  desk["version"] = desk.value("version", 0) + 1;
  const std::string bytes = dump(rec);
  const stdfs::path rdir = out_ / "records" / edit.record_id;
  bool new_pdf = false;
  for (const auto& [index, degrees] : turns) new_pdf |= degrees != 0;
  // document.pdf's title and subject name the type and the trích yếu: rewritten when they change.
  bool retitle = false;
  for (const auto& e : events) retitle |= e["field"] == "doc_type" || e["field"] == "metadata.trich_yeu";
  retitle &= rec.contains("files") && rec["files"]["pdf"].is_string() && stdfs::exists(rdir / "document.pdf");
  std::string pdf;
  if (new_pdf || retitle) pdf = slurp(rdir / "document.pdf");
  const bool signed_pdf = pdf.find("/ByteRange") != std::string::npos;
  if (new_pdf) {
    if (signed_pdf)
      throw Refused(422, "document.pdf is signed: turning a page would break its signature; sign again after correcting",
                    {{"pages", "tệp PDF đã ký số"}});
    pdf = rotate_pdf(pdf, turns);
  }
  if (retitle && !signed_pdf) {  // a signed PDF keeps its old title rather than lose its signature
    const std::string code = rec["doc_type"].get<std::string>();
    output::PdfInfo info;
    const ojson& src = rec["source"];
    info.title = output::doc_type_name(code) + " - " + src["path"].get<std::string>() +
                 (src["member"].is_string() ? "!" + src["member"].get<std::string>() : "");
    info.producer = std::string("sohoa ") + SOHOA_VERSION;
    info.subject = output::doc_type_name(code) + " (" + code + ")";
    if (rec["metadata"]["trich_yeu"].is_string()) info.description = rec["metadata"]["trich_yeu"].get<std::string>();
    info.created = rec.value("created", "");
    pdf = output::retitle_pdf(pdf, info);
    new_pdf = true;
  }
  if (new_pdf)  // beside the record until the journal says it is the record's: renamed in by commit_pending
    fs::write_atomic(rdir / ".document.pdf.desk", pdf);
  keep_superseded(edit.record_id);
  // The journal first: from here on a crash is finished by recover(), never left half done.
  fs::write_atomic(out_ / ".desk" / "pending.json",
                   dump({{"record_id", edit.record_id}, {"record", bytes}, {"events", events}, {"pdf", new_pdf}}));
  fs::write_atomic(out_ / "records" / edit.record_id / "record.json", bytes);
  if (pause_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms_));
  commit_pending();
  return {package::sha256_of(bytes), rec, events};
}

void Desk::keep_superseded(const std::string& record_id) {
  // A package may have been handed over already: the one it replaces is kept, numbered, beside it
  // (packages/superseded/<code>.<n>.zip), so a change is a new version and never a silent one.
  for (const package::Dossier& d : package::dossiers_of(out_, default_dossier_))
    for (const package::Member& m : d.members) {
      if (m.record_id != record_id) continue;
      const stdfs::path zip = out_ / "packages" / (d.code + ".zip");
      if (!stdfs::exists(zip)) return;
      const std::string bytes = slurp(zip);
      const stdfs::path dir = out_ / "packages" / "superseded";
      stdfs::create_directories(dir);
      int n = 1;
      while (stdfs::exists(dir / (d.code + "." + std::to_string(n) + ".zip"))) ++n;
      // A save replayed after a crash must not keep the same bytes twice.
      if (n > 1 && fs::read_text_or_empty(dir / (d.code + "." + std::to_string(n - 1) + ".zip")) == bytes) return;
      fs::write_atomic(dir / (d.code + "." + std::to_string(n) + ".zip"), bytes);
      return;
    }
}

bool Desk::recover() {
  std::lock_guard<std::mutex> guard(mu_);
  if (!stdfs::exists(out_ / ".desk")) return false;
  DirLock lock(out_ / ".desk" / "lock");
  if (!stdfs::exists(out_ / ".desk" / "pending.json")) {
    drop_staging();  // a regroup that died before its journal: the old records stand
    return false;
  }
  commit_pending();
  return true;
}

void Desk::drop_staging() {
  std::error_code ec;
  for (const auto& e : stdfs::directory_iterator(out_ / "records", ec))
    if (e.path().filename().string().rfind(".desk-new-", 0) == 0) stdfs::remove_all(e.path(), ec);
}

Regrouped Desk::regroup(const Regroup& rg) {
  std::lock_guard<std::mutex> guard(mu_);
  stdfs::create_directories(out_ / ".desk");
  DirLock lock(out_ / ".desk" / "lock");
  if (stdfs::exists(out_ / ".desk" / "pending.json")) commit_pending();
  drop_staging();
  std::string etag;
  const ojson rec = load(rg.record_id, &etag);
  if (rg.base != etag)
    throw Refused(409, "the record was changed since this screen loaded it (by another clerk or window); reload it", {{"etag", etag}});
  if (rg.who.empty()) throw Refused(400, "who made the change is not known");
  static const std::set<std::string> actions = {"move_next", "move_previous", "split", "join"};
  if (!actions.count(rg.action)) throw Refused(400, "unknown action: " + rg.action);
  // The records of the same input, from batch.json: a record is a page range of one input, so
  // pages move only between neighbours in one file (the id's hash names the input).
  const stdfs::path batch_path = out_ / "batch.json";
  ojson batch = ojson::parse(slurp(batch_path));
  ojson* item = nullptr;
  for (auto& it : batch["items"])
    for (const auto& r : it.value("records", ojson::array()))
      if (r == rg.record_id) item = &it;
  if (!item) throw Refused(404, "no such record in batch.json: " + rg.record_id);
  for (const auto& it : batch["items"])
    if (&it != item && it.value("sha256", "") == item->value("sha256", "") && !it.value("records", ojson::array()).empty())
      throw Refused(422, "the same file is also elsewhere in the batch (duplicate_of links the copies); its pages cannot be regrouped",
                    {{"pages", "tệp này có bản giống hệt ở nơi khác trong lô"}});
  const auto [first, last] = range_of(rec);
  auto neighbour = [&](bool next) -> std::string {
    for (const auto& r : (*item)["records"]) {
      const std::string id = r.get<std::string>();
      if (id == rg.record_id || !well_formed_id(id)) continue;
      const auto [f, l] = range_of(load(id, nullptr));
      if (next ? f == last + 1 : l == first - 1) return id;
    }
    throw Refused(422, std::string("no ") + (next ? "next" : "previous") + " document right beside it in the same file",
                  {{"pages", next ? "không có văn bản liền sau trong cùng tệp" : "không có văn bản liền trước trong cùng tệp"}});
  };
  std::vector<std::string> old_ids;
  if (rg.action == "move_previous") old_ids = {neighbour(false), rg.record_id};
  else if (rg.action == "split") old_ids = {rg.record_id};
  else old_ids = {rg.record_id, neighbour(true)};
  std::vector<OldRecord> olds;
  for (size_t i = 0; i < old_ids.size(); ++i) {
    const ojson r = old_ids[i] == rg.record_id ? rec : load(old_ids[i], nullptr);
    if (r.contains("duplicate_of") && r["duplicate_of"].is_string())
      throw Refused(422, old_ids[i] + " is a copy of another record (duplicate_of); its pages cannot be regrouped",
                    {{"pages", "bản sao của một hồ sơ khác"}});
    olds.push_back(read_old(out_, old_ids[i], r, static_cast<int>(i)));
  }
  const int mine = rg.action == "move_previous" ? 1 : 0;  // the clerk's record among olds
  const int n0 = static_cast<int>(olds[0].units.size());
  const int n1 = olds.size() > 1 ? static_cast<int>(olds[1].units.size()) : 0;
  std::vector<int> sizes, heirs;  // each new record: its number of pages, whose record it continues
  if (rg.action == "move_next" || rg.action == "move_previous") {
    const int moved_from = rg.action == "move_next" ? n0 : n1;
    if (moved_from < 2)
      throw Refused(422, "the document has one page: join it with its neighbour instead", {{"pages", "văn bản chỉ có một trang: hãy gộp"}});
    sizes = rg.action == "move_next" ? std::vector<int>{n0 - 1, n1 + 1} : std::vector<int>{n0 + 1, n1 - 1};
    heirs = {0, 1};
  } else if (rg.action == "split") {
    const int k = rg.page - first;
    if (k < 1 || k >= n0)
      throw Refused(422, "a document is split before one of its pages after its first", {{"pages", "trang tách phải nằm sau trang đầu"}});
    sizes = {k, n0 - k};
    heirs = {0, 0};
  } else {
    sizes = {n0 + n1};
    heirs = {0};
  }
  std::vector<const Unit*> all;
  for (const OldRecord& o : olds)
    for (const Unit& u : o.units) all.push_back(&u);
  const std::string prefix = rg.record_id.substr(0, 16);  // the input's hash: the same for its every record
  const std::string when = output::iso_utc(std::time(nullptr));
  ojson before = ojson::array(), after = ojson::array();
  for (const OldRecord& o : olds) before.push_back({{"id", o.id}, {"pages", o.rec["source"]["pages"]}});
  struct New {
    std::string id;
    ojson rec;
    std::string text, alto, pdf;
    bool has_pdf = false;
  };
  std::vector<New> made;
  int at = 0, focus = 0;
  for (size_t g = 0; g < sizes.size(); ++g) {
    const std::vector<const Unit*> units(all.begin() + at, all.begin() + at + sizes[g]);
    at += sizes[g];
    const int f = units.front()->page["number"].get<int>(), l = units.back()->page["number"].get<int>();
    char range[32];
    std::snprintf(range, sizeof range, "-p%03d-%03d", f, l);
    New n{prefix + range, olds[heirs[g]].rec, "", "", "", false};
    if (heirs[g] == mine && (rg.action != "split" || g == 0)) focus = static_cast<int>(g);
    int pdf_pages = 0;
    ojson pages = ojson::array();
    for (size_t i = 0; i < units.size(); ++i) {
      pages.push_back(units[i]->page);
      n.text += (i ? "\f" : "") + units[i]->text;
      pdf_pages += units[i]->pdf >= 0;
    }
    if (!pdf_pages) throw Refused(422, "a document would be left with no readable page", {{"pages", "văn bản không còn trang đọc được"}});
    if (n.text.empty() || n.text.back() != '\n') n.text += '\n';
    n.alto = join_alto(olds[heirs[g]].alto_head.empty() ? olds[0].alto_head : olds[heirs[g]].alto_head, units);
    n.pdf = join_pdf(olds, heirs[g], units);
    ojson& r = n.rec;
    r["id"] = n.id;
    r["source"]["pages"] = {f, l};
    r["pages"] = pages;
    r["pdf_pages"] = pdf_pages;
    r["files"]["pdf"] = "document.pdf";
    if (f != range_of(olds[heirs[g]].rec).first) r["split"] = {{"cue", "desk"}};
    // Type and metadata stay what they were for the heir's pages: a person must look again.
    r["review"] = true;
    ojson reasons = ojson::array();
    for (const auto& x : r.value("review_reasons", ojson::array()))
      if (x.value("code", "") != "pages_regrouped") reasons.push_back(x);
    reasons.push_back({{"code", "pages_regrouped"}, {"field", nullptr},
                       {"detail", "các trang đã được chia lại ở bàn kiểm tra; loại văn bản và thông tin chưa được đọc lại"}});
    r["review_reasons"] = reasons;
    ojson flags = ojson::array();
    for (const auto& fl : catalog::review_flags(r)) flags.push_back({{"code", fl.code}, {"detail", fl.detail}});
    r["flags"] = flags;
    ojson& d = r["desk"];
    if (!d.is_object()) d = {{"status", nullptr}, {"version", 0}, {"events", ojson::array()}};
    if (heirs[g] == 0 && g > 0) d["events"] = ojson::array();  // the split-off part starts its own history
    // A join keeps both histories (their event ids differ); a split's second part starts its own,
    // so no event is in a package twice.
    if (rg.action == "join" && olds[1].rec.contains("desk") && olds[1].rec["desk"].is_object())
      for (const auto& e : olds[1].rec["desk"].value("events", ojson::array())) d["events"].push_back(e);
    d["status"] = nullptr;  // an approval was of other pages
    d["version"] = d.value("version", 0) + 1;
    after.push_back({{"id", n.id}, {"pages", {f, l}}});
    made.push_back(std::move(n));
  }
  const std::string action = rg.action == "split" ? "split" : rg.action == "join" ? "join" : "move_page";
  ojson events = ojson::object();
  for (New& n : made) {
    ojson& evs = n.rec["desk"]["events"];
    const ojson e = {{"id", n.id + "-desk-" + std::to_string(last_event_number(out_, n.id, evs) + 1)}, {"who", clean(rg.who)}, {"when", when},
                     {"action", action}, {"field", "pages"}, {"before", before}, {"after", after}, {"why", clean(rg.why)}};
    evs.push_back(e);
    events[n.id] = ojson::array({e});
  }
  // Stage the new records whole beside the old ones; the journal then says they replace them.
  for (const New& n : made) {
    const stdfs::path dir = out_ / "records" / (".desk-new-" + n.id);
    stdfs::create_directories(dir);
    fs::write_atomic(dir / "document.pdf", n.pdf);
    fs::write_atomic(dir / "text.txt", n.text);
    fs::write_atomic(dir / "alto.xml", n.alto);
    fs::write_atomic(dir / "record.json", dump(n.rec));
    fs::sync_dir(dir);
  }
  fs::sync_dir(out_ / "records");
  ojson ids = ojson::array();
  for (const auto& r : (*item)["records"])
    if (std::find(old_ids.begin(), old_ids.end(), r.get<std::string>()) == old_ids.end()) ids.push_back(r);
  for (const New& n : made) ids.push_back(n.id);
  std::vector<std::string> sorted = ids.get<std::vector<std::string>>();
  std::sort(sorted.begin(), sorted.end());  // "<hash>-pNNN-NNN": page order
  (*item)["records"] = sorted;
  ojson added = ojson::array();
  for (const New& n : made) added.push_back(n.id);
  keep_superseded(rg.record_id);
  fs::write_atomic(out_ / ".desk" / "pending.json",
                   dump({{"kind", "regroup"}, {"record_id", rg.record_id}, {"removed", old_ids}, {"added", added},
                         {"batch", dump(batch)}, {"events", events}}));
  if (pause_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms_));
  commit_pending();
  Regrouped out{old_ids, added.get<std::vector<std::string>>(), made[focus].id, ojson::array()};
  for (const auto& [id, evs] : events.items())
    for (const auto& e : evs) out.events.push_back(e);
  return out;
}

void Desk::commit_regroup(const ojson& j) {
  const stdfs::path records = out_ / "records";
  const auto removed = j.at("removed").get<std::vector<std::string>>();
  const auto added = j.at("added").get<std::vector<std::string>>();
  for (const auto& id : removed)
    if (!well_formed_id(id)) throw Error(ErrorCode::internal, "desk journal: bad record id");
  for (const auto& id : added) {
    if (!well_formed_id(id)) throw Error(ErrorCode::internal, "desk journal: bad record id");
    const stdfs::path staged = records / (".desk-new-" + id);
    if (!stdfs::exists(staged)) continue;  // moved in before a crash
    std::error_code ec;
    stdfs::remove_all(records / id, ec);
    stdfs::rename(staged, records / id);
  }
  fs::sync_dir(records);
  const std::string batch = j.at("batch").get<std::string>();
  if (fs::read_text_or_empty(out_ / "batch.json") != batch) fs::write_atomic(out_ / "batch.json", batch);
  // A later `sohoa run` over the same OUT keeps the input as the desk left it (its done marker
  // names the records that are there), rather than reading it again over the corrections.
  std::error_code ec;
  for (const auto& e : stdfs::directory_iterator(out_ / "done", ec)) {
    if (e.path().extension() != ".json") continue;
    ojson m = ojson::parse(fs::read_text_or_empty(e.path()), nullptr, false);
    if (!m.is_object() || !m.contains("records") || !m["records"].is_array()) continue;
    bool hit = false;
    ojson ids = ojson::array();
    for (const auto& r : m["records"])
      if (std::find(removed.begin(), removed.end(), r.get<std::string>()) != removed.end()) hit = true;
      else ids.push_back(r);
    if (!hit) continue;
    for (const auto& id : added)
      if (std::find(ids.begin(), ids.end(), ojson(id)) == ids.end()) ids.push_back(id);
    std::vector<std::string> v = ids.get<std::vector<std::string>>();
    std::sort(v.begin(), v.end());
    m["records"] = v;
    fs::write_atomic(e.path(), m.dump(1, ' ', false, ojson::error_handler_t::replace) + "\n");
  }
  std::vector<std::string> gone;
  for (const auto& id : removed)
    if (std::find(added.begin(), added.end(), id) == added.end()) {
      stdfs::remove_all(records / id, ec);
      gone.push_back(id);
    }
  fs::sync_dir(records);
  package::Options po;
  po.default_dossier = default_dossier_;
  package::write_packages(out_, po);
  const std::vector<package::Dossier> dossiers = package::dossiers_of(out_, default_dossier_);
  catalog::update(out_, dossiers);
  catalog::forget(out_, gone);
  report::write_report(out_, dossiers);  // its links name the new records
  std::vector<catalog::AuditEvent> audit;
  for (const auto& [rid, evs] : j.at("events").items())
    for (const auto& e : evs) {
      auto s = [&](const char* k) { return e.contains(k) && e[k].is_string() ? e[k].get<std::string>() : std::string(); };
      audit.push_back({s("id"), rid, s("who"), s("when"), s("action"), s("field"), e.value("before", ojson(nullptr)).dump(),
                       e.value("after", ojson(nullptr)).dump(), s("why")});
    }
  catalog::append_audit(out_, audit);
  stdfs::remove(out_ / ".desk" / "pending.json");
  fs::sync_dir(out_ / ".desk");
}

void Desk::commit_pending() {
  const stdfs::path journal = out_ / ".desk" / "pending.json";
  const ojson j = ojson::parse(slurp(journal));
  if (j.value("kind", "") == "regroup") return commit_regroup(j);
  const std::string rid = j.at("record_id").get<std::string>();
  if (!well_formed_id(rid)) throw Error(ErrorCode::internal, journal.string() + ": bad record id");
  const stdfs::path rec_path = out_ / "records" / rid / "record.json";
  const std::string bytes = j.at("record").get<std::string>();
  if (fs::read_text_or_empty(rec_path) != bytes) fs::write_atomic(rec_path, bytes);
  const stdfs::path turned = out_ / "records" / rid / ".document.pdf.desk";
  if (j.value("pdf", false) && stdfs::exists(turned)) {
    stdfs::rename(turned, out_ / "records" / rid / "document.pdf");  // absent: renamed before a crash
    fs::sync_dir(out_ / "records" / rid);
  }
  // The same rewrite as `sohoa sign`: every package (each zip replaced whole), then the catalog.
  package::Options po;
  po.default_dossier = default_dossier_;
  package::write_packages(out_, po);
  const std::vector<package::Dossier> dossiers = package::dossiers_of(out_, default_dossier_);
  catalog::update(out_, dossiers);
  report::write_report(out_, dossiers);  // report.html shows what the desk made of the record
  std::vector<catalog::AuditEvent> audit;
  for (const auto& e : j.at("events")) {
    auto s = [&](const char* k) { return e.contains(k) && e[k].is_string() ? e[k].get<std::string>() : std::string(); };
    audit.push_back({s("id"), rid, s("who"), s("when"), s("action"), s("field"), e.value("before", ojson(nullptr)).dump(),
                     e.value("after", ojson(nullptr)).dump(), s("why")});
  }
  catalog::append_audit(out_, audit);
  stdfs::remove(journal);
  fs::sync_dir(out_ / ".desk");
}

}  // namespace sohoa::desk
