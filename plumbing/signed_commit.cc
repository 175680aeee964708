#include "gitstate/plumbing/signed_commit.h"

namespace gitstate {

Status sign_commit(CommitData& commit, const SshSigningKey& key) {
  commit.gpgsig.reset();
  GITSTATE_ASSIGN_OR_RETURN(std::string signature, sshsig_sign(key, encode_commit(commit)));
  commit.gpgsig = std::move(signature);
  return Status::ok();
}

std::optional<SignedPayload> split_signed_commit(std::string_view content) {
  constexpr std::string_view kHeader = "gpgsig ";
  SignedPayload out;
  bool in_signature = false, other_signature = false, saw_signature = false;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t eol = content.find('\n', pos);
    size_t next = eol == std::string_view::npos ? content.size() : eol + 1;
    std::string_view line = content.substr(pos, next - pos);
    if (line[0] == '\n') {  // the end of the headers: the rest is payload
      out.payload.append(content.substr(pos));
      break;
    }
    if (in_signature && line[0] == ' ') {
      out.signature.append(line.substr(1));
    } else if (line.substr(0, kHeader.size()) == kHeader) {
      out.signature.append(line.substr(kHeader.size()));
      in_signature = saw_signature = true;
      other_signature = false;
    } else {
      in_signature = false;
      if (line.substr(0, 6) == "gpgsig")
        other_signature = true;
      else if (other_signature && line[0] != ' ')
        other_signature = false;
      if (!other_signature) out.payload.append(line);
    }
    pos = next;
  }
  if (!saw_signature) return std::nullopt;
  return out;
}

}  // namespace gitstate
