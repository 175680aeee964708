#include "message_internal.h"

#include <cctype>

namespace gitstate {

namespace {
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string_view rtrim(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
    line.remove_suffix(1);
  return line;
}

// `Token: value` -> {token, value}; false when the line is not a trailer.
bool split_trailer(std::string_view line, std::pair<std::string, std::string>& out) {
  size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  for (char c : line.substr(0, colon))
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return false;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  out = {std::string(line.substr(0, colon)), std::string(rtrim(value))};
  return true;
}

// Index of the first line of the last paragraph, if it is a trailer block
// preceded by another paragraph; lines.size() otherwise.
size_t trailer_block_start(const std::vector<std::string_view>& lines) {
  size_t end = lines.size();
  while (end > 0 && rtrim(lines[end - 1]).empty()) --end;
  size_t start = end;
  while (start > 0 && !rtrim(lines[start - 1]).empty()) --start;
  if (start == end || start == 0) return lines.size();
  bool has_body = false;
  for (size_t i = 0; i < start; ++i) has_body = has_body || !rtrim(lines[i]).empty();
  if (!has_body) return lines.size();
  std::pair<std::string, std::string> trailer;
  for (size_t i = start; i < end; ++i)
    if (!split_trailer(rtrim(lines[i]), trailer)) return lines.size();
  return start;
}
}  // namespace

Result<std::string> format_message(std::string_view message, const std::vector<std::string>& tags) {
  if (message.find('\0') != std::string_view::npos)
    return invalid("the commit message contains a NUL byte");
  for (const std::string& tag : tags) {
    if (tag.empty()) return invalid("a tag is empty");
    if (tag.find_first_of(std::string_view("\n\r\0", 3)) != std::string::npos)
      return invalid("tag '" + tag + "' contains a line break or NUL");
    if (std::isspace(static_cast<unsigned char>(tag.front())) ||
        std::isspace(static_cast<unsigned char>(tag.back())))
      return invalid("tag '" + tag + "' has leading or trailing whitespace");
  }
  std::vector<std::string_view> lines = split_lines(message);
  size_t first = 0, last = lines.size();
  while (first < last && rtrim(lines[first]).empty()) ++first;
  while (last > first && rtrim(lines[last - 1]).empty()) --last;
  std::vector<std::string_view> kept(lines.begin() + static_cast<std::ptrdiff_t>(first),
                                     lines.begin() + static_cast<std::ptrdiff_t>(last));
  if (kept.empty()) return invalid("the commit message is empty");
  std::string out;
  for (std::string_view line : kept) {
    out.append(rtrim(line));
    out.push_back('\n');
  }
  if (tags.empty()) return out;
  if (trailer_block_start(kept) == kept.size()) out.push_back('\n');
  for (const std::string& tag : tags) {
    out.append(kTagTrailer);
    out.append(": ");
    out.append(tag);
    out.push_back('\n');
  }
  return out;
}

ParsedMessage parse_message(std::string_view message) {
  std::vector<std::string_view> lines = split_lines(message);
  size_t start = trailer_block_start(lines);
  ParsedMessage parsed;
  for (size_t i = start; i < lines.size(); ++i) {
    std::pair<std::string, std::string> trailer;
    if (!split_trailer(rtrim(lines[i]), trailer)) continue;
    if (trailer.first == kTagTrailer) parsed.tags.push_back(trailer.second);
    parsed.trailers.push_back(std::move(trailer));
  }
  size_t end = start;
  while (end > 0 && rtrim(lines[end - 1]).empty()) --end;
  for (size_t i = 0; i < end; ++i) {
    if (i) parsed.body.push_back('\n');
    parsed.body.append(lines[i]);
  }
  return parsed;
}

}  // namespace gitstate
