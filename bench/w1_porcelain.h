// W1 through gitstate's public API (Repository, Transaction, Batch, import):
// what bench_w1_import, bench_w1_durable, bench_w7 and bench_w1_reads share.
//
// Every commit carries the bench identity at the fixed W1 time and the root
// commit of a new repository does too, so two ways of making the same W1
// history (a batch, durable transactions, `gitstate import`) reach the same
// head commit id: the programs check that they do. Header-only.
#pragma once

#include <optional>
#include <string>

#include "gitstate/batch.h"
#include "gitstate/repository.h"
#include "gitstate/transaction.h"
#include "gitstate_support.h"
#include "w1_workload.h"

namespace bench::w1 {

inline gitstate::CommitOptions commit_options(std::string message) {
  gitstate::CommitOptions options;
  options.message = std::move(message);
  options.author = bench_signature();
  return options;
}

// A new state repository at `path` whose root commit has the bench identity.
inline gitstate::Repository init_repository(const std::string& path) {
  gitstate::InitOptions options;
  options.author = bench_signature();
  return must(gitstate::Repository::init(path, options), "Repository::init " + path);
}

// init_repository, then the initial state as one durable commit.
inline gitstate::Repository init_with_state(const std::string& path) {
  gitstate::Repository repo = init_repository(path);
  gitstate::Transaction tx = must(repo.begin(), "begin");
  must(tx.merge_patch(initial_state()), "merge_patch of the initial state");
  must(tx.commit(commit_options(kInitialMessage)), "commit of the initial state");
  return repo;
}

// The W1 history as `gitstate import` input (JSON Lines): the initial state
// as a merge patch, then one line per commit with an "add" of its leaf.
inline std::string import_lines(int64_t commits) {
  const std::string author = std::string(kAuthorName) + " <" + kAuthorEmail + ">";
  auto line = [&author](nlohmann::json body, const std::string& message) {
    body["message"] = message;
    body["author"] = author;
    body["time"] = kTime;
    return body.dump() + "\n";
  };
  std::string out = line({{"merge_patch", initial_state()}}, kInitialMessage);
  for (int64_t i = 0; i < commits; ++i) {
    nlohmann::json op{
        {"op", "add"}, {"path", pointer(leaf_of_commit(i))}, {"value", commit_value(i)}};
    out += line({{"patch", nlohmann::json::array({op})}}, message(i));
  }
  return out;
}

// Commits first .. first+commits-1 on top of the repository's head in one
// Batch (one flush, one ref update); returns the new head.
inline gitstate::Oid run_batch(const gitstate::Repository& repo, int64_t commits,
                               int64_t first = 0) {
  gitstate::Batch batch = must(gitstate::Batch::start(repo), "Batch::start");
  for (int64_t i = first; i < first + commits; ++i) {
    gitstate::Transaction tx = must(batch.begin(), "Batch::begin");
    must(tx.set(pointer(leaf_of_commit(i)), commit_value(i)), "set");
    must(tx.commit(commit_options(message(i))), "commit in the batch");
  }
  return must(batch.finish(), "Batch::finish");
}

struct TransactionsResult {
  int64_t landed = 0;     // commits that returned
  int64_t conflicts = 0;  // commits refused with kConflict
  int64_t rebases = 0;    // times landed commits were re-applied on a moved head
  double seconds = 0;
};

// Commits i = first, first + stride, ... (`count` of them), each as its own
// durable transaction: Repository::begin, set, commit. `message` names
// commit i. A kConflict is counted; any other error stops the benchmark.
inline TransactionsResult run_transactions(const gitstate::Repository& repo, int64_t first,
                                           int64_t stride, int64_t count,
                                           std::string (*message)(int64_t)) {
  TransactionsResult result;
  auto start = Clock::now();
  for (int64_t n = 0; n < count; ++n) {
    const int64_t i = first + n * stride;
    gitstate::Transaction tx = must(repo.begin(), "begin");
    must(tx.set(pointer(leaf_of_commit(i)), commit_value(i)), "set");
    auto outcome = tx.commit(commit_options(message(i)));
    if (outcome.is_ok()) {
      ++result.landed;
      result.rebases += outcome->rebases;
    } else if (outcome.status().code() == gitstate::Code::kConflict) {
      ++result.conflicts;
    } else {
      die("commit " + std::to_string(i) + ": " + outcome.status().to_string());
    }
  }
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace bench::w1
