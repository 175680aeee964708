// The SQLite adapter: one table of an SQLite database seen as one state
// (docs/adapters.md, "A table in an SQLite database").
//
// The state root is an object with one member per row, keyed by the row's
// value in the key column (an integer in decimal, or text as it is); the
// member is an object of the row's other columns. Values: SQL NULL <-> null,
// INTEGER <-> integer, REAL <-> number, TEXT <-> string, BLOB <->
// {"$base64": "<standard base64>"}. A key that is NULL, a real or a blob, two
// rows with one key, or a non-finite real make load() fail with kInvalid.
//
// apply() runs in one transaction (BEGIN IMMEDIATE ... COMMIT), each
// operation inside its own savepoint: add/replace/remove of a row (INSERT /
// DELETE then INSERT / DELETE), add/replace of a column value (UPDATE).
// Removing a column member, unknown columns, values without an SQL
// counterpart (true/false, arrays, other objects, integers beyond 64 bits)
// are rejected with kInvalid. After each write the row is read back: when
// the table holds something else than was written (type affinity converted
// a value, a trigger changed it), the operation is rolled back and rejected
// (kInvalid). A constraint or a trigger's RAISE rejects it with kConflict.
// The operations before the rejected one are committed. SQL is built only
// from quoted identifiers; every value is a bound parameter.
//
// Thread-safety: an adapter (one connection) belongs to one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "gitstate/adapter.h"
#include "gitstate/result.h"

namespace gitstate {

// The adapter of table `table` in the SQLite database file `database`, rows
// keyed by `key_column`; identity "sqlite:<canonical path>#<table>(<key>)".
// kNotFound when the database file does not exist; kInvalid when it is not a
// database, has no table `table`, or the table has no column `key_column`;
// kIO when it cannot be opened. The caller owns the adapter.
Result<std::unique_ptr<Adapter>> open_sqlite_adapter(const std::string& database,
                                                     const std::string& table,
                                                     const std::string& key_column);

}  // namespace gitstate
