// The directory adapter on a real directory: the key <-> file name mapping,
// what it refuses to read, and a rejection by the file system's name limit
// that a later sync finishes once the branch is fixed.
#include "gitstate/adapter_dir.h"

#include <unistd.h>

#include "adapter_test_util.h"
#include "gitstate/adapter_sync.h"

using namespace gitstate;
using gitstate::test::load_state;
using gitstate::test::read_bytes;
using gitstate::test::snapshot_tree;
using gitstate::test::TempDir;
using gitstate::test::TestRepo;
using gitstate::test::write_bytes;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
json awkward_state() {
  return {{"a/b", 1},
          {".", "dot"},
          {"..", "dotdot"},
          {".hidden", {{".git", true}}},
          {"with space", "s p a c e"},
          {"ünïcødé 日本", {{"ключ", "значение"}}},
          {"%", "percent"},
          {"", "empty key"},
          {"~1", "tilde"},
          {"back\\slash", nullptr},
          {"Case", 1},
          {"case", 2},
          {"new\nline", "control"},
          {std::string(200, 'k'), "long"},
          {"list", json::array({1, "two", json{{"three", 3}}})},
          {"num", 1.5},
          {"nested", {{"deeper", {{"deepest", json::object()}}}}}};
}
}  // namespace

TEST_CASE("dir adapter: awkward keys map to safe file names and back", "[adapter][dir]") {
  TempDir tmp;
  fs::path root = tmp.path() / "d";
  fs::create_directory(root);
  auto adapter = open_dir_adapter(root.string());
  REQUIRE(adapter.is_ok());
  json state = awkward_state();
  json patch = json::array();
  for (const auto& [key, value] : state.items())
    patch.push_back({{"op", "add"}, {"path", format_pointer({key})}, {"value", value}});
  ApplyReport report = (*adapter)->apply(patch);
  INFO(report.status.to_string());
  REQUIRE(report.status.is_ok());
  CHECK(report.applied == patch.size());

  CHECK(read_bytes(root / "a%2Fb") == "1\n");
  CHECK(read_bytes(root / "%2E") == "\"dot\"\n");
  CHECK(read_bytes(root / "%2E.") == "\"dotdot\"\n");
  CHECK(read_bytes(root / "%2Ehidden" / "%2Egit") == "true\n");
  CHECK(read_bytes(root / "%") == "\"empty key\"\n");
  CHECK(read_bytes(root / "%25") == "\"percent\"\n");
  CHECK(read_bytes(root / "%7E1") == "\"tilde\"\n");
  CHECK(read_bytes(root / "back%5Cslash") == "null\n");
  CHECK(read_bytes(root / "Case") == "1\n");
  CHECK(read_bytes(root / "case") == "2\n");
  CHECK(read_bytes(root / "ünïcødé 日本" / "ключ") == "\"значение\"\n");
  CHECK(read_bytes(root / "list") == "[1,\"two\",{\"three\":3}]\n");
  CHECK(fs::is_directory(root / "nested" / "deeper" / "deepest"));
  CHECK(load_state(**adapter) == state);

  // Files edited by people are read as any strict JSON text.
  write_bytes(root / "num", "  1.50e0 \n");
  write_bytes(root / "pretty", "[\n  1,\n  2\n]\n");
  json loaded = load_state(**adapter);
  CHECK(loaded["num"] == 1.5);
  CHECK(loaded["pretty"] == json::array({1, 2}));

  // Replacing a folder by a file and the other way, removing either.
  json change = json::array({{{"op", "replace"}, {"path", "/nested"}, {"value", 7}},
                             {{"op", "replace"}, {"path", "/num"}, {"value", {{"x", 1}}}},
                             {{"op", "remove"}, {"path", "/.hidden"}},
                             {{"op", "remove"}, {"path", "/a~1b"}}});
  REQUIRE((*adapter)->apply(change).status.is_ok());
  CHECK(read_bytes(root / "nested") == "7\n");
  CHECK(read_bytes(root / "num" / "x") == "1\n");
  CHECK_FALSE(fs::exists(root / "%2Ehidden"));
  CHECK_FALSE(fs::exists(root / "a%2Fb"));
  for (const auto& entry : fs::directory_iterator(root))
    CHECK_FALSE(entry.path().filename().string().starts_with("%%"));
}

TEST_CASE("dir adapter: what it cannot read is a clear error", "[adapter][dir]") {
  TempDir tmp;
  fs::path root = tmp.path() / "d";
  CHECK(open_dir_adapter(root.string()).status().code() == Code::kNotFound);
  write_bytes(tmp.path() / "file", "{}");
  auto file = open_dir_adapter((tmp.path() / "file").string());
  CHECK(file.status().code() == Code::kInvalid);
  CHECK_THAT(file.status().message(), Catch::Contains("not a directory"));

  fs::create_directory(root);
  auto adapter = open_dir_adapter(root.string());
  REQUIRE(adapter.is_ok());
  auto expect_invalid = [&](const std::string& what) {
    auto state = (*adapter)->load();
    CHECK(state.status().code() == Code::kInvalid);
    CHECK_THAT(state.status().message(), Catch::Contains(what));
  };
  write_bytes(root / "bad", "{\"a\": 1,}");
  expect_invalid("bad");
  fs::remove(root / "bad");
  write_bytes(root / "object", "{\"a\": 1}");
  expect_invalid("an object is a folder");
  fs::remove(root / "object");
  write_bytes(root / "%41", "1");
  expect_invalid("%41");
  fs::remove(root / "%41");
  write_bytes(root / ".profile", "1");
  expect_invalid(".profile");
  fs::remove(root / ".profile");
  fs::create_symlink("/etc/hostname", root / "link");
  expect_invalid("link");
  fs::remove(root / "link");
  write_bytes(root / "%%tmp-1-2", "leftover");
  CHECK(load_state(**adapter) == json::object());

  json bad_ops = json::array({{{"op", "move"}, {"from", "/a"}, {"path", "/b"}}});
  ApplyReport moved = (*adapter)->apply(bad_ops);
  CHECK(moved.applied == 0);
  CHECK(moved.status.code() == Code::kInvalid);
  ApplyReport missing = (*adapter)->apply(json::array({{{"op", "remove"}, {"path", "/nothing"}}}));
  CHECK(missing.status.code() == Code::kNotFound);
  ApplyReport parent =
      (*adapter)->apply(json::array({{{"op", "add"}, {"path", "/x/y"}, {"value", 1}}}));
  CHECK(parent.status.code() == Code::kNotFound);
}

TEST_CASE(
    "dir adapter: a key too long for a file name stops the sync; fixing the branch finishes it",
    "[adapter][dir][sync]") {
  TestRepo r;
  TempDir tmp;
  fs::path root = tmp.path() / "d";
  fs::create_directory(root);
  std::string long_key(300, 'x');
  r.set("/a", 1);
  r.set("/" + long_key, 2);
  r.set("/z", 3);
  auto adapter = open_dir_adapter(root.string());
  REQUIRE(adapter.is_ok());

  auto failed = sync_adapter(r.repo, **adapter);
  REQUIRE_FALSE(failed.is_ok());
  CHECK(failed.status().code() == Code::kInvalid);
  CHECK_THAT(failed.status().message(), Catch::Contains("operation 1 of 3"));
  CHECK_THAT(failed.status().message(), Catch::Contains("300 bytes as a file name"));
  CHECK(load_state(**adapter) == json{{"a", 1}});

  auto tx = r.repo.begin();
  REQUIRE(tx.is_ok());
  REQUIRE(tx->remove("/" + long_key).is_ok());
  REQUIRE(tx->set("/short", 2).is_ok());
  REQUIRE(tx->commit().is_ok());
  auto rerun = sync_adapter(r.repo, **adapter);
  INFO(rerun.status().to_string());
  REQUIRE(rerun.is_ok());
  CHECK(rerun->plan.incoming == json::array());
  CHECK(rerun->plan.outgoing.size() == 2);  // /short and /z; /a went out the first time
  CHECK(load_state(**adapter) == r.get(""));
  CHECK(snapshot_tree(root) == "a = 1\n\nshort = 2\n\nz = 3\n\n");
}
