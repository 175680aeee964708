#include "signature_output.h"

#include <cstdlib>

#include "exit_status.h"

namespace gitstate::cli {

void add_allowed_signers_option(CLI::App& command, std::string& file) {
  command.add_option("--allowed-signers", file,
                     "OpenSSH allowed signers file (default: $GITSTATE_ALLOWED_SIGNERS, then "
                     "config gpg.ssh.allowedSignersFile)");
}

std::string allowed_signers_file(const std::string& file) {
  if (!file.empty()) return file;
  const char* env = std::getenv("GITSTATE_ALLOWED_SIGNERS");
  return env ? env : "";
}

Result<std::optional<AllowedSigners>> chosen_signers(const Repository& repo,
                                                     const std::string& file) {
  auto signers = load_allowed_signers(repo, allowed_signers_file(file));
  if (!signers.is_ok()) return as_input_error(signers.status());
  return signers;
}

Result<SignatureCheck> signature_of(const Repository& repo, const Oid& id,
                                    const std::optional<AllowedSigners>& signers) {
  return read_commit_signature(repo, id, signers ? &*signers : nullptr);
}

nlohmann::json signature_json(const SignatureCheck& check) {
  nlohmann::json signature = {{"status", signature_status_name(check.status)}};
  if (!check.principal.empty()) signature["principal"] = check.principal;
  if (!check.key.empty()) signature["key"] = check.key;
  if (!check.message.empty()) signature["message"] = check.message;
  return signature;
}

void add_signature_fields(nlohmann::json& out, const SignatureCheck& check) {
  out["signer"] = check.key.empty() ? nlohmann::json(nullptr) : nlohmann::json(check.key);
  out["signature"] = signature_json(check);
}

std::string signature_text(const SignatureCheck& check) {
  switch (check.status) {
    case SignatureStatus::kGood:
      return "good signature by " + check.principal + " (" + check.key + ")";
    case SignatureStatus::kUnsigned:
      return "unsigned";
    default:
      return std::string(signature_status_name(check.status)) + " signature: " + check.message;
  }
}

}  // namespace gitstate::cli
