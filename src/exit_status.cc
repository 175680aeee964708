#include "exit_status.h"

#include <iostream>

namespace gitstate::cli {

int exit_status_for(Code code) {
  switch (code) {
    case Code::kOk:
      return kExitOk;
    case Code::kNotFound:
    case Code::kConflict:
    case Code::kModified:
    case Code::kNonFastForward:
    case Code::kPermissionDenied:
      return kExitRefused;
    case Code::kInvalid:
      return kExitBadInput;
    case Code::kCorrupt:
    case Code::kIO:
      return kExitFailed;
  }
  return kExitFailed;
}

int report(const Status& status) {
  std::cerr << "gitstate: " << status.to_string() << "\n";
  return exit_status_for(status.code());
}

Status as_input_error(const Status& status) {
  if (status.code() != Code::kNotFound) return status;
  return Status(Code::kInvalid, status.message());
}

int report_usage(const std::string& message) {
  std::cerr << "gitstate: " << message << "\n";
  return kExitBadInput;
}

}  // namespace gitstate::cli
