// UTF-8 validation shared by the codec, key escaping and JSON Pointers.
//
// JSON text is Unicode; gitstate stores it as UTF-8 and refuses byte strings
// that are not well-formed UTF-8 (overlong forms, surrogates, code points past
// U+10FFFF, truncated sequences). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace gitstate::utf8 {

// True when `bytes` is well-formed UTF-8 (RFC 3629).
bool is_valid(std::string_view bytes);

// Decodes the code point starting at bytes[pos] and stores its length in
// *length. Returns -1 (length 1) when the sequence there is malformed.
// Precondition: pos < bytes.size().
long decode(std::string_view bytes, size_t pos, size_t* length);

}  // namespace gitstate::utf8
