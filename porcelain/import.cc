#include <string>

#include "gitstate/batch.h"
#include "gitstate/plumbing/codec.h"

namespace gitstate {

namespace {
using nlohmann::json;

// The commit options of one import line, and the patch it carries.
Status import_line(Batch& batch, const json& line, const Signature& fallback_author) {
  if (!line.is_object()) return invalid("a line must be a JSON object");
  CommitOptions options;
  const json* patch = nullptr;
  const json* merge_patch = nullptr;
  std::optional<std::string> author;
  int64_t time = fallback_author.time;
  for (const auto& [key, value] : line.items()) {
    if (key == "patch") {
      patch = &value;
    } else if (key == "merge_patch") {
      merge_patch = &value;
    } else if (key == "message") {
      if (!value.is_string()) return invalid("\"message\" is not a string");
      options.message = value.get<std::string>();
    } else if (key == "author") {
      if (!value.is_string()) return invalid("\"author\" is not a string");
      author = value.get<std::string>();
    } else if (key == "tags") {
      if (!value.is_array()) return invalid("\"tags\" is not an array of strings");
      for (const json& tag : value) {
        if (!tag.is_string()) return invalid("\"tags\" is not an array of strings");
        options.tags.push_back(tag.get<std::string>());
      }
    } else if (key == "time") {
      if (!value.is_number_integer()) return invalid("\"time\" is not an integer (Unix seconds)");
      time = value.get<int64_t>();
    } else {
      return invalid("unknown member \"" + key + "\"");
    }
  }
  if ((patch == nullptr) == (merge_patch == nullptr))
    return invalid("a line needs exactly one of \"patch\" and \"merge_patch\"");
  Signature signature = fallback_author;
  signature.time = time;
  if (author) {
    GITSTATE_ASSIGN_OR_RETURN(signature, parse_identity(*author, time));
  }
  options.author = signature;
  GITSTATE_ASSIGN_OR_RETURN(Transaction tx, batch.begin());
  GITSTATE_RETURN_IF_ERROR(patch ? tx.patch(*patch) : tx.merge_patch(*merge_patch));
  return tx.commit(options).status();
}
}  // namespace

Result<ImportResult> import_json_lines(const Repository& repo, std::istream& in,
                                       const ImportOptions& options) {
  GITSTATE_ASSIGN_OR_RETURN(Batch batch, Batch::start(repo, options.branch));
  Signature fallback = options.default_author.value_or(repo.default_identity());
  std::string text;
  size_t number = 0;
  while (std::getline(in, text)) {
    ++number;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string context = "line " + std::to_string(number);
    auto line = parse_json_text(text);
    if (!line.is_ok()) return line.status().with_context(context);
    Status status = import_line(batch, *line, fallback);
    if (!status.is_ok()) return status.with_context(context);
  }
  if (in.bad())
    return io_error("reading the import input failed after line " + std::to_string(number));
  ImportResult result;
  result.commits = batch.size();
  GITSTATE_ASSIGN_OR_RETURN(result.head, batch.finish());
  return result;
}

}  // namespace gitstate
