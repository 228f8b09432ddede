// The back ends of the archive: what the archive's logic needs of a database, and no more, so that
// one piece of code (archive.cc) decides what is a duplicate for SQLite and PostgreSQL alike.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sohoa::archive {

using Value = std::optional<std::string>;  // SQL NULL is nullopt; everything else travels as text
using Row = std::vector<Value>;

class Store {
 public:
  virtual ~Store() = default;
  virtual std::string dialect() const = 0;  // "sqlite" | "postgresql"
  /// One statement with parameters $1, $2, … (in order of first use); returns its rows.
  virtual std::vector<Row> query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  /// Several statements, no parameters (a migration).
  virtual void exec_script(const std::string& sql) = 0;
  /// A write transaction that excludes every other writer of the archive until commit: adds are
  /// serialised, so two workstations never both decide that a document is new.
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  /// The database's user name (PostgreSQL), or empty.
  virtual std::string db_user() = 0;
};

std::unique_ptr<Store> open_sqlite(const std::string& path);
std::unique_ptr<Store> open_postgresql(const std::string& url);

/// Migrations compiled in from pipeline/archive/migrations/*.sql: (version, name, script for the dialect).
struct Migration {
  int version;
  std::string name;
  std::string sql;
};
std::vector<Migration> migrations(const std::string& dialect);

}  // namespace sohoa::archive
