// The public JSON Patch test suite (npm package json-patch-test-suite) run
// through Transaction::patch. A state's root must be an object, so each case's
// document is stored at /d and every pointer is prefixed with /d: whole-
// document operations ("" paths) and top-level arrays and scalars are then
// exercised too.
#include "porcelain/porcelain_test_util.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

using gitstate::test::TestRepo;
using nlohmann::json;

namespace {
std::filesystem::path suite_dir() {
  if (const char* env = std::getenv("JSON_PATCH_TEST_SUITE")) return env;
  return std::filesystem::path(GITSTATE_SOURCE_DIR) / "node_modules" / "json-patch-test-suite";
}

json prefixed(json patch) {
  if (!patch.is_array()) return patch;
  for (json& op : patch) {
    if (!op.is_object()) continue;
    for (const char* member : {"path", "from"}) {
      auto it = op.find(member);
      if (it == op.end() || !it->is_string()) continue;
      std::string pointer = it->get<std::string>();
      if (pointer.empty() || pointer.front() == '/') *it = "/d" + pointer;
    }
  }
  return patch;
}

void run_suite(const std::string& file) {
  std::filesystem::path path = suite_dir() / file;
  INFO("suite file " << path << " (installed by `npm install json-patch-test-suite`)");
  std::ifstream in(path);
  REQUIRE(in.good());
  json cases = json::parse(in);
  TestRepo t;
  size_t run = 0;
  for (const json& c : cases) {
    if (c.value("disabled", false)) continue;
    ++run;
    std::string comment = c.value("comment", c.dump().substr(0, 120));
    INFO("case: " << comment);
    auto tx = t.repo.begin();
    REQUIRE(tx.is_ok());
    REQUIRE(tx->set("/d", c.at("doc")).is_ok());
    gitstate::Status status = tx->patch(prefixed(c.at("patch")));
    INFO("status: " << status.to_string());
    if (c.contains("error")) {
      CHECK(!status.is_ok());
      continue;
    }
    REQUIRE(status.is_ok());
    if (c.contains("expected")) {
      auto value = tx->get("/d");
      REQUIRE(value.is_ok());
      CHECK(*value == c.at("expected"));
    }
  }
  CHECK(run > 10);
}
}  // namespace

TEST_CASE("json-patch-test-suite tests.json passes through transactions", "[conformance]") {
  run_suite("tests.json");
}

TEST_CASE("json-patch-test-suite spec_tests.json passes through transactions", "[conformance]") {
  run_suite("spec_tests.json");
}
