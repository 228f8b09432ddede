#include "desk/desk.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <regex>
#include <map>
#include <set>
#include <thread>

#include "catalog/catalog.h"
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "core/error.h"
#include "core/fsutil.h"
#include "core/text.h"
#include "doctypes/doctypes.h"
#include "doctypes/validators.h"
#include "output/archive_terms.h"
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
  QPDFWriter w(q);
  w.setOutputMemory();
  w.setDeterministicID(true);  // same corrections, same bytes
  w.write();
  auto buf = w.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
}

}  // namespace

bool well_formed_id(const std::string& id) {
  static const std::regex re("^[0-9a-f]{16}-p[0-9]{3}-[0-9]{3}$");
  return std::regex_match(id, re);
}

std::string check_field(const std::string& doc_type, const std::string& key, const std::string& value) {
  const doctypes::Catalogue& cat = doctypes::catalogue();
  if (value.empty()) return cat.get(doc_type).must_have(key) ? "trường bắt buộc với loại văn bản này" : "";
  if (value.size() > 2000) return "quá dài";
  // The schema's shapes first: a value the package's record.json could not hold is never saved.
  if (key.rfind("ngay_", 0) == 0 && !doctypes::real_date(value)) return "ngày phải viết YYYY-MM-DD và là ngày có thật";
  if (key == "do_khan" && value != "KHẨN" && value != "THƯỢNG KHẨN" && value != "HỎA TỐC") return "KHẨN, THƯỢNG KHẨN hoặc HỎA TỐC";
  if (key == "do_mat" && value != "MẬT" && value != "TỐI MẬT" && value != "TUYỆT MẬT") return "MẬT, TỐI MẬT hoặc TUYỆT MẬT";
  auto v = cat.field_validators.find(key);
  if (v == cat.field_validators.end()) return "";
  return doctypes::check(v->second, value, cat.get(doc_type), cat);
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
  int n = static_cast<int>(desk["events"].size());
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
  if (new_pdf) {
    const std::string pdf = slurp(rdir / "document.pdf");
    if (pdf.find("/ByteRange") != std::string::npos)
      throw Refused(422, "document.pdf is signed: turning a page would break its signature; sign again after correcting",
                    {{"pages", "tệp PDF đã ký số"}});
    // Beside the record until the journal says it is the record's: renamed into place by commit_pending.
    fs::write_atomic(rdir / ".document.pdf.desk", rotate_pdf(pdf, turns));
  }
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
  if (!stdfs::exists(out_ / ".desk" / "pending.json")) return false;
  DirLock lock(out_ / ".desk" / "lock");
  if (!stdfs::exists(out_ / ".desk" / "pending.json")) return false;
  commit_pending();
  return true;
}

void Desk::commit_pending() {
  const stdfs::path journal = out_ / ".desk" / "pending.json";
  const ojson j = ojson::parse(slurp(journal));
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
  catalog::update(out_, package::dossiers_of(out_, default_dossier_));
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
