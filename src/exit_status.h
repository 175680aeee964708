// Exit statuses of `gitstate`, and the one place that maps a Status to one.
//
//   0  success
//   1  the operation said no: path not found, conflict, a moved ref (CAS
//      mismatch), non-fast-forward, permission denied, failed verification
//   2  bad usage or bad input: malformed JSON, invalid path or name, unknown
//      revision, command-line errors
//   3  anything else: I/O errors, corruption
//
// The report functions print "gitstate: <what and where>" on stderr and
// return the status to exit with.
#pragma once

#include <string>

#include "gitstate/result.h"

namespace gitstate::cli {

constexpr int kExitOk = 0;
constexpr int kExitRefused = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitFailed = 3;

int exit_status_for(Code code);

// Reports a failed call.
int report(const Status& status);

// A failure to find something the user named (a revision, a branch to
// write to, the repository) is bad input, exit 2, though the library reports
// it as kNotFound: this turns kNotFound into kInvalid, keeping the message.
// Other codes (I/O, corruption) are left as they are.
Status as_input_error(const Status& status);

// Reports bad usage that CLI11 cannot check (exit 2).
int report_usage(const std::string& message);

}  // namespace gitstate::cli
