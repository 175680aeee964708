#include "gitstate/adapter_sqlite.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>
#include <vector>

#include "adapter_op_internal.h"
#include "adapter_sqlite_internal.h"
#include "gitstate/plumbing/json_pointer.h"

namespace gitstate {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
struct Column {
  std::string name;
  std::string type;  // as declared
};

// Whether a column of declared type `type` has TEXT affinity (SQLite's rules,
// https://sqlite.org/datatype3.html#determination_of_column_affinity).
bool text_affinity(std::string type) {
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (type.find("INT") != std::string::npos) return false;
  return type.find("CHAR") != std::string::npos || type.find("CLOB") != std::string::npos ||
         type.find("TEXT") != std::string::npos;
}

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

class SqliteAdapter : public Adapter {
 public:
  SqliteAdapter(sqlite3* db, std::string identity, std::string table, std::vector<Column> columns,
                size_t key)
      : db_(db),
        identity_(std::move(identity)),
        table_(std::move(table)),
        columns_(std::move(columns)),
        key_(key) {}

  std::string kind() const override { return "sqlite"; }
  std::string identity() const override { return identity_; }

  Result<json> load() override {
    GITSTATE_ASSIGN_OR_RETURN(Statement select, Statement::prepare(db_.get(), select_sql("")));
    json state = json::object();
    for (size_t row = 1;; ++row) {
      GITSTATE_ASSIGN_OR_RETURN(bool more, select.step("reading table " + table_));
      if (!more) break;
      auto key = key_text(select.get(), 0);
      if (!key)
        return invalid("table " + table_ + ", row " + std::to_string(row) + ": the key column " +
                       key_name() + " holds " + type_name(select.get()) +
                       "; keys must be integers or text");
      if (state.contains(*key))
        return invalid("table " + table_ + ": two rows have the key \"" + *key + "\" in column " +
                       key_name());
      GITSTATE_ASSIGN_OR_RETURN(state[*key], row_value(select, *key));
    }
    return state;
  }

  ApplyReport apply(const json& patch) override {
    if (!patch.is_array()) return {0, invalid("the patch is not an array of operations")};
    if (Status begun = exec("BEGIN IMMEDIATE"); !begun.is_ok()) return {0, begun};
    for (size_t i = 0; i < patch.size(); ++i) {
      Status saved = exec("SAVEPOINT gitstate_op");
      Status done = saved.is_ok() ? apply_one(patch[i]) : saved;
      if (done.is_ok()) done = exec("RELEASE gitstate_op");
      if (done.is_ok()) continue;
      done = done.with_context(adapter_op_context(i, patch[i]));
      if (sqlite3_get_autocommit(db_.get()))
        return {0, done.with_context("the transaction was rolled back")};
      Status undone = exec("ROLLBACK TO gitstate_op");
      if (undone.is_ok()) undone = exec("RELEASE gitstate_op");
      if (undone.is_ok()) undone = exec("COMMIT");
      if (!undone.is_ok()) {
        (void)exec("ROLLBACK");
        return {0, undone};
      }
      return {i, done};
    }
    if (Status committed = exec("COMMIT"); !committed.is_ok()) {
      (void)exec("ROLLBACK");
      return {0, committed};
    }
    return {patch.size(), Status::ok()};
  }

 private:
  std::string key_name() const { return quote_identifier(columns_[key_].name); }

  static std::string type_name(sqlite3_stmt* stmt) {
    switch (sqlite3_column_type(stmt, 0)) {
      case SQLITE_NULL:
        return "NULL";
      case SQLITE_FLOAT:
        return "a real";
      default:
        return "a blob";
    }
  }

  // SELECT of every column, key first, then the others in table order.
  std::string select_sql(const std::string& where) const {
    std::string sql = "SELECT " + key_name();
    for (size_t i = 0; i < columns_.size(); ++i)
      if (i != key_) sql += ", " + quote_identifier(columns_[i].name);
    return sql + " FROM " + quote_identifier(table_) + where;
  }

  // The condition matching exactly the row whose member name is ?1: the
  // IN lets an index on the key column find candidates, the CASE compares
  // the name (?2 is the integer form of ?1 when it has one, else ?1 again).
  std::string match_sql() const {
    std::string k = key_name();
    return " WHERE " + k + " IN (?1, ?2) AND (CASE typeof(" + k + ") WHEN 'integer' THEN CAST(" +
           k + " AS TEXT) WHEN 'text' THEN " + k + " END) = ?1 COLLATE BINARY";
  }

  void bind_key(Statement& statement, const std::string& key) const {
    statement.bind_text(1, key);
    if (auto number = key_integer(key))
      statement.bind_int(2, *number);
    else
      statement.bind_text(2, key);
  }

  // The row object of the current row of `select` (from select_sql()).
  Result<json> row_value(const Statement& select, const std::string& key) const {
    json row = json::object();
    int at = 1;
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (i == key_) continue;
      auto value = select.column(at++);
      if (!value.is_ok())
        return value.status().with_context("table " + table_ + ", row \"" + key + "\", column " +
                                           quote_identifier(columns_[i].name));
      row[columns_[i].name] = std::move(*value);
    }
    return row;
  }

  Result<std::optional<json>> read_row(const std::string& key) {
    GITSTATE_ASSIGN_OR_RETURN(Statement select,
                              Statement::prepare(db_.get(), select_sql(match_sql())));
    bind_key(select, key);
    GITSTATE_ASSIGN_OR_RETURN(bool found, select.step("reading row " + key));
    if (!found) return std::optional<json>();
    GITSTATE_ASSIGN_OR_RETURN(json row, row_value(select, key));
    return std::optional<json>(std::move(row));
  }

  Status exec(const std::string& sql) {
    if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK)
      return Status::ok();
    return sqlite_status(db_.get(), sql);
  }

  Result<const Column*> value_column(const std::string& name) const {
    for (size_t i = 0; i < columns_.size(); ++i)
      if (columns_[i].name == name) {
        if (i == key_)
          return invalid("the key column " + key_name() + " is the row's name, not a member");
        return &columns_[i];
      }
    return invalid("table " + table_ + " has no column " + quote_identifier(name));
  }

  // Deletes the row named `key`; false when there is none.
  Result<bool> delete_row(const std::string& key) {
    GITSTATE_ASSIGN_OR_RETURN(
        Statement del,
        Statement::prepare(db_.get(), "DELETE FROM " + quote_identifier(table_) + match_sql()));
    bind_key(del, key);
    GITSTATE_RETURN_IF_ERROR(del.step("deleting row " + key).status());
    return sqlite3_changes(db_.get()) > 0;
  }

  Status insert_row(const std::string& key, const json& row) {
    if (!row.is_object()) return invalid("a row is an object of column values");
    std::string names = key_name(), values = "?1";
    int index = 1;
    for (const auto& [column, value] : row.items()) {
      GITSTATE_ASSIGN_OR_RETURN(const Column* found, value_column(column));
      names += ", " + quote_identifier(found->name);
      values += ", ?" + std::to_string(++index);
    }
    GITSTATE_ASSIGN_OR_RETURN(
        Statement insert,
        Statement::prepare(db_.get(), "INSERT INTO " + quote_identifier(table_) + " (" + names +
                                          ") VALUES (" + values + ")"));
    auto number = key_integer(key);
    if (number && !text_affinity(columns_[key_].type))
      insert.bind_int(1, *number);
    else
      insert.bind_text(1, key);
    index = 1;
    for (const auto& [column, value] : row.items()) {
      Status bound = insert.bind(++index, value);
      if (!bound.is_ok()) return bound.with_context("column " + quote_identifier(column));
    }
    GITSTATE_RETURN_IF_ERROR(insert.step("inserting row " + key).status());
    return check_row(key, row);
  }

  Status update_value(const std::string& key, const std::string& column, const json& value) {
    GITSTATE_ASSIGN_OR_RETURN(const Column* found, value_column(column));
    GITSTATE_ASSIGN_OR_RETURN(
        Statement update,
        Statement::prepare(db_.get(), "UPDATE " + quote_identifier(table_) + " SET " +
                                          quote_identifier(found->name) + " = ?3" + match_sql()));
    bind_key(update, key);
    Status bound = update.bind(3, value);
    if (!bound.is_ok()) return bound.with_context("column " + quote_identifier(column));
    GITSTATE_RETURN_IF_ERROR(update.step("updating row " + key).status());
    if (sqlite3_changes(db_.get()) == 0) return not_found("no row \"" + key + "\"");
    return check_row(key, json{{column, value}});
  }

  // The row `key` holds `expected`'s members as they were written.
  Status check_row(const std::string& key, const json& expected) {
    GITSTATE_ASSIGN_OR_RETURN(std::optional<json> row, read_row(key));
    if (!row)
      return invalid("the table stores the key \"" + key +
                     "\" as another value (type affinity of " + key_name() + "?)");
    for (const auto& [column, value] : expected.items()) {
      const json& stored = (*row)[column];
      if (stored != value)
        return invalid("column " + quote_identifier(column) + " of row \"" + key + "\" holds " +
                       stored.dump() + " after writing " + value.dump() +
                       " (type affinity or a trigger)");
    }
    return Status::ok();
  }

  Status apply_one(const json& op) {
    GITSTATE_ASSIGN_OR_RETURN(AdapterOp parsed, parse_adapter_op(op, "sqlite", "the whole table"));
    const std::string& name = parsed.name;
    const Path& path = parsed.path;
    const std::string& key = path[0];
    if (path.size() == 1) {
      GITSTATE_ASSIGN_OR_RETURN(bool existed, delete_row(key));
      if (!existed && name != "add") return not_found("no row \"" + key + "\"");
      return name == "remove" ? Status::ok() : insert_row(key, *parsed.value);
    }
    bool blob_part = path.size() == 3 && path[2] == "$base64";
    if (path.size() > 2 && !blob_part)
      return invalid("a column value is a scalar or a blob: nothing is inside it");
    if (name == "remove")
      return invalid("a row holds every column of the table: set " + format_pointer(path) +
                     " to null instead of removing it");
    json value = blob_part ? json{{"$base64", *parsed.value}} : *parsed.value;
    return update_value(key, path[1], value);
  }

  std::unique_ptr<sqlite3, CloseDb> db_;
  std::string identity_, table_;
  std::vector<Column> columns_;
  size_t key_;
};
}  // namespace

Result<std::unique_ptr<Adapter>> open_sqlite_adapter(const std::string& database,
                                                     const std::string& table,
                                                     const std::string& key_column) {
  std::error_code error;
  if (!fs::is_regular_file(database, error)) return not_found("no database file at " + database);
  std::string path = fs::canonical(database, error).string();
  if (error) return io_error("cannot examine " + database + ": " + error.message());
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  std::unique_ptr<sqlite3, CloseDb> db(raw);
  if (rc != SQLITE_OK) return sqlite_status(db.get(), "opening " + database);
  sqlite3_busy_timeout(db.get(), 2000);
  sqlite3_extended_result_codes(db.get(), 1);
  GITSTATE_ASSIGN_OR_RETURN(
      Statement info, Statement::prepare(db.get(), "SELECT name, type FROM pragma_table_info(?1)"));
  info.bind_text(1, table);
  std::vector<Column> columns;
  std::optional<size_t> key;
  for (;;) {
    auto more = info.step("reading the columns of " + table);
    if (!more.is_ok()) return more.status().with_context(database);
    if (!*more) break;
    Column column{reinterpret_cast<const char*>(sqlite3_column_text(info.get(), 0)),
                  sqlite3_column_type(info.get(), 1) == SQLITE_TEXT
                      ? reinterpret_cast<const char*>(sqlite3_column_text(info.get(), 1))
                      : ""};
    if (column.name == key_column) key = columns.size();
    columns.push_back(std::move(column));
  }
  if (columns.empty()) return invalid(database + " has no table " + quote_identifier(table));
  if (!key)
    return invalid("table " + quote_identifier(table) + " in " + database + " has no column " +
                   quote_identifier(key_column));
  std::string identity = "sqlite:" + path + "#" + table + "(" + key_column + ")";
  return std::unique_ptr<Adapter>(
      new SqliteAdapter(db.release(), std::move(identity), table, std::move(columns), *key));
}

}  // namespace gitstate
