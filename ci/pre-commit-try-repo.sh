#!/usr/bin/env bash
# Proves the pre-commit hook works for real: installs pre-commit from PyPI,
# makes a scratch git repository with one bad and one good Terraform file,
# and runs `pre-commit try-repo` against this repository (which builds the
# hook with `cargo install --path .`, as a user's pre-commit would).
#
# The bad file's camera is only on a sensitive network because of the good
# file's prefix, so a pass on the bad file alone also proves that the hook
# loads context from the project around the files it is given.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
case_dir="$repo/testdata/terraform/netbox-chain-sensitive-prefix"

# pre-commit in its own virtualenv, kept between runs.
venv="$repo/target/ci/pre-commit-venv"
if [ ! -x "$venv/bin/pre-commit" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
fi
precommit="$venv/bin/pre-commit"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export PRE_COMMIT_HOME="$scratch/pre-commit-home"
# The hook's release build reuses compiled dependencies between runs; LTO
# is off because this checks the hook's plumbing, not camlint's speed.
export CARGO_TARGET_DIR="$repo/target/ci/pre-commit-build"
export CARGO_PROFILE_RELEASE_LTO=false
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_PROFILE_RELEASE_DEBUG=false
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.invalid
export GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.invalid

work="$scratch/estate"
mkdir -p "$work/sites"
cp "$case_dir/ipam.tf" "$work/ipam.tf"
cp "$case_dir/devices.tf" "$work/sites/cameras.tf"
cd "$work"
git init --quiet
git add ipam.tf sites/cameras.tf

# expect CODE DESCRIPTION -- pre-commit arguments…
expect() {
  local want="$1" what="$2"
  shift 3
  local got=0
  "$precommit" try-repo "$repo" camlint "$@" >"$scratch/out" 2>&1 || got=$?
  if [ "$got" != "$want" ]; then
    cat "$scratch/out"
    echo "FAIL: $what: pre-commit exited $got, expected $want" >&2
    exit 1
  fi
  echo "ok: $what"
}

expect 1 "all files: the camera on the sensitive prefix fails" -- --all-files
grep -q "restricted-camera-on-sensitive-network" "$scratch/out" ||
  { cat "$scratch/out"; echo "FAIL: the finding is not in the hook's output" >&2; exit 1; }
expect 1 "the bad file alone fails, judged with the good file's prefix" -- --files sites/cameras.tf
expect 0 "the good file alone passes: findings elsewhere are not its own" -- --files ipam.tf

git rm --quiet --force sites/cameras.tf
expect 0 "all files pass once the bad file is removed" -- --all-files
