// End-to-end: --sign-key, GITSTATE_SIGNING_KEY, gitstate.signingKey, branch
// policies, `gitstate verify`, signers in log/blame/audit, signed pull and
// sync merges, checked with stock git.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;
using nlohmann::json;

namespace {
// A key pair in the test directory, an allowed signers file naming it for ada,
// and a repository whose identity is ada, made by a signed init (so that its
// root commit is signed by ada too).
struct SignedSetup {
  CliRepo repo;
  std::string key, allowed;

  SignedSetup() {
    key = repo.dir().str() + "/ada";
    REQUIRE(repo.run_raw("ssh-keygen -q -t ed25519 -N '' -C ada -f " + q(key)).exit_code == 0);
    std::ifstream pub(key + ".pub");
    std::string type, base64;
    pub >> type >> base64;
    allowed = repo.dir().str() + "/allowed";
    std::ofstream(allowed) << "ada@example.org namespaces=\"git\" " << type << " " << base64
                           << "\n";
    REQUIRE(repo.run_raw("git init -q --bare -b main " + q(repo.path())).exit_code == 0);
    REQUIRE(repo.git("config user.name Ada").exit_code == 0);
    REQUIRE(repo.git("config user.email ada@example.org").exit_code == 0);
    REQUIRE(repo.run("init --sign-key " + q(key)).exit_code == 0);
  }

  CliResult verify_commit(const std::string& rev) const {
    return repo.git("-c gpg.format=ssh -c gpg.ssh.allowedSignersFile=" + q(allowed) +
                    " verify-commit " + rev);
  }
};
}  // namespace

TEST_CASE(
    "the flag --sign-key, GITSTATE_SIGNING_KEY and gitstate.signingKey sign what git verifies",
    "[cli]") {
  SignedSetup s;
  CHECK(s.verify_commit("main").exit_code == 0);  // init --sign-key
  CliResult set = s.repo.run("set /a 1 --sign-key " + q(s.key));
  REQUIRE(set.exit_code == 0);
  CliResult verified = s.verify_commit(set.line());
  INFO(verified.err);
  CHECK(verified.exit_code == 0);
  CHECK(verified.err.find("Good \"git\" signature for ada@example.org") != std::string::npos);

  CliResult env = s.repo.run_raw("GITSTATE_SIGNING_KEY=" + q(s.key) + " " + q(GITSTATE_BIN) +
                                 " --repo " + q(s.repo.path()) + " rm /a");
  REQUIRE(env.exit_code == 0);
  CHECK(s.verify_commit(env.line()).exit_code == 0);

  REQUIRE(s.repo.git("config gitstate.signingKey " + q(s.key)).exit_code == 0);
  CliResult imported =
      s.repo.run("import", "{\"patch\":[{\"op\":\"add\",\"path\":\"/i\",\"value\":1}]}\n");
  REQUIRE(imported.exit_code == 0);
  CHECK(s.verify_commit(imported.line()).exit_code == 0);

  // A PEM key works too.
  std::string pem = s.repo.dir().str() + "/key.pem";
  REQUIRE(s.repo.run_raw("openssl genpkey -algorithm ed25519 -out " + q(pem)).exit_code == 0);
  CHECK(s.repo.run("set /p 1 --sign-key " + q(pem)).exit_code == 0);

  // Unusable keys are bad input and commit nothing.
  std::string head = s.repo.head();
  std::string locked = s.repo.dir().str() + "/locked";
  REQUIRE(s.repo.run_raw("ssh-keygen -q -t ed25519 -N secret -f " + q(locked)).exit_code == 0);
  CliResult refused = s.repo.run("set /b 1 --sign-key " + q(locked));
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("--sign-key: signing key " + locked +
                         ": the key is passphrase-protected, and passphrase-protected keys are "
                         "not supported") != std::string::npos);
  CHECK(s.repo.run("set /b 1 --sign-key " + q(s.key + ".missing")).exit_code == 2);
  CHECK(s.repo.head() == head);
  CHECK(s.repo.fsck_clean());
}

TEST_CASE("verify: all good, unsigned, required signatures and JSON Lines", "[cli]") {
  SignedSetup s;
  REQUIRE(s.repo.run("set /a 1 --sign-key " + q(s.key)).exit_code == 0);
  CliResult good = s.repo.run("verify --allowed-signers " + q(s.allowed));
  INFO(good.out << good.err);
  CHECK(good.exit_code == 0);
  CHECK(good.err.find("Verified 2 commit(s)") != std::string::npos);
  CHECK(good.out.find("good signature by ada@example.org") != std::string::npos);

  REQUIRE(s.repo.run("set /b 2").exit_code == 0);  // unsigned
  CliResult json_lines =
      s.repo.run_raw("GITSTATE_ALLOWED_SIGNERS=" + q(s.allowed) + " " + q(GITSTATE_BIN) +
                     " --repo " + q(s.repo.path()) + " verify --json");
  CHECK(json_lines.exit_code == 0);
  auto lines = json_lines.json_lines();
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["signature"]["status"] == "unsigned");
  CHECK(lines[1]["signature"]["status"] == "good");
  CHECK(lines[1]["signature"]["principal"] == "ada@example.org");
  CHECK(lines[1]["ok"] == true);
  CHECK(s.repo.run("verify --require-signatures --allowed-signers " + q(s.allowed)).exit_code == 1);
  CHECK(s.repo.run("verify main~1 --require-signatures --allowed-signers " + q(s.allowed))
            .exit_code == 0);
  CHECK(s.repo.run("verify nowhere").exit_code == 2);
  CHECK(s.repo.run("verify --allowed-signers " + q(s.allowed + ".missing")).exit_code == 2);
}

TEST_CASE("verify reports a flipped byte in a pack without crashing", "[cli]") {
  SignedSetup s;
  for (int i = 0; i < 5; ++i)
    REQUIRE(s.repo
                .run("set /v" + std::to_string(i) + " '\"" + std::string(200, 'x') +
                     "\"' --sign-key " + q(s.key))
                .exit_code == 0);
  REQUIRE(s.repo.run("verify --allowed-signers " + q(s.allowed)).exit_code == 0);
  REQUIRE(s.repo.git("repack -a -d -q").exit_code == 0);
  std::filesystem::path pack;
  for (const auto& entry : std::filesystem::directory_iterator(s.repo.path() + "/objects/pack"))
    if (entry.path().extension() == ".pack") pack = entry.path();
  REQUIRE(!pack.empty());
  auto size = std::filesystem::file_size(pack);
  {
    std::fstream file(pack, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(static_cast<std::streamoff>(size / 2));
    char byte = 0;
    file.read(&byte, 1);
    file.seekp(static_cast<std::streamoff>(size / 2));
    byte = static_cast<char>(byte ^ 0x40);
    file.write(&byte, 1);
  }
  CliResult verified = s.repo.run("verify --json --allowed-signers " + q(s.allowed));
  INFO(verified.out << verified.err);
  CHECK(verified.exit_code == 1);
  bool reported = false;
  for (const json& line : verified.json_lines())
    for (const json& problem : line["problems"])
      reported = reported || problem["kind"] == "unreadable" || problem["kind"] == "object-id";
  CHECK(reported);
}

TEST_CASE("a branch that requires signatures refuses unsigned commands, update-ref included",
          "[cli]") {
  SignedSetup s;
  REQUIRE(s.repo.git("config gpg.ssh.allowedSignersFile " + q(s.allowed)).exit_code == 0);
  REQUIRE(s.repo.git("config gitstate.branch.main.requireSignatures true").exit_code == 0);
  REQUIRE(s.repo.run("branch side").exit_code == 0);
  REQUIRE(s.repo.run("set /side 1 -b side").exit_code == 0);
  std::string head = s.repo.head();

  CliResult plain = s.repo.run("set /a 1");
  CHECK(plain.exit_code == 1);
  CHECK(plain.err.find("permission denied: branch 'main' requires signed commits") !=
        std::string::npos);
  CHECK(s.repo.run("update-ref refs/heads/main side").exit_code == 1);
  CHECK(s.repo.run("merge side --sign-key " + q(s.key)).exit_code == 1);
  CHECK(s.repo.head() == head);

  CliResult signed_set = s.repo.run("set /a 1 --sign-key " + q(s.key));
  REQUIRE(signed_set.exit_code == 0);
  CHECK(s.repo.run("verify").exit_code == 0);  // allowed signers from the config
  CHECK(s.repo.run("cherry-pick side --sign-key " + q(s.key)).exit_code == 0);
  CHECK(s.repo.run("revert main").exit_code == 1);
  CHECK(s.repo.run("update-ref refs/heads/main main~1").exit_code == 0);  // no new commit
}

TEST_CASE("log, show, blame and audit report the signer and the signature's status", "[cli]") {
  SignedSetup s;
  REQUIRE(s.repo.run("set /config/port 1 --sign-key " + q(s.key)).exit_code == 0);
  REQUIRE(s.repo.run("set /config/host '\"db\"'").exit_code == 0);  // unsigned
  std::string with_signers = " --allowed-signers " + q(s.allowed);

  CliResult log = s.repo.run("log --json" + with_signers);
  REQUIRE(log.exit_code == 0);
  auto lines = log.json_lines();
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["signer"].is_null());
  CHECK(lines[0]["signature"] == json{{"status", "unsigned"}});
  CHECK(lines[1]["signature"]["status"] == "good");
  CHECK(lines[1]["signature"]["principal"] == "ada@example.org");
  std::string key = lines[1]["signer"].get<std::string>();
  CHECK(key.rfind("SHA256:", 0) == 0);
  CHECK(lines[1]["signature"]["key"] == key);
  // The key stock ssh-keygen reports for the same file.
  CliResult fingerprint = s.repo.run_raw("ssh-keygen -l -f " + q(s.key + ".pub"));
  CHECK(fingerprint.out.find(key) != std::string::npos);

  // Without allowed signers, the signature is only checked against its commit.
  CHECK(s.repo.run("log --json").json_lines()[1]["signature"]["status"] == "unchecked");
  CliResult text = s.repo.run("log" + with_signers);
  CHECK(text.out.find("Signed: good signature by ada@example.org (" + key + ")") !=
        std::string::npos);

  json shown = s.repo.run("show main~1" + with_signers).json();
  CHECK(shown["signer"] == key);
  CHECK(shown["patch"].size() == 1);

  json blame = s.repo.run("blame /config" + with_signers).json();
  REQUIRE(blame.size() == 2);
  CHECK(blame[0]["path"] == "/config/host");
  CHECK(blame[0]["signature"]["status"] == "unsigned");
  CHECK(blame[1]["path"] == "/config/port");
  CHECK(blame[1]["signer"] == key);
  CHECK(blame[1]["signature"]["status"] == "good");

  CliResult audit =
      s.repo.run_raw("GITSTATE_ALLOWED_SIGNERS=" + q(s.allowed) + " " + q(GITSTATE_BIN) +
                     " --repo " + q(s.repo.path()) + " audit --path /config/port");
  REQUIRE(audit.exit_code == 0);
  auto records = audit.json_lines();
  REQUIRE(records.size() == 1);
  CHECK(records[0]["signer"] == key);
  CHECK(records[0]["signature"]["status"] == "good");
  CHECK(records[0]["new"] == 1);

  CHECK(s.repo.run("log --allowed-signers " + q(s.allowed + ".missing")).exit_code == 2);
  CHECK(s.repo.run("blame /config --allowed-signers " + q(s.allowed + ".missing")).exit_code == 2);
}

TEST_CASE("pull and sync sign the merge commits they make with --sign-key", "[cli]") {
  namespace fs = std::filesystem;
  SignedSetup s;
  std::string hub = s.repo.dir().str() + "/hub.git";
  REQUIRE(s.repo.run_raw("git init -q --bare -b main " + q(hub)).exit_code == 0);
  REQUIRE(s.repo.run("remote add hub " + q(hub)).exit_code == 0);
  REQUIRE(s.repo.run("push hub main").exit_code == 0);
  std::string node = s.repo.dir().str() + "/node";
  auto on_node = [&](const std::string& args) {
    return s.repo.run_raw(q(GITSTATE_BIN) + " --repo " + q(node) + " " + args);
  };
  REQUIRE(s.repo.run_raw(q(GITSTATE_BIN) + " clone " + q(hub) + " " + q(node)).exit_code == 0);
  REQUIRE(on_node("set /theirs 1 --author 'Bob <bob@example.org>'").exit_code == 0);
  REQUIRE(on_node("push origin main").exit_code == 0);

  REQUIRE(s.repo.run("set /ours 1 --sign-key " + q(s.key)).exit_code == 0);
  CliResult pulled = s.repo.run("pull hub --sign-key " + q(s.key));
  INFO(pulled.out << pulled.err);
  REQUIRE(pulled.exit_code == 0);
  std::istringstream parents(s.repo.git("rev-list --parents -n 1 main").out);
  std::vector<std::string> ids{std::istream_iterator<std::string>(parents), {}};
  CHECK(ids.size() == 3);  // a merge commit
  CHECK(s.verify_commit("main").exit_code == 0);

  fs::path outside = s.repo.dir().path() / "outside";
  fs::create_directories(outside / "feature");
  std::ofstream(outside / "feature" / "on") << "true\n";
  CliResult synced = s.repo.run("sync dir " + q(outside.string()) + " --sign-key " + q(s.key));
  INFO(synced.out << synced.err);
  REQUIRE(synced.exit_code == 0);
  CHECK(synced.json()["commits"].size() == 2);  // the directory's state, then the merge
  CHECK(s.verify_commit("main").exit_code == 0);
  CHECK(s.repo.run("get /feature/on").line() == "true");
  CHECK(s.repo.fsck_clean());
}
