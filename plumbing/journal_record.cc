#include "journal_record.h"

#include <algorithm>

#include "zlib_checksum.h"

namespace gitstate {

namespace {
constexpr uint32_t kMagic = 0x524a5347;  // "GSJR" little-endian
constexpr size_t kFrameHeader = 12;
constexpr uint32_t kMaxPayload = 1u << 31;

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_u16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>(v >> 8));
}

void put_bytes32(std::string& out, std::string_view bytes) {
  put_u32(out, static_cast<uint32_t>(bytes.size()));
  out.append(bytes);
}

void put_name(std::string& out, std::string_view name) {
  put_u16(out, static_cast<uint16_t>(name.size()));
  out.append(name);
}

void put_value(std::string& out, const std::optional<Oid>& value) {
  out.push_back(value ? 1 : 0);
  if (value) out.append(reinterpret_cast<const char*>(value->bytes.data()), value->bytes.size());
}

// Reads the payload's fields in order; any overrun marks it bad.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  bool ok() const { return ok_; }
  bool done() const { return rest_.empty(); }

  std::string_view take(size_t n) {
    if (!ok_ || rest_.size() < n) {
      ok_ = false;
      return {};
    }
    std::string_view out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return out;
  }
  uint32_t u(size_t n) {
    std::string_view b = take(n);
    uint32_t v = 0;
    for (size_t i = 0; i < b.size(); ++i) v |= uint32_t(uint8_t(b[i])) << (8 * i);
    return v;
  }
  std::string name() { return std::string(take(u(2))); }
  std::string bytes32() { return std::string(take(u(4))); }
  std::optional<Oid> value() {
    uint32_t present = u(1);
    if (present > 1) ok_ = false;
    if (present != 1) return std::nullopt;
    std::string_view raw = take(sizeof(Oid::bytes));
    if (!ok_) return std::nullopt;
    return Oid::from_raw(raw.data());
  }

 private:
  std::string_view rest_;
  bool ok_ = true;
};

std::optional<JournalRecord> decode_payload(std::string_view payload) {
  Reader in(payload);
  JournalRecord record;
  uint32_t kind = in.u(1);
  if (kind == 'P') {
    JournalPack pack;
    pack.name = in.name();
    pack.pack = in.bytes32();
    pack.index = in.bytes32();
    record.pack = std::move(pack);
  } else if (kind == 'R') {
    JournalRef ref;
    ref.name = in.name();
    ref.old_value = in.value();
    ref.new_value = in.value();
    record.ref = std::move(ref);
  } else {
    return std::nullopt;
  }
  if (!in.ok() || !in.done()) return std::nullopt;
  return record;
}
}  // namespace

std::string encode_journal_record(const JournalRecord& record) {
  std::string payload;
  if (record.pack) {
    payload.push_back('P');
    put_name(payload, record.pack->name);
    put_bytes32(payload, record.pack->pack);
    put_bytes32(payload, record.pack->index);
  } else {
    payload.push_back('R');
    put_name(payload, record.ref->name);
    put_value(payload, record.ref->old_value);
    put_value(payload, record.ref->new_value);
  }
  std::string out;
  out.reserve(kFrameHeader + payload.size());
  put_u32(out, kMagic);
  put_u32(out, static_cast<uint32_t>(payload.size()));
  put_u32(out, crc32_of(payload));
  out += payload;
  return out;
}

std::vector<JournalRecord> decode_journal_records(std::string_view bytes) {
  std::vector<JournalRecord> records;
  size_t pos = 0;
  while (pos + kFrameHeader <= bytes.size()) {
    Reader frame(bytes.substr(pos, kFrameHeader));
    uint32_t magic = frame.u(4), length = frame.u(4), crc = frame.u(4);
    bool fits = length < kMaxPayload && length <= bytes.size() - pos - kFrameHeader;
    if (magic == kMagic && fits) {
      std::string_view payload = bytes.substr(pos + kFrameHeader, length);
      if (crc32_of(payload) == crc) {
        if (auto record = decode_payload(payload)) {
          records.push_back(std::move(*record));
          pos += kFrameHeader + length;
          continue;
        }
      }
    }
    ++pos;  // a torn or damaged frame: look for the next one
  }
  return records;
}

}  // namespace gitstate
