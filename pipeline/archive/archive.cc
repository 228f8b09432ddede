#include "archive/archive.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "archive/phash.h"
#include "archive/store.h"
#include "catalog/catalog.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "core/text.h"
#include "doctypes/doctypes.h"
#include "doctypes/validators.h"
#include "package/package.h"
#include "package/zip.h"

namespace sohoa::archive {
namespace stdfs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string now_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return b;
}

/// Folded, letters and digits only: "Số 12/QĐ-UBND" and "so 12 qd ubnd" are one key.
std::string compact_key(const std::string& s) {
  std::string out;
  for (char c : text::fold(text::nfc(s)))
    if (std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80)) out += c;
  return out;
}

/// A person's name as the index keeps it: folded, single spaces.
std::string name_key(const std::string& s) {
  std::string out;
  for (const auto& w : catalog::query_words(text::nfc(s))) out += (out.empty() ? "" : " ") + w;
  return out;
}

Value opt(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return std::nullopt;
  std::string v = text::nfc(j[key].get<std::string>());
  if (v.empty()) return std::nullopt;
  return v;
}
Value opt_s(const std::string& s) { return s.empty() ? Value() : Value(s); }
std::string str(const Value& v) { return v.value_or(""); }

/// What the type catalogue says about a type's validity, re-issue and identity, as doctypes::Type
/// reads it from models/doctypes.json; the fields same_document_when may name are the columns
/// the archive keeps of a record.
const doctypes::Type& rules_of(const std::string& code) {
  static const bool checked = [] {
    static const std::set<std::string> columns = {"so_dinh_danh", "ngay_ban_hanh", "ngay_sinh", "ngay_het_han", "so_ky_hieu"};
    const auto& cat = doctypes::catalogue();
    for (const auto& t : cat.types) {
      for (const auto& f : t.same_document_when)
        if (!columns.count(f))
          throw Error(ErrorCode::internal, cat.path + ": same_document_when of " + t.code + " names " + f + ", which the archive does not keep");
      if (!t.valid_until_field.empty() && t.valid_until_field != "ngay_het_han")
        throw Error(ErrorCode::internal, cat.path + ": valid_for.until_field of " + t.code + " must be ngay_het_han, the date the archive keeps");
      if (t.valid_months > 0 && t.valid_from_field != "ngay_ban_hanh")
        throw Error(ErrorCode::internal, cat.path + ": valid_for.from_field of " + t.code + " must be ngay_ban_hanh, the date the archive keeps");
    }
    return true;
  }();
  (void)checked;
  return doctypes::catalogue().get(code);
}

/// The person of a type whose name is in metadata field `field` (for the role a lookup shows).
const doctypes::PersonFields* person_of(const std::string& doc_type, const std::string& field) {
  for (const auto& p : rules_of(doc_type).persons)
    if (p.name == field) return &p;
  return nullptr;
}

bool iso_date(const std::string& s) {
  int y, m, d;
  return s.size() == 10 && std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3;
}

/// The last day of validity: issue date + months (a day that does not exist becomes the month's last).
std::string add_months(const std::string& iso, int months) {
  int y, m, d;
  std::sscanf(iso.c_str(), "%4d-%2d-%2d", &y, &m, &d);
  m += months;
  y += (m - 1) / 12;
  m = (m - 1) % 12 + 1;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  d = std::min(d, days[m - 1] + (m == 2 && leap ? 1 : 0));
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
  return b;
}

/// One reusable record of OUT, ready to insert.
struct Entry {
  std::string uid, record_id, record_name, record_sha256, document_sha256, doc_type, phash, body, pages;
  Value so_ky_hieu, number_key, issuer, issuer_key, issued, expires, ho_ten, name, id, born;
  std::string package_sha256;
  stdfs::path pdf;            // document.pdf, to hash
  struct Named {
    std::string field;
    Value ho_ten, name, id, born;
  };
  std::vector<Named> persons;  // every person the record names (the catalogue's persons of its type)
};

struct Package {
  std::string sha256, dossier, location;
  long long size = 0;
};

const char* kDocColumns =
    "r.uid, r.doc_type, r.so_ky_hieu, r.ngay_ban_hanh, r.co_quan_ban_hanh, r.ngay_het_han, r.ho_ten, r.so_dinh_danh, "
    "r.ngay_sinh, p.location, r.package_sha256, p.dossier, r.record_id, r.record_name, r.record_sha256, r.duplicate_of, "
    "r.duplicate_reason, s.new_uid";

Document doc_of(const Row& row) {
  Document d;
  d.uid = str(row[0]);
  d.doc_type = str(row[1]);
  d.type_name = doctypes::name_of(d.doc_type);
  d.so_ky_hieu = str(row[2]);
  d.ngay_ban_hanh = str(row[3]);
  d.co_quan_ban_hanh = str(row[4]);
  d.ngay_het_han = str(row[5]);
  d.ho_ten = str(row[6]);
  d.so_dinh_danh = str(row[7]);
  d.ngay_sinh = str(row[8]);
  d.package = str(row[9]);
  d.package_sha256 = str(row[10]);
  d.dossier = str(row[11]);
  d.record_id = str(row[12]);
  d.record_name = str(row[13]);
  d.record_sha256 = str(row[14]);
  d.duplicate_of = str(row[15]);
  d.duplicate_reason = str(row[16]);
  d.superseded_by = str(row[17]);
  if (row.size() == 19) d.snippet = str(row[18]);
  return d;
}

std::string os_user() {
  if (const passwd* pw = getpwuid(geteuid())) return pw->pw_name;
  if (const char* u = std::getenv("USER")) return u;
  return "uid " + std::to_string(geteuid());
}

}  // namespace

bool is_postgresql_url(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

std::string index_text(const std::string& t) {
  std::string out;
  for (const auto& w : catalog::query_words(text::nfc(t))) out += (out.empty() ? "" : " ") + w;
  return out;
}

Archive::Archive(std::unique_ptr<Store> s) : store_(std::move(s)) {}
Archive::~Archive() = default;

std::unique_ptr<Archive> Archive::open(const std::string& url) {
  std::unique_ptr<Store> s;
  if (is_postgresql_url(url)) {
    s = open_postgresql(url);
  } else {
    std::string path = url;
    if (path.rfind("sqlite://", 0) == 0) path = path.substr(9);
    else if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
    else if (path.find("://") != std::string::npos)
      throw Error(ErrorCode::unreadable, "archive URL " + url + ": unknown scheme (a file path, sqlite:PATH or postgresql://…)");
    if (path.empty()) throw Error(ErrorCode::unreadable, "archive URL " + url + ": no file named");
    s = open_sqlite(path);
  }
  std::unique_ptr<Archive> a(new Archive(std::move(s)));
  a->migrate();
  return a;
}

std::string Archive::backend() const { return store_->dialect(); }

int Archive::schema_version() {
  auto rows = store_->query("SELECT max(version) FROM archive_schema");
  return rows.empty() || !rows[0][0] ? 0 : std::stoi(*rows[0][0]);
}

void Archive::migrate() {
  const auto all = migrations(store_->dialect());
  const int newest = all.empty() ? 0 : all.back().version;
  // Is there a schema at all? (to_regclass / sqlite_master: no error on an empty database)
  const std::string exists_sql = store_->dialect() == "sqlite"
                                     ? "SELECT count(*) FROM sqlite_master WHERE name='archive_schema'"
                                     : "SELECT count(*) FROM pg_tables WHERE tablename='archive_schema' AND schemaname=current_schema()";
  auto current = [&] { return std::stoi(str(store_->query(exists_sql)[0][0])) ? schema_version() : 0; };
  if (current() >= newest) return;
  store_->begin_write();
  try {
    const int have = current();  // again, under the lock: another workstation may have migrated meanwhile
    for (const auto& m : all) {
      if (m.version <= have) continue;
      store_->exec_script(m.sql);
      store_->query("INSERT INTO archive_schema(version, name, applied) VALUES($1, $2, $3)",
                    {std::to_string(m.version), m.name, now_utc()});
    }
    store_->commit();
  } catch (const Error& e) {
    store_->rollback();
    throw Error(e.code(), std::string(e.what()) + " (while bringing the archive schema to version " + std::to_string(newest) +
                              "; a role that may only read and insert cannot: run `sohoa archive init URL` as the archive's owner)");
  }
}

void Archive::grant(const std::string& role) {
  if (store_->dialect() != "postgresql") throw Error(ErrorCode::unsupported, "grant: only PostgreSQL archives have roles");
  for (char c : role)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      throw Error(ErrorCode::unsupported, "grant: not a role name: " + role);
  // Read and insert, nothing else: no UPDATE, DELETE, TRUNCATE, and only an owner may DROP.
  store_->exec_script("GRANT USAGE ON SCHEMA public TO " + role + "; GRANT SELECT, INSERT ON packages, records, supersessions, "
                      "lookups, persons TO " + role + "; GRANT SELECT ON archive_schema TO " + role + ";");
}

AddSummary Archive::add(const stdfs::path& out, const std::string& who_in) {
  const std::string who = who_in.empty() ? os_user() : who_in;
  if (!stdfs::exists(out / "batch.json"))
    throw Error(ErrorCode::unreadable, out.string() + " is not a sohoa output folder (no batch.json)");
  AddSummary sum;
  // Everything is read and hashed before the transaction: it holds other writers back.
  const auto dossiers = package::dossiers_of(out);
  std::vector<Package> packages;
  std::vector<Entry> entries;
  std::set<std::string> in_dossier;
  for (const auto& d : dossiers) {
    const stdfs::path zip = out / "packages" / (d.code + ".zip");
    const std::string bytes = fs::read_text_or_empty(zip);
    if (bytes.empty()) {
      sum.without_package += static_cast<int>(d.members.size());
      continue;
    }
    Package p{package::sha256_of(bytes), d.code, stdfs::absolute(zip).lexically_normal().string(), static_cast<long long>(bytes.size())};
    for (const auto& m : d.members) {
      in_dossier.insert(m.record_id);
      const stdfs::path dir = out / "records" / m.record_id;
      const std::string rec_bytes = fs::read_text_or_empty(dir / "record.json");
      const json rec = json::parse(rec_bytes, nullptr, false);
      if (!rec.is_object()) throw Error(ErrorCode::damaged, (dir / "record.json").string() + " cannot be read");
      if (rec.value("class", "") != "reusable") {
        ++sum.single_use;
        continue;
      }
      const json md = rec.value("metadata", json::object());
      Entry e;
      e.record_id = m.record_id;
      e.record_name = m.name;
      e.package_sha256 = p.sha256;
      e.uid = p.sha256.substr(0, 16) + "/" + m.record_id;
      e.record_sha256 = package::sha256_of(rec_bytes);
      const std::string pdf = fs::read_text_or_empty(dir / "document.pdf");
      if (!pdf.empty()) e.document_sha256 = package::sha256_of(pdf);
      e.doc_type = rec.value("doc_type", "khac");
      e.pages = std::to_string(rec.value("pages", json::array()).size());
      e.so_ky_hieu = opt(md, "so_ky_hieu");
      if (e.so_ky_hieu) e.number_key = opt_s(compact_key(*e.so_ky_hieu));
      e.issuer = opt(md, "co_quan_ban_hanh");
      if (e.issuer) e.issuer_key = opt_s(compact_key(*e.issuer));
      e.issued = opt(md, "ngay_ban_hanh");
      e.expires = opt(md, "ngay_het_han");
      e.ho_ten = opt(md, "ho_ten");
      if (e.ho_ten) e.name = opt_s(name_key(*e.ho_ten));
      e.id = opt(md, "so_dinh_danh");
      e.born = opt(md, "ngay_sinh");
      if (!pdf.empty()) e.pdf = dir / "document.pdf";
      // Every person the type's records name, as the catalogue lists them; one row per person:
      // a field that repeats what an earlier one says (the same name, and no other number or
      // birth date: a marriage certificate's ho_ten that is the husband's) is not a second one.
      for (const auto& pf : rules_of(e.doc_type).persons) {
        Entry::Named n{pf.name, opt(md, pf.name.c_str()), std::nullopt, pf.id.empty() ? Value() : opt(md, pf.id.c_str()),
                       pf.born.empty() ? Value() : opt(md, pf.born.c_str())};
        if (n.ho_ten) n.name = opt_s(name_key(*n.ho_ten));
        if (!n.name && !n.id) continue;
        const bool seen = std::any_of(e.persons.begin(), e.persons.end(), [&](const Entry::Named& o) {
          return (!n.name || o.name == n.name) && (!n.id || o.id == n.id) && (!n.born || o.born == n.born) && (n.name || n.id);
        });
        if (!seen) e.persons.push_back(std::move(n));
      }
      std::string body = doctypes::name_of(e.doc_type) + "\n" + m.name + "\n";
      for (const auto& [k, v] : md.items())
        if (v.is_string()) body += v.get<std::string>() + "\n";
      body += fs::read_text_or_empty(dir / "text.txt");
      e.body = index_text(body);
      entries.push_back(std::move(e));
    }
    packages.push_back(std::move(p));
  }
  // Reusable records outside any dossier have no package to point at: they stay out, counted.
  const json batch = json::parse(fs::read_text_or_empty(out / "batch.json"), nullptr, false);
  if (batch.is_object())
    for (const auto& item : batch.value("items", json::array()))
      for (const auto& rid : item.value("records", json::array())) {
        if (!rid.is_string() || in_dossier.count(rid.get<std::string>())) continue;
        const json rec = json::parse(fs::read_text_or_empty(out / "records" / rid.get<std::string>() / "record.json"), nullptr, false);
        if (rec.is_object() && rec.value("class", "") == "reusable") ++sum.without_package;
        else ++sum.single_use;
      }

  // Rendering the pages is most of an add's time: on every core.
  {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next++) < entries.size();)
        if (!entries[i].pdf.empty()) try {
            entries[i].phash = page_hashes(entries[i].pdf);
          } catch (const std::exception&) {
            // An unreadable PDF has no hash: it is matched by its number only.
          }
    };
    std::vector<std::thread> pool;
    const unsigned n = std::max(1u, std::min<unsigned>(std::thread::hardware_concurrency(), 8));
    for (unsigned t = 1; t < n; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
  }
  const std::string now = now_utc();
  Store& s = *store_;
  s.begin_write();
  try {
    for (const auto& p : packages) {
      if (!s.query("SELECT 1 FROM packages WHERE sha256=$1", {p.sha256}).empty()) {
        ++sum.packages_known;
        continue;
      }
      s.query("INSERT INTO packages(sha256, dossier, location, size, added, added_by) VALUES($1,$2,$3,$4,$5,$6)",
              {p.sha256, p.dossier, p.location, std::to_string(p.size), now, who});
      ++sum.packages_added;
    }
    for (const auto& e : entries) {
      if (!s.query("SELECT 1 FROM records WHERE uid=$1", {e.uid}).empty()) {
        ++sum.already;
        continue;
      }
      Value dup, reason;
      if (e.number_key && e.issuer_key) {
        auto r = s.query("SELECT uid FROM records WHERE doc_type=$1 AND number_key=$2 AND issuer_key=$3 AND duplicate_of IS NULL",
                         {e.doc_type, e.number_key, e.issuer_key});
        if (!r.empty()) dup = r[0][0], reason = "number";
      }
      const doctypes::Type& tr = rules_of(e.doc_type);
      if (!dup && !tr.same_document_when.empty()) {
        std::string sql = "SELECT uid FROM records WHERE doc_type=$1 AND duplicate_of IS NULL";
        std::vector<Value> params = {e.doc_type};
        for (const std::string& f : tr.same_document_when) {
          const Value v = f == "so_dinh_danh" ? e.id : f == "ngay_ban_hanh" ? e.issued : f == "ngay_sinh" ? e.born
                        : f == "ngay_het_han" ? e.expires : e.so_ky_hieu;
          params.push_back(v);
          sql += " AND " + f + "=$" + std::to_string(params.size());
          if (!v) break;
        }
        if (std::all_of(params.begin(), params.end(), [](const Value& v) { return v.has_value(); })) {
          auto r = s.query(sql, params);
          if (!r.empty()) dup = r[0][0], reason = "same_document";
        }
      }
      if (!dup && !e.phash.empty()) {
        auto r = s.query("SELECT uid FROM records WHERE phash=$1 AND duplicate_of IS NULL", {e.phash});
        if (!r.empty()) dup = r[0][0], reason = "images";
      }
      s.query("INSERT INTO records(uid, package_sha256, record_id, record_name, record_sha256, document_sha256, doc_type, "
              "so_ky_hieu, number_key, co_quan_ban_hanh, issuer_key, ngay_ban_hanh, ngay_het_han, ho_ten, name_key, "
              "so_dinh_danh, ngay_sinh, pages, phash, duplicate_of, duplicate_reason, added, added_by, body) "
              "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24)",
              {e.uid, e.package_sha256, e.record_id, opt_s(e.record_name), e.record_sha256, opt_s(e.document_sha256),
               e.doc_type, e.so_ky_hieu, e.number_key, e.issuer, e.issuer_key, e.issued, e.expires, e.ho_ten, e.name, e.id,
               e.born, e.pages, opt_s(e.phash), dup, reason, now, who, e.body});
      for (const auto& n : e.persons)
        s.query("INSERT INTO persons(uid, field, ho_ten, name_key, so_dinh_danh, ngay_sinh) VALUES($1,$2,$3,$4,$5,$6)",
                {e.uid, n.field, n.ho_ten, n.name, n.id, n.born});
      ++sum.records_added;
      if (dup) {
        ++sum.duplicates;
        continue;
      }
      // Re-issue: the same person's other certificates of this type; the older of each pair is
      // marked superseded by the newer (in a row of its own: records are never updated).
      if (!tr.reissue_supersedes_older || !e.issued || !iso_date(*e.issued)) continue;
      std::vector<Row> same;
      const std::string base =
          "SELECT r.uid, r.ngay_ban_hanh FROM records r WHERE r.doc_type=$1 AND r.uid<>$2 AND r.duplicate_of IS NULL "
          "AND NOT EXISTS (SELECT 1 FROM supersessions x WHERE x.old_uid=r.uid) AND r.ngay_ban_hanh IS NOT NULL AND ";
      if (e.id) same = s.query(base + "r.so_dinh_danh=$3", {e.doc_type, e.uid, e.id});
      else if (e.name && e.born) same = s.query(base + "r.name_key=$3 AND r.ngay_sinh=$4", {e.doc_type, e.uid, e.name, e.born});
      bool self_superseded = false;
      for (const auto& row : same) {
        const std::string other = str(row[0]), other_date = str(row[1]);
        if (!iso_date(other_date) || other_date == *e.issued) continue;
        const bool newer = *e.issued > other_date;
        if (!newer && self_superseded) continue;
        s.query("INSERT INTO supersessions(old_uid, new_uid, reason, at) VALUES($1,$2,$3,$4)",
                {newer ? other : e.uid, newer ? e.uid : other, "reissued: " + tr.reissue_rule, now});
        if (newer) ++sum.superseded;
        else self_superseded = true, ++sum.superseded;
      }
    }
    s.commit();
  } catch (...) {
    s.rollback();
    throw;
  }
  return sum;
}

void Archive::log(const std::string& who, const std::string& kind, const std::string& what, size_t found) {
  // No lookup without its line in the log: if it cannot be written, nothing is shown.
  store_->query("INSERT INTO lookups(at, who, db_user, kind, query, results) VALUES($1,$2,$3,$4,$5,$6)",
                {now_utc(), who.empty() ? os_user() : who, opt_s(store_->db_user()), kind, what, std::to_string(found)});
}

std::vector<Document> Archive::finish(std::vector<Document> docs, const std::string& today_in) {
  const std::string today = today_in.empty() ? doctypes::today_iso() : today_in;
  for (Document& d : docs) {
    const doctypes::Type& tr = rules_of(d.doc_type);
    d.rule = tr.valid_rule;
    if (!tr.valid_until_field.empty()) {
      d.valid_until = d.ngay_het_han;  // the one until_field the archive keeps (checked in rules_of)
    } else if (tr.valid_months > 0) {
      if (iso_date(d.ngay_ban_hanh)) d.valid_until = add_months(d.ngay_ban_hanh, tr.valid_months);
    }
    if (!d.person_field.empty())
      if (const auto* pf = person_of(d.doc_type, d.person_field)) d.role = pf->role, d.role_name = pf->role_name;
    if (!d.superseded_by.empty()) d.validity = "superseded";
    else if ((!tr.valid_until_field.empty() || tr.valid_months > 0) && !iso_date(d.valid_until)) d.validity = "unknown";
    else if (!d.valid_until.empty() && today > d.valid_until) d.validity = "expired";
    else d.validity = "valid";
  }
  return docs;
}

std::vector<Document> Archive::lookup(const PersonQuery& q, bool* more) {
  // Through the person index: every person a record names (holder, spouses, parents), one row each.
  std::string sql = std::string("SELECT ") + kDocColumns +
                    ", x.field, x.ho_ten, x.so_dinh_danh, x.ngay_sinh FROM persons x JOIN records r ON r.uid=x.uid "
                    "JOIN packages p ON p.sha256=r.package_sha256 LEFT JOIN supersessions s ON s.old_uid=r.uid WHERE ";
  std::vector<Value> params;
  std::string what;
  // A person's few documents by type and newest first; a name alone (every namesake) in the
  // order of the index it is read from, (name_key, ngay_sinh, uid): namesakes by date of birth,
  // and the first page costs the same however many there are.
  std::string order = " ORDER BY r.doc_type, r.ngay_ban_hanh DESC, r.uid, x.field";
  if (!q.id.empty()) {
    sql += "x.so_dinh_danh=$1";
    params = {q.id};
    what = "id=" + q.id;
  } else if (!q.name.empty()) {
    const std::string key = name_key(q.name);
    if (key.empty()) throw Error(ErrorCode::unsupported, "lookup: an empty name");
    sql += "x.name_key=$1";
    params = {key};
    what = "name=" + text::nfc(q.name);
    if (!q.born.empty()) {
      sql += " AND x.ngay_sinh=$2";
      params.push_back(q.born);
      what += " born=" + q.born;
    } else {
      order = " ORDER BY x.ngay_sinh, x.uid";
    }
  } else {
    throw Error(ErrorCode::unsupported, "lookup: give a số định danh or a name");
  }
  sql += order;
  // One row more than the page tells whether there are more.
  if (q.limit > 0) sql += " LIMIT " + std::to_string(q.limit + 1);
  // No transaction: a lookup must not wait for a batch being added. The log line is written
  // before anything is returned; if it cannot be, the lookup fails.
  auto rows = store_->query(sql, params);
  const bool more_rows = q.limit > 0 && rows.size() > static_cast<size_t>(q.limit);
  if (more_rows) rows.resize(static_cast<size_t>(q.limit));
  if (more) *more = more_rows;
  std::vector<Document> docs;
  std::set<std::string> seen;
  for (const auto& r : rows) {
    Document d = doc_of(r);
    if (!seen.insert(d.uid).second) continue;  // one person under two fields of a record
    d.person_field = str(r[18]);
    d.person_ho_ten = str(r[19]);
    d.person_so_dinh_danh = str(r[20]);
    d.person_ngay_sinh = str(r[21]);
    docs.push_back(std::move(d));
  }
  log(q.who, "lookup", what, docs.size());
  return finish(std::move(docs), q.today);
}

std::vector<Document> Archive::search(const SearchQuery& q) {
  const auto words = catalog::query_words(q.text);
  std::vector<Value> params;
  std::string sql;
  const std::string limit = " LIMIT " + std::to_string(std::max(1, q.limit));
  if (store_->dialect() == "sqlite") {
    std::string match;
    for (const auto& w : words) match += (match.empty() ? "\"" : " \"") + w + "\"";
    sql = std::string("SELECT ") + kDocColumns + ", " + (words.empty() ? "''" : "snippet(records_text, 0, '[', ']', '…', 12)") +
          " FROM records r JOIN packages p ON p.sha256=r.package_sha256 LEFT JOIN supersessions s ON s.old_uid=r.uid " +
          (words.empty() ? "WHERE 1=1" : "JOIN records_text t ON t.rowid=r.rowid WHERE records_text MATCH $1");
    if (!words.empty()) params.push_back(match);
    if (q.doc_type) {
      sql += " AND r.doc_type=$" + std::to_string(params.size() + 1);
      params.push_back(*q.doc_type);
    }
    sql += words.empty() ? " ORDER BY r.uid" : " ORDER BY bm25(records_text), r.uid";
    sql += limit;
  } else {
    std::string tsq;
    for (const auto& w : words) tsq += (tsq.empty() ? "'" : " & '") + w + "'";
    std::string inner = "SELECT r.*, s.new_uid AS new_uid FROM records r LEFT JOIN supersessions s ON s.old_uid=r.uid WHERE ";
    inner += words.empty() ? "TRUE" : "to_tsvector('simple', r.body) @@ to_tsquery('simple', $1)";
    if (!words.empty()) params.push_back(tsq);
    if (q.doc_type) {
      inner += " AND r.doc_type=$" + std::to_string(params.size() + 1);
      params.push_back(*q.doc_type);
    }
    inner += words.empty() ? " ORDER BY r.uid" : " ORDER BY ts_rank(to_tsvector('simple', r.body), to_tsquery('simple', $1)) DESC, r.uid";
    inner += limit;
    // The headline is made for the rows shown only.
    std::string cols = kDocColumns;
    cols.replace(cols.find("s.new_uid"), 9, "r.new_uid");
    sql = "SELECT " + cols + ", " +
          (words.empty() ? std::string("''")
                         : "ts_headline('simple', r.body, to_tsquery('simple', $1), 'StartSel=[, StopSel=], MaxWords=12, MinWords=4')") +
          " FROM (" + inner + ") r JOIN packages p ON p.sha256=r.package_sha256";
    sql += words.empty() ? " ORDER BY r.uid" : " ORDER BY ts_rank(to_tsvector('simple', r.body), to_tsquery('simple', $1)) DESC, r.uid";
  }
  std::string what = "text=" + text::nfc(q.text) + (q.doc_type ? " type=" + *q.doc_type : "");
  auto rows = store_->query(sql, params);
  log(q.who, "search", what, rows.size());
  std::vector<Document> docs;
  for (const auto& r : rows) docs.push_back(doc_of(r));
  return finish(std::move(docs), q.today);
}

}  // namespace sohoa::archive
