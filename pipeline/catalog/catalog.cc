#include "catalog/catalog.h"
#include "core/fsutil.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "catalog/flags.h"
#include "core/error.h"
#include "core/text.h"
#include "output/archive_terms.h"
#include "package/zip.h"

namespace sohoa::catalog {
namespace stdfs = std::filesystem;
using json = nlohmann::json;

namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtCloser {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
      throw Error(ErrorCode::internal, std::string("catalog: ") + sqlite3_errmsg(db) + " in " + sql);
    s_.reset(s);
  }
  Stmt& bind(int i, const std::string& v) { sqlite3_bind_text(s_.get(), i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); return *this; }
  Stmt& bind(int i, const char* v) { return v ? bind(i, std::string(v)) : null(i); }
  Stmt& bind(int i, double v) { sqlite3_bind_double(s_.get(), i, v); return *this; }
  Stmt& bind(int i, long long v) { sqlite3_bind_int64(s_.get(), i, v); return *this; }
  Stmt& bind(int i, int v) { sqlite3_bind_int64(s_.get(), i, v); return *this; }
  Stmt& null(int i) { sqlite3_bind_null(s_.get(), i); return *this; }
  Stmt& bind_opt(int i, const json& j) { return j.is_string() ? bind(i, j.get<std::string>()) : null(i); }
  bool step() {
    const int r = sqlite3_step(s_.get());
    if (r == SQLITE_ROW) return true;
    if (r == SQLITE_DONE) return false;
    throw Error(ErrorCode::output_io, std::string("catalog: ") + sqlite3_errmsg(db_));
  }
  void run() { step(); sqlite3_reset(s_.get()); sqlite3_clear_bindings(s_.get()); }
  std::string text(int c) { auto p = sqlite3_column_text(s_.get(), c); return p ? reinterpret_cast<const char*>(p) : ""; }
  int integer(int c) { return sqlite3_column_int(s_.get(), c); }
  sqlite3_stmt* handle() { return s_.get(); }
  long long int64(int c) { return sqlite3_column_int64(s_.get(), c); }
  void reset() { sqlite3_reset(s_.get()); sqlite3_clear_bindings(s_.get()); }
  double real(int c) { return sqlite3_column_double(s_.get(), c); }

 private:
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, StmtCloser> s_;
};

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw Error(ErrorCode::output_io, "catalog: " + msg);
  }
}

Db open(const stdfs::path& path, bool create) {
  sqlite3* db = nullptr;
  const int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw Error(create ? ErrorCode::output_io : ErrorCode::unreadable, "cannot open " + path.string() + ": " + msg);
  }
  sqlite3_busy_timeout(db, 10000);
  return Db(db);
}

const char* kSchema = R"(
PRAGMA journal_mode=WAL;
CREATE TABLE IF NOT EXISTS dossiers(code TEXT PRIMARY KEY, package TEXT, package_sha256 TEXT, package_size INTEGER,
  records INTEGER, updated TEXT);
CREATE TABLE IF NOT EXISTS records(id TEXT PRIMARY KEY, dossier TEXT, name TEXT, package TEXT, source_path TEXT,
  source_member TEXT, source_sha256 TEXT, first_page INTEGER, last_page INTEGER, class TEXT, doc_type TEXT,
  archive INTEGER, review INTEGER, confidence REAL, method TEXT, so_ky_hieu TEXT, ngay_ban_hanh TEXT,
  co_quan_ban_hanh TEXT, ho_ten TEXT, so_dinh_danh TEXT, ngay_sinh TEXT, trich_yeu TEXT, pages INTEGER,
  pdf_pages INTEGER, ocr_confidence REAL, created TEXT, out_root TEXT, record_json TEXT);
CREATE INDEX IF NOT EXISTS records_dossier ON records(dossier);
CREATE INDEX IF NOT EXISTS records_type ON records(doc_type);
CREATE TABLE IF NOT EXISTS pages(record_id TEXT, number INTEGER, dpi REAL, rotation INTEGER, rotation_confidence REAL,
  skew_deg REAL, blank INTEGER, ocr_confidence REAL, PRIMARY KEY(record_id, number));
CREATE TABLE IF NOT EXISTS files(record_id TEXT, name TEXT, size INTEGER, sha256 TEXT, PRIMARY KEY(record_id, name));
CREATE TABLE IF NOT EXISTS flags(record_id TEXT, flag TEXT, detail TEXT);
CREATE INDEX IF NOT EXISTS flags_record ON flags(record_id);
CREATE TABLE IF NOT EXISTS signatures(record_id TEXT, n INTEGER, type TEXT, signer TEXT, signer_dn TEXT,
  organization TEXT, signing_time TEXT, covers_whole_file INTEGER, bytes_intact INTEGER, certificate TEXT,
  PRIMARY KEY(record_id, n));
CREATE VIRTUAL TABLE IF NOT EXISTS record_text USING fts5(record_id UNINDEXED, body, tokenize='unicode61');
)";

/// record_text's record_id is UNINDEXED: deleting by it scans the whole text index, once per record
/// (a merge of 1,500 records spent most of its catalog time there). The row of each record's text,
/// and what its row was made from (record.json and the files' identity): a record whose stamp is
/// unchanged is not written again.
const char* kStateSchema = R"(
CREATE TABLE IF NOT EXISTS record_state(record_id TEXT PRIMARY KEY, text_rowid INTEGER, stamp TEXT);
CREATE TABLE IF NOT EXISTS package_state(code TEXT PRIMARY KEY, stamp TEXT);
)";

std::string slurp(const stdfs::path& p) { return fs::read_text_or_empty(p); }

/// A file's identity without reading it: inode, size, modification time in ns ("-" when absent).
/// sohoa replaces files whole (a new inode), so a file rewritten since shows another stamp.
std::string file_stamp(const stdfs::path& p) {
  struct stat st{};
  if (::stat(p.c_str(), &st) != 0) return "-";
  return std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

/// FTS5 query from free words: each folded word quoted, all required.
std::string fts_query(const std::string& q) {
  std::string out;
  for (const std::string& w : query_words(q)) out += (out.empty() ? "\"" : " \"") + w + "\"";
  return out;
}

}  // namespace

std::vector<std::string> query_words(const std::string& q) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (char c : text::fold(q)) {
    if (std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80)) word += c;
    else flush();
  }
  flush();
  return words;
}

stdfs::path catalog_path(const stdfs::path& p) {
  return stdfs::is_directory(p) ? p / "catalog.sqlite" : p;
}

int update(const stdfs::path& out_root, const std::vector<package::Dossier>& dossiers) {
  Db db = open(out_root / "catalog.sqlite", true);
  exec(db.get(), kSchema);
  {
    // A catalog written before record_state: its text rows are found once, by a scan.
    Stmt has(db.get(), "SELECT 1 FROM sqlite_master WHERE type='table' AND name='record_state'");
    const bool fresh = !has.step();
    has.reset();
    exec(db.get(), kStateSchema);
    if (fresh) exec(db.get(), "INSERT OR REPLACE INTO record_state SELECT record_id, rowid, '' FROM record_text");
  }
  const json batch = json::parse(slurp(out_root / "batch.json"));
  const std::string root = stdfs::absolute(out_root).lexically_normal().string();
  std::map<std::string, std::pair<std::string, std::string>> where;  // record id -> (dossier, name)
  for (const auto& d : dossiers)
    for (const auto& m : d.members) where[m.record_id] = {d.code, m.name};
  const std::string now = output::iso_utc(output::output_epoch());
  exec(db.get(), "BEGIN IMMEDIATE");
  int written = 0;
  try {
    Stmt del_rec(db.get(), "DELETE FROM records WHERE id=?"), del_pages(db.get(), "DELETE FROM pages WHERE record_id=?"),
        del_files(db.get(), "DELETE FROM files WHERE record_id=?"), del_flags(db.get(), "DELETE FROM flags WHERE record_id=?"),
        del_text(db.get(), "DELETE FROM record_text WHERE rowid=?");
    Stmt get_state(db.get(), "SELECT text_rowid, stamp FROM record_state WHERE record_id=?");
    Stmt put_state(db.get(), "INSERT OR REPLACE INTO record_state VALUES(?,?,?)");
    Stmt ins_rec(db.get(),
                 "INSERT INTO records VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,"
                 "?22,?23,?24,?25,?26,?27,?28)");
    Stmt ins_page(db.get(), "INSERT INTO pages VALUES(?,?,?,?,?,?,?,?)");
    Stmt ins_file(db.get(), "INSERT INTO files VALUES(?,?,?,?)");
    Stmt ins_flag(db.get(), "INSERT INTO flags VALUES(?,?,?)");
    Stmt ins_sig(db.get(), "INSERT INTO signatures VALUES(?,?,?,?,?,?,?,?,?,?)");
    Stmt del_sigs(db.get(), "DELETE FROM signatures WHERE record_id=?");
    Stmt ins_text(db.get(), "INSERT INTO record_text(record_id, body) VALUES(?,?)");
    // A dossier's package is made anew from this batch: records of an earlier batch that it no
    // longer holds keep their row but lose their package (the rows below put back the ones it holds).
    Stmt in_dossier(db.get(), "SELECT id FROM records WHERE dossier=? AND package IS NOT NULL");
    Stmt unpack(db.get(), "UPDATE records SET package=NULL, name=NULL WHERE id=?");
    Stmt unstamp(db.get(), "UPDATE record_state SET stamp='' WHERE record_id=?");
    for (const auto& d : dossiers) {
      std::vector<std::string> gone;
      in_dossier.bind(1, d.code);
      while (in_dossier.step())
        if (auto w = where.find(in_dossier.text(0)); w == where.end() || w->second.first != d.code) gone.push_back(in_dossier.text(0));
      in_dossier.reset();
      for (const auto& id : gone) {
        unpack.bind(1, id).run();
        unstamp.bind(1, id).run();
      }
    }
    for (const auto& item : batch.value("items", json::array())) {
      for (const auto& rid_j : item.value("records", json::array())) {
        const std::string rid = rid_j.get<std::string>();
        const stdfs::path dir = out_root / "records" / rid;
        if (!stdfs::exists(dir / "record.json")) continue;
        const std::string rec_bytes = slurp(dir / "record.json");
        auto w = where.find(rid);
        const std::string dossier = w != where.end() ? w->second.first : "";
        const std::string name = w != where.end() ? w->second.second : "";
        // What the row is made of: the record, its files, its place. Unchanged: nothing to write.
        std::string stamp = package::sha256_of(rec_bytes) + "|" + dossier + "|" + name + "|" + root;
        for (const char* f : {"document.pdf", "text.txt", "alto.xml"}) stamp += "|" + file_stamp(dir / f);
        long long text_rowid = -1;
        get_state.bind(1, rid);
        if (get_state.step()) {
          text_rowid = sqlite3_column_type(get_state.handle(), 0) == SQLITE_NULL ? -1 : get_state.int64(0);
          const bool same = get_state.text(1) == stamp;
          get_state.reset();
          if (same) {
            ++written;
            continue;
          }
        } else {
          get_state.reset();
        }
        const json rec = json::parse(rec_bytes);
        for (Stmt* s : {&del_rec, &del_pages, &del_files, &del_flags}) s->bind(1, rid).run();
        if (text_rowid >= 0) del_text.bind(1, text_rowid).run();
        const json& src = rec["source"];
        const json& md = rec.value("metadata", json::object());
        double conf = 0;
        int n = 0, pdf_pages = 0;
        for (const auto& p : rec.value("pages", json::array())) {
          if (p.value("blank", false)) continue;
          conf += p.value("ocr_confidence", 0.0);
          ++n;
          ++pdf_pages;
        }
        auto opt = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
        ins_rec.bind(1, rid).bind_opt(2, opt(dossier)).bind_opt(3, opt(name))
            .bind_opt(4, opt(dossier.empty() ? "" : "packages/" + dossier + ".zip"))
            .bind_opt(5, src.value("path", json(nullptr))).bind_opt(6, src.value("member", json(nullptr)))
            .bind_opt(7, src.value("sha256", json(nullptr)))
            .bind(8, src["pages"][0].get<int>()).bind(9, src["pages"][1].get<int>())
            .bind_opt(10, rec.value("class", json(nullptr))).bind_opt(11, rec.value("doc_type", json(nullptr)))
            .bind(12, rec.value("archive", false) ? 1 : 0).bind(13, rec.value("review", false) ? 1 : 0)
            .bind(14, rec["classification"].value("confidence", 0.0))
            .bind_opt(15, rec["classification"].value("method", json(nullptr)));
        int col = 16;
        for (const char* k : {"so_ky_hieu", "ngay_ban_hanh", "co_quan_ban_hanh", "ho_ten", "so_dinh_danh", "ngay_sinh", "trich_yeu"})
          ins_rec.bind_opt(col++, md.value(k, json(nullptr)));
        ins_rec.bind(23, static_cast<int>(rec.value("pages", json::array()).size())).bind(24, pdf_pages)
            .bind(25, n ? conf / n : 0.0).bind_opt(26, rec.value("created", json(nullptr)))
            .bind(27, root).bind(28, rec_bytes);
        ins_rec.run();
        for (const auto& p : rec.value("pages", json::array()))
          ins_page.bind(1, rid).bind(2, p.value("number", 0)).bind(3, p.value("dpi", 0.0)).bind(4, p.value("rotation", 0))
              .bind(5, p.value("rotation_confidence", 0.0)).bind(6, p.value("skew_deg", 0.0))
              .bind(7, p.value("blank", false) ? 1 : 0).bind(8, p.value("ocr_confidence", 0.0)).run();
        std::string body_text;
        for (const char* f : {"record.json", "document.pdf", "text.txt", "alto.xml"}) {
          if (!stdfs::exists(dir / f)) continue;
          const std::string bytes = slurp(dir / f);
          if (std::string(f) == "text.txt") body_text = bytes;
          ins_file.bind(1, rid).bind(2, f).bind(3, static_cast<long long>(bytes.size())).bind(4, package::sha256_of(bytes)).run();
        }
        for (const Flag& f : review_flags(rec)) ins_flag.bind(1, rid).bind(2, f.code).bind(3, f.detail).run();
        del_sigs.bind(1, rid).run();
        int sig_n = 0;
        for (const auto& sg : rec.value("signatures", json::array()))
          ins_sig.bind(1, rid).bind(2, ++sig_n).bind_opt(3, sg.value("type", json(nullptr)))
              .bind_opt(4, sg.value("signer", json(nullptr))).bind_opt(5, sg.value("signer_dn", json(nullptr)))
              .bind_opt(6, sg.value("organization", json(nullptr))).bind_opt(7, sg.value("signing_time", json(nullptr)))
              .bind(8, sg.value("covers_whole_file", false) ? 1 : 0).bind(9, sg.value("bytes_intact", false) ? 1 : 0)
              .bind_opt(10, sg.value("certificate", json::object()).value("state", json(nullptr))).run();
        std::string body = output::doc_type_name(rec.value("doc_type", "")) + "\n" + name + "\n";
        for (const auto& [k, v] : md.items())
          if (v.is_string()) body += v.get<std::string>() + "\n";
        body += body_text;
        ins_text.bind(1, rid).bind(2, text::fold(body)).run();
        put_state.bind(1, rid).bind(2, static_cast<long long>(sqlite3_last_insert_rowid(db.get()))).bind(3, stamp).run();
        ++written;
      }
    }
    Stmt ins_dossier(db.get(), "INSERT OR REPLACE INTO dossiers VALUES(?,?,?,?,?,?)");
    // A package's row is read from its zip (SHA-256 of every byte) only when the zip changed.
    Stmt get_pkg(db.get(), "SELECT p.stamp FROM package_state p JOIN dossiers d ON d.code = p.code WHERE p.code=?");
    Stmt put_pkg(db.get(), "INSERT OR REPLACE INTO package_state VALUES(?,?)");
    for (const auto& d : dossiers) {
      const stdfs::path zip = out_root / "packages" / (d.code + ".zip");
      const std::string stamp = file_stamp(zip) + "|" + std::to_string(d.members.size());  // "updated": when it last changed
      get_pkg.bind(1, d.code);
      const bool same = get_pkg.step() && get_pkg.text(0) == stamp;
      get_pkg.reset();
      if (same) continue;
      put_pkg.bind(1, d.code).bind(2, stamp).run();
      const std::string bytes = stdfs::exists(zip) ? slurp(zip) : "";
      ins_dossier.bind(1, d.code).bind(2, "packages/" + d.code + ".zip").bind(3, package::sha256_of(bytes))
          .bind(4, static_cast<long long>(bytes.size())).bind(5, static_cast<int>(d.members.size())).bind(6, now).run();
    }
    exec(db.get(), "COMMIT");
  } catch (...) {
    sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return written;
}

namespace {
const char* kAuditSchema = R"(
PRAGMA journal_mode=WAL;
CREATE TABLE IF NOT EXISTS audit(seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE NOT NULL, record_id TEXT,
  who TEXT, at TEXT, action TEXT, field TEXT, before TEXT, after TEXT, why TEXT);
CREATE INDEX IF NOT EXISTS audit_record ON audit(record_id);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)";
}  // namespace

void append_audit(const stdfs::path& out_root, const std::vector<AuditEvent>& events) {
  Db db = open(out_root / "catalog.sqlite", true);
  exec(db.get(), kAuditSchema);
  exec(db.get(), "BEGIN IMMEDIATE");
  try {
    Stmt ins(db.get(), "INSERT OR IGNORE INTO audit(event_id, record_id, who, at, action, field, before, after, why) "
                       "VALUES(?,?,?,?,?,?,?,?,?)");
    for (const AuditEvent& e : events)
      ins.bind(1, e.id).bind(2, e.record_id).bind(3, e.who).bind(4, e.at).bind(5, e.action).bind(6, e.field)
          .bind(7, e.before).bind(8, e.after).bind(9, e.why).run();
    exec(db.get(), "COMMIT");
  } catch (...) {
    sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void forget(const stdfs::path& out_root, const std::vector<std::string>& record_ids) {
  if (record_ids.empty() || !stdfs::exists(out_root / "catalog.sqlite")) return;
  Db db = open(out_root / "catalog.sqlite", true);
  exec(db.get(), kSchema);
  exec(db.get(), "BEGIN IMMEDIATE");
  try {
    Stmt r(db.get(), "DELETE FROM records WHERE id=?"), p(db.get(), "DELETE FROM pages WHERE record_id=?"),
        f(db.get(), "DELETE FROM files WHERE record_id=?"), fl(db.get(), "DELETE FROM flags WHERE record_id=?"),
        t(db.get(), "DELETE FROM record_text WHERE record_id=?"), sg(db.get(), "DELETE FROM signatures WHERE record_id=?");
    for (const std::string& id : record_ids)
      for (Stmt* s : {&r, &p, &f, &fl, &t, &sg}) s->bind(1, id).run();
    exec(db.get(), "COMMIT");
  } catch (...) {
    sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<AuditEvent> audit_of(const stdfs::path& out_root, const std::string& record_id) {
  std::vector<AuditEvent> out;
  const stdfs::path path = out_root / "catalog.sqlite";
  if (!stdfs::exists(path)) return out;
  Db db = open(path, false);  // reading never changes the catalog's bytes
  bool present = false;
  Stmt t(db.get(), "SELECT 1 FROM sqlite_master WHERE type='table' AND name='audit'");
  present = t.step();
  if (!present) return out;
  Stmt s(db.get(), record_id.empty()
                       ? "SELECT event_id, record_id, who, at, action, field, before, after, why FROM audit ORDER BY seq"
                       : "SELECT event_id, record_id, who, at, action, field, before, after, why FROM audit "
                         "WHERE record_id=?1 ORDER BY seq");
  if (!record_id.empty()) s.bind(1, record_id);
  while (s.step())
    out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.text(7), s.text(8)});
  return out;
}

std::vector<Hit> search(const stdfs::path& catalog, const Query& q) {
  const stdfs::path path = catalog_path(catalog);
  if (!stdfs::exists(path)) throw Error(ErrorCode::unreadable, "no catalog at " + path.string() + " (run sohoa run first)");
  Db db = open(path, false);
  const std::string match = fts_query(q.text);
  std::string sql =
      "SELECT r.id, r.name, r.dossier, r.package, r.doc_type, r.class, r.source_path, r.source_member, r.first_page, "
      "r.last_page, r.pages, r.confidence, r.review, r.record_json, ";
  sql += match.empty() ? "'' FROM records r WHERE 1" :
                         "snippet(record_text, 1, '[', ']', '…', 12) FROM record_text t JOIN records r ON r.id = t.record_id "
                         "WHERE record_text MATCH ?1";
  if (q.doc_type) sql += " AND r.doc_type = ?2";
  if (q.reusable_only) sql += " AND r.class = 'reusable'";
  sql += match.empty() ? " ORDER BY r.dossier, r.name, r.id" : " ORDER BY bm25(record_text), r.id";
  sql += " LIMIT " + std::to_string(q.limit);
  Stmt s(db.get(), sql.c_str());
  if (!match.empty()) s.bind(1, match);
  if (q.doc_type) s.bind(2, *q.doc_type);
  std::vector<Hit> hits;
  while (s.step()) {
    Hit h;
    h.record_id = s.text(0);
    h.name = s.text(1);
    h.dossier = s.text(2);
    h.package = s.text(3);
    h.doc_type = s.text(4);
    h.cls = s.text(5);
    h.source = s.text(6) + (s.text(7).empty() ? "" : "!" + s.text(7));
    h.first_page = s.integer(8);
    h.last_page = s.integer(9);
    h.pages = s.integer(10);
    h.confidence = s.real(11);
    h.review = s.integer(12) != 0;
    const json rec = json::parse(s.text(13), nullptr, false);
    h.metadata_json = rec.is_object() && rec.contains("metadata") ? rec["metadata"].dump() : "{}";
    h.snippet = s.text(14);
    for (char& c : h.snippet) if (c == '\n' || c == '\f') c = ' ';
    hits.push_back(std::move(h));
  }
  return hits;
}

}  // namespace sohoa::catalog
