#include "gitstate/result.h"

namespace gitstate {

const char* code_name(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kNotFound: return "not found";
    case Code::kInvalid: return "invalid";
    case Code::kConflict: return "conflict";
    case Code::kModified: return "modified";
    case Code::kNonFastForward: return "non-fast-forward";
    case Code::kPermissionDenied: return "permission denied";
    case Code::kCorrupt: return "corrupt";
    case Code::kIO: return "I/O error";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (is_ok()) return "ok";
  return std::string(code_name(code_)) + ": " + message_;
}

Status Status::with_context(const std::string& context) const {
  if (is_ok()) return *this;
  return Status(code_, context + ": " + message_);
}

}  // namespace gitstate
