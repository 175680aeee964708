#include "journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "file_io.h"

namespace gitstate {

namespace {
constexpr size_t kHeaderSize = 64;
constexpr std::string_view kHeaderTag = "gitstate journal 1\nboot ";

std::string current_boot() {
  auto id = read_whole_file("/proc/sys/kernel/random/boot_id");
  if (!id.is_ok()) return "";
  std::string boot = *id;
  while (!boot.empty() && (boot.back() == '\n' || boot.back() == ' ')) boot.pop_back();
  return boot;
}

std::string header_for(const std::string& boot) {
  std::string header = std::string(kHeaderTag) + (boot.empty() ? "unknown" : boot) + "\n";
  header.resize(kHeaderSize, '\n');
  return header;
}

// flock() on the journal's descriptor for the life of the guard.
class FlockGuard {
 public:
  FlockGuard(int fd, int operation) : fd_(fd) {
    int rc;
    do rc = ::flock(fd_, operation);
    while (rc != 0 && errno == EINTR);
    locked_ = rc == 0;
  }
  ~FlockGuard() {
    if (locked_) ::flock(fd_, LOCK_UN);
  }
  bool locked() const { return locked_; }

 private:
  int fd_;
  bool locked_;
};

}  // namespace

Journal::Journal(int fd, std::string path, std::string boot)
    : fd_(fd), path_(std::move(path)), boot_(std::move(boot)) {}

Journal::~Journal() { ::close(fd_); }

Result<std::unique_ptr<Journal>> Journal::open(const std::string& repository) {
  std::string path = repository + "/gitstate-journal";
  int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EACCES || errno == EROFS)
      return Status(Code::kPermissionDenied, "cannot open " + path + ": not writable");
    return errno_status("open " + path);
  }
  std::unique_ptr<Journal> journal(new Journal(fd, path, current_boot()));
  FlockGuard exclusive(fd, LOCK_EX);
  if (!exclusive.locked()) return errno_status("lock " + path);
  struct stat st;
  if (::fstat(fd, &st) != 0) return errno_status("stat " + path);
  if (st.st_size == 0) GITSTATE_RETURN_IF_ERROR(write_all(fd, header_for(journal->boot_), path));
  return journal;
}

Result<uint64_t> Journal::append(const JournalRecord& record) {
  std::string bytes = encode_journal_record(record);
  std::lock_guard lock(append_mu_);
  FlockGuard shared(fd_, LOCK_SH);
  if (!shared.locked()) return errno_status("lock " + path_);
  ssize_t n;
  do n = ::write(fd_, bytes.data(), bytes.size());
  while (n < 0 && errno == EINTR);
  if (n < 0) return errno_status("append to " + path_);
  // A short write leaves a torn frame, which readers skip; the record is
  // written again whole.
  if (static_cast<size_t>(n) != bytes.size())
    GITSTATE_RETURN_IF_ERROR(write_all(fd_, bytes, path_));
  return ++appended_;
}

Status Journal::sync(uint64_t seq) {
  {
    std::lock_guard lock(sync_mu_);
    if (synced_ >= seq) return Status::ok();
    uint64_t covered;
    {
      std::lock_guard append_lock(append_mu_);
      covered = appended_;
    }
    if (::fdatasync(fd_) != 0) return errno_status("sync " + path_);
    synced_ = covered;
  }
  struct stat st;
  if (::fstat(fd_, &st) == 0 && static_cast<uint64_t>(st.st_size) > kCheckpointBytes)
    return checkpoint();
  return Status::ok();
}

Status Journal::checkpoint() {
  return checkpoint_holding([] { return Status::ok(); });
}

Status Journal::checkpoint_holding(const std::function<Status()>& while_held) {
  std::lock_guard lock(append_mu_);
  FlockGuard exclusive(fd_, LOCK_EX);
  if (!exclusive.locked()) return errno_status("lock " + path_);
  GITSTATE_RETURN_IF_ERROR(checkpoint_locked());
  return while_held();
}

Status Journal::checkpoint_locked() {
  if (::syncfs(fd_) != 0) return errno_status("sync the file system of " + path_);
  if (::ftruncate(fd_, 0) != 0) return errno_status("truncate " + path_);
  GITSTATE_RETURN_IF_ERROR(write_all(fd_, header_for(boot_), path_));
  if (::fdatasync(fd_) != 0) return errno_status("sync " + path_);
  return Status::ok();
}

Result<size_t> Journal::recover(
    const std::function<Status(const std::vector<JournalRecord>&)>& replay) {
  std::lock_guard lock(append_mu_);
  FlockGuard exclusive(fd_, LOCK_EX);
  if (!exclusive.locked()) return errno_status("lock " + path_);
  std::string header(kHeaderSize, '\0');
  ssize_t n = ::pread(fd_, header.data(), header.size(), 0);
  if (n < 0) return errno_status("read " + path_);
  if (!boot_.empty() && header == header_for(boot_)) return size_t{0};
  GITSTATE_ASSIGN_OR_RETURN(std::string bytes, read_whole_file(path_));
  std::vector<JournalRecord> records;
  if (bytes.size() > kHeaderSize)
    records = decode_journal_records(std::string_view(bytes).substr(kHeaderSize));
  if (!records.empty()) GITSTATE_RETURN_IF_ERROR(replay(records));
  GITSTATE_RETURN_IF_ERROR(checkpoint_locked());
  return records.size();
}

}  // namespace gitstate
