#include "json_io.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "gitstate/plumbing/codec.h"

namespace gitstate::cli {

Result<nlohmann::json> parse_json_input(std::string_view text, const std::string& what) {
  auto value = parse_json_text(text);
  if (!value.is_ok()) return value.status().with_context(what);
  return value;
}

Result<std::string> read_input(const std::string& file) {
  if (file == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    if (std::cin.bad()) return io_error("cannot read stdin");
    return text.str();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return invalid("cannot read " + file + ": " + std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return io_error("cannot read " + file);
  return text;
}

void print_json(const nlohmann::json& value) { std::cout << canonical_text(value); }

nlohmann::json id_or_null(const std::optional<Oid>& id) {
  return id ? nlohmann::json(id->hex()) : nlohmann::json(nullptr);
}

void print_id(const Oid& id) { std::cout << id.hex() << '\n'; }

}  // namespace gitstate::cli
