#include "gitstate/plumbing/pack_backend.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "gitstate/plumbing/object.h"
#include "pack_index.h"
#include "pack_writer.h"
#include "support/test_util.h"

using namespace gitstate;
using gitstate::test::run_command;
using gitstate::test::shell_quote;
using gitstate::test::TempDir;
namespace fs = std::filesystem;

namespace {
std::string git(const std::string& repo) { return "git --git-dir=" + shell_quote(repo) + " "; }

std::shared_ptr<GitDir> init_repo(const TempDir& tmp) {
  auto dir = GitDir::init(tmp.str() + "/store");
  REQUIRE(dir.is_ok());
  return *dir;
}

std::vector<fs::path> files_with_extension(const std::string& repo, const std::string& ext) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(repo + "/objects/pack"))
    if (e.path().extension() == ext) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Every regular file under objects/ other than packs and their indexes.
std::vector<std::string> loose_files(const std::string& repo) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(repo + "/objects")) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), repo + "/objects").string();
    if (rel.rfind("pack/", 0) == 0 || rel.rfind("info/", 0) == 0) continue;
    out.push_back(rel);
  }
  return out;
}

Signature sig(int64_t t) { return Signature{"Test", "test@example.com", t, 60}; }

// Writes a small history: `n` commits, each with a blob and a tree, plus
// blobs of awkward sizes. Returns every id written with its content.
std::vector<std::pair<Oid, Object>> write_history(ObjectStore& store, int n,
                                                  const std::string& tag) {
  std::vector<std::pair<Oid, Object>> written;
  auto put = [&](ObjectType type, std::string data) {
    Oid id = store.write(type, data);
    written.push_back({id, Object{type, std::move(data)}});
    return id;
  };
  std::optional<Oid> parent;
  for (int i = 0; i < n; ++i) {
    Oid blob = put(ObjectType::kBlob, tag + " value " + std::to_string(i) + "\n");
    Oid tree =
        put(ObjectType::kTree, encode_tree({{"k" + std::to_string(i % 7), kModeBlob, blob}}));
    CommitData c{
        tree, {}, sig(1700000000 + i), sig(1700000000 + i), "set " + tag + std::to_string(i) + "\n",
        {}};
    if (parent) c.parents.push_back(*parent);
    parent = put(ObjectType::kCommit, encode_commit(c));
  }
  return written;
}

void check_readable(ObjectStore& store, const std::vector<std::pair<Oid, Object>>& objects) {
  for (const auto& [id, object] : objects) {
    auto read = store.read(id);
    REQUIRE(read.is_ok());
    CHECK(read->type == object.type);
    CHECK(read->data == object.data);
  }
}
}  // namespace

TEST_CASE("flushed objects read back through a fresh store and through stock git") {
  TempDir tmp;
  auto dir = init_repo(tmp);
  ObjectStore store(make_pack_backend(dir));
  auto objects = write_history(store, 300, "a");
  std::string big(3 << 20, '\0');
  std::mt19937 rng(7);
  for (auto& c : big) c = static_cast<char>(rng());
  for (size_t size : {size_t{0}, size_t{1}, size_t{65535}, size_t{65536}, size_t{65537},
                      size_t{200000}, size_t{1} << 20, big.size()}) {
    std::string data = big.substr(0, size);
    objects.push_back({store.write(ObjectType::kBlob, data), Object{ObjectType::kBlob, data}});
  }
  CHECK(store.pending_count() == objects.size());
  check_readable(store, objects);  // pending objects are visible before the flush
  REQUIRE(store.flush(true).is_ok());
  CHECK(store.pending_count() == 0);
  check_readable(store, objects);  // now from the pack, through libgit2

  auto reopened = GitDir::open(dir->path());
  REQUIRE(reopened.is_ok());
  ObjectStore fresh(make_pack_backend(*reopened));
  check_readable(fresh, objects);
  CHECK(!fresh.contains(hash_object(ObjectType::kBlob, "never written")));
  CHECK(fresh.read(hash_object(ObjectType::kBlob, "never written")).status().code() ==
        Code::kNotFound);

  CHECK(files_with_extension(dir->path(), ".pack").size() == 1);
  CHECK(loose_files(dir->path()).empty());
  for (size_t i : {size_t{0}, size_t{1}, size_t{2}, objects.size() - 1}) {
    auto shown = run_command(git(dir->path()) + "cat-file " +
                             std::string(object_type_name(objects[i].second.type)) + " " +
                             objects[i].first.hex());
    REQUIRE(shown.exit_code == 0);
    CHECK(shown.output == objects[i].second.data);
  }
  auto fsck = run_command(git(dir->path()) + "fsck --strict --full 2>&1");
  INFO(fsck.output);
  CHECK(fsck.exit_code == 0);
  CHECK(fsck.output.find("error") == std::string::npos);
  auto verify =
      run_command(git(dir->path()) + "verify-pack " +
                  shell_quote(files_with_extension(dir->path(), ".idx")[0].string()) + " 2>&1");
  INFO(verify.output);
  CHECK(verify.exit_code == 0);
}

TEST_CASE("the .idx gitstate writes is byte-identical to git index-pack's") {
  TempDir tmp;
  auto dir = init_repo(tmp);
  ObjectStore store(make_pack_backend(dir));
  write_history(store, 500, "idx");
  store.write(ObjectType::kBlob, std::string(100000, 'z'));
  REQUIRE(store.flush(false).is_ok());
  auto packs = files_with_extension(dir->path(), ".pack");
  REQUIRE(packs.size() == 1);
  std::string ours = files_with_extension(dir->path(), ".idx")[0].string();
  std::string theirs = tmp.str() + "/git.idx";
  REQUIRE(
      run_command("git index-pack -o " + shell_quote(theirs) + " " + shell_quote(packs[0].string()))
          .exit_code == 0);
  CHECK(run_command("cmp " + shell_quote(ours) + " " + shell_quote(theirs)).exit_code == 0);
}

TEST_CASE("the .idx 64-bit offset table matches git index-pack with a lowered 32-bit limit") {
  TempDir tmp;
  std::string pack_path = tmp.str() + "/test.pack";
  int fd = ::open(pack_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  std::vector<std::string> contents;
  for (int i = 0; i < 200; ++i)
    contents.push_back(std::string(static_cast<size_t>(i * 37 % 3000), 'a' + i % 26) +
                       std::to_string(i));
  PackWriter writer(fd, static_cast<uint32_t>(contents.size()), pack_path, 0);
  for (const auto& c : contents)
    REQUIRE(writer.add(hash_object(ObjectType::kBlob, c), ObjectType::kBlob, c).is_ok());
  auto checksum = writer.finish();
  ::close(fd);
  REQUIRE(checksum.is_ok());
  for (uint64_t limit : {uint64_t{0}, uint64_t{4096}, uint64_t{100000}}) {
    std::string ours_path = tmp.str() + "/ours.idx", theirs_path = tmp.str() + "/theirs.idx";
    std::ofstream(ours_path, std::ios::binary)
        << encode_pack_index(writer.entries(), *checksum, limit);
    auto indexed = run_command("git index-pack --index-version=2," + std::to_string(limit) +
                               " -o " + shell_quote(theirs_path) + " " + shell_quote(pack_path));
    REQUIRE(indexed.exit_code == 0);
    INFO("limit " << limit);
    CHECK(run_command("cmp " + shell_quote(ours_path) + " " + shell_quote(theirs_path)).exit_code ==
          0);
    fs::remove(theirs_path);
  }
  auto ids = read_pack_index_ids(tmp.str() + "/ours.idx");
  REQUIRE(ids.is_ok());
  CHECK(ids->size() == contents.size());
  CHECK(std::is_sorted(ids->begin(), ids->end()));
}

TEST_CASE("another handle sees packs flushed after it loaded its pack list") {
  TempDir tmp;
  auto dir = init_repo(tmp);
  ObjectStore writer(make_pack_backend(dir));
  Oid first = writer.write(ObjectType::kBlob, "first\n");
  REQUIRE(writer.flush(false).is_ok());

  auto other_dir = GitDir::open(dir->path());
  REQUIRE(other_dir.is_ok());
  ObjectStore reader(make_pack_backend(*other_dir));
  REQUIRE(reader.read(first).is_ok());  // loads the pack list as it is now

  Oid second = writer.write(ObjectType::kBlob, "second\n");
  CHECK(!reader.contains(second));
  REQUIRE(writer.flush(false).is_ok());
  CHECK(reader.contains(second));
  auto read = reader.read(second);
  REQUIRE(read.is_ok());
  CHECK(read->data == "second\n");
}

TEST_CASE("packs are consolidated: few remain, all objects stay readable, git agrees") {
  TempDir tmp;
  auto dir = init_repo(tmp);
  PackBackendOptions options;
  options.max_packs = 4;
  options.background_consolidation = false;  // so that the pack count is checked after each flush
  ObjectStore store(make_pack_backend(dir, options));

  auto other_dir = GitDir::open(dir->path());
  REQUIRE(other_dir.is_ok());
  ObjectStore reader(make_pack_backend(*other_dir, options));

  std::vector<std::pair<Oid, Object>> all;
  size_t most_packs = 0;
  for (int round = 0; round < 30; ++round) {
    auto objects = write_history(store, 3, "round" + std::to_string(round) + "-");
    REQUIRE(store.flush(round % 5 == 0).is_ok());
    all.insert(all.end(), objects.begin(), objects.end());
    check_readable(reader, objects);  // the other handle opens each new pack
    most_packs = std::max(most_packs, files_with_extension(dir->path(), ".pack").size());
  }
  CHECK(most_packs <= options.max_packs);
  check_readable(reader, all);  // including objects whose packs it had open and that are gone now
  check_readable(store, all);

  auto reopened = GitDir::open(dir->path());
  REQUIRE(reopened.is_ok());
  ObjectStore fresh(make_pack_backend(*reopened));
  check_readable(fresh, all);
  CHECK(loose_files(dir->path()).empty());
  auto fsck = run_command(git(dir->path()) + "fsck --strict --full 2>&1");
  INFO(fsck.output);
  CHECK(fsck.exit_code == 0);
  CHECK(fsck.output.find("error") == std::string::npos);

  auto merged = consolidate_packs(*dir, 0);
  REQUIRE(merged.is_ok());
  CHECK(merged->objects == all.size());
  CHECK(files_with_extension(dir->path(), ".pack").size() == 1);
  check_readable(store, all);
  check_readable(reader, all);
  for (const auto& e : fs::directory_iterator(dir->path() + "/objects/pack"))
    CHECK(e.path().filename().string().rfind("tmp_", 0) != 0);
}

TEST_CASE("background consolidation keeps packs few without blocking flushes, and stops cleanly") {
  TempDir tmp;
  auto dir = init_repo(tmp);
  PackBackendOptions options;
  options.max_packs = 4;
  std::vector<std::pair<Oid, Object>> all;
  for (int run = 0; run < 2; ++run) {
    // The second store is destroyed right after its flushes, likely while a
    // consolidation is still running: that one is cancelled, losing nothing.
    ObjectStore store(make_pack_backend(dir, options));
    for (int round = 0; round < 25; ++round) {
      auto objects =
          write_history(store, 3, std::to_string(run) + "-" + std::to_string(round) + "-");
      REQUIRE(store.flush(false).is_ok());
      all.insert(all.end(), objects.begin(), objects.end());
    }
    check_readable(store, all);
    if (run == 0) {
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (files_with_extension(dir->path(), ".pack").size() > options.max_packs &&
             std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      CHECK(files_with_extension(dir->path(), ".pack").size() <= options.max_packs);
    }
  }
  auto reopened = GitDir::open(dir->path());
  REQUIRE(reopened.is_ok());
  ObjectStore fresh(make_pack_backend(*reopened));
  check_readable(fresh, all);
  auto fsck = run_command(git(dir->path()) + "fsck --strict --full 2>&1");
  INFO(fsck.output);
  CHECK(fsck.exit_code == 0);
  CHECK(fsck.output.find("error") == std::string::npos);
}

TEST_CASE("consolidation leaves a large pack alone while the small ones are much smaller") {
  TempDir tmp;
  auto dir = init_repo(tmp);
  PackBackendOptions options;
  options.max_packs = 8;
  options.background_consolidation = false;
  ObjectStore store(make_pack_backend(dir, options));
  write_history(store, 2000, "big");
  REQUIRE(store.flush(false).is_ok());
  auto big = files_with_extension(dir->path(), ".pack");
  REQUIRE(big.size() == 1);
  for (int i = 0; i < 9; ++i) {
    store.write(ObjectType::kBlob, "small " + std::to_string(i));
    REQUIRE(store.flush(false).is_ok());
  }
  auto packs = files_with_extension(dir->path(), ".pack");
  CHECK(packs.size() <= 5);
  CHECK(std::find(packs.begin(), packs.end(), big[0]) != packs.end());
}

TEST_CASE("a flipped byte in a stored object is reported as corruption") {
  TempDir tmp;
  auto dir = init_repo(tmp);
  std::string marker = "MARKER-" + std::string(2000, 'm') + "-END";
  Oid id;
  {
    ObjectStore store(make_pack_backend(dir));
    id = store.write(ObjectType::kBlob, marker);
    store.write(ObjectType::kBlob, "bystander");
    REQUIRE(store.flush(false).is_ok());
  }
  auto pack = files_with_extension(dir->path(), ".pack")[0];
  std::string bytes;
  {
    std::ifstream in(pack, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  size_t at = bytes.find(marker);  // stored blocks keep the content verbatim
  REQUIRE(at != std::string::npos);
  bytes[at + 1000] ^= 0x20;
  fs::permissions(pack, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(pack, std::ios::binary | std::ios::trunc) << bytes;

  auto reopened = GitDir::open(dir->path());
  REQUIRE(reopened.is_ok());
  ObjectStore store(make_pack_backend(*reopened));
  auto read = store.read(id);
  REQUIRE(!read.is_ok());
  INFO(read.status().to_string());
  CHECK(read.status().code() == Code::kCorrupt);
  CHECK(store.read(hash_object(ObjectType::kBlob, "bystander")).is_ok());
}

TEST_CASE("temporaries abandoned long ago are removed, fresh ones are left to their writer") {
  TempDir tmp;
  auto dir = init_repo(tmp);
  std::string pack_dir = dir->path() + "/objects/pack";
  auto make = [&](const std::string& name, bool old) {
    std::ofstream(pack_dir + "/" + name) << "partial";
    if (old) {
      struct utimbuf times = {0, std::time(nullptr) - 7200};
      REQUIRE(::utime((pack_dir + "/" + name).c_str(), &times) == 0);
    }
  };
  make("tmp_pack_old", true);
  make("tmp_idx_old", true);
  make("pack-0000000000000000000000000000000000000000.pack",
       true);  // renamed, but no .idx followed
  make("tmp_pack_fresh", false);
  fs::create_directory(pack_dir + "/tmp_consolidate_old");
  std::ofstream(pack_dir + "/tmp_consolidate_old/pack-1.pack") << "x";
  struct utimbuf times = {0, std::time(nullptr) - 7200};
  REQUIRE(::utime((pack_dir + "/tmp_consolidate_old").c_str(), &times) == 0);

  auto backend = make_pack_backend(dir);
  CHECK(!fs::exists(pack_dir + "/tmp_pack_old"));
  CHECK(!fs::exists(pack_dir + "/tmp_idx_old"));
  CHECK(!fs::exists(pack_dir + "/pack-0000000000000000000000000000000000000000.pack"));
  CHECK(!fs::exists(pack_dir + "/tmp_consolidate_old"));
  CHECK(fs::exists(pack_dir + "/tmp_pack_fresh"));
}

TEST_CASE("an empty flush writes nothing, a failed flush keeps its objects pending") {
  TempDir tmp;
  auto dir = init_repo(tmp);
  ObjectStore store(make_pack_backend(dir));
  REQUIRE(store.flush(true).is_ok());
  CHECK(files_with_extension(dir->path(), ".pack").empty());

  Oid id = store.write(ObjectType::kBlob, "kept\n");
  std::string pack_dir = dir->path() + "/objects/pack";
  fs::permissions(pack_dir, fs::perms::owner_write, fs::perm_options::remove);
  Status failed = store.flush(false);
  fs::permissions(pack_dir, fs::perms::owner_write, fs::perm_options::add);
  if (::geteuid() != 0) {  // root writes through permissions
    CHECK(failed.code() == Code::kIO);
    CHECK(store.pending_count() == 1);
  }
  REQUIRE(store.flush(false).is_ok());
  CHECK(store.pending_count() == 0);
  CHECK(store.read(id).is_ok());
}
