// gitstate clone URL DIR: a new state repository holding a remote's state.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/remote.h"
#include "json_io.h"
#include "sync_output.h"

namespace gitstate::cli {

Action setup_clone(CLI::App& command) {
  struct Args {
    std::string url, dir;
    CloneOptions options;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  command.add_option("URL", args->url, "a path, file://, git://, http(s)://, ssh:// or host:path")
      ->required();
  command.add_option("DIR", args->dir, "the new repository (created; must be empty if present)")
      ->required();
  command.add_option("-o,--origin", args->options.remote_name,
                     "the name of the remote (default: origin)");
  add_quiet_option(command, args->quiet);
  return [args](const GlobalOptions&) {
    args->options.transfer.progress = progress_reporter(args->quiet);
    auto cloned = clone(args->url, args->dir, args->options);
    args->options.transfer.progress = nullptr;
    if (!cloned.is_ok()) return report(as_input_error(cloned.status()));
    print_json({{"branch", cloned->branch},
                {"head", id_or_null(cloned->head)},
                {"refs", ref_moves_json(cloned->fetched.moved)},
                {"perspectives", perspectives_name(cloned->perspectives.result)},
                {"objects", cloned->fetched.objects_received},
                {"bytes", cloned->fetched.bytes_received}});
    std::cerr << "Cloned " << redact_userinfo(args->url) << " into " << args->dir << " (branch "
              << cloned->branch << ")\n";
    return kExitOk;
  };
}

}  // namespace gitstate::cli
