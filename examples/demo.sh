#!/usr/bin/env bash
# The gitstate workflow, end to end, on a fresh local repository.
#   examples/demo.sh GITSTATE_BINARY [API_EXAMPLE_BINARY]
set -euo pipefail
gitstate_bin=$(realpath "$1")
api_example=${2:+$(realpath "$2")}
work=$(mktemp -d /tmp/gitstate-demo-XXXXXX)
trap 'rm -rf "$work"' EXIT
export GITSTATE_REPO=$work/state

step() { printf '\n\033[1m## %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
gitstate() { "$gitstate_bin" "$@"; }
expect_status() {  # expect_status CODE command...
  local want=$1; shift
  printf '$ %s   # expect exit %s\n' "$*" "$want"
  local got=0
  "$@" || got=$?
  [ "$got" -eq "$want" ] || { echo "demo: expected exit $want, got $got" >&2; exit 1; }
}

step "A new state repository (a bare git directory)"
run gitstate init

step "Versioned state: set values at JSON Pointer paths, one commit each"
run gitstate set /config/db '{"host":"db1","port":5432}' -m "add the database" --tag infra
run gitstate set /config/features '{"search":true,"beta":false}' --author "Ada <ada@example.org>"
run gitstate set /config/db/port 6432 -m "move to the pooler" --tag infra
run gitstate get /config
run gitstate get /config/db/port --at main~1

step "An RFC 6902 patch as one atomic commit (a failing test changes nothing)"
echo '[{"op":"test","path":"/config/db/port","value":6432},{"op":"add","path":"/config/db/replicas","value":["db2","db3"]}]' |
  run gitstate patch - -m "add replicas"
echo '[{"op":"test","path":"/config/db/port","value":1},{"op":"remove","path":"/config/db"}]' |
  expect_status 1 gitstate patch -
run gitstate get /config/db

step "Bulk import: JSON Lines, one commit per line, one flush"
{
  echo '{"patch":[{"op":"add","path":"/sessions","value":{}}],"message":"sessions","time":1700000000}'
  for i in 1 2 3; do
    echo "{\"patch\":[{\"op\":\"add\",\"path\":\"/sessions/s$i\",\"value\":{\"user\":\"u$i\"}}],\"message\":\"session $i\",\"tags\":[\"session\"],\"time\":170000000$i}"
  done
} | run gitstate import

step "History: log, show, diff, blame"
run gitstate log --json
run gitstate log --path /config/db --json
run gitstate show main~4
run gitstate diff main~6 main
run gitstate blame /config/db

step "Branches and tags"
run gitstate branch experiment
run gitstate set /config/features/beta true -b experiment -m "try the beta"
run gitstate tag v1
run gitstate branch --list
run gitstate diff main experiment
run gitstate get /config/features/beta --at experiment

step "Three-way merge: divergent configurations, a stopped merge settled later"
run gitstate set /config/db/port 7432 -m "main moves the port"
run gitstate set /config/db/port 8432 -b experiment -m "the experiment moves it too"
run gitstate set /config/db/pool 20 -b experiment -m "and adds a pool"
expect_status 1 gitstate merge experiment
run gitstate conflicts
run gitstate resolve /config/db/port --theirs
run gitstate merge --continue
run gitstate get /config/db
run git --git-dir="$GITSTATE_REPO" log --graph --oneline -6
run gitstate revert experiment~2
run gitstate get /config/features/beta

step "Keyed arrays merge element by element (declared in the git config)"
git --git-dir="$GITSTATE_REPO" config --add gitstate.keyedArray "/services name"
run gitstate set /services '[{"name":"web","port":80},{"name":"db","port":5432}]'
run gitstate branch ops
run gitstate set /services '[{"name":"web","port":8080},{"name":"db","port":5432}]' -b ops -m "web on 8080"
run gitstate set /services '[{"name":"web","port":80},{"name":"db","port":5432},{"name":"cache","port":6379}]' -m "add a cache"
run gitstate merge ops
run gitstate get /services

step "Perspectives: a stored filter that bounds what a reader sees and a writer changes"
run gitstate set /config/db/password '"s3cret"' -m "add the database password"
run gitstate perspective define ops --include '/config/**' --exclude '/**/password'
run gitstate view ops
run gitstate log --perspective ops --json -n 2
expect_status 1 gitstate get /config/db/password --perspective ops
expect_status 1 gitstate set /config/db/password '"leak"' --perspective ops

step "Watch: another process follows a branch, one JSON line per commit touching a glob"
since=$(gitstate rev-parse main)
printf '$ gitstate watch "/config/**" --since %s --count 2 --timeout 10 > watch.jsonl &\n' "${since:0:12}"
gitstate watch "/config/**" --since "$since" --count 2 --timeout 10 >"$work/watch.jsonl" &
watcher=$!
run gitstate set /config/db/port 7432 -m "pooler on 7432"
run gitstate set /notes '"outside the glob: not printed"'
run gitstate set /config/features/beta true -m "beta on"
run wait "$watcher"
run cat "$work/watch.jsonl"

step "Sync between nodes: any git repository is a hub (push, clone, diverge, pull)"
hub=$work/hub.git
node2=$work/node2
run git init -q --bare "$hub"
run gitstate remote add hub "$hub"
run gitstate push hub main --perspectives -q
run gitstate clone "$hub" "$node2" -q
run gitstate --repo "$node2" set /config/db/host '"db9"' -m "node 2 moves the database"
run gitstate --repo "$node2" push origin -q
run gitstate set /config/features/search false -m "node 1 turns search off"
expect_status 1 gitstate push hub main -q
run gitstate pull hub -q
run gitstate get /config/db
run gitstate push hub main -q
run gitstate --repo "$node2" pull origin -q --ff-only
run gitstate --repo "$node2" view ops

step "Adapters: a directory of JSON files in three-way sync with a branch"
conf=$work/conf
mkdir "$conf"
run gitstate sync dir "$conf"
run cat "$conf/config/db/port"
echo 7000 >"$conf/config/db/port"
run gitstate set /config/features/beta false -m "beta off on the branch"
run gitstate sync dir "$conf" --dry-run
run gitstate sync dir "$conf"
run gitstate get /config/db/port
run cat "$conf/config/features/beta"

step "Signed commits that stock git verifies"
ssh-keygen -q -t ed25519 -N '' -C demo -f "$work/key"
echo "ada@example.org namespaces=\"git\" $(cat "$work/key.pub")" >"$work/allowed_signers"
git --git-dir="$GITSTATE_REPO" config gpg.ssh.allowedSignersFile "$work/allowed_signers"
run gitstate set /config/db/port 7001 --author "Ada <ada@example.org>" --sign-key "$work/key"
run git --git-dir="$GITSTATE_REPO" -c gpg.format=ssh verify-commit main
printf '$ gitstate verify --allowed-signers allowed_signers | tail -n 2\n'
gitstate verify --allowed-signers "$work/allowed_signers" | tail -n 2
git --git-dir="$GITSTATE_REPO" config gitstate.branch.main.requireSignatures true
expect_status 1 gitstate set /config/db/port 7002 -m "unsigned: refused"
GITSTATE_SIGNING_KEY=$work/key run gitstate set /config/db/port 7002 --author "Ada <ada@example.org>"
git --git-dir="$GITSTATE_REPO" config --unset gitstate.branch.main.requireSignatures

step "The audit trail: each change of a value, who made it, who signed it"
run gitstate log -n 1
printf '$ gitstate audit --path /config/db/port | sed -n 1,2p\n'
gitstate audit --path /config/db/port | sed -n 1,2p

step "Retention: squash old history into one snapshot (a rewrite; the old head stays archived)"
run gitstate branch retention
run gitstate squash --before 2024-01-01 -b retention
run gitstate diff main retention
run git --git-dir="$GITSTATE_REPO" log --max-parents=0 --format=%B retention
archive=$(git --git-dir="$GITSTATE_REPO" for-each-ref --format='%(refname)' refs/gitstate/archive/retention/)
run gitstate squash --list-archives -b retention
run gitstate squash --delete-archive "$archive"

step "Bad input is refused with a clear message and changes nothing"
expect_status 2 gitstate set /config/db '{"host":'
expect_status 2 gitstate get config/db
expect_status 2 gitstate get /config --at no-such-branch
expect_status 1 gitstate get /config/nothing
expect_status 1 gitstate rm /config/nothing

step "Plumbing: object ids, trees, revisions"
run gitstate hash-value '{"port":5432}'
run gitstate rev-parse main~1
run gitstate ls-tree main:/config
run gitstate merge-base main experiment

step "Stock git reads what gitstate wrote"
run git --git-dir="$GITSTATE_REPO" show main:config/db/port
run git --git-dir="$GITSTATE_REPO" log --format='%h %an: %s%n%(trailers:key=State-Tag)' -3
run git --git-dir="$GITSTATE_REPO" fsck --strict --full

if [ -n "$api_example" ]; then
  step "The C++ API (examples/api_example.cc)"
  run "$api_example" "$work/api-state"
fi
printf '\ndemo: done\n'
