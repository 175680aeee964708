// The pieces of the SQLite adapter (gitstate/adapter_sqlite.h): SQL
// identifiers, statements with bound values, and the mapping between SQL
// values and JSON.
//
// Thread-safety: a connection and its statements belong to one thread.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gitstate/result.h"

namespace gitstate {

// `name` as an SQL identifier: in double quotes, inner quotes doubled.
std::string quote_identifier(std::string_view name);

// A status for the connection's last error: kConflict for constraints and
// RAISE(ABORT|FAIL|ROLLBACK) in triggers, kIO for busy, locked, full or I/O
// errors, kInvalid otherwise; the message is `what` and SQLite's.
Status sqlite_status(sqlite3* db, const std::string& what);

// A prepared statement, finalized when destroyed.
class Statement {
 public:
  // Prepares `sql`; kInvalid (or sqlite_status) naming the statement on failure.
  static Result<Statement> prepare(sqlite3* db, const std::string& sql);

  sqlite3_stmt* get() const { return stmt_.get(); }

  // Binds a JSON value as an SQL value at parameter `index` (1-based): null,
  // integer (64-bit), real, text, or a blob from {"$base64": "..."}.
  // kInvalid for values without an SQL counterpart.
  Status bind(int index, const nlohmann::json& value);
  void bind_text(int index, std::string_view text);
  void bind_int(int index, int64_t value);

  // sqlite3_step: true when a row is ready, false when done; the error as
  // sqlite_status() otherwise.
  Result<bool> step(const std::string& what);

  // The JSON value of result column `column` of the current row; kInvalid for
  // a non-finite real.
  Result<nlohmann::json> column(int column) const;

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
};

// The key of a row as a member name: an integer in decimal, text as it is;
// nullopt for NULL, reals and blobs.
std::optional<std::string> key_text(sqlite3_stmt* stmt, int column);

// The integer a member name stands for, when it is an integer's decimal
// form (no sign but '-', no leading zeros) within 64 bits.
std::optional<int64_t> key_integer(std::string_view key);

}  // namespace gitstate
