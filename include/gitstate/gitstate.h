// gitstate: versioned JSON state in a git repository — the whole public API.
//
// Include this header to get the state layer: Repository (open, read),
// Transaction and Batch (write), revisions, history (log, show, diff, blame),
// branches and tags, merges, adapters and their sync. The low-level object layer is under
// gitstate/plumbing/. Each header states its own thread-safety; docs/api.md gives an overview and
// docs/concurrency.md the threading and durability policy.
#pragma once

#include "gitstate/adapter.h"
#include "gitstate/adapter_dir.h"
#include "gitstate/adapter_sqlite.h"
#include "gitstate/adapter_sync.h"
#include "gitstate/batch.h"
#include "gitstate/branches.h"
#include "gitstate/events.h"
#include "gitstate/gc.h"
#include "gitstate/history.h"
#include "gitstate/merge.h"
#include "gitstate/perspective.h"
#include "gitstate/projection.h"
#include "gitstate/remote.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"
#include "gitstate/revision.h"
#include "gitstate/squash.h"
#include "gitstate/transaction.h"
