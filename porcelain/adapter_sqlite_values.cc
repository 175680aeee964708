#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "adapter_sqlite_internal.h"

namespace gitstate {

using nlohmann::json;

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(const unsigned char* data, size_t size) {
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (size_t i = 0; i < size; i += 3) {
    uint32_t chunk = uint32_t{data[i]} << 16;
    if (i + 1 < size) chunk |= uint32_t{data[i + 1]} << 8;
    if (i + 2 < size) chunk |= data[i + 2];
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

// Strict standard base64 (padding required); nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < text.size(); i += 4) {
    uint32_t chunk = 0;
    int pads = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = text[i + j];
      const char* at = std::char_traits<char>::find(kAlphabet, 64, c);
      if (c == '=' && i + 4 == text.size() && j >= 2) {
        ++pads;
        chunk <<= 6;
        continue;
      }
      if (!at || pads) return std::nullopt;
      chunk = (chunk << 6) | static_cast<uint32_t>(at - kAlphabet);
    }
    out += static_cast<char>((chunk >> 16) & 255);
    if (pads < 2) out += static_cast<char>((chunk >> 8) & 255);
    if (pads < 1) out += static_cast<char>(chunk & 255);
  }
  return out;
}

bool is_blob(const json& value) {
  return value.is_object() && value.size() == 1 && value.contains("$base64") &&
         value["$base64"].is_string();
}
}  // namespace

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Status sqlite_status(sqlite3* db, const std::string& what) {
  int code = sqlite3_extended_errcode(db);
  std::string message = what + ": " + sqlite3_errmsg(db);
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return Status(Code::kConflict, message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
      return io_error(message);
    case SQLITE_CORRUPT:
      return corrupt(message);
    default:
      return invalid(message);
  }
}

Result<Statement> Statement::prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(raw);
    return sqlite_status(db, "preparing " + sql);
  }
  Statement statement;
  statement.stmt_.reset(raw);
  return statement;
}

void Statement::bind_text(int index, std::string_view text) {
  sqlite3_bind_text(get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void Statement::bind_int(int index, int64_t value) { sqlite3_bind_int64(get(), index, value); }

Status Statement::bind(int index, const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      sqlite3_bind_null(get(), index);
      return Status::ok();
    case json::value_t::number_integer:
      bind_int(index, value.get<int64_t>());
      return Status::ok();
    case json::value_t::number_unsigned:
      if (value.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
        return invalid(value.dump() + " is beyond SQLite's 64-bit integers");
      bind_int(index, value.get<int64_t>());
      return Status::ok();
    case json::value_t::number_float:
      sqlite3_bind_double(get(), index, value.get<double>());
      return Status::ok();
    case json::value_t::string:
      bind_text(index, value.get_ref<const std::string&>());
      return Status::ok();
    case json::value_t::object:
      if (is_blob(value)) {
        auto bytes = base64_decode(value["$base64"].get_ref<const std::string&>());
        if (!bytes) return invalid("the \"$base64\" of a blob is not standard base64");
        sqlite3_bind_blob64(get(), index, bytes->data(), bytes->size(), SQLITE_TRANSIENT);
        return Status::ok();
      }
      return invalid("an object other than {\"$base64\": ...} has no SQL counterpart");
    default:
      return invalid(value.dump() + " has no SQL counterpart (true/false, arrays)");
  }
}

Result<bool> Statement::step(const std::string& what) {
  int rc = sqlite3_step(get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_status(sqlite3_db_handle(get()), what);
}

Result<json> Statement::column(int column) const {
  switch (sqlite3_column_type(get(), column)) {
    case SQLITE_INTEGER:
      return json(static_cast<int64_t>(sqlite3_column_int64(get(), column)));
    case SQLITE_FLOAT: {
      double value = sqlite3_column_double(get(), column);
      if (!std::isfinite(value)) return invalid("a non-finite real has no JSON counterpart");
      return json(value);
    }
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(get(), column));
      return json(std::string(text, static_cast<size_t>(sqlite3_column_bytes(get(), column))));
    }
    case SQLITE_BLOB: {
      const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(get(), column));
      size_t size = static_cast<size_t>(sqlite3_column_bytes(get(), column));
      return json{{"$base64", base64_encode(data, size)}};
    }
    default:
      return json(nullptr);
  }
}

std::optional<std::string> key_text(sqlite3_stmt* stmt, int column) {
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(stmt, column));
    case SQLITE_TEXT:
      return std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, column)),
                         static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
    default:
      return std::nullopt;
  }
}

std::optional<int64_t> key_integer(std::string_view key) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), value);
  if (error != std::errc() || end != key.data() + key.size()) return std::nullopt;
  if (std::to_string(value) != key) return std::nullopt;
  return value;
}

}  // namespace gitstate
