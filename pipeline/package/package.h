// Archive packages: one zip per dossier, a BagIt 1.0 bag whose payload is an E-ARK CSIP package.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace sohoa::package {

/// A record as a member of its dossier: <code>.<seq> is its archive name.
struct Member {
  std::string record_id;
  int seq = 0;
  std::string name;  // "HS-000123.1"
};

struct Dossier {
  std::string code;  // mã hồ sơ
  std::vector<Member> members;
};

/// Dossiers of OUT/batch.json: records of inputs under each dossier folder, ordered by input path,
/// archive member and page; inputs without a dossier go to default_code (skipped when empty).
std::vector<Dossier> dossiers_of(const std::filesystem::path& out_root, const std::string& default_code = "");

struct Options {
  std::string default_dossier;  // --dossier CODE: for inputs outside any dossier folder
  long long epoch = 0;          // package dates and zip mtimes; 0 = output_epoch()
};

struct Written {
  std::string code;
  std::filesystem::path zip;
  int records = 0;
  int files = 0;  // payload files
  bool made = true;  // false: the zip already held these records as they are (not written again)
};

/// Writes OUT/packages/<code>.zip for every dossier of the last batch; a package whose records,
/// their files and places are unchanged since it was written (OUT/.sohoa-cache/packages.json) is
/// left as it is.
std::vector<Written> write_packages(const std::filesystem::path& out_root, const Options& options);

/// File names inside the package.
inline const char* kRepData = "representations/rep1/data/";
/// The inputs as they arrived, named <sha256>.<ext>.
inline const char* kOriginalData = "representations/original/data/";

}  // namespace sohoa::package
