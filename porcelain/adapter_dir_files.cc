#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include "adapter_dir_internal.h"
#include "gitstate/plumbing/codec.h"

namespace gitstate {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
Status io_failure(const std::string& what, const fs::path& path, int error) {
  return io_error(what + " " + path.string() + ": " + std::strerror(error));
}

Result<json> load_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_failure("cannot read", path, errno);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return io_failure("cannot read", path, errno);
  auto value = parse_json_text(text);
  if (!value.is_ok()) return value.status().with_context(path.string());
  if (value->is_object())
    return invalid(path.string() + " holds a JSON object; an object is a folder");
  return value;
}

Result<json> load_folder(const fs::path& folder) {
  json object = json::object();
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    std::string name = it->path().filename().string();
    if (name.starts_with(kDirTempPrefix)) continue;
    auto key = unescape_name(name);
    if (!key.is_ok())
      return invalid(it->path().string() +
                     ": not a name the directory adapter gives a key (see docs/adapters.md)");
    fs::file_status status = it->symlink_status(error);
    if (error) break;
    if (fs::is_directory(status)) {
      GITSTATE_ASSIGN_OR_RETURN(object[*key], load_folder(it->path()));
    } else if (fs::is_regular_file(status)) {
      GITSTATE_ASSIGN_OR_RETURN(object[*key], load_file(it->path()));
    } else {
      return invalid(it->path().string() +
                     " is neither a folder nor a regular file (symbolic links and special "
                     "files are not read)");
    }
  }
  if (error) return io_error("cannot read the folder " + folder.string() + ": " + error.message());
  return object;
}

Status sync_fd(int fd, const fs::path& path) {
  if (::fsync(fd) != 0) {
    int error = errno;
    ::close(fd);
    return io_failure("cannot sync", path, error);
  }
  if (::close(fd) != 0) return io_failure("cannot close", path, errno);
  return Status::ok();
}

Status write_file(const fs::path& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return io_failure("cannot create", path, errno);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      return io_failure("cannot write", path, error);
    }
    done += static_cast<size_t>(n);
  }
  return sync_fd(fd, path);
}

Status write_value(const fs::path& path, const json& value, size_t name_max) {
  if (!value.is_object()) return write_file(path, canonical_text(value));
  if (::mkdir(path.c_str(), 0755) != 0) return io_failure("cannot create the folder", path, errno);
  for (const auto& [key, member] : value.items()) {
    std::string name = escape_key(key);
    if (name.size() > name_max)
      return invalid("the key \"" + key.substr(0, 40) + "...\" is " + std::to_string(name.size()) +
                     " bytes as a file name; the file system allows " + std::to_string(name_max));
    GITSTATE_RETURN_IF_ERROR(write_value(path / name, member, name_max));
  }
  return sync_folder(path);
}
}  // namespace

Result<json> load_directory(const fs::path& root) { return load_folder(root); }

fs::path temp_entry(const fs::path& folder) {
  static std::atomic<unsigned> counter{0};
  return folder / (std::string(kDirTempPrefix) + std::to_string(::getpid()) + "-" +
                   std::to_string(counter++));
}

Status sync_folder(const fs::path& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_failure("cannot open the folder", folder, errno);
  return sync_fd(fd, folder);
}

Status write_entry(const fs::path& path, const json& value, size_t name_max) {
  auto stored = hash_state(json{{"value", value}});
  if (!stored.is_ok()) return stored.status();
  Status written = write_value(path, value, name_max);
  if (!written.is_ok()) {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  return written;
}

Status remove_entry(const fs::path& path) {
  fs::path doomed = temp_entry(path.parent_path());
  std::error_code error;
  fs::rename(path, doomed, error);
  if (error) return io_error("cannot remove " + path.string() + ": " + error.message());
  fs::remove_all(doomed, error);
  if (error) return io_error("cannot remove " + doomed.string() + ": " + error.message());
  return Status::ok();
}

}  // namespace gitstate
