// The C++ API in one page: create a repository, commit, read, diff, branch.
// Usage: api_example DIR  (DIR must not exist yet)
#include <iostream>

#include "gitstate/gitstate.h"

namespace {
int fail(const gitstate::Status& status) {
  std::cerr << "api_example: " << status.to_string() << "\n";
  return 1;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: api_example DIR\n";
    return 2;
  }
  auto repo = gitstate::Repository::init(argv[1]);
  if (!repo.is_ok()) return fail(repo.status());

  auto tx = repo->begin("main");
  if (!tx.is_ok()) return fail(tx.status());
  if (auto st = tx->set("/config/db", {{"host", "db1"}, {"port", 5432}}); !st.is_ok()) return fail(st);
  gitstate::CommitOptions options;
  options.message = "configure the database";
  options.tags = {"infra"};
  auto first = tx->commit(options);
  if (!first.is_ok()) return fail(first.status());

  auto tx2 = repo->begin("main");
  if (!tx2.is_ok()) return fail(tx2.status());
  if (auto st = tx2->set("/config/db/port", 6432); !st.is_ok()) return fail(st);
  auto second = tx2->commit();
  if (!second.is_ok()) return fail(second.status());

  auto port = repo->get("/config/db/port", "main~1");
  if (!port.is_ok()) return fail(port.status());
  std::cout << "port at main~1: " << port->dump() << "\n";

  auto patch = gitstate::diff(*repo, "main~1", "main");
  if (!patch.is_ok()) return fail(patch.status());
  std::cout << "diff main~1 main: " << patch->dump() << "\n";

  auto missing = repo->get("/config/nothing");
  std::cout << "get /config/nothing: " << missing.status().to_string() << "\n";
  return 0;
}
