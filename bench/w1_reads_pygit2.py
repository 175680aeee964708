#!/usr/bin/env python3
"""The pygit2 baseline of bench_w1_reads: the same reads, on the same repository.

Usage: w1_reads_pygit2.py REQUEST.json

REQUEST holds {"repo": DIR, "path": "s3/g4/k5", "reps": N, "head_reads": M,
"history": {KIND: [REV, ...], ...}, "head": {KIND: REV, ...}}. For each
repetition and history KIND, the script opens the repository afresh (untimed)
and times reading `path` once at each REV: revparse_single, the tree entry
by path, the blob's JSON parsed. For each head KIND, it times M reads of the
same path at one REV on a handle that has read it once. It prints one JSON
line: {"pygit2": version, "libgit2": version, "history": {KIND: {"seconds":
[per repetition], "values": [the values read, last repetition]}}, "head":
{KIND: {"seconds": [per repetition]}}}.
"""

import json
import sys
import time

import pygit2


def read(repo, rev, path):
    return json.loads(repo.revparse_single(rev).tree[path].data)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        request = json.load(f)
    path = request["path"]
    history = {kind: {"seconds": [], "values": []} for kind in request["history"]}
    head = {kind: {"seconds": []} for kind in request["head"]}
    for _ in range(request["reps"]):
        for kind, revs in request["history"].items():
            repo = pygit2.Repository(request["repo"])
            start = time.perf_counter()
            values = [read(repo, rev, path) for rev in revs]
            history[kind]["seconds"].append(time.perf_counter() - start)
            history[kind]["values"] = values
        for kind, rev in request["head"].items():
            repo = pygit2.Repository(request["repo"])
            read(repo, rev, path)
            start = time.perf_counter()
            for _ in range(request["head_reads"]):
                read(repo, rev, path)
            head[kind]["seconds"].append(time.perf_counter() - start)
    print(json.dumps({"pygit2": pygit2.__version__, "libgit2": pygit2.LIBGIT2_VERSION,
                      "history": history, "head": head}))


if __name__ == "__main__":
    main()
