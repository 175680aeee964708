// walk_audit(): one record per changed leaf, with the commit's signer and the
// signature's status; filters as walk_log().
#include <fstream>

#include "gitstate/audit.h"
#include "gitstate/branches.h"
#include "gitstate/merge.h"
#include "porcelain_test_util.h"

using namespace gitstate;
using namespace gitstate::test;
using nlohmann::json;

namespace {
struct Row {
  Oid commit;
  std::string path;
  std::optional<json> old_value, new_value;
  SignatureStatus status;
  std::string key;
  bool operator==(const Row&) const = default;
};

std::vector<Row> audit(const Repository& repo, const AuditOptions& options = {}) {
  std::vector<Row> rows;
  Status walked = walk_audit(repo, options, [&](const AuditRecord& record) {
    rows.push_back(Row{record.commit.id, record.path, record.old_value, record.new_value,
                       record.signature.status, record.signature.key});
    return true;
  });
  INFO(walked.to_string());
  REQUIRE(walked.is_ok());
  return rows;
}

Oid commit_at(const Repository& repo, const std::function<void(Transaction&)>& change, int64_t time,
              const std::string& message = "") {
  auto tx = repo.begin();
  REQUIRE(tx.is_ok());
  change(*tx);
  CommitOptions options;
  options.author = Signature{"Ada", "ada@example.org", time, 0};
  options.message = message;
  auto outcome = tx->commit(options);
  INFO(outcome.status().to_string());
  REQUIRE(outcome.is_ok());
  return outcome->commit;
}

std::string make_key(const TempDir& dir, const std::string& name) {
  std::string path = dir.str() + "/" + name;
  REQUIRE(run_command("ssh-keygen -q -t ed25519 -N '' -f " + shell_quote(path)).exit_code == 0);
  return path;
}

std::shared_ptr<const SshSigningKey> load_key(const std::string& path) {
  auto key = SshSigningKey::load_file(path);
  REQUIRE(key.is_ok());
  return *key;
}

constexpr auto kUnsigned = SignatureStatus::kUnsigned;
}  // namespace

TEST_CASE("every changed leaf is one record, objects are split into their leaves") {
  TestRepo t;
  Oid c1 = commit_at(
      t.repo,
      [](Transaction& tx) {
        REQUIRE(tx.set("/config", json{{"db", {{"host", "a"}, {"port", 1}}},
                                       {"flags", json::array()},
                                       {"empty", json::object()}})
                    .is_ok());
      },
      1000, "create");
  Oid c2 = commit_at(
      t.repo,
      [](Transaction& tx) {
        REQUIRE(tx.set("/config/db/port", 2).is_ok());
        REQUIRE(tx.remove("/config/db/host").is_ok());
        REQUIRE(tx.set("/config/flags", json::array({"x"})).is_ok());
      },
      2000);
  Oid c3 = commit_at(
      t.repo, [](Transaction& tx) { REQUIRE(tx.set("/config/db", "off").is_ok()); }, 3000);
  Oid c4 = commit_at(
      t.repo,
      [](Transaction& tx) {
        REQUIRE(tx.set("/config/db", json{{"port", 3}}).is_ok());
      },
      4000);

  AuditOptions options;
  options.path = "/config";
  std::vector<Row> expected = {
      {c4, "/config/db", json("off"), std::nullopt, kUnsigned, ""},
      {c4, "/config/db/port", std::nullopt, json(3), kUnsigned, ""},
      {c3, "/config/db", std::nullopt, json("off"), kUnsigned, ""},
      {c3, "/config/db/port", json(2), std::nullopt, kUnsigned, ""},
      {c2, "/config/db/host", json("a"), std::nullopt, kUnsigned, ""},
      {c2, "/config/db/port", json(1), json(2), kUnsigned, ""},
      {c2, "/config/flags", json::array(), json::array({"x"}), kUnsigned, ""},
      {c1, "/config/db/host", std::nullopt, json("a"), kUnsigned, ""},
      {c1, "/config/db/port", std::nullopt, json(1), kUnsigned, ""},
      {c1, "/config/empty", std::nullopt, json::object(), kUnsigned, ""},
      {c1, "/config/flags", std::nullopt, json::array(), kUnsigned, ""},
  };
  CHECK(audit(t.repo, options) == expected);

  options.path = "/config/db/port";
  options.since = 2000;
  options.until = 3000;
  CHECK(audit(t.repo, options) ==
        std::vector<Row>{{c3, "/config/db/port", json(2), std::nullopt, kUnsigned, ""},
                         {c2, "/config/db/port", json(1), json(2), kUnsigned, ""}});

  // Stopping early.
  size_t seen = 0;
  REQUIRE(walk_audit(t.repo, {}, [&](const AuditRecord& record) {
            CHECK(record.commit.id == c4);
            ++seen;
            return false;
          }).is_ok());
  CHECK(seen == 1);
}

TEST_CASE("records carry the message, tags, and the merge's delta from its first parent") {
  TestRepo t;
  t.set("/a", 1);
  REQUIRE(create_branch(t.repo, "side").is_ok());
  Oid side = t.set("/b", 2, "on the side", "side");
  Oid main_change = t.set("/a", 10, "on main");
  auto merged = merge(t.repo, "side");
  REQUIRE(merged.is_ok());
  REQUIRE(merged->kind == MergeKind::kMerged);
  Oid merge_commit = merged->head;

  std::vector<Row> rows = audit(t.repo);
  REQUIRE(rows.size() >= 3);
  CHECK(rows[0] == Row{merge_commit, "/b", std::nullopt, json(2), kUnsigned, ""});
  AuditOptions first_parent;
  first_parent.first_parent = true;
  std::vector<Row> landed = audit(t.repo, first_parent);
  CHECK(std::none_of(landed.begin(), landed.end(), [&](const Row& r) { return r.commit == side; }));
  CHECK(std::any_of(landed.begin(), landed.end(),
                    [&](const Row& r) { return r.commit == main_change && r.path == "/a"; }));

  auto tx = t.repo.begin();
  REQUIRE(tx->set("/c", 3).is_ok());
  CommitOptions options;
  options.message = "tagged change";
  options.tags = {"infra", "db"};
  Oid tagged = tx->commit(options)->commit;
  REQUIRE(walk_audit(t.repo, {}, [&](const AuditRecord& record) {
            CHECK(record.commit.id == tagged);
            CHECK(record.commit.message == "tagged change");
            CHECK(record.commit.tags == std::vector<std::string>{"infra", "db"});
            return false;
          }).is_ok());
}

TEST_CASE("records report the signer and the verification status of each commit") {
  TempDir keys;
  std::string ada_path = make_key(keys, "ada");
  auto ada = load_key(ada_path);
  auto eve = load_key(make_key(keys, "eve"));
  std::string allowed = keys.str() + "/allowed_signers";
  std::ofstream(allowed) << "ada@example.org " << ada->public_key().openssh() << "\n";

  TestRepo t;
  Oid plain = commit_at(
      t.repo, [](Transaction& tx) { REQUIRE(tx.set("/p", 1).is_ok()); }, 1000);
  Oid by_ada = commit_at(
      t.repo.signing_with(ada), [](Transaction& tx) { REQUIRE(tx.set("/p", 2).is_ok()); }, 2000);
  Oid by_eve = commit_at(
      t.repo.signing_with(eve), [](Transaction& tx) { REQUIRE(tx.set("/p", 3).is_ok()); }, 3000);

  AuditOptions options;
  options.allowed_signers = allowed;
  std::string ada_key = ada->public_key().fingerprint();
  std::string eve_key = eve->public_key().fingerprint();
  CHECK(audit(t.repo, options) ==
        std::vector<Row>{{by_eve, "/p", json(2), json(3), SignatureStatus::kUnknownKey, eve_key},
                         {by_ada, "/p", json(1), json(2), SignatureStatus::kGood, ada_key},
                         {plain, "/p", std::nullopt, json(1), kUnsigned, ""}});

  // No allowed signers anywhere: signatures are only checked against their commits.
  std::vector<Row> unchecked = audit(t.repo);
  REQUIRE(unchecked.size() == 3);
  CHECK(unchecked[0].status == SignatureStatus::kUnchecked);
  CHECK(unchecked[1].status == SignatureStatus::kUnchecked);
  CHECK(unchecked[1].key == ada_key);

  // The configured file is used when no file is given.
  REQUIRE(t.repo.git_dir()->config_set("gpg.ssh.allowedSignersFile", allowed).is_ok());
  CHECK(audit(t.repo)[1].status == SignatureStatus::kGood);
}

TEST_CASE("bad revisions, pointers and signer files are errors that report nothing") {
  TestRepo t;
  t.set("/a", 1);
  size_t records = 0;
  auto count = [&](const AuditRecord&) { return ++records, true; };
  AuditOptions options;
  options.rev = "no-such-branch";
  CHECK(walk_audit(t.repo, options, count).code() == Code::kNotFound);
  options = {};
  options.path = "config";
  CHECK(walk_audit(t.repo, options, count).code() == Code::kInvalid);
  options = {};
  options.allowed_signers = t.dir.str() + "/missing";
  Status missing = walk_audit(t.repo, options, count);
  CHECK(missing.code() == Code::kNotFound);
  CHECK(missing.message().find("missing") != std::string::npos);
  CHECK(records == 0);
}
