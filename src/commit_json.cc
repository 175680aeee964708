#include "commit_json.h"

#include <sstream>

#include "signature_output.h"
#include "time_text.h"

namespace gitstate::cli {

std::string format_identity(const Signature& signature) {
  return signature.name + " <" + signature.email + ">";
}

nlohmann::json commit_json(const CommitInfo& commit) {
  nlohmann::json parents = nlohmann::json::array();
  for (const Oid& parent : commit.parents) parents.push_back(parent.hex());
  return {{"commit", commit.id.hex()},
          {"parents", std::move(parents)},
          {"author", format_identity(commit.author)},
          {"time", commit.author.time},
          {"message", commit.message},
          {"tags", commit.tags}};
}

void print_commit_text(std::ostream& out, const CommitInfo& commit,
                       const SignatureCheck& signature) {
  out << "commit " << commit.id.hex() << '\n';
  if (commit.parents.size() > 1) {
    out << "Merge:";
    for (const Oid& parent : commit.parents) out << ' ' << parent.hex();
    out << '\n';
  }
  out << "Author: " << format_identity(commit.author) << '\n';
  out << "Date:   " << format_time(commit.author) << '\n';
  if (!commit.tags.empty()) {
    out << "Tags:   ";
    for (size_t i = 0; i < commit.tags.size(); ++i) out << (i ? ", " : "") << commit.tags[i];
    out << '\n';
  }
  if (signature.status != SignatureStatus::kUnsigned)
    out << "Signed: " << signature_text(signature) << '\n';
  out << '\n';
  std::istringstream message(commit.message);
  for (std::string line; std::getline(message, line);)
    out << (line.empty() ? "" : "    ") << line << '\n';
  out << '\n';
}

}  // namespace gitstate::cli
