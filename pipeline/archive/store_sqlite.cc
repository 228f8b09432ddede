// The embedded back end: one SQLite file, WAL, writers serialised by BEGIN IMMEDIATE.
#include <sqlite3.h>

#include <filesystem>

#include "archive/store.h"
#include "core/error.h"

namespace sohoa::archive {
namespace {

class SqliteStore : public Store {
 public:
  explicit SqliteStore(const std::string& path) {
    const std::filesystem::path p(path);
    if (p.has_parent_path() && !std::filesystem::is_directory(p.parent_path()))
      throw Error(ErrorCode::unreadable, "archive " + path + ": folder " + p.parent_path().string() + " does not exist");
    const bool is_new = !std::filesystem::exists(p);
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw Error(ErrorCode::unreadable, "cannot open archive " + path + ": " + msg);
    }
    // Personal data: a new archive file is readable by its owner only (SQLite gives its -wal and
    // -shm files the same mode).
    if (is_new) {
      std::error_code ec;
      std::filesystem::permissions(p, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                   std::filesystem::perm_options::replace, ec);
    }
    // Another workstation's add holds the write lock for at most a batch: wait for it.
    sqlite3_busy_timeout(db_, 60000);
    exec_script("PRAGMA foreign_keys=ON;");
    // A file that is not a database fails here, before anything is written.
    try {
      exec_script("PRAGMA journal_mode=WAL;");
    } catch (const Error& e) {
      sqlite3_close(db_);
      db_ = nullptr;
      throw Error(ErrorCode::unreadable, "archive " + path + " is not an SQLite archive: " + e.what());
    }
  }
  ~SqliteStore() override { sqlite3_close(db_); }

  std::string dialect() const override { return "sqlite"; }

  std::vector<Row> query(const std::string& sql, const std::vector<Value>& params) override {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
      throw Error(ErrorCode::internal, std::string("archive: ") + sqlite3_errmsg(db_) + " in " + sql);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(s, sqlite3_finalize);
    for (size_t i = 0; i < params.size(); ++i) {
      const std::string name = "$" + std::to_string(i + 1);
      const int idx = sqlite3_bind_parameter_index(s, name.c_str());
      if (idx == 0) continue;
      if (params[i]) sqlite3_bind_text(s, idx, params[i]->data(), static_cast<int>(params[i]->size()), SQLITE_TRANSIENT);
      else sqlite3_bind_null(s, idx);
    }
    std::vector<Row> rows;
    for (;;) {
      const int r = sqlite3_step(s);
      if (r == SQLITE_DONE) break;
      if (r != SQLITE_ROW) throw Error(ErrorCode::output_io, std::string("archive: ") + sqlite3_errmsg(db_));
      Row row;
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        const auto* t = sqlite3_column_text(s, c);
        row.push_back(t ? Value(reinterpret_cast<const char*>(t)) : std::nullopt);
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  void exec_script(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw Error(ErrorCode::output_io, "archive: " + msg);
    }
  }
  void begin_write() override { exec_script("BEGIN IMMEDIATE"); }
  void commit() override { exec_script("COMMIT"); }
  void rollback() noexcept override { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }
  std::string db_user() override { return ""; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Store> open_sqlite(const std::string& path) { return std::make_unique<SqliteStore>(path); }

}  // namespace sohoa::archive
