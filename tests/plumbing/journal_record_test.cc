// The commit journal's record format: round trips, and torn or damaged
// frames skipped without losing the records around them.
#include <catch2/catch.hpp>

#include "journal_record.h"

using gitstate::decode_journal_records;
using gitstate::encode_journal_record;
using gitstate::JournalPack;
using gitstate::JournalRecord;
using gitstate::JournalRef;
using gitstate::Oid;

namespace {
Oid oid_of(char fill) {
  std::string raw(20, fill);
  return Oid::from_raw(raw.data());
}

JournalRecord pack_record(const std::string& tag) {
  return JournalRecord::of(JournalPack{"pack-" + std::string(40, 'a'), "PACK" + tag, "IDX" + tag});
}

JournalRecord ref_record(std::optional<Oid> old_value, std::optional<Oid> new_value) {
  return JournalRecord::of(JournalRef{"refs/heads/main", old_value, new_value});
}

void check_same(const JournalRecord& a, const JournalRecord& b) {
  REQUIRE(a.pack.has_value() == b.pack.has_value());
  REQUIRE(a.ref.has_value() == b.ref.has_value());
  if (a.pack) {
    CHECK(a.pack->name == b.pack->name);
    CHECK(a.pack->pack == b.pack->pack);
    CHECK(a.pack->index == b.pack->index);
  } else {
    CHECK(a.ref->name == b.ref->name);
    CHECK(a.ref->old_value == b.ref->old_value);
    CHECK(a.ref->new_value == b.ref->new_value);
  }
}
}  // namespace

TEST_CASE("journal records round-trip, pack and ref alike", "[journal]") {
  std::vector<JournalRecord> records = {
      pack_record("one"), ref_record(std::nullopt, oid_of(1)), ref_record(oid_of(1), oid_of(2)),
      ref_record(oid_of(2), std::nullopt), pack_record(std::string(100000, 'x'))};
  std::string bytes;
  for (const auto& record : records) bytes += encode_journal_record(record);
  auto decoded = decode_journal_records(bytes);
  REQUIRE(decoded.size() == records.size());
  for (size_t i = 0; i < records.size(); ++i) check_same(decoded[i], records[i]);
  CHECK(decode_journal_records("").empty());
}

TEST_CASE("a torn or damaged frame is skipped and later records are kept", "[journal]") {
  std::string first = encode_journal_record(pack_record("first"));
  std::string second = encode_journal_record(ref_record(oid_of(3), oid_of(4)));
  std::string third = encode_journal_record(pack_record("third"));

  SECTION("a writer killed in the middle of an append") {
    std::string torn = second.substr(0, second.size() / 2);
    auto decoded = decode_journal_records(first + torn + third);
    REQUIRE(decoded.size() == 2);
    check_same(decoded[0], pack_record("first"));
    check_same(decoded[1], pack_record("third"));
  }
  SECTION("a flipped byte in a payload") {
    std::string damaged = second;
    damaged[damaged.size() - 3] ^= 0x40;
    auto decoded = decode_journal_records(first + damaged + third);
    REQUIRE(decoded.size() == 2);
    check_same(decoded[1], pack_record("third"));
  }
  SECTION("a truncated tail and zero-filled blocks") {
    auto decoded =
        decode_journal_records(first + std::string(4096, '\0') + third.substr(0, third.size() - 1));
    REQUIRE(decoded.size() == 1);
    check_same(decoded[0], pack_record("first"));
  }
  SECTION("a length that runs past the end") {
    std::string bad = first;
    bad[4] = '\xff';
    bad[5] = '\xff';
    auto decoded = decode_journal_records(bad + second);
    REQUIRE(decoded.size() == 1);
    check_same(decoded[0], ref_record(oid_of(3), oid_of(4)));
  }
}
