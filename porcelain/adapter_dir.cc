#include "gitstate/adapter_dir.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "adapter_dir_internal.h"
#include "adapter_op_internal.h"
#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/json_pointer.h"

namespace gitstate {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
// Puts the new entry `fresh` at `target`: swapped atomically with what is
// there (then removed), or renamed into place when nothing is.
Status put_in_place(const fs::path& fresh, const fs::path& target, bool exists) {
  unsigned flags = exists ? RENAME_EXCHANGE : RENAME_NOREPLACE;
  if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(), flags) == 0)
    return exists ? remove_entry(fresh) : Status::ok();
  int error = errno;
  if (error == EEXIST)
    return Status(Code::kConflict, target.string() +
                                       " exists though no such key was there (a file system "
                                       "that ignores case?)");
  if (error != EINVAL && error != ENOSYS)
    return io_error("cannot move " + fresh.string() + " to " + target.string() + ": " +
                    std::strerror(error));
  // No renameat2 support here: move the old entry aside first.
  if (exists) GITSTATE_RETURN_IF_ERROR(remove_entry(target));
  std::error_code failed;
  fs::rename(fresh, target, failed);
  if (failed) return io_error("cannot move " + fresh.string() + ": " + failed.message());
  return Status::ok();
}

class DirAdapter : public Adapter {
 public:
  DirAdapter(fs::path root, size_t name_max) : root_(std::move(root)), name_max_(name_max) {}

  std::string kind() const override { return "dir"; }
  std::string identity() const override { return "dir:" + root_.string(); }

  Result<json> load() override {
    std::error_code error;
    fs::file_status status = fs::status(root_, error);
    if (!fs::exists(status)) return not_found("the directory " + root_.string() + " is gone");
    if (!fs::is_directory(status)) return invalid(root_.string() + " is no longer a directory");
    return load_directory(root_);
  }

  ApplyReport apply(const json& patch) override {
    if (!patch.is_array()) return {0, invalid("the patch is not an array of operations")};
    for (size_t i = 0; i < patch.size(); ++i) {
      Status done = apply_one(patch[i]);
      if (!done.is_ok()) {
        return {i, done.with_context(adapter_op_context(i, patch[i]))};
      }
    }
    return {patch.size(), Status::ok()};
  }

 private:
  Status apply_one(const json& op) {
    GITSTATE_ASSIGN_OR_RETURN(AdapterOp parsed,
                              parse_adapter_op(op, "directory", "the directory itself"));
    const std::string& name = parsed.name;
    const Path& path = parsed.path;
    fs::path folder = root_;
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      folder /= escape_key(path[i]);
      std::error_code error;
      if (!fs::is_directory(fs::symlink_status(folder, error)))
        return not_found("no object at " +
                         format_pointer(Path(path.begin(), path.begin() + i + 1)));
    }
    std::string entry = escape_key(path.back());
    if (entry.size() > name_max_)
      return invalid("the key at " + op["path"].get<std::string>() + " is " +
                     std::to_string(entry.size()) +
                     " bytes as a file name; the file system allows " + std::to_string(name_max_));
    fs::path target = folder / entry;
    std::error_code error;
    bool exists = fs::exists(fs::symlink_status(target, error));
    if (!exists && name != "add") return not_found("nothing at " + op["path"].get<std::string>());
    if (name == "remove") {
      GITSTATE_RETURN_IF_ERROR(remove_entry(target));
      return sync_folder(folder);
    }
    fs::path fresh = temp_entry(folder);
    GITSTATE_RETURN_IF_ERROR(write_entry(fresh, *parsed.value, name_max_));
    Status placed = put_in_place(fresh, target, exists);
    if (!placed.is_ok()) {
      fs::remove_all(fresh, error);
      return placed;
    }
    return sync_folder(folder);
  }

  fs::path root_;
  size_t name_max_;
};
}  // namespace

Result<std::unique_ptr<Adapter>> open_dir_adapter(const std::string& path) {
  std::error_code error;
  fs::path root = fs::weakly_canonical(fs::absolute(path, error), error);
  if (error) return io_error("cannot examine " + path + ": " + error.message());
  fs::file_status status = fs::status(root, error);
  if (!fs::exists(status)) return not_found("no directory at " + path);
  if (!fs::is_directory(status))
    return invalid(path + " is not a directory (the state root is an object: a directory)");
  long name_max = ::pathconf(root.c_str(), _PC_NAME_MAX);
  return std::unique_ptr<Adapter>(
      new DirAdapter(root, name_max > 0 ? static_cast<size_t>(name_max) : NAME_MAX));
}

}  // namespace gitstate
