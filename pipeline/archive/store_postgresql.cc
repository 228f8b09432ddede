// The shared back end: PostgreSQL through libpq. Writers are serialised by a transaction-scoped
// advisory lock (a role that may only SELECT and INSERT cannot LOCK TABLE), the unique indexes
// of the schema are the second guard.
#include <libpq-fe.h>

#include "archive/store.h"
#include "core/error.h"

namespace sohoa::archive {
namespace {

// Any constant will do: every sohoa writer of one database takes the same one.
constexpr const char* kAddLock = "SELECT pg_advisory_xact_lock(7319190019)";

class PgStore : public Store {
 public:
  explicit PgStore(const std::string& url) {
    // Parse first: a malformed URL is told apart from an unreachable server.
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
    if (!opts) {
      std::string msg = err ? err : "cannot parse";
      PQfreemem(err);
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      throw Error(ErrorCode::unreadable, "malformed archive URL " + redacted(url) + ": " + msg);
    }
    PQconninfoFree(opts);
    conn_ = PQconnectdb((url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=10&application_name=sohoa").c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      throw Error(ErrorCode::unreadable, "cannot reach archive " + redacted(url) + ": " + msg);
    }
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    exec_script("SET client_encoding TO 'UTF8'");
  }
  ~PgStore() override { PQfinish(conn_); }

  std::string dialect() const override { return "postgresql"; }

  std::vector<Row> query(const std::string& sql, const std::vector<Value>& params) override {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                               nullptr, 0);
    std::unique_ptr<PGresult, void (*)(PGresult*)> guard(r, PQclear);
    const auto st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) fail(r, sql);
    std::vector<Row> rows;
    for (int i = 0; i < PQntuples(r); ++i) {
      Row row;
      for (int c = 0; c < PQnfields(r); ++c)
        row.push_back(PQgetisnull(r, i, c) ? std::nullopt : Value(PQgetvalue(r, i, c)));
      rows.push_back(std::move(row));
    }
    return rows;
  }

  void exec_script(const std::string& sql) override {
    PGresult* r = PQexec(conn_, sql.c_str());
    std::unique_ptr<PGresult, void (*)(PGresult*)> guard(r, PQclear);
    const auto st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) fail(r, sql.substr(0, 80));
  }
  void begin_write() override {
    exec_script("BEGIN");
    exec_script(kAddLock);
  }
  void commit() override { exec_script("COMMIT"); }
  void rollback() noexcept override { PQclear(PQexec(conn_, "ROLLBACK")); }
  std::string db_user() override {
    auto rows = query("SELECT current_user", {});
    return rows.empty() || !rows[0][0] ? "" : *rows[0][0];
  }

 private:
  [[noreturn]] void fail(PGresult* r, const std::string& what) {
    std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    // 42501: insufficient privilege — say so plainly, it is how a read-and-insert role is told no.
    if (state && std::string(state) == "42501")
      throw Error(ErrorCode::output_io, "archive: not allowed for this database role: " + msg);
    if (PQstatus(conn_) != CONNECTION_OK)
      throw Error(ErrorCode::unreadable, "archive: connection lost: " + msg);
    throw Error(ErrorCode::output_io, "archive: " + msg + " (in " + what + ")");
  }
  /// The URL without its password, for messages and logs.
  static std::string redacted(const std::string& url) {
    const auto at = url.find('@');
    const auto scheme = url.find("://");
    if (at == std::string::npos || scheme == std::string::npos || at < scheme) return url;
    const auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon) + ":***" + url.substr(at);
  }
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<Store> open_postgresql(const std::string& url) { return std::make_unique<PgStore>(url); }

}  // namespace sohoa::archive
