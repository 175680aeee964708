#include "gitstate/merge.h"

namespace gitstate {

nlohmann::json conflict_json(const Conflict& conflict) {
  nlohmann::json out = {{"path", format_pointer(conflict.path)}};
  if (conflict.base) out["base"] = *conflict.base;
  if (conflict.ours) out["ours"] = *conflict.ours;
  if (conflict.theirs) out["theirs"] = *conflict.theirs;
  return out;
}

}  // namespace gitstate
