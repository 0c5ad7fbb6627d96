#!/usr/bin/env bash
# Builds monero-operator at an earlier commit (a git worktree under DIR, kept between runs) and
# prints the binary's path, for `make bench` to compare the hook against it on the same requests.
#   test/bench/baseline.sh COMMIT DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
COMMIT=$(git rev-parse --verify "$1^{commit}") || {
    echo "baseline: $1 is not a commit here (a shallow clone? git fetch --unshallow)" >&2
    exit 1
}
DIR=$2/$COMMIT
if [ ! -x "$DIR/monero-operator" ]; then
    rm -rf "$DIR"
    mkdir -p "$2"
    git worktree prune
    git worktree add --detach --force "$DIR" "$COMMIT" > "$DIR.log" 2>&1 &&
        make -s -C "$DIR" monero-operator >> "$DIR.log" 2>&1 || {
        echo "baseline: building $COMMIT failed:" >&2
        tail -20 "$DIR.log" >&2
        exit 1
    }
fi
echo "$DIR/monero-operator"
