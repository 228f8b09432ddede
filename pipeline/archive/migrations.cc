// The migrations compiled in from pipeline/archive/migrations/NNN_name.sql, cut to one dialect.
#include <sstream>
#include <utility>

#include "archive/store.h"
#include "core/error.h"

namespace sohoa::archive {

std::vector<std::pair<std::string, std::string>> migration_files();  // generated

std::vector<Migration> migrations(const std::string& dialect) {
  std::vector<Migration> out;
  for (const auto& [file, body] : migration_files()) {
    Migration m;
    m.version = std::stoi(file.substr(0, file.find('_')));
    m.name = file.substr(0, file.rfind('.'));
    std::istringstream in(body);
    std::string line, section = "all";
    while (std::getline(in, line)) {
      if (line.rfind("-- @", 0) == 0) {
        section = line.substr(4);
        if (section != "all" && section != "sqlite" && section != "postgresql")
          throw Error(ErrorCode::internal, "migration " + file + ": unknown section " + section);
        continue;
      }
      if (section == "all" || section == dialect) m.sql += line + "\n";
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace sohoa::archive
