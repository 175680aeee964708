// The baselines bench_w1 sets gitstate beside, each running the W1 workload
// of w1_workload.h. None of them uses gitstate code: they are what gitstate
// is measured against.
//
//   limit      encode, SHA-1 (OpenSSL) and deflate (zlib level 1, one reused
//              stream) the five objects of each commit; no I/O.
//   hash-only  the same without deflate.
//   libgit2    git_tree_create_updated + git_commit_create into loose objects.
//   fast-import `git fast-import --quiet` fed the whole stream, prepared in advance.
//
// Each run returns its time and the id of the last commit it made, so the
// caller can check that every implementation built the same history.
#pragma once

#include <cstdint>
#include <string>

#include "w1_workload.h"

namespace bench::w1 {

struct RunResult {
  double seconds = 0;  // the timed part only (see each function)
  std::string head;    // hex id of the last commit
  std::string checkpoint_head;  // hex id after `checkpoint` commits, when asked
  double tail_seconds = 0;      // of `seconds`, the part after the last commit (flush, ref)
};

// Times `commits` commits after an untimed initial state. With `deflate`
// false, only encodes and hashes. `checkpoint` (0: none) records the head
// after that many commits, to compare with a shorter run of another
// implementation.
RunResult run_limit(int64_t commits, const BlobFormat& format, bool deflate, int64_t checkpoint = 0);

// Creates a bare repository at `repo_dir` (must not exist), writes the
// initial state untimed, then times `commits` commits made with
// git_tree_create_updated + git_commit_create (loose objects, libgit2's
// default options) and one final git_reference_create of kRef.
RunResult run_libgit2_direct(const std::string& repo_dir, int64_t commits, const BlobFormat& format);

// Creates a bare repository at `repo_dir` with `git init` (untimed), then
// times one `git fast-import --quiet` process fed `stream` (whole, from
// memory) through a pipe: process start to exit. The stream holds the initial
// state too, which this time therefore includes.
RunResult run_fast_import(const std::string& repo_dir, const std::string& stream);

}  // namespace bench::w1
