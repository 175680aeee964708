#include "time_text.h"

#include <charconv>
#include <cstdio>

namespace gitstate::cli {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month, day;
};

Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// A cursor over the argument that reads fixed-width digit fields.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  bool done() const { return pos_ == text_.size(); }
  bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool take(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  bool digits(size_t width, unsigned& out) {
    if (text_.size() - pos_ < width) return false;
    unsigned value = 0;
    for (size_t i = 0; i < width; ++i) {
      char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    pos_ += width;
    out = value;
    return true;
  }
  void skip_digits() {
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

bool parse_unix_seconds(std::string_view text, int64_t& out) {
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

// Parses the offset after a time ("Z", "+02:00", "-0500"); seconds east of UTC.
bool parse_offset(Reader& in, int64_t& offset) {
  offset = 0;
  if (in.done() || in.take('Z') || in.take('z')) return in.done();
  int sign = in.take('+') ? 1 : in.take('-') ? -1 : 0;
  unsigned hours = 0, minutes = 0;
  if (sign == 0 || !in.digits(2, hours)) return false;
  in.take(':');
  if (!in.digits(2, minutes) || hours > 23 || minutes > 59) return false;
  offset = sign * static_cast<int64_t>(hours * 3600 + minutes * 60);
  return in.done();
}

bool parse_iso8601(std::string_view text, DateBound bound, int64_t& out) {
  Reader in(text);
  unsigned year = 0, month = 0, day = 0;
  if (!in.digits(4, year) || !in.take('-') || !in.digits(2, month) || !in.take('-') ||
      !in.digits(2, day) || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month)) {
    return false;
  }
  int64_t days = days_from_civil(year, month, day);
  if (in.done()) {
    out = days * 86400 + (bound == DateBound::kEndOfDay ? 86399 : 0);
    return true;
  }
  unsigned hour = 0, minute = 0, second = 0;
  if (!(in.take('T') || in.take('t') || in.take(' ')) || !in.digits(2, hour) || !in.take(':') ||
      !in.digits(2, minute) || hour > 23 || minute > 59) {
    return false;
  }
  if (in.take(':')) {
    if (!in.digits(2, second) || second > 60) return false;
    if (in.take('.') || in.take(',')) in.skip_digits();
  }
  int64_t offset = 0;
  if (!parse_offset(in, offset)) return false;
  out = days * 86400 + hour * 3600 + minute * 60 + second - offset;
  return true;
}

}  // namespace

Result<int64_t> parse_time_argument(std::string_view text, DateBound bound) {
  int64_t seconds = 0;
  if (parse_unix_seconds(text, seconds) || parse_iso8601(text, bound, seconds)) return seconds;
  return invalid(
      "time " + std::string(text) +
      ": expected unix seconds or an ISO-8601 date such as 2024-05-01 or 2024-05-01T10:00:00Z");
}

Status parse_time_bounds(const std::string& since, const std::string& until,
                         std::optional<int64_t>& since_out, std::optional<int64_t>& until_out) {
  if (!since.empty()) {
    auto time = parse_time_argument(since, DateBound::kStartOfDay);
    if (!time.is_ok()) return time.status().with_context("--since");
    since_out = *time;
  }
  if (!until.empty()) {
    auto time = parse_time_argument(until, DateBound::kEndOfDay);
    if (!time.is_ok()) return time.status().with_context("--until");
    until_out = *time;
  }
  return Status::ok();
}

std::string format_time(const Signature& signature) {
  int64_t local = signature.time + int64_t{signature.offset_minutes} * 60;
  int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  int64_t seconds = local - days * 86400;
  Civil date = civil_from_days(days);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02d",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<int>(seconds / 3600), static_cast<int>(seconds / 60 % 60),
                static_cast<int>(seconds % 60));
  std::string text = buffer;
  if (signature.offset_minutes == 0) return text + "Z";
  int offset = signature.offset_minutes < 0 ? -signature.offset_minutes : signature.offset_minutes;
  std::snprintf(buffer, sizeof buffer, "%c%02d:%02d", signature.offset_minutes < 0 ? '-' : '+',
                offset / 60, offset % 60);
  return text + buffer;
}

}  // namespace gitstate::cli
