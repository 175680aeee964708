#include "w1_baselines.h"

#include <git2.h>
#include <openssl/evp.h>
#include <zlib.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <vector>

#include "bench_util.h"
#include "libgit2_handle.h"

namespace bench::w1 {

namespace {

using RawOid = std::array<uint8_t, 20>;

std::string hex(const RawOid& id) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out(40, '0');
  for (size_t i = 0; i < 20; ++i) {
    out[2 * i] = kDigits[id[i] >> 4];
    out[2 * i + 1] = kDigits[id[i] & 15];
  }
  return out;
}

// Hashes (and optionally deflates) loose-object images "<type> <size>\0<content>",
// reusing one SHA-1 context, one z_stream and every buffer.
class ObjectSink {
 public:
  explicit ObjectSink(bool deflate) : deflate_(deflate) {
    ctx_ = EVP_MD_CTX_new();
    md_ = EVP_sha1();
    if (deflate_ && deflateInit(&zs_, 1) != Z_OK) die("deflateInit failed");
  }
  ~ObjectSink() {
    if (deflate_) deflateEnd(&zs_);
    EVP_MD_CTX_free(ctx_);
  }
  ObjectSink(const ObjectSink&) = delete;
  ObjectSink& operator=(const ObjectSink&) = delete;

  RawOid put(const char* type, const std::string& content) {
    image_.assign(type);
    image_ += ' ';
    image_ += std::to_string(content.size());
    image_ += '\0';
    image_ += content;
    RawOid id;
    unsigned int len = 0;
    EVP_DigestInit_ex(ctx_, md_, nullptr);
    EVP_DigestUpdate(ctx_, image_.data(), image_.size());
    EVP_DigestFinal_ex(ctx_, id.data(), &len);
    if (deflate_) {
      deflateReset(&zs_);
      size_t bound = deflateBound(&zs_, image_.size());
      if (out_.size() < bound) out_.resize(bound);
      zs_.next_in = reinterpret_cast<Bytef*>(image_.data());
      zs_.avail_in = static_cast<uInt>(image_.size());
      zs_.next_out = out_.data();
      zs_.avail_out = static_cast<uInt>(out_.size());
      if (deflate(&zs_, Z_FINISH) != Z_STREAM_END) die("deflate did not finish");
      deflated_bytes_ += zs_.total_out;
    }
    return id;
  }

  size_t deflated_bytes() const { return deflated_bytes_; }

 private:
  bool deflate_;
  EVP_MD_CTX* ctx_;
  const EVP_MD* md_;
  z_stream zs_{};
  std::string image_;
  std::vector<Bytef> out_;
  size_t deflated_bytes_ = 0;
};

// The W1 tree held as arrays of ids; each commit re-encodes the three trees on
// the changed leaf's path as git would, then the commit.
class LimitRepo {
 public:
  LimitRepo(ObjectSink& sink, const BlobFormat& format) : sink_(sink), format_(format) {
    for (int i = 0; i < 10; ++i) {
      sections_[i] = section_name(i);
      groups_[i] = group_name(i);
      keys_[i] = key_name(i);
    }
    ident_ = identity_line();
  }

  void initial_state() {
    for (int s = 0; s < kSections; ++s)
      for (int g = 0; g < kGroups; ++g)
        for (int k = 0; k < kKeys; ++k) {
          Leaf leaf{s, g, k};
          blobs_[leaf.index()] = sink_.put("blob", blob_text(initial_value(leaf), format_));
        }
    for (int s = 0; s < kSections; ++s) {
      for (int g = 0; g < kGroups; ++g) group_trees_[s * kGroups + g] = write_group(s, g);
      section_trees_[s] = write_section(s);
    }
    root_ = write_root();
    head_ = write_commit(kInitialMessage, false);
  }

  void commit(int64_t i) {
    Leaf leaf = leaf_of_commit(i);
    blobs_[leaf.index()] = sink_.put("blob", blob_text(commit_value(i), format_));
    group_trees_[leaf.s * kGroups + leaf.g] = write_group(leaf.s, leaf.g);
    section_trees_[leaf.s] = write_section(leaf.s);
    root_ = write_root();
    message_ = "set /";
    message_ += sections_[leaf.s];
    message_ += '/';
    message_ += groups_[leaf.g];
    message_ += '/';
    message_ += keys_[leaf.k];
    message_ += '\n';
    head_ = write_commit(message_, true);
  }

  const RawOid& head() const { return head_; }

 private:
  void add_entry(const char* mode, const std::string& name, const RawOid& id) {
    buf_ += mode;
    buf_ += ' ';
    buf_ += name;
    buf_ += '\0';
    buf_.append(reinterpret_cast<const char*>(id.data()), id.size());
  }
  RawOid write_group(int s, int g) {
    buf_.clear();
    for (int k = 0; k < kKeys; ++k) add_entry("100644", keys_[k], blobs_[Leaf{s, g, k}.index()]);
    return sink_.put("tree", buf_);
  }
  RawOid write_section(int s) {
    buf_.clear();
    for (int g = 0; g < kGroups; ++g) add_entry("40000", groups_[g], group_trees_[s * kGroups + g]);
    return sink_.put("tree", buf_);
  }
  RawOid write_root() {
    buf_.clear();
    for (int s = 0; s < kSections; ++s) add_entry("40000", sections_[s], section_trees_[s]);
    return sink_.put("tree", buf_);
  }
  RawOid write_commit(const std::string& message, bool has_parent) {
    buf_ = "tree ";
    buf_ += hex(root_);
    if (has_parent) {
      buf_ += "\nparent ";
      buf_ += hex(head_);
    }
    buf_ += "\nauthor ";
    buf_ += ident_;
    buf_ += "\ncommitter ";
    buf_ += ident_;
    buf_ += "\n\n";
    buf_ += message;
    return sink_.put("commit", buf_);
  }

  ObjectSink& sink_;
  BlobFormat format_;
  std::string sections_[10], groups_[10], keys_[10], ident_, message_, buf_;
  RawOid blobs_[kLeaves]{};
  RawOid group_trees_[kSections * kGroups]{};
  RawOid section_trees_[kSections]{};
  RawOid root_{}, head_{};
};

}  // namespace

RunResult run_limit(int64_t commits, const BlobFormat& format, bool deflate, int64_t checkpoint) {
  ObjectSink sink(deflate);
  LimitRepo repo(sink, format);
  repo.initial_state();
  RunResult result;
  auto start = Clock::now();
  for (int64_t i = 0; i < commits; ++i) {
    repo.commit(i);
    if (i + 1 == checkpoint) result.checkpoint_head = hex(repo.head());
  }
  result.seconds = seconds_since(start);
  result.head = hex(repo.head());
  return result;
}

RunResult run_libgit2_direct(const std::string& repo_dir, int64_t commits, const BlobFormat& format) {
  git_libgit2_init();
  git_repository* repo = nullptr;
  git_check(git_repository_init(&repo, repo_dir.c_str(), /*is_bare=*/1), "repository_init");
  git_signature* sig = nullptr;
  git_check(git_signature_new(&sig, kAuthorName, kAuthorEmail, kTime, 0), "signature_new");

  // Initial state, untimed: one tree update holding all 1,000 leaves.
  std::vector<std::string> paths;
  std::vector<git_tree_update> updates;
  paths.reserve(kLeaves);
  for (int s = 0; s < kSections; ++s)
    for (int g = 0; g < kGroups; ++g)
      for (int k = 0; k < kKeys; ++k) {
        Leaf leaf{s, g, k};
        std::string text = blob_text(initial_value(leaf), format);
        git_tree_update u{};
        u.action = GIT_TREE_UPDATE_UPSERT;
        git_check(git_blob_create_from_buffer(&u.id, repo, text.data(), text.size()), "blob_create");
        u.filemode = GIT_FILEMODE_BLOB;
        paths.push_back(git_path(leaf));
        updates.push_back(u);
      }
  for (size_t i = 0; i < updates.size(); ++i) updates[i].path = paths[i].c_str();
  git_oid tree_id, commit_id;
  git_check(git_tree_create_updated(&tree_id, repo, nullptr, updates.size(), updates.data()), "tree_create_updated");
  git_tree* tree = nullptr;
  git_check(git_tree_lookup(&tree, repo, &tree_id), "tree_lookup");
  git_check(git_commit_create(&commit_id, repo, nullptr, sig, sig, nullptr, kInitialMessage, tree, 0, nullptr),
            "commit_create");
  git_commit* parent = nullptr;
  git_check(git_commit_lookup(&parent, repo, &commit_id), "commit_lookup");

  auto start = Clock::now();
  for (int64_t i = 0; i < commits; ++i) {
    Leaf leaf = leaf_of_commit(i);
    std::string text = blob_text(commit_value(i), format);
    std::string path = git_path(leaf);
    git_tree_update u{};
    u.action = GIT_TREE_UPDATE_UPSERT;
    u.filemode = GIT_FILEMODE_BLOB;
    u.path = path.c_str();
    git_check(git_blob_create_from_buffer(&u.id, repo, text.data(), text.size()), "blob_create");
    git_check(git_tree_create_updated(&tree_id, repo, tree, 1, &u), "tree_create_updated");
    git_tree_free(tree);
    git_check(git_tree_lookup(&tree, repo, &tree_id), "tree_lookup");
    const git_commit* parents[] = {parent};
    std::string msg = message(i);
    git_check(git_commit_create(&commit_id, repo, nullptr, sig, sig, nullptr, msg.c_str(), tree, 1, parents),
              "commit_create");
    git_commit_free(parent);
    git_check(git_commit_lookup(&parent, repo, &commit_id), "commit_lookup");
  }
  git_reference* ref = nullptr;
  git_check(git_reference_create(&ref, repo, kRef, &commit_id, 1, "bench"), "reference_create");
  RunResult result;
  result.seconds = seconds_since(start);
  char hexbuf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hexbuf, sizeof hexbuf, &commit_id);
  result.head = hexbuf;

  git_reference_free(ref);
  git_commit_free(parent);
  git_tree_free(tree);
  git_signature_free(sig);
  git_repository_free(repo);
  git_libgit2_shutdown();
  return result;
}

RunResult run_fast_import(const std::string& repo_dir, const std::string& stream) {
  CommandResult init = run_command("git init -q --bare " + shell_quote(repo_dir));
  if (!init.ok()) die("git init failed: " + init.output);
  FedCommand run = feed_command("git -C " + shell_quote(repo_dir) + " fast-import --quiet", stream);
  if (!run.ok()) die("git fast-import failed (status " + std::to_string(run.status) + ")");
  RunResult result;
  result.seconds = run.seconds;
  CommandResult head = run_command("git -C " + shell_quote(repo_dir) + " rev-parse " + kRef);
  if (!head.ok()) die("git rev-parse failed: " + head.output);
  result.head = head.output.substr(0, 40);
  return result;
}

}  // namespace bench::w1
