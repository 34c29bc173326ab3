#!/usr/bin/env bash
# Creates or updates the two virtual environments; does nothing when they are current.
#   .venv       Python >= 3.11: our package (desk, actions, bot, launcher) from pyproject.toml
#   .venv-rasa  Python 3.10:    the Rasa 3.6 engine, pinned in requirements-rasa.txt
# A stamp file in each holds the hash of what it was built from.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$PWD/.cache/pip}" PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '\033[1m%s\033[0m\n' "$*"; }

version_ok() {  # python, minimum minor, maximum minor
  "$1" -c "import sys; sys.exit(not ($2 <= sys.version_info[1] <= $3 and sys.version_info[0] == 3))" 2>/dev/null
}

find_python() {  # minimum minor, maximum minor, candidates...
  local low=$1 high=$2; shift 2
  for candidate in "$@"; do
    if command -v "$candidate" >/dev/null 2>&1 && version_ok "$candidate" "$low" "$high"; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

pyenv_root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
pyenv_pythons() { ls -d "$pyenv_root"/versions/"$1".*/bin/python 2>/dev/null | sort -V -r; }

stamp_of() { sha256sum "$@" | sha256sum | cut -c1-16; }

quiet_pip() {  # dir, pip arguments...: hides the machine-wide index's "Location … ignored" noise
  local dir=$1; shift
  "$dir/bin/python" -m pip install --quiet "$@" 2> >(grep -v '^WARNING: Location' >&2)
}

build_venv() {  # dir, python, stamp, pip arguments...
  local dir=$1 python=$2 stamp=$3; shift 3
  if [[ -f $dir/.stamp && $(cat "$dir/.stamp") == "$stamp" ]]; then return 0; fi
  say "准备 $dir / preparing $dir (first time: a few minutes) …"
  local started=$SECONDS
  [[ -x $dir/bin/python ]] || "$python" -m venv "$dir"
  quiet_pip "$dir" --upgrade pip wheel
  quiet_pip "$dir" "$@"
  echo "$stamp" > "$dir/.stamp"
  say "$dir 就绪 / ready in $((SECONDS - started)) s"
}

py_app=$(find_python 11 13 python3.13 python3.12 python3.11 python3 $(pyenv_pythons 3.1[123])) || {
  echo "需要 Python 3.11 或更新版本 / Python >= 3.11 is required (python3.11, or pyenv install 3.11)" >&2; exit 1; }
py_rasa=$(find_python 10 10 python3.10 $(pyenv_pythons 3.10)) || {
  echo "Rasa 3.6 需要 Python 3.10 / Rasa 3.6 needs Python 3.10 (e.g. pyenv install 3.10.13)" >&2; exit 1; }

build_venv .venv "$py_app" "$(stamp_of pyproject.toml)" -e ".[dev]"
build_venv .venv-rasa "$py_rasa" "$(stamp_of requirements-rasa.txt)" -r requirements-rasa.txt
