// gitstate patch FILE|-: apply an RFC 6902 patch (or an RFC 7386 merge patch) as one commit.
#include <memory>

#include "commands.h"
#include "commit_change.h"
#include "exit_status.h"
#include "json_io.h"

namespace gitstate::cli {

namespace {
struct PatchArgs {
  std::string file;
  bool merge_patch = false;
  WriteOptions write;
};
}  // namespace

Action setup_patch(CLI::App& command) {
  auto args = std::make_shared<PatchArgs>();
  command.add_option("FILE", args->file, "the patch document; - reads stdin")->required();
  command.add_flag("--merge-patch", args->merge_patch,
                   "FILE is an RFC 7386 merge patch (an object)");
  add_write_options(command, args->write);
  return [args](const GlobalOptions& globals) {
    auto text = read_input(args->file);
    if (!text.is_ok()) return report(text.status());
    std::string what = args->file == "-" ? "the patch on stdin" : "patch file " + args->file;
    auto patch = parse_json_input(*text, what);
    if (!patch.is_ok()) return report(patch.status());
    return commit_change(globals, args->write, [&](Transaction& transaction) {
      return args->merge_patch ? transaction.merge_patch(*patch) : transaction.patch(*patch);
    });
  };
}

}  // namespace gitstate::cli
