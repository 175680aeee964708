// Signing: what an SSHSIG signature costs a commit, and how fast `verify`
// checks a signed history (docs/audit.md).
//
//   commit-unsigned / commit-signed
//                N commits in one Batch (one flush, one ref update), so the
//                measurement is the CPU cost of building each commit, not
//                fdatasync; signed: every commit carries an Ed25519 SSHSIG
//                signature. The ratio signed/unsigned is the price of signing.
//   sign         the SSHSIG signature of a 250-byte commit alone.
//   verify       verify_history() over the N signed commits (signature
//                against the allowed signers, every object re-hashed, every
//                tree checked against the data model), in commits per second.
//
// Checks: verify reports every commit good.

#include <fstream>

#include "bench_util.h"
#include "gitstate/gitstate.h"
#include "gitstate/plumbing/ssh_signature.h"
#include "gitstate/verify.h"
#include "gitstate_support.h"

namespace {

using namespace bench;

constexpr const char* kUsage =
    "bench_sign: the cost of signing commits, and verify throughput\n"
    "  --commits N   commits per repetition (default 2000)\n"
    "  --reps N      repetitions, interleaved; medians are reported (default 3)\n"
    "  --keep, --stock-malloc  as every benchmark (bench/README.md)\n"
    "Repositories live under $TMPDIR (default /tmp). Needs ssh-keygen.\n";

const gitstate::Signature kAda{"Ada", "ada@example.org", 1700000000, 0};

// Seconds for `commits` commits in one batch on a new repository at `path`.
double run_batch(const gitstate::Repository& repo, int64_t commits) {
  auto start = Clock::now();
  auto batch = must(gitstate::Batch::start(repo), "batch");
  for (int64_t i = 0; i < commits; ++i) {
    auto tx = must(batch.begin(), "begin");
    must(tx.set("/k" + std::to_string(i % 100), i), "set");
    gitstate::CommitOptions options;
    options.author = kAda;
    must(tx.commit(options).status(), "commit");
  }
  must(batch.finish().status(), "finish");
  return seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  const int64_t commits = flags.num("commits", 2000);
  const long long reps = flags.num("reps", 3);
  const bool keep = finish_flags(flags, kUsage);
  if (commits < 1 || reps < 1) die("--commits and --reps must be >= 1");
  ScratchDir scratch("sign", keep);
  std::string key_path = scratch.sub("key");
  if (std::system(("ssh-keygen -q -t ed25519 -N '' -f " + shell_quote(key_path)).c_str()) != 0)
    die("ssh-keygen failed");
  auto key = must(gitstate::SshSigningKey::load_file(key_path), "load key");
  std::string allowed = scratch.sub("allowed");
  std::ofstream(allowed) << "ada@example.org " << key->public_key().openssh() << "\n";

  Rate unsigned_rate{commits, {}}, signed_rate{commits, {}}, verify_rate{commits, {}};
  bool all_good = true;
  for (long long rep = 0; rep < reps; ++rep) {
    auto plain =
        must(gitstate::Repository::init(scratch.sub("plain-" + std::to_string(rep))), "init");
    unsigned_rate.samples.add(run_batch(plain, commits));
    gitstate::InitOptions init;
    init.signing_key = key;
    init.author = kAda;
    auto signed_repo = must(
        gitstate::Repository::init(scratch.sub("signed-" + std::to_string(rep)), init), "init");
    signed_rate.samples.add(run_batch(signed_repo.signing_with(key), commits));

    auto reopened =
        must(gitstate::Repository::open(scratch.sub("signed-" + std::to_string(rep))), "open");
    gitstate::VerifyOptions options;
    options.allowed_signers = allowed;
    options.require_signatures = true;
    size_t good = 0;
    auto start = Clock::now();
    auto summary = must(
        gitstate::verify_history(
            reopened, options, [&good](const gitstate::CommitVerdict& v) { good += v.ok ? 1 : 0; }),
        "verify");
    verify_rate.samples.add(seconds_since(start));
    all_good = all_good && summary.ok() && good == static_cast<size_t>(commits) + 1;
  }
  emit(unsigned_rate.line("sign_commit", "unsigned", "commit"));
  emit(signed_rate.line("sign_commit", "signed", "commit"));
  emit(ratio_line("commit-time signed/unsigned", signed_rate.samples.med(),
                  unsigned_rate.samples.med(), signed_rate.samples.min(),
                  unsigned_rate.samples.min()));

  std::string payload(250, 'c');
  Samples sign_samples;
  const int kSigns = 2000;
  for (long long rep = 0; rep < reps; ++rep) {
    auto start = Clock::now();
    for (int i = 0; i < kSigns; ++i) {
      payload[0] = static_cast<char>(i);
      must(gitstate::sshsig_sign(*key, payload).status(), "sign");
    }
    sign_samples.add(seconds_since(start) / kSigns);
  }
  emit(Line{{"bench", "sign_sshsig"},
            {"impl", "openssl-ed25519"},
            {"us_median", sign_samples.med() * 1e6},
            {"us_min", sign_samples.min() * 1e6}});
  Line verify_line = verify_rate.line("sign_verify", "verify_history", "commit");
  emit(verify_line);
  emit(Line{{"check", "verify reports every signed commit good"}, {"ok", all_good}});
  return all_good ? 0 : 1;
}
