#!/bin/sh
# {{stamp}}
# The plugin's `backend-persona`: Claude Code puts this bin/ folder on PATH for the plugin's
# `!` lines. The first run builds a private venv for this plugin version in the user's cache
# folder and pip-installs the package from the plugin folder; every later run execs the
# venv's console script straight away.
version={{version}}
case ${XDG_CACHE_HOME:-} in
  /*) cache=$XDG_CACHE_HOME ;;
  *) cache=${HOME:?HOME is not set}/.cache ;;
esac
base=$cache/backend-persona
venv=$base/plugin-$version
# Tells the package it runs as the plugin, so its hints name the bare command.
BACKEND_PERSONA_PLUGIN=$version
export BACKEND_PERSONA_PLUGIN
if [ -f "$venv/.complete" ] && [ ! -L "$base" ] && [ -O "$base" ] && [ ! -L "$venv" ]; then
  exec "$venv/bin/backend-persona" "$@"
fi

fail() {
  printf 'backend-persona: %s\n' "$1" >&2
  exit 1
}

find_python() {
  for candidate in "${BACKEND_PERSONA_PYTHON:-}" python3 python3.14 python3.13 python3.12 \
      python3.11 python; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
    then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

here=$(dirname -- "$0")
root=$(cd -- "$here/.." && pwd -P) || fail "cannot find the plugin folder from $0"
python=$(find_python) ||
  fail "the plugin needs Python 3.11 or newer on PATH; install python3 (3.11+) and run again"
"$python" -c 'import ensurepip, venv' >/dev/null 2>&1 ||
  fail "$python cannot create a venv; install its venv module (Debian: python3-venv) and run again"

umask 077
mkdir -p -- "$base" 2>/dev/null || fail "cannot create $base"
if [ -L "$base" ] || [ ! -O "$base" ]; then
  fail "$base is a symbolic link or not yours; remove it and run again"
fi
chmod 700 "$base" || fail "cannot make $base private"

# One first run at a time: mkdir is atomic. A lock whose owner is gone is taken over.
lock=$venv.lock
waited=0
until mkdir -- "$lock" 2>/dev/null; do
  owner=$(cat -- "$lock/pid" 2>/dev/null) || owner=
  if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
    rm -rf -- "$lock"
    continue
  fi
  [ "$waited" -lt 600 ] || fail "another first run has held $lock for 10 minutes; remove it"
  sleep 1
  waited=$((waited + 1))
done
printf '%s\n' "$$" >"$lock/pid"
trap 'rm -rf -- "$lock"' EXIT
trap 'exit 130' INT TERM HUP

if [ ! -f "$venv/.complete" ]; then
  [ ! -L "$venv" ] || fail "$venv is a symbolic link; remove it and run again"
  rm -rf -- "$venv"
  printf 'backend-persona: first run of plugin %s: installing into %s (once per version)\n' \
    "$version" "$venv" >&2
  log=$base/plugin-$version.log
  "$python" -m venv -- "$venv" >"$log" 2>&1 ||
    fail "$python could not create a venv (see $log); install python3-venv and run again"
  if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -- "$root" \
      >>"$log" 2>&1; then
    rm -rf -- "$venv"
    fail "could not install the plugin's Python packages (see $log); pip needs the package registry (PyPI or your pip index): check the network, then run again"
  fi
  : >"$venv/.complete"
  rm -f -- "$log"
  printf 'backend-persona: installed; later runs start at once\n' >&2
fi
rm -rf -- "$lock"
trap - EXIT
exec "$venv/bin/backend-persona" "$@"
