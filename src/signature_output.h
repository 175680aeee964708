// How commit signatures appear in the command's output (log, blame, audit,
// verify), and the --allowed-signers option they share.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "gitstate/history.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"
#include "gitstate/verify.h"

namespace gitstate::cli {

// Adds --allowed-signers FILE to a command that reports signatures.
void add_allowed_signers_option(CLI::App& command, std::string& file);

// The allowed signers file to use: --allowed-signers (`file`), else
// $GITSTATE_ALLOWED_SIGNERS; empty leaves the choice to the configuration.
std::string allowed_signers_file(const std::string& file);

// The signers for `repo` as allowed_signers_file() and the configuration
// choose (load_allowed_signers); nullopt when none. Errors are bad input
// (exit 2) naming the file.
Result<std::optional<AllowedSigners>> chosen_signers(const Repository& repo,
                                                     const std::string& file);

// read_commit_signature() of commit `id` against `signers` (nullopt:
// signatures are checked against their commits only). Errors as reading it.
Result<SignatureCheck> signature_of(const Repository& repo, const Oid& id,
                                    const std::optional<AllowedSigners>& signers);

// {"status", "principal", "key", "message"}: the status name always, the
// other members when known (verify.h SignatureCheck).
nlohmann::json signature_json(const SignatureCheck& check);

// Adds "signer" (the signing key's fingerprint, null when unsigned or
// unreadable) and "signature" (signature_json) to the object `out`.
void add_signature_fields(nlohmann::json& out, const SignatureCheck& check);

// " good signature by <principal> (<key>)", " unsigned", or "<status>
// signature: <message>": the human form, as verify prints it.
std::string signature_text(const SignatureCheck& check);

}  // namespace gitstate::cli
