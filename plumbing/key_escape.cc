// Key escaping (docs/data-model.md, "Names"): the rule is byte-exact and
// frozen for format 1, because entry names are part of every tree id.
#include "gitstate/plumbing/codec.h"
#include "utf8_internal.h"

namespace gitstate {

namespace {
constexpr char kHexDigits[] = "0123456789ABCDEF";

// Bytes escaped wherever they appear: the escape character itself, the path
// separators of POSIX and Windows, NUL, and '~' (NTFS 8.3 short names such as
// GIT~1 or GITMOD~1 alias .git and .gitmodules).
bool always_escaped(unsigned char c) {
  return c == '%' || c == '/' || c == '\\' || c == '~' || c == '\0';
}

// Code points HFS+ ignores when comparing names (git's next_hfs_char), so
// "\u200c.git" is .git on a Mac.
bool hfs_ignorable(long cp) {
  return (cp >= 0x200C && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF;
}

void append_escaped(std::string& out, unsigned char c) {
  out.push_back('%');
  out.push_back(kHexDigits[c >> 4]);
  out.push_back(kHexDigits[c & 0xF]);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string escape_key(std::string_view key) {
  if (key.empty()) return "%";
  std::string out;
  out.reserve(key.size() + 2);
  // A '.' is "leading" when only HFS-ignorable code points precede it. Escaping
  // it covers ".", "..", ".git" and its case and HFS variants, ".gitmodules".
  bool leading = true;
  size_t pos = 0;
  while (pos < key.size()) {
    unsigned char c = static_cast<unsigned char>(key[pos]);
    if (leading && c >= 0x80) {
      size_t length;
      long cp = utf8::decode(key, pos, &length);
      leading = hfs_ignorable(cp);
      out.append(key.substr(pos, length));
      pos += length;
      continue;
    }
    if ((leading && c == '.') || always_escaped(c)) {
      append_escaped(out, c);
    } else {
      out.push_back(static_cast<char>(c));
    }
    leading = false;
    ++pos;
  }
  return out;
}

Result<std::string> unescape_name(std::string_view name) {
  if (name == "%") return std::string();
  std::string key;
  key.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '%') {
      key.push_back(name[i]);
      continue;
    }
    int hi = i + 2 < name.size() ? hex_value(name[i + 1]) : -1;
    int lo = hi >= 0 ? hex_value(name[i + 2]) : -1;
    if (lo < 0)
      return corrupt("tree entry name '" + std::string(name) + "' has a malformed % escape");
    key.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  if (!utf8::is_valid(key))
    return corrupt("tree entry name '" + std::string(name) + "' is not a UTF-8 key");
  if (escape_key(key) != name)
    return corrupt("tree entry name '" + std::string(name) +
                   "' is not the canonical escape of its key");
  return key;
}

}  // namespace gitstate
