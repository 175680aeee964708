#include "sync_output.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "json_io.h"

namespace gitstate::cli {

namespace {
const char* phase_name(TransferPhase phase) {
  switch (phase) {
    case TransferPhase::kReceiving:
      return "receiving";
    case TransferPhase::kResolving:
      return "resolving";
    case TransferPhase::kPacking:
      return "packing";
    case TransferPhase::kSending:
      return "sending";
  }
  return "receiving";
}

struct Reporter {
  bool terminal = false;
  bool started = false;
  TransferPhase phase = TransferPhase::kReceiving;
  int percent = -1;

  ~Reporter() {
    if (terminal && started) std::cerr << "\n";
  }

  void operator()(const TransferProgress& p) {
    int now = p.total == 0 ? 100 : static_cast<int>(p.done * 100 / p.total);
    bool new_phase = !started || p.phase != phase;
    if (!new_phase && now == percent) return;
    if (terminal && started && new_phase) std::cerr << "\n";
    started = true;
    phase = p.phase;
    percent = now;
    if (!terminal) {
      std::cerr << nlohmann::json{{"progress", phase_name(p.phase)},
                                  {"done", p.done},
                                  {"total", p.total},
                                  {"bytes", p.bytes}}
                       .dump()
                << "\n";
      return;
    }
    char line[160];
    std::snprintf(line, sizeof line, "\r%s objects: %3d%% (%llu/%llu)", phase_name(p.phase), now,
                  static_cast<unsigned long long>(p.done),
                  static_cast<unsigned long long>(p.total));
    std::cerr << line;
    if (p.bytes > 0) {
      std::snprintf(line, sizeof line, ", %.1f KiB", static_cast<double>(p.bytes) / 1024);
      std::cerr << line;
    }
    std::cerr << std::flush;
  }
};
}  // namespace

void add_quiet_option(CLI::App& command, bool& quiet) {
  command.add_flag("-q,--quiet", quiet, "print no progress on stderr");
}

ProgressCallback progress_reporter(bool quiet) {
  if (quiet) return {};
  auto reporter = std::make_shared<Reporter>();
  reporter->terminal = isatty(STDERR_FILENO) == 1;
  return [reporter](const TransferProgress& p) { (*reporter)(p); };
}

nlohmann::json ref_moves_json(const std::vector<RefMove>& moves) {
  nlohmann::json out = nlohmann::json::array();
  for (const RefMove& m : moves)
    out.push_back({{"ref", m.ref}, {"old", id_or_null(m.old_value)}, {"new", m.new_value.hex()}});
  return out;
}

nlohmann::json fetch_json(const FetchOutcome& fetched) {
  return {{"remote", fetched.remote},
          {"refs", ref_moves_json(fetched.moved)},
          {"kept_tags", fetched.kept_tags},
          {"objects", fetched.objects_received},
          {"bytes", fetched.bytes_received}};
}

const char* perspectives_name(PerspectivesSync result) {
  switch (result) {
    case PerspectivesSync::kNone:
      return "none";
    case PerspectivesSync::kUpToDate:
      return "up-to-date";
    case PerspectivesSync::kAdopted:
      return "adopted";
    case PerspectivesSync::kFastForward:
      return "fast-forward";
    case PerspectivesSync::kDiverged:
      return "diverged";
  }
  return "none";
}

}  // namespace gitstate::cli
