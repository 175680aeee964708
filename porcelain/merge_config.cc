#include <sstream>

#include "merge_internal.h"

namespace gitstate {

namespace {
constexpr char kRuleKey[] = "gitstate.mergeRule";
constexpr char kKeyedKey[] = "gitstate.keyedArray";

// "GLOB WORD" -> {glob, word}; kInvalid quoting the value otherwise.
Result<std::pair<PointerGlob, std::string>> split_value(const std::string& key,
                                                        const std::string& value) {
  std::istringstream in(value);
  std::string glob, word, extra;
  if (!(in >> glob >> word) || (in >> extra))
    return invalid(key + " '" + value + "': expected 'GLOB " +
                   (key == kRuleKey ? "ours|theirs|fail'" : "KEY'"));
  auto pattern = PointerGlob::parse(glob);
  if (!pattern.is_ok()) return pattern.status().with_context(key + " '" + value + "'");
  return std::make_pair(*pattern, word);
}

Result<MergeStrategy> parse_strategy(const std::string& value, const std::string& word) {
  if (word == "ours") return MergeStrategy::kOurs;
  if (word == "theirs") return MergeStrategy::kTheirs;
  if (word == "fail") return MergeStrategy::kReport;
  return invalid(std::string(kRuleKey) + " '" + value + "': unknown strategy '" + word +
                 "' (ours, theirs or fail)");
}
}  // namespace

Result<MergeOptions> configured_merge_options(GitDir& dir) {
  MergeOptions options;
  GITSTATE_ASSIGN_OR_RETURN(std::vector<std::string> rules, dir.config_get_all(kRuleKey));
  for (const std::string& value : rules) {
    GITSTATE_ASSIGN_OR_RETURN(auto parts, split_value(kRuleKey, value));
    GITSTATE_ASSIGN_OR_RETURN(MergeStrategy strategy, parse_strategy(value, parts.second));
    options.rules.push_back(MergeRule{parts.first, strategy});
  }
  GITSTATE_ASSIGN_OR_RETURN(std::vector<std::string> keyed, dir.config_get_all(kKeyedKey));
  for (const std::string& value : keyed) {
    GITSTATE_ASSIGN_OR_RETURN(auto parts, split_value(kKeyedKey, value));
    options.keyed_arrays.push_back(KeyedArray{parts.first, parts.second});
  }
  return options;
}

}  // namespace gitstate
