// sohoa verify: every byte of a package or an output folder accounted for.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace sohoa::verify {

struct Problem {
  std::string where;  // package and file, or record folder and file
  std::string what;
};

struct Report {
  int packages = 0, records = 0, files = 0;  // what was checked
  std::vector<Problem> problems;
  bool ok() const { return problems.empty(); }
};

/// A package zip: BagIt manifests (SHA-256, SHA-512), tag manifest, Payload-Oxum, METS sizes and
/// SHA-256 of every file, every file listed, record.json against the schema, page counts.
Report verify_package(const std::filesystem::path& zip);

/// An output folder: every record of batch.json complete (PDF, text, ALTO, schema-valid record.json),
/// page counts, files against the catalog's checksums, packages against the catalog, every package.
Report verify_out(const std::filesystem::path& out_root);

}  // namespace sohoa::verify
