#include "gitstate/plumbing/git_dir.h"

#include <filesystem>
#include <system_error>

#include "git_dir_internal.h"
#include "git_error.h"
#include "journal_replay.h"

namespace gitstate {

namespace fs = std::filesystem;

GitDir::Impl::Impl() { git_libgit2_init(); }

GitDir::Impl::~Impl() {
  git_repository_free(repo);
  git_libgit2_shutdown();
}

Result<git_odb*> RepoGuard::odb() const {
  git_odb* odb = nullptr;
  GITSTATE_RETURN_IF_ERROR(
      git_status(git_repository_odb(&odb, impl_.repo), "open object database"));
  // The repository keeps its own reference, so the pointer outlives ours.
  git_odb_free(odb);
  return odb;
}

Status reopen_odb_of(GitDir::Impl& impl) {
  git_odb* fresh = nullptr;
  std::string objects = impl.path + "/objects";
  GITSTATE_RETURN_IF_ERROR(git_status(git_odb_open(&fresh, objects.c_str()), "reopen " + objects));
  git_repository_set_odb(impl.repo, fresh);  // takes its own reference
  git_odb_free(fresh);
  return Status::ok();
}

Status RepoGuard::reopen_odb() { return reopen_odb_of(impl_); }

Result<RepositoryPtr> open_own_repository(GitDir& dir) {
  git_repository* raw = nullptr;
  GITSTATE_RETURN_IF_ERROR(
      git_status(git_repository_open_bare(&raw, dir.path().c_str()), "open " + dir.path()));
  return RepositoryPtr(raw);
}

namespace {
constexpr const char* kFormatKey = "gitstate.format";

std::string strip_trailing_slash(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

std::unique_ptr<GitDir::Impl> adopt(git_repository* repo) {
  auto impl = std::make_unique<GitDir::Impl>();
  impl->repo = repo;
  impl->path = strip_trailing_slash(git_repository_path(repo));
  impl->pack_dir = impl->path + "/objects/pack";
  return impl;
}

Result<std::optional<std::string>> read_config(git_repository* repo, const std::string& key) {
  git_config* config = nullptr;
  GITSTATE_RETURN_IF_ERROR(git_status(git_repository_config(&config, repo), "open config"));
  git_buf value = GIT_BUF_INIT;
  int rc = git_config_get_string_buf(&value, config, key.c_str());
  git_config_free(config);
  if (rc == GIT_ENOTFOUND) return std::optional<std::string>();
  GITSTATE_RETURN_IF_ERROR(git_status(rc, "read config " + key));
  std::string out(value.ptr, value.size);
  git_buf_dispose(&value);
  return std::optional<std::string>(std::move(out));
}

Result<std::vector<std::string>> read_config_all(git_repository* repo, const std::string& key) {
  git_config* config = nullptr;
  GITSTATE_RETURN_IF_ERROR(git_status(git_repository_config(&config, repo), "open config"));
  std::vector<std::string> values;
  int rc = git_config_get_multivar_foreach(
      config, key.c_str(), nullptr,
      [](const git_config_entry* entry, void* out) {
        static_cast<std::vector<std::string>*>(out)->emplace_back(entry->value);
        return 0;
      },
      &values);
  git_config_free(config);
  if (rc == GIT_ENOTFOUND) return std::vector<std::string>();
  GITSTATE_RETURN_IF_ERROR(git_status(rc, "read config " + key));
  return values;
}

Status write_config(git_repository* repo, const std::string& key, const std::string& value) {
  git_config* config = nullptr;
  GITSTATE_RETURN_IF_ERROR(git_status(git_repository_config(&config, repo), "open config"));
  int rc = git_config_set_string(config, key.c_str(), value.c_str());
  git_config_free(config);
  return git_status(rc, "set config " + key);
}

// Records the format (and turns reflogs on, which bare repositories lack by default).
Status mark_as_gitstate(git_repository* repo) {
  GITSTATE_RETURN_IF_ERROR(write_config(repo, "core.logAllRefUpdates", "true"));
  return write_config(repo, kFormatKey, std::to_string(GitDir::kFormat));
}

// Opens the commit journal, replaying it first when it was written in an
// earlier boot. A repository whose journal cannot be opened for writing stays
// readable; writes then report why.
Status attach_journal(GitDir::Impl& impl) {
  auto journal = Journal::open(impl.path);
  if (!journal.is_ok()) {
    if (journal.status().code() != Code::kPermissionDenied) return journal.status();
    impl.journal_error = journal.status();
    return Status::ok();
  }
  impl.journal = std::move(journal).value();
  GITSTATE_ASSIGN_OR_RETURN(size_t replayed,
                            impl.journal->recover([&](const std::vector<JournalRecord>& records) {
                              return replay_journal(impl.repo, impl.pack_dir, records);
                            }));
  return replayed == 0 ? Status::ok() : reopen_odb_of(impl);
}

// A repository at exactly `path`, or nullptr (with the libgit2 code) when none.
int open_exact(git_repository** out, const std::string& path) {
  return git_repository_open_ext(out, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
}
}  // namespace

GitDir::GitDir(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

GitDir::~GitDir() = default;

const std::string& GitDir::path() const { return impl_->path; }

Result<std::shared_ptr<GitDir>> GitDir::init(const std::string& path) {
  git_libgit2_init();
  struct Shutdown {
    ~Shutdown() { git_libgit2_shutdown(); }
  } shutdown;

  std::error_code ec;
  bool exists = fs::exists(path, ec);
  bool empty_dir = exists && fs::is_directory(path, ec) && fs::is_empty(path, ec);
  if (exists && !empty_dir) {
    git_repository* repo = nullptr;
    int rc = open_exact(&repo, path);
    if (rc == GIT_ENOTFOUND) return invalid(path + " exists and is not a git repository");
    GITSTATE_RETURN_IF_ERROR(git_status(rc, "open existing repository at " + path));
    auto impl = adopt(repo);
    if (!git_repository_is_bare(repo))
      return invalid(path + " is a git repository but not a bare one");
    GITSTATE_ASSIGN_OR_RETURN(auto format, read_config(repo, kFormatKey));
    if (format) return invalid(path + " is already a gitstate repository");
    GITSTATE_RETURN_IF_ERROR(mark_as_gitstate(repo));
    GITSTATE_RETURN_IF_ERROR(attach_journal(*impl));
    return std::shared_ptr<GitDir>(new GitDir(std::move(impl)));
  }

  git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  opts.flags =
      GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
  opts.initial_head = "main";
  git_repository* repo = nullptr;
  int rc = git_repository_init_ext(&repo, path.c_str(), &opts);
  Status status = git_status(rc, "create repository at " + path);
  if (!status.is_ok())
    return Status(status.code() == Code::kConflict ? Code::kIO : status.code(), status.message());
  auto impl = adopt(repo);
  GITSTATE_RETURN_IF_ERROR(mark_as_gitstate(repo));
  GITSTATE_RETURN_IF_ERROR(attach_journal(*impl));
  return std::shared_ptr<GitDir>(new GitDir(std::move(impl)));
}

Result<std::shared_ptr<GitDir>> GitDir::open(const std::string& path) {
  git_libgit2_init();
  struct Shutdown {
    ~Shutdown() { git_libgit2_shutdown(); }
  } shutdown;

  git_repository* repo = nullptr;
  int rc = open_exact(&repo, path);
  if (rc == GIT_ENOTFOUND) return not_found("no git repository at " + path);
  GITSTATE_RETURN_IF_ERROR(git_status(rc, "open repository at " + path));
  auto impl = adopt(repo);
  if (!git_repository_is_bare(repo)) return invalid(path + " is not a bare repository");
  GITSTATE_ASSIGN_OR_RETURN(auto format, read_config(repo, kFormatKey));
  if (!format) return invalid(path + " is not a gitstate repository (gitstate.format is not set)");
  if (*format != std::to_string(kFormat))
    return invalid(path + " has gitstate.format " + *format + "; this version supports format " +
                   std::to_string(kFormat));
  GITSTATE_RETURN_IF_ERROR(attach_journal(*impl));
  return std::shared_ptr<GitDir>(new GitDir(std::move(impl)));
}

Result<std::optional<std::string>> GitDir::config_get(const std::string& key) {
  RepoGuard guard(*this);
  return read_config(guard.repo(), key);
}

Result<std::vector<std::string>> GitDir::config_get_all(const std::string& key) {
  RepoGuard guard(*this);
  return read_config_all(guard.repo(), key);
}

Status GitDir::config_set(const std::string& key, const std::string& value) {
  RepoGuard guard(*this);
  return write_config(guard.repo(), key, value);
}

}  // namespace gitstate
