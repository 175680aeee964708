// Signed commits on every path that commits, branch signature policies, and
// verify_history() catching tampering; checked against stock git and ssh-keygen.
#include <fstream>
#include <map>
#include <set>

#include "gitstate/plumbing/refs.h"
#include "gitstate/plumbing/signed_commit.h"
#include "gitstate/verify.h"
#include "porcelain_test_util.h"

using namespace gitstate;
using namespace gitstate::test;

namespace {
struct Keys {
  TempDir dir;
  std::shared_ptr<const SshSigningKey> ada, eve;
  std::string ada_path, allowed;

  Keys() {
    ada_path = make("ada");
    ada = load(ada_path);
    eve = load(make("eve"));
    allowed = dir.str() + "/allowed_signers";
    std::ofstream(allowed) << "# who may sign\nada@example.org " << ada->public_key().openssh()
                           << "\n";
  }
  std::string make(const std::string& name) {
    std::string path = dir.str() + "/" + name;
    REQUIRE(run_command("ssh-keygen -q -t ed25519 -N '' -f " + shell_quote(path)).exit_code == 0);
    return path;
  }
  static std::shared_ptr<const SshSigningKey> load(const std::string& path) {
    auto key = SshSigningKey::load_file(path);
    REQUIRE(key.is_ok());
    return *key;
  }
};

const Signature kAda{"Ada", "ada@example.org", 1700000000, 0};

std::string raw(const Repository& repo, const Oid& id) {
  auto object = repo.objects().read(id);
  REQUIRE(object.is_ok());
  return object->data;
}

SignatureStatus status_of(const Repository& repo, const Oid& id, const Keys& keys) {
  auto signers = AllowedSigners::load_file(keys.allowed);
  REQUIRE(signers.is_ok());
  return check_commit_signature(raw(repo, id), &*signers).status;
}

Oid commit_set(const Repository& repo, const std::string& pointer, const nlohmann::json& value,
               const std::string& branch = "") {
  auto tx = repo.begin(branch);
  REQUIRE(tx.is_ok());
  REQUIRE(tx->set(pointer, value).is_ok());
  CommitOptions options;
  options.author = kAda;
  auto outcome = tx->commit(options);
  INFO(outcome.status().to_string());
  REQUIRE(outcome.is_ok());
  return outcome->commit;
}

Status try_commit(const Repository& repo, const std::string& pointer, const nlohmann::json& value,
                  const std::string& branch = "") {
  auto tx = repo.begin(branch);
  REQUIRE(tx.is_ok());
  REQUIRE(tx->set(pointer, value).is_ok());
  CommitOptions options;
  options.author = kAda;
  return tx->commit(options).status();
}

std::string git(const TestRepo& t, const std::string& args) {
  return "git --git-dir=" + shell_quote(t.path()) + " " + args;
}

void require_policy(const TestRepo& t, const Keys& keys, const std::string& branch) {
  auto dir = t.repo.git_dir();
  REQUIRE(dir->config_set("gpg.ssh.allowedSignersFile", keys.allowed).is_ok());
  REQUIRE(dir->config_set("gitstate.branch." + branch + ".requireSignatures", "true").is_ok());
}
}  // namespace

TEST_CASE("a signed transaction commit passes git verify-commit, ssh-keygen -Y verify and fsck") {
  Keys keys;
  TestRepo t;
  Repository signing = t.repo.signing_with(keys.ada);
  Oid id = commit_set(signing, "/config/port", 5432);
  std::string content = raw(t.repo, id);
  REQUIRE(content.find("\ngpgsig -----BEGIN SSH SIGNATURE-----\n") != std::string::npos);
  REQUIRE(signing.objects().flush(true).is_ok());

  auto verified = run_command(
      git(t, "-c gpg.format=ssh -c gpg.ssh.allowedSignersFile=" + shell_quote(keys.allowed) +
                 " verify-commit " + id.hex() + " 2>&1"));
  INFO(verified.output);
  CHECK(verified.exit_code == 0);

  auto split = split_signed_commit(content);
  REQUIRE(split);
  std::ofstream(keys.dir.str() + "/sig") << split->signature;
  CHECK(run_command("ssh-keygen -Y verify -f " + shell_quote(keys.allowed) +
                        " -I ada@example.org -n git -s " + shell_quote(keys.dir.str() + "/sig"),
                    split->payload)
            .exit_code == 0);
  CHECK(t.fsck());
  CHECK(status_of(t.repo, id, keys) == SignatureStatus::kGood);
  // A handle without a key, and the default handle, do not sign.
  CHECK(status_of(t.repo, t.set("/x", 1), keys) == SignatureStatus::kUnsigned);
}

TEST_CASE("the configured gitstate.signingKey signs; a broken one fails commits, never unsigned") {
  Keys keys;
  TestRepo t;
  REQUIRE(t.repo.git_dir()->config_set("gitstate.signingKey", keys.ada_path).is_ok());
  auto configured = Repository::open(t.path());
  REQUIRE(configured.is_ok());
  CHECK(status_of(t.repo, commit_set(*configured, "/a", 1), keys) == SignatureStatus::kGood);

  std::string encrypted = keys.dir.str() + "/locked";
  REQUIRE(run_command("ssh-keygen -q -t ed25519 -N 'pass phrase' -f " + shell_quote(encrypted))
              .exit_code == 0);
  REQUIRE(t.repo.git_dir()->config_set("gitstate.signingKey", encrypted).is_ok());
  auto broken = Repository::open(t.path());
  REQUIRE(broken.is_ok());
  auto head = broken->resolve();
  REQUIRE(head.is_ok());
  Status refused = try_commit(*broken, "/a", 2);
  CHECK(refused.code() == Code::kInvalid);
  CHECK(refused.message().find("gitstate.signingKey") != std::string::npos);
  CHECK(refused.message().find("passphrase-protected") != std::string::npos);
  CHECK(broken->resolve().value() == *head);
  CHECK(broken->get("/a").value() == 1);
}

TEST_CASE("batches, merges, continue, cherry-pick, revert, projections and init all sign") {
  Keys keys;
  TempDir dir;
  InitOptions init;
  init.signing_key = keys.ada;
  init.author = kAda;
  auto created = Repository::init(dir.str() + "/s.git", init);
  REQUIRE(created.is_ok());
  Repository repo = created->signing_with(keys.ada);
  auto good = [&](const Oid& id) { return status_of(repo, id, keys) == SignatureStatus::kGood; };
  CHECK(good(repo.resolve().value()));

  auto batch = Batch::start(repo);
  REQUIRE(batch.is_ok());
  for (int i = 0; i < 3; ++i) {
    auto tx = batch->begin();
    REQUIRE(tx.is_ok());
    REQUIRE(tx->set("/n", i).is_ok());
    REQUIRE(tx->commit(CommitOptions{"", {}, kAda, std::nullopt, false}).is_ok());
  }
  auto batch_head = batch->finish();
  REQUIRE(batch_head.is_ok());
  CHECK(good(*batch_head));
  CHECK(good(read_commit_info(repo, *batch_head).value().parents.at(0)));

  REQUIRE(create_branch(repo, "side").is_ok());
  commit_set(repo, "/side", 1, "side");
  Oid conflicting_side = commit_set(repo, "/n", 10, "side");
  commit_set(repo, "/main", 1);
  BranchMergeOptions options;
  options.author = kAda;
  options.strategy = MergeStrategy::kOurs;
  auto merged = merge(repo, "side", "", options);
  REQUIRE(merged.is_ok());
  REQUIRE(merged->kind == MergeKind::kMerged);
  CHECK(good(merged->head));

  auto picked = cherry_pick(repo, conflicting_side.hex(), "", options);
  REQUIRE(picked.is_ok());
  Oid reverted_from = commit_set(repo, "/r", 1);
  auto reverted = revert(repo, reverted_from.hex(), "", options);
  REQUIRE(reverted.is_ok());
  CHECK(good(reverted->head));

  // A stopped merge, settled and continued.
  REQUIRE(create_branch(repo, "other").is_ok());
  commit_set(repo, "/c", "other", "other");
  commit_set(repo, "/c", "main");
  BranchMergeOptions stop;
  stop.author = kAda;
  auto stopped = merge(repo, "other", "", stop);
  REQUIRE(stopped.is_ok());
  REQUIRE(stopped->kind == MergeKind::kConflicted);
  REQUIRE(resolve_conflict(repo, "", "/c", Settle::kTheirs).is_ok());
  auto continued = continue_merge(repo, "", kAda);
  REQUIRE(continued.is_ok());
  CHECK(good(*continued));

  REQUIRE(define_perspective(repo, PerspectiveDef{"pub", {"/n"}, {}, std::nullopt}).is_ok());
  ProjectOptions project;
  project.perspective = "pub";
  project.target = "public";
  auto projected = project_history(repo, project);
  REQUIRE(projected.is_ok());
  CHECK(good(projected->head));
  auto log_all = log(repo, LogOptions{"public", "", "", "", {}, {}, false, 0});
  REQUIRE(log_all.is_ok());
  for (const CommitInfo& info : *log_all) CHECK(good(info.id));

  REQUIRE(repo.objects().flush(true).is_ok());
  auto git_check =
      run_command("git --git-dir=" + shell_quote(dir.str() + "/s.git") +
                  " -c gpg.format=ssh -c gpg.ssh.allowedSignersFile=" + shell_quote(keys.allowed) +
                  " verify-commit " + continued->hex() + " " + merged->head.hex() + " 2>&1");
  INFO(git_check.output);
  CHECK(git_check.exit_code == 0);
}

TEST_CASE("a branch that requires signatures refuses unsigned or wrongly signed commits") {
  Keys keys;
  TestRepo t;
  Repository ada = t.repo.signing_with(keys.ada);
  Repository eve = t.repo.signing_with(keys.eve);
  REQUIRE(create_branch(t.repo, "feature").is_ok());
  Oid unsigned_feature = t.set("/f", 1, "", "feature");
  require_policy(t, keys, "main");
  Oid head = t.repo.resolve("main").value();
  auto unchanged = [&] { CHECK(t.repo.resolve("main").value() == head); };

  Status plain = try_commit(t.repo, "/a", 1);
  CHECK(plain.code() == Code::kPermissionDenied);
  CHECK(plain.message().find("branch 'main' requires signed commits") != std::string::npos);
  CHECK(plain.message().find("is not signed") != std::string::npos);
  unchanged();
  Status foreign = try_commit(eve, "/a", 1);
  CHECK(foreign.code() == Code::kPermissionDenied);
  CHECK(foreign.message().find("not in the allowed signers") != std::string::npos);
  unchanged();

  auto batch = Batch::start(t.repo);
  REQUIRE(batch.is_ok());
  auto tx = batch->begin();
  REQUIRE(tx.is_ok());
  REQUIRE(tx->set("/b", 1).is_ok());
  REQUIRE(tx->commit().is_ok());
  CHECK(batch->finish().status().code() == Code::kPermissionDenied);
  unchanged();

  // A merge that would fast-forward onto unsigned commits, and a merge commit.
  BranchMergeOptions options;
  options.author = kAda;
  CHECK(merge(ada, "feature", "", options).status().code() == Code::kPermissionDenied);
  unchanged();
  head = commit_set(ada, "/a", 1);  // a good commit lands
  CHECK(status_of(t.repo, head, keys) == SignatureStatus::kGood);
  CHECK(merge(t.repo, "feature", "", options).status().code() == Code::kPermissionDenied);
  // Signed by ada, the merge still brings feature's unsigned commit onto main.
  CHECK(merge(ada, "feature", "", options).status().code() == Code::kPermissionDenied);
  unchanged();
  CHECK(cherry_pick(t.repo, unsigned_feature.hex(), "", options).status().code() ==
        Code::kPermissionDenied);
  CHECK(revert(eve, head.hex(), "", options).status().code() == Code::kPermissionDenied);
  unchanged();
  auto picked = cherry_pick(ada, unsigned_feature.hex(), "", options);
  REQUIRE(picked.is_ok());
  head = picked->head;
  CHECK(fast_forward(t.repo, "main", unsigned_feature.hex()).status().code() ==
        Code::kNonFastForward);

  // A stopped merge continued without a key is refused; with the key it lands.
  REQUIRE(create_branch(ada, "other").is_ok());
  commit_set(ada, "/c", "other", "other");
  head = commit_set(ada, "/c", "main");
  auto stopped = merge(ada, "other", "", BranchMergeOptions{});
  REQUIRE(stopped.is_ok());
  REQUIRE(stopped->kind == MergeKind::kConflicted);
  REQUIRE(resolve_conflict(t.repo, "", "/c", Settle::kOurs).is_ok());
  CHECK(continue_merge(t.repo, "", kAda).status().code() == Code::kPermissionDenied);
  unchanged();
  REQUIRE(continue_merge(ada, "", kAda).is_ok());
  head = t.repo.resolve("main").value();

  // fast_forward and create_branch check the commits the branch gains.
  REQUIRE(create_branch(t.repo, "ahead").is_ok());
  Oid unsigned_ahead = t.set("/u", 1, "", "ahead");
  CHECK(fast_forward(t.repo, "main", unsigned_ahead.hex()).status().code() ==
        Code::kPermissionDenied);
  unchanged();
  REQUIRE(create_branch(t.repo, "signed-ahead").is_ok());
  Oid signed_ahead = commit_set(ada, "/s", 1, "signed-ahead");
  CHECK(fast_forward(t.repo, "main", signed_ahead.hex()).is_ok());
  require_policy(t, keys, "protected");
  // main's history starts with the unsigned root commit.
  CHECK(create_branch(t.repo, "protected", "main").status().code() == Code::kPermissionDenied);

  // A projection onto a protected branch.
  require_policy(t, keys, "public");
  REQUIRE(define_perspective(t.repo, PerspectiveDef{"pub", {"/a"}, {}, std::nullopt}).is_ok());
  ProjectOptions project;
  project.perspective = "pub";
  project.target = "public";
  CHECK(project_history(t.repo, project).status().code() == Code::kPermissionDenied);
  CHECK_FALSE(t.repo.resolve("public").is_ok());

  // No allowed signers configured: nothing can land.
  REQUIRE(t.repo.git_dir()->config_set("gpg.ssh.allowedSignersFile", "").is_ok());
  Status no_signers = try_commit(ada, "/z", 1);
  CHECK(no_signers.code() == Code::kPermissionDenied);
  CHECK(no_signers.message().find("no allowed signers file") != std::string::npos);
}

TEST_CASE("verify_history reports good, unsigned, forged, foreign and tampered commits") {
  Keys keys;
  TestRepo t;
  Repository ada = t.repo.signing_with(keys.ada);
  Oid good = commit_set(ada, "/a", 1);
  auto tx = ada.begin();
  REQUIRE(tx.is_ok());
  REQUIRE(tx->set("/b", 2).is_ok());
  CommitOptions forged;
  forged.author = Signature{"Bob", "bob@example.org", 1700000000, 0};  // committer too
  auto forged_commit = tx->commit(forged);
  REQUIRE(forged_commit.is_ok());
  Oid foreign = commit_set(t.repo.signing_with(keys.eve), "/c", 3);

  // A rewritten commit: its message changed, its signature kept.
  std::string content = raw(t.repo, good);
  std::string changed = content;
  changed.replace(changed.rfind("set /a"), 6, "set /A");
  Oid rewritten = t.repo.objects().write(ObjectType::kCommit, changed);
  REQUIRE(t.repo.objects().flush(true).is_ok());
  REQUIRE(create_branch(t.repo, "rewritten", rewritten.hex()).is_ok());

  std::map<Oid, CommitVerdict> verdicts;
  VerifyOptions options;
  options.allowed_signers = keys.allowed;
  auto collect = [&](const CommitVerdict& v) { verdicts[v.commit] = v; };
  auto summary = verify_history(t.repo, options, collect);
  REQUIRE(summary.is_ok());
  CHECK(summary->commits == 4);
  CHECK(summary->failed == 2);
  CHECK(summary->unsigned_commits == 1);
  CHECK(verdicts[good].signature.status == SignatureStatus::kGood);
  CHECK(verdicts[good].ok);
  CHECK(verdicts[forged_commit->commit].signature.status == SignatureStatus::kWrongPrincipal);
  CHECK(verdicts[forged_commit->commit].signature.principal == "bob@example.org");
  CHECK(verdicts[foreign].signature.status == SignatureStatus::kUnknownKey);
  CHECK_FALSE(verdicts[foreign].ok);

  options.require_signatures = true;
  summary = verify_history(t.repo, options, collect);
  REQUIRE(summary.is_ok());
  CHECK(summary->failed == 3);

  verdicts.clear();
  options.rev = "rewritten";
  options.require_signatures = false;
  summary = verify_history(t.repo, options, collect);
  REQUIRE(summary.is_ok());
  CHECK(verdicts[rewritten].signature.status == SignatureStatus::kBad);
  CHECK(verdicts[rewritten].signature.message.find("does not match") != std::string::npos);
  CHECK(summary->failed == 1);

  // Without allowed signers a good signature cannot be trusted.
  options.allowed_signers.clear();
  options.rev.clear();
  verdicts.clear();
  summary = verify_history(t.repo, options, collect);
  REQUIRE(summary.is_ok());
  CHECK(verdicts[good].signature.status == SignatureStatus::kUnchecked);
  options.allowed_signers = keys.dir.str() + "/missing";
  CHECK(verify_history(t.repo, options, collect).status().code() == Code::kNotFound);
}

TEST_CASE("verify_history checks object ids and the data model of every tree") {
  TestRepo t;
  t.set("/config", nlohmann::json{{"port", 5432}, {"host", "db"}});
  ObjectStore& store = t.repo.objects();
  // A tree git accepts but gitstate never writes: a non-canonical blob and a needless escape.
  Oid blob = store.write(ObjectType::kBlob, "5432");
  Oid bad_name = store.write(ObjectType::kBlob, "1\n");
  Oid inner = store.write_tree({TreeEntry{"port", kModeBlob, blob}});
  Oid odd = store.write_tree({TreeEntry{"%41", kModeBlob, bad_name}});
  Oid root =
      store.write_tree({TreeEntry{"config", kModeTree, inner}, TreeEntry{"other", kModeTree, odd}});
  Oid parent = t.repo.resolve().value();
  CommitData commit{root, {parent}, kAda, kAda, "hand-made\n", std::nullopt};
  Oid id = store.write(ObjectType::kCommit, encode_commit(commit));
  REQUIRE(store.flush(true).is_ok());
  REQUIRE(update_ref(*t.repo.git_dir(), "refs/heads/main", id, parent, "test").is_ok());

  std::vector<CommitVerdict> verdicts;
  auto summary = verify_history(t.repo, VerifyOptions{},
                                [&](const CommitVerdict& v) { verdicts.push_back(v); });
  REQUIRE(summary.is_ok());
  REQUIRE(verdicts.size() == 3);
  CHECK(summary->failed == 1);
  const std::vector<VerifyProblem>& problems = verdicts.front().problems;
  REQUIRE(problems.size() == 2);
  std::set<std::string> seen;
  for (const VerifyProblem& p : problems) seen.insert(p.kind + " " + p.path);
  CHECK(seen.count("value-format /config/port"));
  CHECK(seen.count("tree-format /other"));
}
