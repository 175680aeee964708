#include "gitstate/plumbing/allowed_signers.h"

#include <cctype>
#include <ctime>

#include "file_io.h"
#include "ssh_wire.h"

namespace gitstate {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim_front(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

// The next whitespace-delimited field; quotes ("...") may hold spaces.
std::string_view take_field(std::string_view& s, bool& unterminated) {
  s = trim_front(s);
  bool quoted = false;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    if (s[i] == '"') quoted = !quoted;
    if (!quoted && is_space(s[i])) break;
  }
  unterminated = quoted;
  std::string_view field = s.substr(0, i);
  s.remove_prefix(i);
  return field;
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) comma = s.size();
    out.emplace_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

bool looks_like_key_type(std::string_view field) {
  return field.rfind("ssh-", 0) == 0 || field.rfind("ecdsa-", 0) == 0 || field.rfind("sk-", 0) == 0;
}

// "YYYYMMDD[HHMM[SS]][Z]" as ssh-keygen reads it: UTC with Z, local time without.
std::optional<int64_t> parse_time(std::string_view text) {
  bool utc = !text.empty() && (text.back() == 'Z' || text.back() == 'z');
  if (utc) text.remove_suffix(1);
  if (text.size() != 8 && text.size() != 12 && text.size() != 14) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  auto number = [&](size_t at, size_t width) {
    int value = 0;
    for (size_t i = at; i < at + width; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  std::tm tm{};
  tm.tm_year = number(0, 4) - 1900;
  tm.tm_mon = number(4, 2) - 1;
  tm.tm_mday = number(6, 2);
  if (text.size() >= 12) {
    tm.tm_hour = number(8, 2);
    tm.tm_min = number(10, 2);
  }
  if (text.size() == 14) tm.tm_sec = number(12, 2);
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60)
    return std::nullopt;
  tm.tm_isdst = -1;
  time_t t = utc ? timegm(&tm) : mktime(&tm);
  if (t == static_cast<time_t>(-1)) return std::nullopt;
  return static_cast<int64_t>(t);
}

std::string unquote(std::string_view value, bool& ok) {
  ok = value.size() >= 2 && value.front() == '"' && value.back() == '"';
  if (!ok) return {};
  return std::string(value.substr(1, value.size() - 2));
}

// Fills the options of `entry` from "opt,opt=\"value\",...".
Status parse_options(std::string_view text, AllowedSigner& entry) {
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    bool quoted = false;
    for (; i < text.size(); ++i) {
      if (text[i] == '"') quoted = !quoted;
      if (!quoted && text[i] == ',') break;
    }
    std::string_view option = text.substr(start, i - start);
    ++i;
    size_t eq = option.find('=');
    std::string_view name = option.substr(0, eq);
    std::string lower(name);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "cert-authority" && eq == std::string_view::npos) {
      entry.cert_authority = true;
      continue;
    }
    if (eq == std::string_view::npos)
      return invalid("unknown option \"" + std::string(option) + "\"");
    bool ok = false;
    std::string value = unquote(option.substr(eq + 1), ok);
    if (!ok) return invalid("option " + lower + " needs a quoted value");
    if (lower == "namespaces") {
      entry.namespaces = split_list(value);
    } else if (lower == "valid-after" || lower == "valid-before") {
      std::optional<int64_t> when = parse_time(value);
      if (!when)
        return invalid(lower + " \"" + value +
                       "\" is not a time of the form YYYYMMDD[HHMM[SS]][Z]");
      (lower == "valid-after" ? entry.valid_after : entry.valid_before) = when;
    } else {
      return invalid("unknown option \"" + std::string(name) + "\"");
    }
  }
  return Status::ok();
}

Result<AllowedSigner> parse_line(std::string_view line) {
  AllowedSigner entry;
  bool unterminated = false;
  std::string_view principals = take_field(line, unterminated);
  if (unterminated) return invalid("unterminated quote in the principals");
  entry.principals = split_list(principals);
  std::string_view field = take_field(line, unterminated);
  if (unterminated) return invalid("unterminated quote in the options");
  if (field.empty()) return invalid("no key after the principals");
  if (!looks_like_key_type(field)) {
    GITSTATE_RETURN_IF_ERROR(parse_options(field, entry));
    field = take_field(line, unterminated);
    if (field.empty()) return invalid("no key after the options");
  }
  entry.key_type = std::string(field);
  std::string_view encoded = take_field(line, unterminated);
  if (encoded.empty()) return invalid("no base64 key after " + entry.key_type);
  auto blob = ssh::base64_decode(encoded);
  if (!blob) return invalid("the " + entry.key_type + " key is not valid base64");
  ssh::WireReader in{*blob};
  std::string_view blob_type;
  if (!in.string(blob_type) || blob_type != entry.key_type)
    return invalid("the key's blob does not hold a " + entry.key_type + " key");
  if (entry.key_type == ssh::kEd25519) {
    auto key = parse_ssh_public_key_blob(*blob);
    if (!key.is_ok()) return key.status();
    entry.key = *key;
  }
  return entry;
}

bool principal_matches(const std::vector<std::string>& patterns, std::string_view principal) {
  bool matched = false;
  for (const std::string& pattern : patterns) {
    if (!pattern.empty() && pattern[0] == '!') {
      if (ssh_pattern_match(principal, std::string_view(pattern).substr(1))) return false;
    } else if (ssh_pattern_match(principal, pattern)) {
      matched = true;
    }
  }
  return matched;
}
}  // namespace

bool ssh_pattern_match(std::string_view text, std::string_view pattern) {
  size_t t = 0, p = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Result<AllowedSigners> AllowedSigners::parse(std::string_view text, std::string_view source) {
  AllowedSigners out;
  size_t number = 0;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++number;
    line = trim_front(line);
    if (line.empty() || line[0] == '#') continue;
    auto entry = parse_line(line);
    if (!entry.is_ok())
      return invalid(std::string(source) + ":" + std::to_string(number) + ": " +
                     entry.status().message());
    entry->line = number;
    out.entries.push_back(std::move(entry).value());
  }
  return out;
}

Result<AllowedSigners> AllowedSigners::load_file(const std::string& path) {
  auto text = read_whole_file(path);
  if (!text.is_ok()) return text.status().with_context("allowed signers file");
  return parse(*text, path);
}

const AllowedSigner* AllowedSigners::find(std::string_view principal, const SshPublicKey& key,
                                          std::string_view ns, int64_t when) const {
  for (const AllowedSigner& entry : entries) {
    if (entry.cert_authority || !entry.key || *entry.key != key) continue;
    if (!principal_matches(entry.principals, principal)) continue;
    if (!entry.namespaces.empty() && !principal_matches(entry.namespaces, ns)) continue;
    if (entry.valid_after && when < *entry.valid_after) continue;
    if (entry.valid_before && when > *entry.valid_before) continue;
    return &entry;
  }
  return nullptr;
}

bool AllowedSigners::knows(const SshPublicKey& key) const {
  for (const AllowedSigner& entry : entries)
    if (!entry.cert_authority && entry.key && *entry.key == key) return true;
  return false;
}

}  // namespace gitstate
