#include "gitstate/plumbing/json_pointer.h"

#include "gitstate/plumbing/codec.h"
#include "utf8_internal.h"

namespace gitstate {

Result<Path> parse_pointer(std::string_view pointer) {
  Path path;
  if (pointer.empty()) return path;
  if (pointer[0] != '/')
    return invalid("JSON pointer '" + std::string(pointer) + "' does not start with '/'");
  if (!utf8::is_valid(pointer)) return invalid("JSON pointer is not valid UTF-8");
  size_t pos = 1;
  while (true) {
    if (path.size() == kMaxDepth)
      return invalid("JSON pointer has more than " + std::to_string(kMaxDepth) + " tokens");
    size_t end = pointer.find('/', pos);
    if (end == std::string_view::npos) end = pointer.size();
    std::string token;
    token.reserve(end - pos);
    for (size_t i = pos; i < end; ++i) {
      char c = pointer[i];
      if (c != '~') {
        token.push_back(c);
        continue;
      }
      char next = i + 1 < end ? pointer[i + 1] : '\0';
      if (next != '0' && next != '1')
        return invalid("JSON pointer '" + std::string(pointer) +
                       "' has a '~' not followed by 0 or 1");
      token.push_back(next == '0' ? '~' : '/');
      ++i;
    }
    path.push_back(std::move(token));
    if (end == pointer.size()) break;
    pos = end + 1;
  }
  return path;
}

std::string format_pointer(const Path& path) {
  std::string out;
  for (const std::string& token : path) {
    out.push_back('/');
    for (char c : token) {
      if (c == '~') {
        out += "~0";
      } else if (c == '/') {
        out += "~1";
      } else {
        out.push_back(c);
      }
    }
  }
  return out;
}

}  // namespace gitstate
