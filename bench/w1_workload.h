// The W1 "config churn" workload, generated identically for every
// implementation that bench_w1 measures (gitstate, the limits, libgit2,
// git fast-import).
//
// State: 10 sections x 10 groups x 10 keys, 1,000 integer leaves
// (/s{a}/g{b}/k{c}). Commit 0 ("initial state") holds every leaf, each set to
// 1,000,000 + its index so no later commit is a no-op. Then commit i (i = 0 ..
// N-1; history commit i + 1) sets /s{i%10}/g{(i/10)%10}/k{(i/100)%10} to i with
// the message "set <pointer>\n". Author and committer are one fixed identity at
// one fixed time, so every implementation that encodes the same bytes reaches
// the same commit ids: bench_w1 checks that they do.
//
// Leaves are blobs of canonical JSON text; whether that text ends with a
// newline is the codec's choice, so callers pass it in (BlobFormat), having
// asked gitstate's codec.
#pragma once

#include <cstdint>
#include <string>

namespace bench::w1 {

constexpr int kSections = 10;
constexpr int kGroups = 10;
constexpr int kKeys = 10;
constexpr int kLeaves = kSections * kGroups * kKeys;

constexpr const char* kAuthorName = "bench";
constexpr const char* kAuthorEmail = "bench@example.com";
constexpr int64_t kTime = 1700000000;
constexpr const char* kInitialMessage = "initial state\n";
constexpr const char* kRef = "refs/heads/main";

struct Leaf {
  int s = 0, g = 0, k = 0;
  int index() const { return (s * kGroups + g) * kKeys + k; }
};

// Appends rather than `"s" + std::to_string(n)`, which trips GCC 12's
// -Wrestrict false positive under -O3 -Werror.
inline std::string prefixed(char prefix, int n) {
  std::string out(1, prefix);
  out += std::to_string(n);
  return out;
}
inline std::string section_name(int s) { return prefixed('s', s); }
inline std::string group_name(int g) { return prefixed('g', g); }
inline std::string key_name(int k) { return prefixed('k', k); }

// The leaf that commit i (0-based, after the initial state) sets.
inline Leaf leaf_of_commit(int64_t i) {
  return {static_cast<int>(i % 10), static_cast<int>((i / 10) % 10), static_cast<int>((i / 100) % 10)};
}
inline int64_t commit_value(int64_t i) { return i; }
inline int64_t initial_value(const Leaf& leaf) { return 1000000 + leaf.index(); }

// "/s1/g2/k3"
inline std::string pointer(const Leaf& l) {
  return "/" + section_name(l.s) + "/" + group_name(l.g) + "/" + key_name(l.k);
}
// "s1/g2/k3"
inline std::string git_path(const Leaf& l) {
  return section_name(l.s) + "/" + group_name(l.g) + "/" + key_name(l.k);
}
inline std::string message(int64_t i) { return "set " + pointer(leaf_of_commit(i)) + "\n"; }

struct BlobFormat {
  bool trailing_newline = false;
};
inline std::string blob_text(int64_t value, const BlobFormat& format) {
  std::string s = std::to_string(value);
  if (format.trailing_newline) s += '\n';
  return s;
}

// "bench <bench@example.com> 1700000000 +0000", as commit headers and
// fast-import streams spell an identity.
inline std::string identity_line() {
  return std::string(kAuthorName) + " <" + kAuthorEmail + "> " + std::to_string(kTime) + " +0000";
}

// The whole workload (initial state, then `commits` commits on kRef) as a
// `git fast-import` stream. Leaves are inline blobs; each commit after the
// first continues from the branch tip, as fast-import does without `from`.
inline std::string fast_import_stream(int64_t commits, const BlobFormat& format) {
  std::string out;
  out.reserve(static_cast<size_t>(commits) * 150 + kLeaves * 60);
  auto data = [&out](const std::string& bytes) {
    out += "data " + std::to_string(bytes.size()) + "\n";
    out += bytes;
    out += '\n';
  };
  const std::string committer = "committer " + identity_line() + "\n";
  out += "commit " + std::string(kRef) + "\n" + committer;
  data(kInitialMessage);
  for (int s = 0; s < kSections; ++s)
    for (int g = 0; g < kGroups; ++g)
      for (int k = 0; k < kKeys; ++k) {
        Leaf leaf{s, g, k};
        out += "M 100644 inline " + git_path(leaf) + "\n";
        data(blob_text(initial_value(leaf), format));
      }
  for (int64_t i = 0; i < commits; ++i) {
    out += "commit " + std::string(kRef) + "\n" + committer;
    data(message(i));
    out += "M 100644 inline " + git_path(leaf_of_commit(i)) + "\n";
    data(blob_text(commit_value(i), format));
  }
  out += "done\n";
  return out;
}

}  // namespace bench::w1
