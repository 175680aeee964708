// Garbage collection of a repository's objects (docs/concurrency.md,
// "Garbage collection"): every object reachable from the repository's roots
// is repacked into one new pack, zlib and delta compressed (libgit2's pack
// builder), and the old packs and loose objects are removed, which drops the
// unreachable objects they held unless those are younger than a grace period.
//
// Roots: every ref (refs/heads, refs/tags, refs/remotes, everything under
// refs/gitstate: merges stopped on conflicts, sync bases, perspective
// definitions, archive refs, and any other ref), HEAD, and every entry of
// every reflog (gc never expires reflogs: they are part of the audit trail).
// A ref that points at a missing object makes gc fail with kCorrupt before
// anything is removed; a reflog entry whose object is gone is skipped.
//
// Grace: an object file (a pack, or a loose object) modified less than
// `grace` ago is "recent". Every object in a recent file, and everything such
// an object refers to, is kept: they may belong to a writer that has not
// moved its ref yet. A recent file that holds an object not reachable from
// the roots stays as it is; a recent file whose objects are all reachable is
// replaced by the new pack like any other. Packs with a .keep file are never
// removed and their objects are kept (they are not copied into the new pack).
//
// Order, so that no reader ever misses an object: the new pack is fsync'ed
// and installed before any file is removed; removals happen after a journal
// checkpoint (journal.h), so a replay after a power loss cannot bring a
// removed pack back. Temporaries that crashed writers left in objects/pack
// more than an hour ago (or the grace period, when longer) go too.
//
// Concurrency: gc holds the consolidation lock (gitstate-consolidate.lock)
// throughout, so no consolidation runs meanwhile. Its last step holds the
// commit journal exclusively, so that no gitstate writer can record a pack
// or a ref move, and looks again: at every root (a ref moved since the
// walk), at every object file installed since the walk (a writer's new pack
// whose objects may refer to old unreachable ones), and at the modification
// time of each file it is about to remove (stock git "freshens" the file of
// an object it reuses instead of writing it again). Whatever that reaches
// is kept, with the file that holds it. The window accepted (as git's own gc
// accepts it): a writer that decided to reuse an existing, unreachable,
// older-than-grace object without rewriting or freshening it, and installs
// the objects that refer to it only after that last look. gitstate writers
// write every object of a commit again except subtrees of the commit they
// build on, and move the branch by compare-and-swap from that commit; for
// them the window needs that base commit to become unreachable (its branch
// moved or deleted by another writer, and no reflog keeps it) while the
// commit is built, and then the compare-and-swap fails and nothing refers to
// the removed objects.
//
// The grace period is what protects a commit in flight: its new objects are
// in files it wrote moments ago, before it moves its ref. With a grace of
// zero they count only once reachable, so a gc that runs between a writer's
// flush and its ref update removes them; the ref update then fails (libgit2
// refuses to point a ref at a missing object), or, when the removal falls
// between that check and the ref write, the ref points at a missing commit.
// A zero grace period is for repositories nobody else writes to, as
// `git gc --prune=now` is.
//
// Thread-safety: may run while other threads and processes of gitstate (and
// stock git) read and write the repository, as above.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "gitstate/plumbing/git_dir.h"
#include "gitstate/result.h"

namespace gitstate {

struct GcOptions {
  // Object files modified less than this long ago are kept with all they
  // refer to (see above). Zero: only reachability counts.
  std::chrono::seconds grace{3600};
  // Threads for delta compression; 0: one per CPU.
  unsigned threads = 0;
};

struct GcReport {
  uint64_t bytes_before = 0;  // size of every file under objects/ before gc
  uint64_t bytes_after = 0;   // and after
  size_t packs_before = 0;
  size_t packs_after = 0;
  size_t loose_before = 0;  // loose object files
  size_t loose_after = 0;
  size_t reachable = 0;        // objects reachable from the roots
  size_t objects_written = 0;  // objects in the new pack (0: none written)
  std::string pack;            // the new pack's name ("pack-<hex>"), empty when none
  size_t pruned = 0;           // unreachable objects removed
  // Recent files kept because they hold unreachable objects, and the
  // unreachable objects kept for the grace period (in those files, or
  // referred to from them).
  size_t files_kept_for_grace = 0;
  size_t objects_kept_for_grace = 0;
  // Files whose removal the last look cancelled (a concurrent writer
  // refers to their objects, or freshened them).
  size_t files_rescued = 0;
};

// Collects garbage in `dir` as described above. On success the repository
// holds every object reachable from the roots, in the new pack or in files
// that were kept. kInvalid for a negative grace; kPermissionDenied when the
// repository is not writable; kCorrupt when a root or an object reachable
// from one is missing or unreadable; kIO when files cannot be listed, read
// or written. Until the new pack is installed a failure removes nothing;
// a failure while removing old files leaves every reachable object in place.
Result<GcReport> collect_garbage(GitDir& dir, const GcOptions& options);

}  // namespace gitstate
