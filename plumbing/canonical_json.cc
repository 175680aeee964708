// Canonical JSON text (docs/data-model.md, "Canonical text"). The bytes are
// part of every blob id, so this serialiser is frozen for format 1 and does
// not depend on nlohmann's dump() formatting.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "gitstate/plumbing/codec.h"

namespace gitstate {

namespace {
using json = nlohmann::json;

constexpr double kTwoPow63 = 9223372036854775808.0;
constexpr double kTwoPow64 = 18446744073709551616.0;

template <typename Int>
void append_integer(std::string& out, Int value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

// Shortest round-trip decimal of a finite, non-zero |value|: its significant
// digits (no trailing zeros) and the exponent of the first one.
void shortest_digits(double value, std::string* digits, int* exponent) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view text(buf, end - buf);  // "d.ddde+XX" or "de-XX"
  size_t e = text.find('e');
  digits->clear();
  for (char c : text.substr(0, e))
    if (c != '.') digits->push_back(c);
  while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
  std::string_view exp = text.substr(e + 1);
  if (exp[0] == '+') exp.remove_prefix(1);
  std::from_chars(exp.data(), exp.data() + exp.size(), *exponent);
}

// Numbers: an integral value in [-2^63, 2^64) is written as an exact integer
// (so 1.0 is 1 and -0.0 is 0); other values as their shortest round-trip
// digits, in plain notation when non-integral and 1e-6 <= |x| < 1e21 would
// allow it, else in exponent notation ("1e+300", "1.5e-7").
void append_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  bool integral = std::trunc(value) == value;
  if (integral && value >= -kTwoPow63 && value < kTwoPow64) {
    if (value < 0) {
      append_integer(out, static_cast<int64_t>(value));
    } else {
      append_integer(out, static_cast<uint64_t>(value));
    }
    return;
  }
  if (value < 0) out.push_back('-');
  std::string digits;
  int exponent = 0;
  shortest_digits(std::fabs(value), &digits, &exponent);
  if (!integral && exponent >= -6) {
    if (exponent < 0) {
      out += "0.";
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out += digits;
    } else {
      // Non-integral, so there are digits after the point.
      out.append(digits, 0, static_cast<size_t>(exponent) + 1);
      out.push_back('.');
      out.append(digits, static_cast<size_t>(exponent) + 1);
    }
    return;
  }
  out.push_back(digits[0]);
  if (digits.size() > 1) {
    out.push_back('.');
    out.append(digits, 1);
  }
  out.push_back('e');
  out.push_back(exponent < 0 ? '-' : '+');
  append_integer(out, std::abs(exponent));
}

// Strings: only '"', '\\' and control characters are escaped, with the short
// forms where JSON has them and \u00xx (lowercase hex) otherwise.
void append_string(std::string& out, const std::string& s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void append_value(std::string& out, const json& value) {
  switch (value.type()) {
    case json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out.push_back(',');
        first = false;
        append_string(out, it.key());
        out.push_back(':');
        append_value(out, it.value());
      }
      out.push_back('}');
      break;
    }
    case json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const json& element : value) {
        if (!first) out.push_back(',');
        first = false;
        append_value(out, element);
      }
      out.push_back(']');
      break;
    }
    case json::value_t::string:
      append_string(out, value.get_ref<const std::string&>());
      break;
    case json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      break;
    case json::value_t::number_integer:
      append_integer(out, value.get<int64_t>());
      break;
    case json::value_t::number_unsigned:
      append_integer(out, value.get<uint64_t>());
      break;
    case json::value_t::number_float:
      append_double(out, value.get<double>());
      break;
    case json::value_t::null:
    case json::value_t::binary:
    case json::value_t::discarded:
      out += "null";
      break;
  }
}
}  // namespace

std::string canonical_text(const nlohmann::json& value) {
  std::string out;
  append_value(out, value);
  out.push_back('\n');
  return out;
}

}  // namespace gitstate
