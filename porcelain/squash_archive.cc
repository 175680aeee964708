#include <cctype>
#include <ctime>

#include "gitstate/plumbing/refs.h"
#include "gitstate/revision.h"
#include "gitstate/squash.h"
#include "perspective_internal.h"
#include "repository_internal.h"
#include "squash_internal.h"

namespace gitstate {

namespace {
constexpr std::string_view kPrefix = kArchiveRefPrefix;

// True for "YYYYMMDDTHHMMSSZ-" and 12 lowercase hex digits, as archive_ref() writes.
bool is_stamp(std::string_view stamp) {
  constexpr std::string_view kShape = "ddddddddTddddddZ-hhhhhhhhhhhh";
  if (stamp.size() != kShape.size()) return false;
  for (size_t i = 0; i < stamp.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(stamp[i]);
    bool ok = kShape[i] == 'd'   ? std::isdigit(c)
              : kShape[i] == 'h' ? std::isdigit(c) || (c >= 'a' && c <= 'f')
                                 : stamp[i] == kShape[i];
    if (!ok) return false;
  }
  return true;
}

// The archive ref a caller names: full, or without the prefix.
Result<std::string> archive_name(std::string_view ref) {
  std::string full = std::string(ref);
  if (full.rfind(kPrefix, 0) != 0) full = std::string(kPrefix) + full;
  std::string rest = full.substr(kPrefix.size());
  size_t slash = rest.rfind('/');
  if (slash == std::string::npos || slash == 0 || !is_stamp(rest.substr(slash + 1)) ||
      !is_valid_ref_name(full))
    return invalid("'" + std::string(ref) + "' is not an archive ref (" + std::string(kPrefix) +
                   "<branch>/<YYYYMMDDTHHMMSSZ>-<12 hex digits>)");
  return full;
}
}  // namespace

std::string utc_text(int64_t seconds, bool compact) {
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  char text[32];
  std::strftime(text, sizeof text, compact ? "%Y%m%dT%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::string archive_ref(const std::string& branch, int64_t now, const Oid& head) {
  return std::string(kPrefix) + branch + "/" + utc_text(now, true) + "-" + short_id(head);
}

Result<std::vector<ArchiveInfo>> list_archives(const Repository& repo, std::string_view branch) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "listing archives"));
  std::string prefix(kPrefix);
  if (!branch.empty()) {
    GITSTATE_RETURN_IF_ERROR(check_ref_name(branch, "branch"));
    prefix += std::string(branch) + "/";
  }
  GITSTATE_ASSIGN_OR_RETURN(auto refs, list_refs(*repo.git_dir(), prefix));
  std::vector<ArchiveInfo> out;
  for (auto& [name, head] : refs) {
    std::string rest = name.substr(kPrefix.size());
    size_t slash = rest.rfind('/');
    if (slash == std::string::npos) continue;
    // With a branch given, "a/b/<stamp>" is an archive of branch "a/b", not of "a".
    if (!branch.empty() && rest.substr(0, slash) != branch) continue;
    out.push_back(ArchiveInfo{name, rest.substr(0, slash), rest.substr(slash + 1), head});
  }
  return out;
}

Status delete_archive(const Repository& repo, std::string_view ref) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "deleting an archive"));
  GITSTATE_ASSIGN_OR_RETURN(std::string name, archive_name(ref));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, read_ref(*repo.git_dir(), name));
  if (!head) return not_found("archive '" + name + "' does not exist");
  return delete_ref(*repo.git_dir(), name, *head);
}

}  // namespace gitstate
