#include "gitstate/transaction.h"

#include "batch_internal.h"
#include "commit_engine_internal.h"
#include "message_internal.h"
#include "perspective_write_internal.h"
#include "repository_internal.h"
#include "transaction_internal.h"

namespace gitstate {

namespace {
std::string summary(const std::vector<Operation>& ops) {
  if (ops.empty()) return "no changes";
  if (ops.size() == 1) return ops[0].describe();
  std::string text = std::to_string(ops.size()) + " operations: ";
  for (size_t i = 0; i < ops.size() && i < 3; ++i) text += (i ? ", " : "") + ops[i].describe();
  if (ops.size() > 3) text += ", ...";
  return text;
}

Result<Path> parse_target(std::string_view pointer) {
  auto path = parse_pointer(pointer);
  if (!path.is_ok()) return path.status().with_context("path '" + std::string(pointer) + "'");
  return path;
}
Result<CommitRecipe> make_recipe(const Repository& repo, std::vector<Operation> ops,
                                 const CommitOptions& options) {
  CommitRecipe recipe;
  std::string message = options.message;
  bool blank = message.find_first_not_of(" \t\r\n") == std::string::npos;
  GITSTATE_ASSIGN_OR_RETURN(recipe.message,
                            format_message(blank ? summary(ops) : message, options.tags));
  recipe.author = options.author.value_or(repo.default_identity());
  recipe.committer = options.committer.value_or(recipe.author);
  recipe.skip_empty = options.skip_empty;
  GITSTATE_ASSIGN_OR_RETURN(recipe.signer, repo.signing_key());
  recipe.ops = std::move(ops);
  return recipe;
}

Status apply_operations(TransactionState& s, std::vector<Operation> ops) {
  if (!s.failed.is_ok()) return s.failed;
  if (s.finished) return invalid("the transaction on '" + s.branch + "' is already committed");
  for (size_t i = 0; i < ops.size(); ++i) {
    Status status = s.repo.perspective() ? apply_through(s, ops[i]) : s.working.apply(ops[i]);
    if (!status.is_ok()) {
      s.failed = status.with_context(operation_context(s.ops.size() + i, ops[i]));
      return s.failed;
    }
  }
  for (Operation& op : ops) s.ops.push_back(std::move(op));
  return Status::ok();
}

Status fail(TransactionState& s, const Status& status, const Operation& op) {
  if (s.failed.is_ok()) s.failed = status.with_context(operation_context(s.ops.size(), op));
  return s.failed;
}
}  // namespace

TransactionState::TransactionState(Repository repository, std::string branch_name,
                                   std::optional<Oid> base_commit, const Oid& tree,
                                   BatchState* owner)
    : repo(std::move(repository)),
      branch(std::move(branch_name)),
      base(base_commit),
      base_tree(tree),
      working(*state_of(repo).store, tree),
      batch(owner) {}

Transaction::Transaction(std::unique_ptr<TransactionState> state) : state_(std::move(state)) {}
Transaction::Transaction(Transaction&&) noexcept = default;
Transaction& Transaction::operator=(Transaction&&) noexcept = default;
Transaction::~Transaction() = default;

const std::string& Transaction::branch() const { return state_->branch; }
const std::optional<Oid>& Transaction::base() const { return state_->base; }
size_t Transaction::operation_count() const { return state_->ops.size(); }

Status Transaction::set(std::string_view pointer, nlohmann::json value) {
  auto path = parse_target(pointer);
  Operation op{Operation::Kind::kSet, path.is_ok() ? *path : Path{}, {}, std::move(value)};
  if (!path.is_ok()) return fail(*state_, path.status(), op);
  return apply_operations(*state_, {std::move(op)});
}

Status Transaction::remove(std::string_view pointer) {
  auto path = parse_target(pointer);
  Operation op{Operation::Kind::kRemove, path.is_ok() ? *path : Path{}, {}, nullptr};
  if (!path.is_ok()) return fail(*state_, path.status(), op);
  return apply_operations(*state_, {std::move(op)});
}

Status Transaction::patch(const nlohmann::json& patch) {
  if (!state_->failed.is_ok()) return state_->failed;
  auto ops = parse_patch(patch, state_->ops.size());
  if (!ops.is_ok()) {
    state_->failed = ops.status();
    return state_->failed;
  }
  return apply_operations(*state_, std::move(ops).value());
}

Status Transaction::merge_patch(const nlohmann::json& merge_patch) {
  return apply_operations(*state_,
                          {Operation{Operation::Kind::kMergePatch, Path{}, {}, merge_patch}});
}

Result<nlohmann::json> Transaction::get(std::string_view pointer) {
  if (!state_->failed.is_ok()) return state_->failed;
  GITSTATE_ASSIGN_OR_RETURN(Path path, parse_target(pointer));
  if (state_->repo.perspective()) return read_through(*state_, path);
  return state_->working.read(path);
}

Result<CommitOutcome> Transaction::commit(const CommitOptions& options) {
  TransactionState& s = *state_;
  if (!s.failed.is_ok()) return s.failed;
  if (s.finished) return invalid("the transaction on '" + s.branch + "' is already committed");
  GITSTATE_ASSIGN_OR_RETURN(CommitRecipe recipe, make_recipe(s.repo, s.ops, options));
  ObjectStore& store = *state_of(s.repo).store;
  if (s.batch) {
    GITSTATE_ASSIGN_OR_RETURN(CommitOutcome outcome,
                              batch_append(*s.batch, s.base, std::move(recipe), s.working));
    s.finished = true;
    return outcome;
  }
  Chain chain = start_chain(s.base, s.base_tree);
  GITSTATE_RETURN_IF_ERROR(
      append_commit(store, chain, recipe, s.working.root(), s.working.touched()));
  std::vector<CommitRecipe> recipes;
  recipes.push_back(std::move(recipe));
  GITSTATE_ASSIGN_OR_RETURN(Chain landed,
                            publish(state_of(s.repo), s.branch, std::move(chain), recipes));
  s.finished = true;
  return landed.outcomes.front();
}

}  // namespace gitstate
