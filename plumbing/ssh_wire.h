// The SSH wire encoding (RFC 4251: uint32, string) and base64, for keys and
// SSHSIG blobs (ssh_key.cc, sshsig.cc, allowed_signers.cc).
//
// Thread-safety: pure functions and plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gitstate::ssh {

constexpr std::string_view kEd25519 = "ssh-ed25519";

void put_u32(std::string& out, uint32_t value);
void put_string(std::string& out, std::string_view value);

// Reads fields off the front of a byte string; each returns false (taking
// nothing) when the input is too short.
struct WireReader {
  std::string_view rest;

  bool u32(uint32_t& value);
  bool string(std::string_view& value);
  bool bytes(size_t count, std::string_view& value);
};

// Standard base64 with padding.
std::string base64_encode(std::string_view bytes);
// Strict standard base64; whitespace (space, tab, CR, LF) is skipped.
// nullopt for any other byte outside the alphabet or bad padding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace gitstate::ssh
