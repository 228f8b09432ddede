// The review desk's edits, without HTTP: a clerk's correction of one record becomes events
// (who, when, before, after, why) in record.json, in the package's PREMIS and in the catalog's
// append-only audit table, and the packages and catalog are rewritten as `sohoa sign` does.
#pragma once
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace sohoa::desk {

using ojson = nlohmann::ordered_json;

/// A refusal the desk can explain; status is the HTTP status a client gets (400, 404, 409, 422).
class Refused : public std::runtime_error {
 public:
  Refused(int status, const std::string& what, ojson details = nullptr)
      : std::runtime_error(what), status_(status), details_(std::move(details)) {}
  int status() const { return status_; }
  const ojson& details() const { return details_; }

 private:
  int status_;
  ojson details_;
};

struct Change {
  std::string field;  // "class", "doc_type" or "metadata.<key>"
  ojson value;        // a string, or null to clear a metadata field
};

struct Edit {
  std::string record_id;
  std::string base;  // the etag the clerk's screen was made from: a stale one is refused (409)
  std::string who, why;
  std::vector<Change> changes;
  std::string action;  // "", "approve" or "reject"
};

/// A correction of where documents start within one input: "move_next" (the record's last page
/// goes to the next record), "move_previous" (its first page to the previous one), "split" (the
/// record is cut before `page`, a page number of the input) or "join" (the next record is added to it).
struct Regroup {
  std::string record_id;
  std::string base;  // the etag of record_id's screen; the neighbour is read fresh under the lock
  std::string who, why;
  std::string action;
  int page = 0;  // split only
};

struct Regrouped {
  std::vector<std::string> removed, added;  // record ids before and after
  std::string focus;                        // the record the clerk's page is in now
  ojson events;
};

struct Saved {
  std::string etag;
  ojson record;
  ojson events;  // the events this edit added
};

/// A validator's English message said in Vietnamese for the clerk; unknown ones come back as they are.
std::string in_vietnamese(const std::string& problem);

/// What is wrong with a value typed for a field of a document type, in Vietnamese; empty when it is fine.
std::string check_field(const std::string& doc_type, const std::string& key, const std::string& value);

/// Whether a string can name a record folder: 16 hex digits, "-pNNN-NNN". Nothing else is
/// ever joined to a path, so no request can reach outside OUT/records.
bool well_formed_id(const std::string& id);

class Desk {
 public:
  /// default_dossier: as `sohoa run --dossier`, for records of inputs outside dossier folders.
  Desk(std::filesystem::path out, std::string default_dossier = "");

  /// Finishes a save a crash interrupted (the journal left in OUT/.desk/): the record it wrote is
  /// put back and the packages, catalog and audit log made to agree with it. Returns whether one was found.
  bool recover();

  const std::filesystem::path& out() const { return out_; }
  /// record.json as stored and its etag (SHA-256 of its bytes). Throws Refused(404).
  ojson load(const std::string& record_id, std::string* etag) const;
  /// Record ids of OUT/batch.json with their dossier ("" when none).
  std::vector<std::pair<std::string, std::string>> records() const;

  /// Applies the edit. Throws Refused: 404 unknown record, 409 stale base, 422 a value its
  /// validator rejects, 400 anything else malformed; nothing is changed then.
  Saved apply(const Edit& edit);

  /// Applies a split correction: the records it touches are rewritten as new records (ids name
  /// the new page ranges), each needing review, with the event in each; the journal makes it
  /// kill-safe as apply() is. Throws Refused as apply() does.
  Regrouped regroup(const Regroup& r);

  /// A test seam: called after record.json is written and before the packages are (kill -9 tests
  /// hold the save here to hit the window where record and package disagree).
  void set_pause_ms(int ms) { pause_ms_ = ms; }

 private:
  void commit_pending();
  void commit_regroup(const ojson& journal);
  void drop_staging();  // records/.desk-new-* of a regroup that died before its journal
  void keep_superseded(const std::string& record_id);  // packages, catalog, audit from the journal, then drops it
  std::filesystem::path out_;
  std::string default_dossier_;
  std::mutex mu_;
  int pause_ms_ = 0;
};

}  // namespace sohoa::desk
