#include "gitstate/plumbing/object.h"

#include <algorithm>
#include <charconv>

namespace gitstate {

namespace {
// Compares names as git does: a tree's name as if it ended in '/'.
int compare_entry_names(std::string_view a, bool a_tree, std::string_view b, bool b_tree) {
  size_t n = std::min(a.size(), b.size());
  int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
  if (c != 0) return c;
  unsigned char ca = a.size() > n ? static_cast<unsigned char>(a[n]) : (a_tree ? '/' : 0);
  unsigned char cb = b.size() > n ? static_cast<unsigned char>(b[n]) : (b_tree ? '/' : 0);
  return static_cast<int>(ca) - static_cast<int>(cb);
}

void append_octal(std::string& out, uint32_t mode) {
  char buf[12];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, mode, 8);
  out.append(buf, end);
}
}  // namespace

bool tree_entry_less(const TreeEntry& a, const TreeEntry& b) {
  return compare_entry_names(a.name, a.is_tree(), b.name, b.is_tree()) < 0;
}

std::string encode_sorted_tree(const std::vector<TreeEntry>& entries) {
  size_t size = 0;
  for (const auto& e : entries) size += e.name.size() + 28;
  std::string out;
  out.reserve(size);
  for (const auto& e : entries) {
    append_octal(out, e.mode);
    out.push_back(' ');
    out.append(e.name);
    out.push_back('\0');
    out.append(reinterpret_cast<const char*>(e.oid.bytes.data()), 20);
  }
  return out;
}

std::string encode_tree(std::vector<TreeEntry> entries) {
  std::sort(entries.begin(), entries.end(), tree_entry_less);
  return encode_sorted_tree(entries);
}

Result<std::vector<TreeEntry>> parse_tree(std::string_view content) {
  std::vector<TreeEntry> entries;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t space = content.find(' ', pos);
    if (space == std::string_view::npos || space == pos || space - pos > 7)
      return corrupt("tree entry has no valid mode");
    uint32_t mode = 0;
    auto [ptr, ec] = std::from_chars(content.data() + pos, content.data() + space, mode, 8);
    if (ec != std::errc() || ptr != content.data() + space)
      return corrupt("tree entry mode is not octal");
    // Git writes exactly these modes, never zero-padded (fsck: zeroPaddedFilemode, badFilemode),
    // and an entry must re-encode to the bytes its tree was hashed from.
    if (content[pos] == '0' || (mode != kModeTree && mode != kModeBlob && mode != 0100755 &&
                                mode != 0120000 && mode != 0160000))
      return corrupt("tree entry mode " + std::string(content.substr(pos, space - pos)) +
                     " is not one git writes");
    size_t nul = content.find('\0', space + 1);
    if (nul == std::string_view::npos || nul + 21 > content.size())
      return corrupt("tree entry is truncated");
    std::string_view name = content.substr(space + 1, nul - space - 1);
    if (name.empty() || name.find('/') != std::string_view::npos)
      return corrupt("tree entry name is empty or contains '/'");
    TreeEntry entry{std::string(name), mode, Oid::from_raw(content.data() + nul + 1)};
    if (!entries.empty() && !tree_entry_less(entries.back(), entry))
      return corrupt("tree entries are not in git order at '" + entry.name + "'");
    entries.push_back(std::move(entry));
    pos = nul + 21;
  }
  return entries;
}

const TreeEntry* find_entry(const std::vector<TreeEntry>& sorted, std::string_view name) {
  // The entry sorts either as a blob ("name") or as a tree ("name/"): try both.
  for (bool as_tree : {false, true}) {
    auto it = std::lower_bound(sorted.begin(), sorted.end(), name,
                               [as_tree](const TreeEntry& e, std::string_view n) {
                                 return compare_entry_names(e.name, e.is_tree(), n, as_tree) < 0;
                               });
    if (it != sorted.end() && it->name == name) return &*it;
  }
  return nullptr;
}

namespace {
bool valid_identity_part(std::string_view s) {
  return s.find_first_of("<>\n") == std::string_view::npos;
}

std::string format_signature(const Signature& sig) {
  int off = sig.offset_minutes;
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  char tz[8];
  std::snprintf(tz, sizeof tz, "%c%02d%02d", sign, (off / 60) % 100, off % 60);
  return sig.name + " <" + sig.email + "> " + std::to_string(sig.time) + " " + tz;
}

// The id in a tree or parent header; kCorrupt (not kInvalid: the object is bad, not the caller's
// input).
Result<Oid> parse_header_id(std::string_view key, std::string_view hex) {
  auto id = Oid::from_hex(hex);
  if (!id.is_ok())
    return corrupt("commit " + std::string(key) + " header: " + id.status().message());
  return id;
}

Result<Signature> parse_signature_line(std::string_view s) {
  size_t lt = s.find('<'), gt = s.find('>');
  if (lt == std::string_view::npos || gt == std::string_view::npos || gt < lt)
    return corrupt("commit signature has no <email>");
  Signature sig;
  std::string_view name = s.substr(0, lt);
  if (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  sig.name = std::string(name);
  sig.email = std::string(s.substr(lt + 1, gt - lt - 1));
  std::string_view rest = s.substr(gt + 1);
  if (rest.empty() || rest[0] != ' ') return corrupt("commit signature has no time");
  rest.remove_prefix(1);
  size_t sp = rest.find(' ');
  if (sp == std::string_view::npos) return corrupt("commit signature has no time zone");
  auto [p, ec] = std::from_chars(rest.data(), rest.data() + sp, sig.time);
  if (ec != std::errc() || p != rest.data() + sp)
    return corrupt("commit signature time is not a number");
  std::string_view tz = rest.substr(sp + 1);
  if (tz.size() != 5 || (tz[0] != '+' && tz[0] != '-'))
    return corrupt("commit time zone is malformed");
  int hhmm = 0;
  auto [q, ec2] = std::from_chars(tz.data() + 1, tz.data() + 5, hhmm);
  if (ec2 != std::errc() || q != tz.data() + 5) return corrupt("commit time zone is malformed");
  sig.offset_minutes = (hhmm / 100 * 60 + hhmm % 100) * (tz[0] == '-' ? -1 : 1);
  return sig;
}
}  // namespace

Result<Signature> parse_identity(std::string_view text, int64_t time, int offset_minutes) {
  size_t lt = text.find('<');
  if (lt == std::string_view::npos || text.empty() || text.back() != '>')
    return invalid("identity '" + std::string(text) + "' is not of the form 'Name <email>'");
  std::string_view name = text.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  std::string_view email = text.substr(lt + 1, text.size() - lt - 2);
  if (name.empty() || !valid_identity_part(name) || !valid_identity_part(email))
    return invalid("identity '" + std::string(text) + "' is not of the form 'Name <email>'");
  return Signature{std::string(name), std::string(email), time, offset_minutes};
}

std::string encode_commit(const CommitData& commit) {
  std::string out;
  out.reserve(256 + commit.message.size());
  out += "tree " + commit.tree.hex() + "\n";
  for (const Oid& p : commit.parents) out += "parent " + p.hex() + "\n";
  out += "author " + format_signature(commit.author) + "\n";
  out += "committer " + format_signature(commit.committer) + "\n";
  if (commit.gpgsig) {
    out += "gpgsig ";
    std::string_view sig = *commit.gpgsig;
    if (!sig.empty() && sig.back() == '\n') sig.remove_suffix(1);
    for (char c : sig) {
      out.push_back(c);
      if (c == '\n') out.push_back(' ');
    }
    out.push_back('\n');
  }
  out += "\n";
  out += commit.message;
  return out;
}

Result<CommitData> parse_commit(std::string_view content) {
  CommitData commit;
  bool have_tree = false, have_author = false, have_committer = false;
  size_t pos = 0;
  while (true) {
    size_t eol = content.find('\n', pos);
    if (eol == std::string_view::npos) return corrupt("commit has no message separator");
    std::string_view line = content.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty()) break;
    size_t sp = line.find(' ');
    std::string_view key = line.substr(0, sp);
    std::string_view value = sp == std::string_view::npos ? "" : line.substr(sp + 1);
    if (key == "tree") {
      GITSTATE_ASSIGN_OR_RETURN(commit.tree, parse_header_id(key, value));
      have_tree = true;
    } else if (key == "parent") {
      GITSTATE_ASSIGN_OR_RETURN(Oid parent, parse_header_id(key, value));
      commit.parents.push_back(parent);
    } else if (key == "author") {
      GITSTATE_ASSIGN_OR_RETURN(commit.author, parse_signature_line(value));
      have_author = true;
    } else if (key == "committer") {
      GITSTATE_ASSIGN_OR_RETURN(commit.committer, parse_signature_line(value));
      have_committer = true;
    } else if (key == "gpgsig") {
      std::string sig(value);
      while (pos < content.size() && content[pos] == ' ') {
        size_t next = content.find('\n', pos);
        if (next == std::string_view::npos) return corrupt("commit signature is truncated");
        sig += "\n";
        sig += content.substr(pos + 1, next - pos - 1);
        pos = next + 1;
      }
      commit.gpgsig = sig + "\n";
    } else {
      while (pos < content.size() && content[pos] == ' ') {  // skip continuation lines
        size_t next = content.find('\n', pos);
        if (next == std::string_view::npos) return corrupt("commit header is truncated");
        pos = next + 1;
      }
    }
  }
  if (!have_tree || !have_author || !have_committer)
    return corrupt("commit lacks a tree, author or committer header");
  commit.message = std::string(content.substr(pos));
  return commit;
}

}  // namespace gitstate
