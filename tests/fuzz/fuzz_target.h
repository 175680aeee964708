// The shape every fuzz target here has: one function that takes arbitrary
// bytes, must never crash, leak or trip a sanitizer, and aborts (through
// fuzz_check) when a property of the parser it exercises does not hold.
//
// Each fuzz_*.cc defines LLVMFuzzerTestOneInput. Built with clang and
// -fsanitize=fuzzer (scripts/fuzz.sh, CMake option GITSTATE_FUZZ) it is a
// libFuzzer program; otherwise it links with replay_main.cc and runs the
// checked-in corpus under tests/fuzz/corpus/<target>/ as a regression test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace gitstate::fuzz {

// Aborts with `what` when `condition` is false: a property violation is a
// finding, reported like a crash so libFuzzer saves the input.
inline void fuzz_check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz property violated: %s\n", what);
  std::abort();
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace gitstate::fuzz
