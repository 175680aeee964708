#include "journal_replay.h"

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "file_io.h"
#include "git_dir_internal.h"
#include "git_error.h"

namespace gitstate {

namespace {
bool is_pack_name(const std::string& name) {
  if (name.size() != 45 || name.compare(0, 5, "pack-") != 0) return false;
  return name.find_first_not_of("0123456789abcdef", 5) == std::string::npos;
}

// Puts `bytes` at `path` (read-only, as git keeps packs) unless already there.
Status restore_file(const std::string& dir, const std::string& path, const std::string& bytes) {
  auto current = read_whole_file(path);
  if (current.is_ok() && *current == bytes) return Status::ok();
  GITSTATE_ASSIGN_OR_RETURN(TempFile file, TempFile::create(dir, "tmp_pack_"));
  GITSTATE_RETURN_IF_ERROR(file.write(bytes));
  GITSTATE_RETURN_IF_ERROR(file.chmod(0444));
  return file.rename_to(path);
}

Status restore_ref(git_repository* repo, const std::string& name, const std::optional<Oid>& value,
                   const std::set<Oid>& recorded) {
  git_oid current;
  int rc = git_reference_name_to_id(&current, repo, name.c_str());
  if (rc == 0) {
    Oid now = from_git_oid(&current);
    if (value == now || !recorded.count(now)) return Status::ok();
  } else if (rc == GIT_ENOTFOUND) {
    if (!value) return Status::ok();
  } else {
    // An unreadable loose ref (cut short by the power loss): libgit2 refuses
    // to overwrite it, so it goes first.
    std::string loose = std::string(git_repository_path(repo)) + name;
    if (::unlink(loose.c_str()) != 0 && errno != ENOENT) return errno_status("remove " + loose);
  }
  if (!value) return git_status(git_reference_remove(repo, name.c_str()), "remove ref " + name);
  git_oid target = to_git_oid(*value);
  git_reference* out = nullptr;
  rc = git_reference_create(&out, repo, name.c_str(), &target, 1, "gitstate: journal replay");
  git_reference_free(out);
  return git_status(rc, "restore ref " + name);
}
}  // namespace

Status replay_journal(git_repository* repo, const std::string& pack_dir,
                      const std::vector<JournalRecord>& records) {
  std::error_code ec;
  std::filesystem::create_directories(pack_dir, ec);
  std::map<std::string, std::optional<Oid>> last;
  std::map<std::string, std::set<Oid>> recorded;
  for (const JournalRecord& record : records) {
    if (record.pack) {
      const JournalPack& pack = *record.pack;
      if (!is_pack_name(pack.name))
        return Status(Code::kCorrupt, "journal names an invalid pack '" + pack.name + "'");
      std::string base = pack_dir + "/" + pack.name;
      GITSTATE_RETURN_IF_ERROR(restore_file(pack_dir, base + ".pack", pack.pack));
      GITSTATE_RETURN_IF_ERROR(restore_file(pack_dir, base + ".idx", pack.index));
      continue;
    }
    const JournalRef& ref = *record.ref;
    int valid = 0;
    if (git_reference_name_is_valid(&valid, ref.name.c_str()) < 0 || !valid)
      return Status(Code::kCorrupt, "journal names an invalid ref '" + ref.name + "'");
    last[ref.name] = ref.new_value;
    for (const auto& value : {ref.old_value, ref.new_value})
      if (value) recorded[ref.name].insert(*value);
  }
  for (const auto& [name, value] : last)
    GITSTATE_RETURN_IF_ERROR(restore_ref(repo, name, value, recorded[name]));
  return Status::ok();
}

}  // namespace gitstate
