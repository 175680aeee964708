// Status and Result<T>: how every gitstate call reports an expected failure.
//
// Expected failures (a missing path, a moved ref, malformed input) are values,
// never exceptions thrown across the API. A Status is a code plus a message
// that names the path, revision or input at fault. Result<T> holds either a T
// or a non-ok Status. Both are [[nodiscard]]: ignoring one is a bug.
//
// Thread-safety: plain values; copy freely between threads.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace gitstate {

enum class Code {
  kOk = 0,
  kNotFound,          // a path, revision, ref or object does not exist
  kInvalid,           // malformed input: JSON, path, revision syntax, limits exceeded
  kConflict,          // concurrent changes collide; a merge has conflicts
  kModified,          // a compare-and-swap found another value than expected
  kNonFastForward,    // a ref update would lose commits
  kPermissionDenied,  // a perspective or policy forbids the operation
  kCorrupt,           // stored data does not match its id or format
  kIO,                // the operating system or libgit2 failed
};

// The name of a code as used in messages and JSON output ("not found", ...).
const char* code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return Status(); }
  bool is_ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "not found: /config/db" style text for people.
  std::string to_string() const;

  // A copy whose message is prefixed with `context: `.
  Status with_context(const std::string& context) const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

inline Status not_found(std::string message) { return {Code::kNotFound, std::move(message)}; }
inline Status invalid(std::string message) { return {Code::kInvalid, std::move(message)}; }
inline Status corrupt(std::string message) { return {Code::kCorrupt, std::move(message)}; }
inline Status io_error(std::string message) { return {Code::kIO, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(value_).is_ok() && "Result built from an ok Status");
  }

  bool is_ok() const { return std::holds_alternative<T>(value_); }
  explicit operator bool() const { return is_ok(); }

  // The failure; an ok Status when the result holds a value.
  Status status() const { return is_ok() ? Status::ok() : std::get<Status>(value_); }

  // Precondition for value access: is_ok().
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace gitstate

// Return early with the status of a failed Status or Result expression.
#define GITSTATE_RETURN_IF_ERROR(expr)                      \
  do {                                                      \
    auto gitstate_status_ = (expr);                         \
    if (!gitstate_status_.is_ok()) return gitstate_status_; \
  } while (0)

#define GITSTATE_CONCAT_INNER_(a, b) a##b
#define GITSTATE_CONCAT_(a, b) GITSTATE_CONCAT_INNER_(a, b)
// `GITSTATE_ASSIGN_OR_RETURN(auto x, f());` binds the value or returns the status.
#define GITSTATE_ASSIGN_OR_RETURN(decl, expr) \
  GITSTATE_ASSIGN_OR_RETURN_IMPL_(GITSTATE_CONCAT_(gitstate_result_, __LINE__), decl, expr)
#define GITSTATE_ASSIGN_OR_RETURN_IMPL_(tmp, decl, expr) \
  auto tmp = (expr);                                     \
  if (!tmp.is_ok()) return tmp.status();                 \
  decl = std::move(tmp).value()
