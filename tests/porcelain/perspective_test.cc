// Perspectives in the porcelain: stored definitions (versioned on their ref,
// compare-and-swap, extends) and a bound Repository handle that sees and
// changes only visible paths.
#include <thread>

#include "gitstate/perspective.h"
#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/refs.h"
#include "porcelain_test_util.h"

using namespace gitstate;
using gitstate::test::TestRepo;
using nlohmann::json;

namespace {

PerspectiveDef def(const std::string& name, std::vector<std::string> include,
                   std::vector<std::string> exclude = {},
                   std::optional<std::string> extends = std::nullopt) {
  return PerspectiveDef{name, std::move(include), std::move(exclude), std::move(extends)};
}

void define(const Repository& repo, const PerspectiveDef& d) {
  auto commit = define_perspective(repo, d);
  INFO(commit.status().to_string());
  REQUIRE(commit.is_ok());
}

std::optional<Oid> perspectives_head(const Repository& repo) {
  auto head = read_ref(*repo.git_dir(), kPerspectivesRef);
  REQUIRE(head.is_ok());
  return *head;
}

Repository through(const Repository& repo, const std::string& name) {
  auto bound = repo.through(name);
  INFO(bound.status().to_string());
  REQUIRE(bound.is_ok());
  return *bound;
}

// A repository with public and secret data, and the perspective "pub".
struct Secrets : TestRepo {
  Oid visible_commit, secret_commit, mixed_commit;

  Secrets() {
    set("/config", {{"db", {{"host", "h1"}, {"password", "SECRET-1"}}}, {"name", "app"}});
    visible_commit = set("/config/name", "app2");
    secret_commit = set("/config/db/password", "SECRET-2");
    set("/vault", {{"key", "SECRET-3"}});
    mixed_commit = set("/config/db/host", "h2");
    define(repo, def("pub", {"/config/**"}, {"/config/db/password"}));
  }
};

}  // namespace

TEST_CASE("definitions are versioned on their ref, one commit each", "[perspective]") {
  TestRepo t;
  CHECK(!perspectives_head(t.repo));
  auto listed = list_perspectives(t.repo);
  REQUIRE(listed.is_ok());
  CHECK(listed->empty());

  define(t.repo, def("basic", {"/b/**", "/a/**", "/a/**"}));
  std::optional<Oid> first = perspectives_head(t.repo);
  REQUIRE(first);
  define(t.repo, def("standard", {"/c"}, {"/a/secret"}, "basic"));
  std::optional<Oid> second = perspectives_head(t.repo);
  REQUIRE(second);
  CHECK(t.info(*second).parents == std::vector<Oid>{*first});

  auto basic = read_perspective(t.repo, "basic");
  REQUIRE(basic.is_ok());
  CHECK(*basic == canonical_perspective_def(def("basic", {"/a/**", "/b/**"})));
  listed = list_perspectives(t.repo);
  REQUIRE(listed.is_ok());
  REQUIRE(listed->size() == 2);
  CHECK(listed->at(0).name == "basic");
  CHECK(listed->at(1).name == "standard");

  auto resolved = resolve_stored_perspective(t.repo, "standard");
  REQUIRE(resolved.is_ok());
  CHECK(resolved->chain == std::vector<std::string>{"standard", "basic"});

  // The stored tree is a state tree {"<name>": <canonical definition>}.
  auto commit = t.info(*second);
  auto stored = read_path(t.repo.objects(), commit.tree, Path{"basic"});
  REQUIRE(stored.is_ok());
  CHECK(*stored == perspective_def_json(*basic));

  // Replacing a definition is one more commit, and the old one stays in history.
  define(t.repo, def("basic", {"/a/**"}));
  CHECK(t.info(*perspectives_head(t.repo)).parents == std::vector<Oid>{*second});
  auto old = read_path(t.repo.objects(), commit.tree, Path{"basic", "include"});
  REQUIRE(old.is_ok());
  CHECK(*old == json::array({"/a/**", "/b/**"}));
  CHECK(t.fsck());
}

TEST_CASE("invalid definitions and broken chains change nothing", "[perspective]") {
  TestRepo t;
  define(t.repo, def("base", {"/a"}));
  std::optional<Oid> before = perspectives_head(t.repo);

  CHECK(define_perspective(t.repo, def("bad name!", {"/a"})).status().code() == Code::kInvalid);
  CHECK(define_perspective(t.repo, def("x", {"no-slash"})).status().code() == Code::kInvalid);
  CHECK(define_perspective(t.repo, def("x", {})).status().code() == Code::kInvalid);
  CHECK(define_perspective(t.repo, def("x", {"/a"}, {}, "missing")).status().code() ==
        Code::kNotFound);
  // A cycle: base -> top -> base.
  define(t.repo, def("top", {"/b"}, {}, "base"));
  before = perspectives_head(t.repo);
  CHECK(define_perspective(t.repo, def("base", {"/a"}, {}, "top")).status().code() ==
        Code::kInvalid);
  CHECK(perspectives_head(t.repo) == before);
  auto base = read_perspective(t.repo, "base");
  REQUIRE(base.is_ok());
  CHECK(!base->extends);
}

TEST_CASE("remove is refused while another perspective extends it", "[perspective]") {
  TestRepo t;
  define(t.repo, def("base", {"/a"}));
  define(t.repo, def("top", {"/b"}, {}, "base"));
  std::optional<Oid> before = perspectives_head(t.repo);
  auto refused = remove_perspective(t.repo, "base");
  CHECK(refused.status().code() == Code::kConflict);
  CHECK(perspectives_head(t.repo) == before);
  CHECK(remove_perspective(t.repo, "nope").status().code() == Code::kNotFound);

  REQUIRE(remove_perspective(t.repo, "top").is_ok());
  REQUIRE(remove_perspective(t.repo, "base").is_ok());
  auto listed = list_perspectives(t.repo);
  REQUIRE(listed.is_ok());
  CHECK(listed->empty());
  CHECK(t.repo.through("base").status().code() == Code::kNotFound);
  CHECK(t.fsck());
}

TEST_CASE("concurrent definitions are all kept (compare-and-swap with retry)", "[perspective]") {
  TestRepo t;
  std::vector<std::thread> threads;
  std::vector<Status> results(8);
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] =
          define_perspective(t.repo, def("p" + std::to_string(i), {"/" + std::to_string(i)}))
              .status();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Status& status : results) CHECK(status.is_ok());
  auto listed = list_perspectives(t.repo);
  REQUIRE(listed.is_ok());
  CHECK(listed->size() == results.size());
  size_t commits = 0;
  for (std::optional<Oid> id = perspectives_head(t.repo); id;) {
    ++commits;
    auto parents = t.info(*id).parents;
    id = parents.empty() ? std::nullopt : std::optional<Oid>(parents.front());
  }
  CHECK(commits == results.size());
}

TEST_CASE("a bound handle reads only visible paths", "[perspective]") {
  Secrets t;
  Repository pub = through(t.repo, "pub");
  REQUIRE(pub.perspective());
  CHECK(pub.perspective()->name == "pub");

  auto whole = pub.get("");
  REQUIRE(whole.is_ok());
  CHECK(*whole == json{{"config", {{"db", {{"host", "h2"}}}, {"name", "app2"}}}});
  CHECK(whole->dump().find("SECRET") == std::string::npos);

  // A hidden path reads exactly as an absent one.
  auto hidden = pub.get("/config/db/password");
  auto absent = pub.get("/config/db/nothing");
  CHECK(hidden.status().code() == Code::kNotFound);
  CHECK(hidden.status().message() == "/config/db/password does not exist at the current branch");
  CHECK(absent.status().message() == "/config/db/nothing does not exist at the current branch");
  CHECK(pub.get("/vault").status().code() == Code::kNotFound);

  auto marked = read_view(pub, "", true);
  REQUIRE(marked.is_ok());
  CHECK(marked->dump().find("SECRET") == std::string::npos);
  CHECK(read_view(t.repo).status().code() == Code::kInvalid);
  CHECK(pub.through("pub").status().code() == Code::kInvalid);
}

TEST_CASE("a bound handle's history hides commits that change nothing visible", "[perspective]") {
  Secrets t;
  Repository pub = through(t.repo, "pub");
  auto entries = log(pub);
  REQUIRE(entries.is_ok());
  std::vector<Oid> ids;
  for (const CommitInfo& info : *entries) ids.push_back(info.id);
  CHECK(std::find(ids.begin(), ids.end(), t.secret_commit) == ids.end());
  CHECK(std::find(ids.begin(), ids.end(), t.visible_commit) != ids.end());
  CHECK(std::find(ids.begin(), ids.end(), t.mixed_commit) != ids.end());
  // Parents skip hidden commits: the mixed commit's parent is the visible one.
  CHECK(entries->front().id == t.mixed_commit);
  CHECK(entries->front().parents == std::vector<Oid>{t.visible_commit});
  for (const CommitInfo& info : *entries) {
    for (const Oid& parent : info.parents) CHECK(parent != t.secret_commit);
  }

  LogOptions secret_path;
  secret_path.path = "/config/db/password";
  auto none = log(pub, secret_path);
  REQUIRE(none.is_ok());
  CHECK(none->empty());

  // show: a hidden commit does not exist; the mixed one shows its visible delta.
  auto hidden = show(pub, t.secret_commit.hex());
  auto absent = show(pub, std::string(40, 'e'));
  CHECK(hidden.status().code() == Code::kNotFound);
  CHECK(hidden.status().message() ==
        "revision '" + t.secret_commit.hex() + "': no commit " + t.secret_commit.hex());
  CHECK(absent.status().code() == Code::kNotFound);
  CHECK(read_commit_info(pub, t.secret_commit).status().code() == Code::kNotFound);
  auto mixed = show(pub, t.mixed_commit.hex());
  REQUIRE(mixed.is_ok());
  CHECK(mixed->patch == json::parse(R"([{"op":"replace","path":"/config/db/host","value":"h2"}])"));
  CHECK(mixed->commit.parents == std::vector<Oid>{t.visible_commit});

  // A ref or step that lands on a hidden commit reads as its visible ancestor.
  auto head = pub.resolve("main~1");
  REQUIRE(head.is_ok());
  CHECK(*head == t.visible_commit);

  auto delta = diff(pub, t.visible_commit.hex(), "main");
  REQUIRE(delta.is_ok());
  CHECK(*delta == mixed->patch);

  auto blamed = blame(pub, "");
  REQUIRE(blamed.is_ok());
  for (const BlameEntry& entry : *blamed) {
    CHECK(entry.path.find("password") == std::string::npos);
    CHECK(entry.commit != t.secret_commit);
  }
  CHECK(blame(pub, "/vault").status().code() == Code::kNotFound);
}

TEST_CASE("a bound handle writes only visible paths", "[perspective]") {
  Secrets t;
  Repository pub = through(t.repo, "pub");
  Oid head = *t.repo.resolve();

  auto refused = [&](const std::function<Status(Transaction&)>& apply, const std::string& path) {
    auto tx = pub.begin();
    REQUIRE(tx.is_ok());
    Status applied = apply(*tx);
    Status status = applied.is_ok() ? tx->commit().status() : applied;
    INFO(status.to_string());
    CHECK(status.code() == Code::kPermissionDenied);
    CHECK(status.message().find(path + " is outside this perspective") != std::string::npos);
    CHECK(status.message().find("SECRET") == std::string::npos);
    CHECK(*t.repo.resolve() == head);
  };
  refused([](Transaction& tx) { return tx.set("/config/db/password", "x"); },
          "/config/db/password");
  refused([](Transaction& tx) { return tx.remove("/config/db/password"); }, "/config/db/password");
  refused([](Transaction& tx) { return tx.set("/vault/key", "x"); }, "/vault/key");
  refused([](Transaction& tx) { return tx.remove("/config/db"); }, "/config/db");
  refused(
      [](Transaction& tx) {
        return tx.set("/config", {{"db", {{"password", "y"}}}});
      },
      "/config");
  refused([](Transaction& tx) { return tx.set("/public", 1); }, "/public");
  refused(
      [](Transaction& tx) {
        return tx.patch(json::parse(R"([{"op":"move","from":"/vault","path":"/config/v"}])"));
      },
      "/config/v");
  refused(
      [](Transaction& tx) {
        return tx.merge_patch(json::parse(R"({"config":{"db":{"password":null}}})"));
      },
      "/config/db/password");
  refused([](Transaction& tx) { return tx.merge_patch(json::parse(R"({"vault":null})")); },
          "/vault");

  // Copying a visible object whose hidden members the view lacks: refused.
  refused(
      [](Transaction& tx) {
        return tx.patch(
            json::parse(R"([{"op":"copy","from":"/config/db","path":"/config/copy"}])"));
      },
      "/config/copy");

  // Reads inside a bound transaction see the view.
  auto tx = pub.begin();
  REQUIRE(tx.is_ok());
  CHECK(tx->get("/config/db/password").status().code() == Code::kNotFound);
  REQUIRE(tx->set("/config/db/port", 5432).is_ok());
  REQUIRE(
      tx->patch(json::parse(R"([{"op":"test","path":"/config/name","value":"app2"}])")).is_ok());
  auto outcome = tx->commit();
  INFO(outcome.status().to_string());
  REQUIRE(outcome.is_ok());
  CHECK(t.get("/config/db/password") == "SECRET-2");
  CHECK(t.get("/config/db/port") == 5432);
  CHECK(t.get("/vault/key") == "SECRET-3");
}

TEST_CASE("imports through a perspective are checked line by line", "[perspective]") {
  Secrets t;
  Repository pub = through(t.repo, "pub");
  Oid head = *t.repo.resolve();
  std::istringstream bad(R"({"patch":[{"op":"replace","path":"/config/name","value":"n"}]})"
                         "\n"
                         R"({"patch":[{"op":"add","path":"/vault/other","value":1}]})"
                         "\n");
  auto imported = import_json_lines(pub, bad);
  CHECK(imported.status().code() == Code::kPermissionDenied);
  CHECK(*t.repo.resolve() == head);
  std::istringstream good(R"({"patch":[{"op":"replace","path":"/config/name","value":"n"}]})");
  REQUIRE(import_json_lines(pub, good).is_ok());
  CHECK(t.get("/config/name") == "n");
}

TEST_CASE("merges and ref changes refuse a bound handle", "[perspective]") {
  Secrets t;
  Repository pub = through(t.repo, "pub");
  CHECK(create_branch(pub, "other", "").status().code() == Code::kPermissionDenied);
  CHECK(merge(pub, "main", "").status().code() == Code::kPermissionDenied);
  CHECK(revert(pub, "main", "").status().code() == Code::kPermissionDenied);
}

TEST_CASE("view_delta and view_tree give the bus the filtered change", "[perspective]") {
  Secrets t;
  auto resolved = resolve_stored_perspective(t.repo, "pub");
  REQUIRE(resolved.is_ok());
  CommitInfo secret = t.info(t.secret_commit);
  CommitInfo parent = t.info(secret.parents.front());
  auto delta = view_delta(t.repo, parent.tree, secret.tree, *resolved);
  REQUIRE(delta.is_ok());
  CHECK(delta->empty());
  CommitInfo mixed = t.info(t.mixed_commit);
  CommitInfo before = t.info(mixed.parents.front());
  delta = view_delta(t.repo, before.tree, mixed.tree, *resolved);
  REQUIRE(delta.is_ok());
  CHECK(delta->size() == 1);
  auto first = view_tree(t.repo, mixed.tree, *resolved);
  auto again = view_tree(t.repo, mixed.tree, *resolved);
  REQUIRE(first.is_ok());
  REQUIRE(again.is_ok());
  CHECK(*first == *again);
}

TEST_CASE("views of new heads are computed from events before anyone reads them", "[perspective]") {
  Secrets t;
  Repository pub = through(t.repo, "pub");
  REQUIRE(pub.get("").is_ok());  // the first view: the perspective is followed from now on
  ViewCache::Stats start = view_cache_stats(t.repo);

  t.set("/config/name", "app3");
  // The dispatcher computes the new head's view; wait for it (bounded).
  for (int i = 0; i < 10000 && view_cache_stats(t.repo).entries == start.entries; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ViewCache::Stats refreshed = view_cache_stats(t.repo);
  REQUIRE(refreshed.entries == start.entries + 1);

  auto whole = pub.get("/config/name");
  REQUIRE(whole.is_ok());
  CHECK(*whole == "app3");
  ViewCache::Stats read = view_cache_stats(t.repo);
  CHECK(read.misses == refreshed.misses);  // found, not computed
  CHECK(read.hits > refreshed.hits);
}
