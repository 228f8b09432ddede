// sohoa verify: every byte of a package or an output folder accounted for.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace sohoa::verify {

struct Problem {
  std::string where;  // package and file, or record folder and file
  std::string what;
};

struct Report {
  int packages = 0, records = 0, files = 0;  // what was checked
  int signatures = 0;                         // PDF signatures checked
  std::vector<Problem> problems;
  bool ok() const { return problems.empty(); }
};

/// Signatures of each document.pdf are always checked for integrity; with a trust folder every
/// document.pdf must be signed by a certificate chaining to one of its certificates.
struct Options {
  std::filesystem::path trust_dir;                  // PEM certificates to trust
  std::vector<std::filesystem::path> crl_files;     // revoked certificates
  /// verify_out of one shard's folder (OUT/shards/<i>): record ids other shards of its plan
  /// write, which a duplicate_of may name (the merged OUT must hold them; it is checked whole).
  std::function<bool(const std::string& record_id)> elsewhere;
};

/// A package zip: BagIt manifests (SHA-256, SHA-512), tag manifest, Payload-Oxum, METS sizes and
/// SHA-256 of every file, every file listed, record.json against the schema, page counts.
Report verify_package(const std::filesystem::path& zip, const Options& options = {});

/// An output folder: check_batch with every catalog row, every record of batch.json complete (PDF,
/// text, ALTO, schema-valid record.json), page counts, files against the catalog's checksums,
/// packages against the catalog, every package.
Report verify_out(const std::filesystem::path& out_root, const Options& options = {});

/// What the last batch claims against what is on disk, without reading the files through: every
/// record of batch.json present once, as the record of the input that lists it; every dossier's
/// package holding exactly the dossier's records under their archive names; every record and
/// package in the catalog as the package names it. With all_catalog_rows, every catalog row too:
/// backed by a record folder and, when it names a package, by that package.
struct BatchCheck {
  int records = 0;          // records batch.json lists
  int records_on_disk = 0;  // record folders with a record.json under OUT/records
  int packages = 0;         // packages of the batch's dossiers
  int catalog_rows = 0;
  std::vector<Problem> problems;
};
/// `elsewhere`: a shard of a plan (sohoa run --plan) links duplicate_of to records other shards
/// write; those ids are accepted here and checked by the merge.
BatchCheck check_batch(const std::filesystem::path& out_root, bool all_catalog_rows = false,
                       const std::function<bool(const std::string& record_id)>& elsewhere = {});

}  // namespace sohoa::verify
