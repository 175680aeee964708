#include "gitstate/batch.h"

#include "batch_internal.h"
#include "repository_internal.h"
#include "transaction_internal.h"

namespace gitstate {

Result<CommitOutcome> batch_append(BatchState& batch, const std::optional<Oid>& base,
                                   CommitRecipe recipe, const WorkingState& working) {
  if (batch.finished) return invalid("the batch on '" + batch.branch + "' is already finished");
  if (batch.chain.head != base)
    return invalid("another transaction of the batch on '" + batch.branch +
                   "' committed since this one began");
  GITSTATE_RETURN_IF_ERROR(append_commit(*state_of(batch.repo).store, batch.chain, recipe,
                                         working.root(), working.touched()));
  batch.recipes.push_back(std::move(recipe));
  return batch.chain.outcomes.back();
}

Batch::Batch(std::unique_ptr<BatchState> state) : state_(std::move(state)) {}
Batch::Batch(Batch&&) noexcept = default;
Batch& Batch::operator=(Batch&&) noexcept = default;
Batch::~Batch() = default;

Result<Batch> Batch::start(const Repository& repo, std::string_view branch) {
  RepositoryState& state = state_of(repo);
  GITSTATE_ASSIGN_OR_RETURN(std::string name, branch_or_current(state, branch));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(state, name));
  if (!head) {
    GITSTATE_ASSIGN_OR_RETURN(std::string current, repo.current_branch());
    if (current != name) return not_found("branch '" + name + "' does not exist");
  }
  GITSTATE_ASSIGN_OR_RETURN(Oid tree, tree_of(*state.store, head));
  auto batch =
      std::make_unique<BatchState>(BatchState{repo, name, start_chain(head, tree), {}, false});
  return Batch(std::move(batch));
}

const std::string& Batch::branch() const { return state_->branch; }
const std::optional<Oid>& Batch::head() const { return state_->chain.head; }

size_t Batch::size() const {
  size_t created = 0;
  for (const CommitOutcome& outcome : state_->chain.outcomes) created += outcome.created ? 1 : 0;
  return created;
}

Result<Transaction> Batch::begin() {
  if (state_->finished) return invalid("the batch on '" + state_->branch + "' is already finished");
  return Transaction(std::make_unique<TransactionState>(
      state_->repo, state_->branch, state_->chain.head, state_->chain.tree, state_.get()));
}

Result<Oid> Batch::finish() {
  BatchState& s = *state_;
  if (s.finished) return invalid("the batch on '" + s.branch + "' is already finished");
  s.finished = true;
  if (s.chain.head == s.chain.base) {
    if (!s.chain.head) return not_found("branch '" + s.branch + "' has no commits yet");
    return *s.chain.head;
  }
  GITSTATE_ASSIGN_OR_RETURN(Chain landed, publish(state_of(s.repo), s.branch, s.chain, s.recipes));
  s.chain = std::move(landed);
  return *s.chain.head;
}

}  // namespace gitstate
