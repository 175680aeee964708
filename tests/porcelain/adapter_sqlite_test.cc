// The SQLite adapter on real database files: the value mapping both ways,
// awkward keys, identifiers and values, type mismatches, a trigger that
// rejects one value halfway through a sync, and input it refuses.
#include "gitstate/adapter_sqlite.h"

#include "adapter_test_util.h"
#include "gitstate/adapter_sync.h"

using namespace gitstate;
using gitstate::test::load_state;
using gitstate::test::SqliteSystem;
using gitstate::test::TestRepo;
using nlohmann::json;

namespace {
struct Db : SqliteSystem {
  Db() {}
  explicit Db(const std::string& schema) { exec(schema); }
  std::unique_ptr<Adapter> open(const std::string& table, const std::string& key) const {
    auto adapter = open_sqlite_adapter(file, table, key);
    INFO(adapter.status().to_string());
    REQUIRE(adapter.is_ok());
    return std::move(*adapter);
  }
  // "typeof:quote" of column `column` of the row where `where` holds.
  std::string cell(const std::string& table, const std::string& column, const std::string& where) {
    auto rows = exec("SELECT typeof(" + column + ") || ':' || quote(" + column + ") FROM " + table +
                     " WHERE " + where);
    REQUIRE(rows.size() == 1);
    return rows[0];
  }
};

Result<SyncOutcome> sync(TestRepo& r, Adapter& adapter) { return sync_adapter(r.repo, adapter); }

SyncOutcome sync_ok(TestRepo& r, Adapter& adapter) {
  auto outcome = sync(r, adapter);
  INFO(outcome.status().to_string());
  REQUIRE(outcome.is_ok());
  return *outcome;
}
}  // namespace

TEST_CASE("sqlite adapter: values map both ways exactly", "[adapter][sqlite]") {
  Db db(
      "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER, "
      "data BLOB, note)");
  db.exec(
      "INSERT INTO items VALUES (1, 'O''Reilly \"quoted\"', 0.1, 9223372036854775807, "
      "x'00ff10', NULL)");
  db.exec(
      "INSERT INTO items VALUES (-5, 'ünïcødé 日本 🚀', -1e300, -9223372036854775808, x'', 2.5)");
  auto adapter = db.open("items", "id");
  json expected = {{"1",
                    {{"name", "O'Reilly \"quoted\""},
                     {"price", 0.1},
                     {"qty", 9223372036854775807LL},
                     {"data", {{"$base64", "AP8Q"}}},
                     {"note", nullptr}}},
                   {"-5",
                    {{"name", "ünïcødé 日本 🚀"},
                     {"price", -1e300},
                     {"qty", std::numeric_limits<int64_t>::min()},
                     {"data", {{"$base64", ""}}},
                     {"note", 2.5}}}};
  CHECK(load_state(*adapter) == expected);

  TestRepo r;
  sync_ok(r, *adapter);
  CHECK(r.get("") == expected);
  CHECK(r.get("/1/data/$base64") == "AP8Q");

  auto tx = r.repo.begin();
  REQUIRE(tx.is_ok());
  REQUIRE(tx->set("/1/name", "it's \"x\"; DROP TABLE items;--").is_ok());
  REQUIRE(tx->set("/1/note", "line\nbreak\ttab\\").is_ok());
  REQUIRE(tx->set("/1/data", {{"$base64", "aGVsbG8="}}).is_ok());
  REQUIRE(tx->set("/-5/note", nullptr).is_ok());
  REQUIRE(tx->set("/-5/price", 12.75).is_ok());
  REQUIRE(tx->set("/7", {{"name", "new"}, {"qty", 3}, {"price", 1}}).is_ok());
  REQUIRE(tx->commit().is_ok());
  SyncOutcome out = sync_ok(r, *adapter);
  CHECK(out.plan.incoming == json::array());
  CHECK(db.cell("items", "name", "id = 1") == "text:'it''s \"x\"; DROP TABLE items;--'");
  CHECK(db.cell("items", "note", "id = 1") == "text:'line\nbreak\ttab\\'");
  CHECK(db.cell("items", "data", "id = 1") == "blob:X'68656C6C6F'");
  CHECK(db.cell("items", "note", "id = -5") == "null:NULL");
  CHECK(db.cell("items", "price", "id = -5") == "real:12.75");
  CHECK(db.cell("items", "qty", "id = 7") == "integer:3");
  CHECK(db.cell("items", "price", "id = 7") ==
        "real:1.0");  // REAL affinity; 1 and 1.0 are one value
  CHECK(db.cell("items", "data", "id = 7") == "null:NULL");  // a column the row object left out
  // The defaults of columns left out come in on the next sync.
  SyncOutcome next = sync_ok(r, *adapter);
  CHECK(next.plan.incoming ==
        json::array({{{"op", "add"}, {"path", "/7/data"}, {"value", nullptr}},
                     {{"op", "add"}, {"path", "/7/note"}, {"value", nullptr}}}));
  CHECK(load_state(*adapter) == r.get(""));
  CHECK(r.fsck());
}

TEST_CASE("sqlite adapter: awkward keys, tables and columns", "[adapter][sqlite]") {
  Db db("CREATE TABLE \"we\"\"ird table\" (\"k e\"\"y\" TEXT PRIMARY KEY, \"va;l\" )");
  auto adapter = db.open("we\"ird table", "k e\"y");
  TestRepo r;
  json rows = {{"it's", {{"va;l", 1}}},
               {"\"quoted\"", {{"va;l", 2}}},
               {"Robert'); DROP TABLE x;--", {{"va;l", 3}}},
               {"17", {{"va;l", 4}}},
               {"017", {{"va;l", 5}}},
               {"", {{"va;l", 6}}},
               {"ключ/with/slashes", {{"va;l", 7}}},
               {"Case", {{"va;l", 8}}},
               {"case", {{"va;l", 9}}}};
  auto tx = r.repo.begin();
  REQUIRE(tx.is_ok());
  for (const auto& [key, row] : rows.items()) REQUIRE(tx->set(format_pointer({key}), row).is_ok());
  REQUIRE(tx->commit().is_ok());
  sync_ok(r, *adapter);
  CHECK(load_state(*adapter) == r.get(""));
  CHECK(db.exec("SELECT count(*) FROM \"we\"\"ird table\"") == std::vector<std::string>{"9"});
  CHECK(db.exec("SELECT typeof(\"k e\"\"y\") FROM \"we\"\"ird table\" WHERE \"va;l\" = 4") ==
        std::vector<std::string>{"text"});

  auto change = r.repo.begin();
  REQUIRE(change.is_ok());
  REQUIRE(change->remove("/17").is_ok());
  REQUIRE(change->set("/017/va;l", "changed").is_ok());
  REQUIRE(change->commit().is_ok());
  sync_ok(r, *adapter);
  CHECK(load_state(*adapter) == r.get(""));

  // Integer keys: "017" is not the name of an integer, and the INTEGER key
  // column would store it as 17: the insert is rolled back and rejected.
  Db numbers("CREATE TABLE n (id INTEGER PRIMARY KEY, v)");
  auto numeric = numbers.open("n", "id");
  ApplyReport odd =
      numeric->apply(json::array({{{"op", "add"}, {"path", "/1"}, {"value", {{"v", 1}}}},
                                  {{"op", "add"}, {"path", "/017"}, {"value", {{"v", 2}}}}}));
  CHECK(odd.applied == 1);
  CHECK(odd.status.code() == Code::kInvalid);
  CHECK_THAT(odd.status.message(), Catch::Contains("017"));
  CHECK(load_state(*numeric) == json{{"1", {{"v", 1}}}});
}

TEST_CASE("sqlite adapter: values without an SQL counterpart or changed by affinity are rejected",
          "[adapter][sqlite]") {
  Db db("CREATE TABLE m (id TEXT PRIMARY KEY, n INTEGER, v)");
  db.exec("INSERT INTO m VALUES ('a', 1, 'x')");
  auto adapter = db.open("m", "id");
  auto rejected = [&](const json& op, Code code, const std::string& what) {
    ApplyReport report = adapter->apply(json::array({op}));
    CHECK(report.applied == 0);
    CHECK(report.status.code() == code);
    CHECK_THAT(report.status.message(), Catch::Contains(what));
    CHECK(load_state(*adapter) == json{{"a", {{"n", 1}, {"v", "x"}}}});
  };
  auto replace = [](const std::string& path, const json& value) {
    return json{{"op", "replace"}, {"path", path}, {"value", value}};
  };
  rejected(replace("/a/n", "42"), Code::kInvalid, "holds 42 after writing \"42\"");
  rejected(replace("/a/v", true), Code::kInvalid, "no SQL counterpart");
  rejected(replace("/a/v", json::array({1})), Code::kInvalid, "no SQL counterpart");
  rejected(replace("/a/v", json{{"x", 1}}), Code::kInvalid, "no SQL counterpart");
  rejected(replace("/a/v", 18446744073709551615ULL), Code::kInvalid, "64-bit");
  rejected(replace("/a/v", json{{"$base64", "not base64!"}}), Code::kInvalid, "base64");
  rejected(replace("/a/missing", 1), Code::kInvalid, "no column");
  rejected(replace("/a/id", "b"), Code::kInvalid, "key column");
  rejected(json{{"op", "remove"}, {"path", "/a/v"}}, Code::kInvalid, "set /a/v to null");
  rejected(replace("/nothing/v", 1), Code::kNotFound, "no row");
  rejected(json{{"op", "copy"}, {"from", "/a"}, {"path", "/b"}}, Code::kInvalid, "not copy");
}

TEST_CASE("sqlite adapter: a trigger rejects one value halfway; the rerun finishes",
          "[adapter][sqlite][sync]") {
  Db db;
  auto adapter = db.open("t", "id");
  TestRepo r;
  for (const char* row : {"a", "b", "c"})
    r.set(std::string("/") + row, json{{"v", 0}, {"w", nullptr}});
  sync_ok(r, *adapter);
  db.exec(
      "CREATE TRIGGER no_bad BEFORE UPDATE ON t WHEN NEW.v = 'bad' "
      "BEGIN SELECT RAISE(ABORT, 'bad is not allowed'); END");
  auto tx = r.repo.begin();
  REQUIRE(tx.is_ok());
  REQUIRE(tx->set("/a/v", "good").is_ok());
  REQUIRE(tx->set("/b/v", "bad").is_ok());
  REQUIRE(tx->set("/c/v", "fine").is_ok());
  REQUIRE(tx->commit().is_ok());

  auto failed = sync(r, *adapter);
  REQUIRE_FALSE(failed.is_ok());
  CHECK(failed.status().code() == Code::kConflict);
  CHECK_THAT(failed.status().message(), Catch::Contains("operation 1 of 3 (replace /b/v)"));
  CHECK_THAT(failed.status().message(), Catch::Contains("bad is not allowed"));
  CHECK(db.exec("SELECT v FROM t ORDER BY id") == std::vector<std::string>{"good", "0", "0"});

  auto again = sync(r, *adapter);
  CHECK_FALSE(again.is_ok());  // the trigger still says no, and nothing else changes
  CHECK(db.exec("SELECT v FROM t ORDER BY id") == std::vector<std::string>{"good", "0", "0"});

  db.exec("DROP TRIGGER no_bad");
  SyncOutcome rerun = sync_ok(r, *adapter);
  CHECK(rerun.plan.incoming == json::array());
  CHECK(rerun.applied == 2);
  CHECK(db.exec("SELECT v FROM t ORDER BY id") == std::vector<std::string>{"good", "bad", "fine"});
  CHECK(sync_ok(r, *adapter).result == SyncResult::kUpToDate);
}

TEST_CASE("sqlite adapter: what it cannot open or read is a clear error", "[adapter][sqlite]") {
  Db db("CREATE TABLE u (id, v)");
  CHECK(open_sqlite_adapter(db.file + ".missing", "u", "id").status().code() == Code::kNotFound);
  auto no_table = open_sqlite_adapter(db.file, "nope", "id");
  CHECK(no_table.status().code() == Code::kInvalid);
  CHECK_THAT(no_table.status().message(), Catch::Contains("no table \"nope\""));
  auto no_column = open_sqlite_adapter(db.file, "u", "key");
  CHECK(no_column.status().code() == Code::kInvalid);
  CHECK_THAT(no_column.status().message(), Catch::Contains("no column \"key\""));
  test::write_bytes(db.tmp.path() / "text.db", "this is not a database, just some text......");
  auto not_db = open_sqlite_adapter((db.tmp.path() / "text.db").string(), "u", "id");
  CHECK(not_db.status().code() == Code::kInvalid);

  auto adapter = db.open("u", "id");
  auto expect_invalid = [&](const std::string& what) {
    auto state = adapter->load();
    CHECK(state.status().code() == Code::kInvalid);
    CHECK_THAT(state.status().message(), Catch::Contains(what));
    db.exec("DELETE FROM u");
  };
  db.exec("INSERT INTO u VALUES (NULL, 1)");
  expect_invalid("holds NULL");
  db.exec("INSERT INTO u VALUES (1.5, 1)");
  expect_invalid("holds a real");
  db.exec("INSERT INTO u VALUES (x'01', 1)");
  expect_invalid("holds a blob");
  db.exec("INSERT INTO u VALUES (1, 1), ('1', 2)");
  expect_invalid("two rows have the key \"1\"");
  db.exec("INSERT INTO u VALUES ('a', 1e999)");
  expect_invalid("non-finite");
}
