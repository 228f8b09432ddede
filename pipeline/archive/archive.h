// The archive: one persistent catalogue of reusable records across batches, looked up by person.
// A batch's OUT is added to it (its packages and their reusable records, with their fixity); a
// clerk then finds a citizen's documents by số định danh or by name and date of birth.
// The same schema (pipeline/archive/migrations) lives in an embedded SQLite file or in PostgreSQL.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sohoa::archive {

class Store;

/// What one `archive add` did.
struct AddSummary {
  int packages_added = 0, packages_known = 0;
  int records_added = 0;      // new archive records (duplicates included)
  int duplicates = 0;         // of those, linked to an earlier record by duplicate_of
  int superseded = 0;         // earlier records marked superseded by one added now
  int already = 0;            // already in the archive: nothing changed
  int single_use = 0;         // left in their batch's package
  int without_package = 0;    // reusable, but outside any dossier: no package to point at
};

/// One archive record as a lookup shows it.
struct Document {
  std::string uid, doc_type, type_name, so_ky_hieu, ngay_ban_hanh, co_quan_ban_hanh, ngay_het_han;
  std::string ho_ten, so_dinh_danh, ngay_sinh;
  std::string package, package_sha256, dossier, record_id, record_name, record_sha256;
  std::string duplicate_of, duplicate_reason;
  std::string superseded_by;
  std::string validity;     // "valid", "expired", "superseded", "unknown"
  std::string valid_until;  // ISO date when the rule gives one
  std::string rule;         // the catalogue's words for the rule
  std::string snippet;      // search only
  // lookup only: the person the query matched, and who they are in the record (the catalogue's
  // persons of the type: "holder", "husband", "wife", "child", "father", "mother", …)
  std::string person_field;  // the metadata key of their name: ho_ten, ho_ten_vo, …
  std::string person_ho_ten, person_so_dinh_danh, person_ngay_sinh;
  std::string role, role_name;
};

struct PersonQuery {
  std::string id;    // số định danh (12 digits)
  std::string name;  // with or without diacritics
  std::string born;  // YYYY-MM-DD, optional with name
  std::string who;   // the person asking, for the log
  std::string today; // YYYY-MM-DD the validity is judged on; empty: today (UTC)
  int limit = 50;    // the first page: at most this many documents (0: all)
};

struct SearchQuery {
  std::string text;  // `sohoa search` syntax: words, all required, accents and case do not matter
  std::optional<std::string> doc_type;
  int limit = 50;
  std::string who, today;
};

class Archive {
 public:
  /// url: a path or sqlite:PATH (the default, embedded) or postgresql://… (libpq). Opens and brings
  /// the schema to the newest migration (SQLite always; PostgreSQL when the role may create).
  /// Throws sohoa::Error(unreadable) for a malformed or unreachable URL, before writing anything.
  static std::unique_ptr<Archive> open(const std::string& url);
  ~Archive();

  /// "sqlite" or "postgresql".
  std::string backend() const;
  /// Newest migration applied.
  int schema_version();
  /// PostgreSQL: lets `role` read and insert (never update, delete or drop). Owner only.
  void grant(const std::string& role);

  /// Adds OUT's packages and reusable records in one transaction. Adding the same OUT again changes
  /// nothing. Throws sohoa::Error; then nothing of this OUT was written.
  AddSummary add(const std::filesystem::path& out, const std::string& who);

  /// A citizen's documents, every person a record names counted (holder, spouses, parents): by
  /// number or name and birth date by type and newest first; by a name alone every namesake by
  /// date of birth. At most q.limit; *more says whether there were more. Every lookup is logged
  /// (who, when, what was asked, how many shown).
  std::vector<Document> lookup(const PersonQuery& q, bool* more = nullptr);
  /// Full-text search over all archived records; logged like a lookup.
  std::vector<Document> search(const SearchQuery& q);

  /// The store underneath, for tests and the bench.
  Store& store() { return *store_; }

 private:
  explicit Archive(std::unique_ptr<Store> s);
  void migrate();
  std::vector<Document> finish(std::vector<Document> docs, const std::string& today);
  void log(const std::string& who, const std::string& kind, const std::string& what, size_t found);
  std::unique_ptr<Store> store_;
};

/// Whether a URL names PostgreSQL.
bool is_postgresql_url(const std::string& url);

/// The text every record is indexed by: folded, words separated by single spaces (both back ends
/// then tokenise it the same way).
std::string index_text(const std::string& text);

}  // namespace sohoa::archive
