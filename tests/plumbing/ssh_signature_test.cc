// SSH keys, SSHSIG signatures, allowed signers and signed commits, checked
// against stock ssh-keygen, openssl and git.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "gitstate/plumbing/allowed_signers.h"
#include "gitstate/plumbing/signed_commit.h"
#include "gitstate/plumbing/ssh_signature.h"
#include "support/test_util.h"

using namespace gitstate;
using gitstate::test::run_command;
using gitstate::test::shell_quote;
using gitstate::test::TempDir;

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void spit(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A fresh unencrypted Ed25519 OpenSSH key at dir/name (and name.pub).
std::string make_key(const TempDir& dir, const std::string& name) {
  std::string path = dir.str() + "/" + name;
  REQUIRE(run_command("ssh-keygen -q -t ed25519 -N '' -C test -f " + shell_quote(path)).exit_code ==
          0);
  return path;
}

std::string first_two_fields(const std::string& line) {
  std::istringstream in(line);
  std::string type, key;
  in >> type >> key;
  return type + " " + key;
}
}  // namespace

TEST_CASE("an OpenSSH Ed25519 key signs exactly as ssh-keygen -Y sign does") {
  TempDir dir;
  std::string key_path = make_key(dir, "id");
  auto key = SshSigningKey::load_file(key_path);
  REQUIRE(key.is_ok());
  CHECK((*key)->public_key().openssh() == first_two_fields(slurp(key_path + ".pub")));
  auto fingerprint = run_command("ssh-keygen -l -f " + shell_quote(key_path + ".pub"));
  CHECK(fingerprint.output.find((*key)->public_key().fingerprint()) != std::string::npos);

  std::string message = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nhello\n";
  spit(dir.str() + "/msg", message);
  REQUIRE(run_command("ssh-keygen -q -Y sign -n git -f " + shell_quote(key_path) + " " +
                      shell_quote(dir.str() + "/msg"))
              .exit_code == 0);
  auto ours = sshsig_sign(**key, message);
  REQUIRE(ours.is_ok());
  CHECK(*ours == slurp(dir.str() + "/msg.sig"));

  spit(dir.str() + "/allowed", "ada@example.org " + (*key)->public_key().openssh() + "\n");
  spit(dir.str() + "/ours.sig", *ours);
  auto verified =
      run_command("ssh-keygen -Y verify -f " + shell_quote(dir.str() + "/allowed") +
                      " -I ada@example.org -n git -s " + shell_quote(dir.str() + "/ours.sig"),
                  message);
  CHECK(verified.exit_code == 0);

  auto info = sshsig_verify(*ours, message);
  REQUIRE(info.is_ok());
  CHECK(info->key == (*key)->public_key());
  CHECK(info->hash == "sha512");
  CHECK(sshsig_verify(*ours, message + "x").status().code() == Code::kPermissionDenied);
  CHECK(sshsig_verify(*ours, message, "file").status().code() == Code::kInvalid);
}

TEST_CASE("a PKCS#8 PEM Ed25519 key signs what ssh-keygen accepts") {
  TempDir dir;
  std::string pem = dir.str() + "/key.pem";
  REQUIRE(run_command("openssl genpkey -algorithm ed25519 -out " + shell_quote(pem)).exit_code ==
          0);
  auto key = SshSigningKey::load_file(pem);
  REQUIRE(key.is_ok());
  std::string message = "signed by a PEM key\n";
  auto signature = sshsig_sign(**key, message);
  REQUIRE(signature.is_ok());
  spit(dir.str() + "/allowed", "pem@example.org " + (*key)->public_key().openssh() + "\n");
  spit(dir.str() + "/sig", *signature);
  CHECK(run_command("ssh-keygen -Y verify -f " + shell_quote(dir.str() + "/allowed") +
                        " -I pem@example.org -n git -s " + shell_quote(dir.str() + "/sig"),
                    message)
            .exit_code == 0);
}

TEST_CASE("passphrase-protected keys are refused clearly, without key material") {
  TempDir dir;
  std::string enc = dir.str() + "/enc";
  REQUIRE(
      run_command("ssh-keygen -q -t ed25519 -N 'a passphrase' -f " + shell_quote(enc)).exit_code ==
      0);
  auto key = SshSigningKey::load_file(enc);
  REQUIRE(key.status().code() == Code::kInvalid);
  CHECK(key.status().message().find("passphrase-protected keys are not supported") !=
        std::string::npos);
  CHECK(key.status().message().find(enc) != std::string::npos);
  std::string body = slurp(enc);
  std::string second_line = body.substr(body.find('\n') + 1, 30);
  CHECK(key.status().message().find(second_line) == std::string::npos);

  std::string pem = dir.str() + "/enc.pem";
  REQUIRE(run_command("openssl genpkey -algorithm ed25519 | openssl pkcs8 -topk8 -v2 aes-256-cbc "
                      "-passout pass:secret -out " +
                      shell_quote(pem))
              .exit_code == 0);
  auto pem_key = SshSigningKey::load_file(pem);
  REQUIRE(pem_key.status().code() == Code::kInvalid);
  CHECK(pem_key.status().message().find("passphrase-protected") != std::string::npos);
}

TEST_CASE("keys that cannot sign are refused") {
  TempDir dir;
  std::string rsa = dir.str() + "/rsa";
  REQUIRE(run_command("ssh-keygen -q -t rsa -b 1024 -N '' -f " + shell_quote(rsa)).exit_code == 0);
  auto key = SshSigningKey::load_file(rsa);
  CHECK(key.status().code() == Code::kInvalid);
  CHECK(key.status().message().find("ssh-rsa") != std::string::npos);
  CHECK(SshSigningKey::load_file(dir.str() + "/missing").status().code() == Code::kNotFound);
  CHECK(SshSigningKey::parse("hello", "text").status().code() == Code::kInvalid);
  CHECK(parse_ssh_public_key(first_two_fields(slurp(rsa + ".pub"))).status().code() ==
        Code::kInvalid);
}

TEST_CASE("allowed signers: principals, options, comments and errors with line numbers") {
  TempDir dir;
  auto key = SshSigningKey::load_file(make_key(dir, "a"));
  auto other = SshSigningKey::load_file(make_key(dir, "b"));
  REQUIRE(key.is_ok());
  REQUIRE(other.is_ok());
  std::string a = (*key)->public_key().openssh();
  std::string b = (*other)->public_key().openssh();
  std::string text =
      "# team keys\n\n"
      "ada@example.org,!eve@example.org " +
      a +
      " laptop\n"
      "*@ops.example.org namespaces=\"git,file\" " +
      b +
      "\n"
      "old@example.org valid-after=\"20200101\",valid-before=\"20210101Z\" " +
      a +
      "\n"
      "ca@example.org cert-authority " +
      b +
      "\n"
      "rsa@example.org ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7\n";
  // The RSA line's blob is truncated base64 of a key: still well-formed base64 of its type name.
  text = text.substr(0, text.rfind("rsa@example.org"));
  auto signers = AllowedSigners::parse(text, "allowed");
  REQUIRE(signers.is_ok());
  REQUIRE(signers->entries.size() == 4);
  CHECK(signers->entries[0].line == 3);
  const SshPublicKey& ka = (*key)->public_key();
  const SshPublicKey& kb = (*other)->public_key();
  int64_t now = 1700000000;
  CHECK(signers->find("ada@example.org", ka, "git", now) != nullptr);
  CHECK(signers->find("ada@example.org", kb, "git", now) == nullptr);
  CHECK(signers->find("eve@example.org", ka, "git", now) == nullptr);
  CHECK(signers->find("bob@ops.example.org", kb, "git", now) != nullptr);
  CHECK(signers->find("bob@ops.example.org", kb, "mail", now) == nullptr);
  CHECK(signers->find("old@example.org", ka, "git", 1600000000) != nullptr);
  CHECK(signers->find("old@example.org", ka, "git", now) == nullptr);
  CHECK(signers->find("ca@example.org", kb, "git", now) == nullptr);
  CHECK(signers->knows(kb));

  auto bad_option = AllowedSigners::parse("\nx@y frobnicate " + a + "\n", "f");
  CHECK(bad_option.status().code() == Code::kInvalid);
  CHECK(bad_option.status().message().find("f:2:") == 0);
  CHECK(AllowedSigners::parse("x@y valid-after=\"2020\" " + a, "f")
            .status()
            .message()
            .find("f:1: valid-after") == 0);
  CHECK(AllowedSigners::parse("x@y ssh-ed25519 !!!!", "f").status().code() == Code::kInvalid);
  CHECK(AllowedSigners::parse("x@y", "f").status().message() == "f:1: no key after the principals");
  CHECK(ssh_pattern_match("bob@ops.example.org", "*@ops.example.org"));
  CHECK(ssh_pattern_match("ab", "a?"));
  CHECK_FALSE(ssh_pattern_match("abc", "a?"));
}

TEST_CASE("a signed commit is git's: git verify-commit accepts it and the payload splits back") {
  TempDir dir;
  std::string key_path = make_key(dir, "id");
  auto key = SshSigningKey::load_file(key_path);
  REQUIRE(key.is_ok());
  std::string repo = dir.str() + "/repo.git";
  REQUIRE(run_command("git init -q --bare " + shell_quote(repo)).exit_code == 0);
  std::string git = "git --git-dir=" + shell_quote(repo);
  REQUIRE(run_command(git + " mktree", "").exit_code == 0);
  CommitData commit;
  commit.tree = empty_tree_id();
  commit.author = Signature{"Ada", "ada@example.org", 1700000000, 60};
  commit.committer = commit.author;
  commit.message = "signed\n\nbody\n";
  std::string unsigned_bytes = encode_commit(commit);
  REQUIRE(sign_commit(commit, **key).is_ok());
  std::string bytes = encode_commit(commit);
  auto written = run_command(git + " hash-object -w -t commit --stdin", bytes);
  REQUIRE(written.exit_code == 0);
  std::string id = written.output.substr(0, 40);
  CHECK(id == hash_object(ObjectType::kCommit, bytes).hex());

  auto split = split_signed_commit(bytes);
  REQUIRE(split);
  CHECK(split->payload == unsigned_bytes);
  CHECK(split->signature == *commit.gpgsig);
  CHECK_FALSE(split_signed_commit(unsigned_bytes));
  auto parsed = parse_commit(bytes);
  REQUIRE(parsed.is_ok());
  CHECK(*parsed == commit);

  spit(dir.str() + "/allowed", "ada@example.org " + (*key)->public_key().openssh() + "\n");
  std::string verify = git + " -c gpg.format=ssh -c gpg.ssh.allowedSignersFile=" +
                       shell_quote(dir.str() + "/allowed") + " verify-commit " + id + " 2>&1";
  auto good = run_command(verify);
  CHECK(good.exit_code == 0);
  INFO(good.output);
  CHECK(good.output.find("Good \"git\" signature for ada@example.org") != std::string::npos);
  CHECK(run_command(git + " fsck --strict 2>&1").exit_code == 0);

  // Another signature kind's header stays out of the payload, as git leaves it out.
  std::string with_other = bytes;
  with_other.insert(with_other.find("gpgsig "), "gpgsig-sha256 abc\n def\n");
  auto other = split_signed_commit(with_other);
  REQUIRE(other);
  CHECK(other->payload == unsigned_bytes);
}
