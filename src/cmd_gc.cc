// gitstate gc [--grace SECONDS] [--json]: repack reachable objects into one
// pack, remove unreachable ones older than the grace period.
#include <cstdint>
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/gc.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {
struct GcArgs {
  int64_t grace = 3600;
  bool json = false;
};

nlohmann::json report_json(const GcReport& r, int64_t grace) {
  return {{"grace_seconds", grace},
          {"bytes_before", r.bytes_before},
          {"bytes_after", r.bytes_after},
          {"packs_before", r.packs_before},
          {"packs_after", r.packs_after},
          {"loose_before", r.loose_before},
          {"loose_after", r.loose_after},
          {"reachable", r.reachable},
          {"objects_written", r.objects_written},
          {"pack", r.pack.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.pack)},
          {"pruned", r.pruned},
          {"files_kept_for_grace", r.files_kept_for_grace},
          {"objects_kept_for_grace", r.objects_kept_for_grace},
          {"files_rescued", r.files_rescued}};
}

void print_human(const GcReport& r) {
  if (r.pack.empty())
    std::cout << "Nothing to repack (" << r.reachable << " reachable object(s))\n";
  else
    std::cout << "Packed " << r.objects_written << " object(s) (" << r.reachable
              << " reachable) into " << r.pack << "\n";
  std::cout << "Pruned " << r.pruned << " unreachable object(s)\n";
  std::cout << "objects/: " << r.bytes_before << " bytes in " << r.packs_before << " pack(s) and "
            << r.loose_before << " loose object(s) -> " << r.bytes_after << " bytes in "
            << r.packs_after << " pack(s) and " << r.loose_after << " loose object(s)\n";
  if (r.files_kept_for_grace != 0 || r.objects_kept_for_grace != 0)
    std::cout << "Kept for the grace period: " << r.files_kept_for_grace << " file(s), "
              << r.objects_kept_for_grace << " unreachable object(s)\n";
  if (r.files_rescued != 0)
    std::cout << "Kept because a concurrent writer used them: " << r.files_rescued << " file(s)\n";
}
}  // namespace

Action setup_gc(CLI::App& command) {
  auto args = std::make_shared<GcArgs>();
  command
      .add_option("--grace", args->grace,
                  "keep object files modified less than SECONDS ago, and what they refer to "
                  "(default 3600)")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber);
  command.add_flag("--json", args->json, "print the report as one JSON object");
  return [args](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    GcOptions options;
    options.grace = std::chrono::seconds(args->grace);
    auto result = gc(*repo, options);
    if (!result.is_ok()) return report(result.status());
    if (args->json)
      print_json(report_json(*result, args->grace));
    else
      print_human(*result);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
