// OUT/catalog.sqlite: dossiers, records, pages, files, flags and a diacritic-insensitive
// full-text index over the OCR text and metadata. Several batches may feed one catalog.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "package/package.h"

namespace sohoa::catalog {

/// Adds or replaces every record of OUT/batch.json (and its dossier and package) in OUT/catalog.sqlite.
/// Returns the number of records written. Throws sohoa::Error(output_io).
int update(const std::filesystem::path& out_root, const std::vector<package::Dossier>& dossiers);

struct Query {
  std::string text;                  // words; matched without diacritics or case, all must occur
  std::optional<std::string> doc_type;
  bool reusable_only = false;
  int limit = 50;
};

struct Hit {
  std::string record_id, name, dossier, package, doc_type, cls, source;
  int first_page = 0, last_page = 0, pages = 0;
  double confidence = 0;
  bool review = false;
  std::string metadata_json;  // the record's metadata object
  std::string snippet;        // folded text around the match
};

/// The words of a `sohoa search` query, folded (no diacritics, lower case), in order: every one
/// must occur. The archive (pipeline/archive) reads its queries with this too, so both agree.
std::vector<std::string> query_words(const std::string& text);

/// catalog: OUT or the catalog.sqlite file itself. Throws sohoa::Error(unreadable) when absent.
std::vector<Hit> search(const std::filesystem::path& catalog, const Query& query);

/// One change made at the review desk: who, when, what it was before and after, and why.
struct AuditEvent {
  std::string id;         // unique; the PREMIS eventIdentifier too
  std::string record_id, who, at, action, field, before, after, why;  // before/after: JSON text
};

/// Appends events to the audit table of OUT/catalog.sqlite (created when missing). The table
/// refuses UPDATE and DELETE (triggers), and an event already there (same id: a save replayed
/// after a crash) is not added twice. Throws sohoa::Error(output_io).
void append_audit(const std::filesystem::path& out_root, const std::vector<AuditEvent>& events);

/// Takes records that no longer exist (a split correction at the review desk made others of their
/// pages) out of the catalog's tables; their audit events stay. Throws sohoa::Error(output_io).
void forget(const std::filesystem::path& out_root, const std::vector<std::string>& record_ids);

/// The audit events of one record (all records when empty), oldest first.
std::vector<AuditEvent> audit_of(const std::filesystem::path& out_root, const std::string& record_id);

/// Path of the catalog for OUT (or the file given).
std::filesystem::path catalog_path(const std::filesystem::path& out_or_file);

}  // namespace sohoa::catalog
