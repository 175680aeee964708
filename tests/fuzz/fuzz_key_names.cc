// Fuzzes the key <-> tree entry name escaping of data-model.md.
// Properties: every name unescape_name accepts is exactly the escape of the
// key it gives (one name per key, so equal states get equal trees); every
// UTF-8 key escapes to a name git accepts (non-empty, no '/', no NUL, not
// starting with '.') that unescapes back to the key.
#include "fuzz_target.h"
#include "gitstate/plumbing/codec.h"

using namespace gitstate;
using namespace gitstate::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes = as_text(data, size);
  auto key = unescape_name(bytes);
  if (key.is_ok()) fuzz_check(escape_key(*key) == bytes, "an accepted name is its key's escape");

  std::string name = escape_key(bytes);
  fuzz_check(!name.empty(), "escaped names are not empty");
  fuzz_check(name.find('/') == std::string::npos, "escaped names have no '/'");
  fuzz_check(name.find('\0') == std::string::npos, "escaped names have no NUL");
  fuzz_check(name[0] != '.', "escaped names do not start with '.'");
  auto back = unescape_name(name);
  // A key that is not UTF-8 is refused by writers; it must not come back as another key.
  if (back.is_ok()) fuzz_check(*back == bytes, "escaping round-trips");
  return 0;
}
