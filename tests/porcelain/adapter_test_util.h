// Helpers for the adapter tests: the two real outside systems (a directory
// of JSON files, a table in an SQLite database) behind one small interface,
// so that every sync scenario runs against both, and an adapter wrapper that
// lets the real adapter apply only the first N operations of a patch.
#pragma once

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "gitstate/adapter.h"
#include "gitstate/adapter_dir.h"
#include "gitstate/adapter_sqlite.h"
#include "gitstate/plumbing/codec.h"
#include "porcelain_test_util.h"

namespace gitstate::test {

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  REQUIRE(out.good());
}

// Every entry under `root` with its content, in name order: a byte-exact picture.
inline std::string snapshot_tree(const std::filesystem::path& root) {
  std::vector<std::string> lines;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    std::string line = entry.path().lexically_relative(root).string();
    if (entry.is_regular_file()) line += " = " + read_bytes(entry.path());
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// A directory of JSON files: row R, column C is the file dir/R/C.
struct DirSystem {
  static constexpr const char* kName = "dir";
  TempDir tmp;
  std::filesystem::path root = tmp.path() / "outside";

  DirSystem() { std::filesystem::create_directory(root); }

  std::unique_ptr<Adapter> adapter() const {
    auto adapter = open_dir_adapter(root.string());
    INFO(adapter.status().to_string());
    REQUIRE(adapter.is_ok());
    return std::move(*adapter);
  }
  void put(const std::string& row, const std::string& column, const nlohmann::json& value) {
    std::filesystem::create_directories(root / escape_key(row));
    write_bytes(root / escape_key(row) / escape_key(column), value.dump() + "\n");
  }
  void drop(const std::string& row) { std::filesystem::remove_all(root / escape_key(row)); }
  std::string snapshot() const { return snapshot_tree(root); }
};

// A table `t` (id TEXT PRIMARY KEY, v, w) in an SQLite database file.
struct SqliteSystem {
  static constexpr const char* kName = "sqlite";
  TempDir tmp;
  std::string file = (tmp.path() / "outside.db").string();

  SqliteSystem() { exec("CREATE TABLE t (id TEXT PRIMARY KEY, v, w)"); }

  // Runs `sql` with `values` bound to ?1, ?2...; returns the first column of
  // each result row as JSON text.
  std::vector<std::string> exec(const std::string& sql,
                                const std::vector<nlohmann::json>& values = {}) const {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    INFO(sql << ": " << sqlite3_errmsg(db));
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    for (size_t i = 0; i < values.size(); ++i) {
      int at = static_cast<int>(i) + 1;
      const nlohmann::json& v = values[i];
      if (v.is_null()) sqlite3_bind_null(stmt, at);
      if (v.is_number_integer()) sqlite3_bind_int64(stmt, at, v.get<int64_t>());
      if (v.is_number_float()) sqlite3_bind_double(stmt, at, v.get<double>());
      if (v.is_string())
        sqlite3_bind_text(stmt, at, v.get_ref<const std::string&>().c_str(), -1, SQLITE_TRANSIENT);
    }
    std::vector<std::string> rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      rows.push_back(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    INFO(sql << ": " << sqlite3_errmsg(db));
    CHECK(rc == SQLITE_DONE);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return rows;
  }

  std::unique_ptr<Adapter> adapter() const {
    auto adapter = open_sqlite_adapter(file, "t", "id");
    INFO(adapter.status().to_string());
    REQUIRE(adapter.is_ok());
    return std::move(*adapter);
  }
  void put(const std::string& row, const std::string& column, const nlohmann::json& value) {
    exec("INSERT OR IGNORE INTO t (id) VALUES (?1)", {row});
    exec("UPDATE t SET \"" + column + "\" = ?1 WHERE id = ?2", {value, row});
  }
  void drop(const std::string& row) { exec("DELETE FROM t WHERE id = ?1", {row}); }
  std::string snapshot() const { return read_bytes(file); }
};

// The real adapter `inner`, except that apply() lets only the first `limit`
// operations through, then rejects the next one as the system would.
class StopAfter : public Adapter {
 public:
  StopAfter(std::unique_ptr<Adapter> inner, size_t limit)
      : inner_(std::move(inner)), limit_(limit) {}
  std::string kind() const override { return inner_->kind(); }
  std::string identity() const override { return inner_->identity(); }
  Result<nlohmann::json> load() override { return inner_->load(); }
  ApplyReport apply(const nlohmann::json& patch) override {
    if (patch.size() <= limit_) return inner_->apply(patch);
    nlohmann::json first(patch.begin(), patch.begin() + static_cast<std::ptrdiff_t>(limit_));
    ApplyReport report = inner_->apply(first);
    if (!report.status.is_ok()) return report;
    return {limit_, Status(Code::kConflict,
                           "operation " + std::to_string(limit_) + ": refused by the test")};
  }

 private:
  std::unique_ptr<Adapter> inner_;
  size_t limit_;
};

// The outside system's state as its adapter loads it.
inline nlohmann::json load_state(Adapter& adapter) {
  auto state = adapter.load();
  INFO(state.status().to_string());
  REQUIRE(state.is_ok());
  return *state;
}

}  // namespace gitstate::test
