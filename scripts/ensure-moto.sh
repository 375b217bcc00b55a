#!/bin/sh
# Makes sure the project-local moto (AWS API emulator) is installed in .venv-moto/, so the token-store tests can
# talk real HTTP to Secrets Manager on a fresh machine with no hand steps. Idempotent: when the pinned version is
# already installed it exits in well under a second (one file comparison, no Python start-up, no network).
#
# Usage: sh scripts/ensure-moto.sh        (npm test runs it as `npm run test:setup`)
# Env:   PYTHON=/path/to/python3 to choose the interpreter (default: python3 on PATH).
set -eu

# The version the tests were written and measured against. Changing it reinstalls on the next run.
MOTO_VERSION="5.2.5"
SPEC="moto[server]==${MOTO_VERSION}"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${ROOT}/.venv-moto"
STAMP="${VENV}/.moto-installed"
PYTHON="${PYTHON:-python3}"

# Fast path: the stamp is written only after a successful install of exactly this spec.
if [ -x "${VENV}/bin/moto_server" ] && [ -f "${STAMP}" ] && [ "$(cat "${STAMP}")" = "${SPEC}" ]; then
  exit 0
fi

if ! command -v "${PYTHON}" >/dev/null 2>&1; then
  echo "ensure-moto: ${PYTHON} was not found. The token-store tests need Python 3.9+ with the venv module to run" >&2
  echo "ensure-moto: moto (a local AWS API emulator). Install it (e.g. apt-get install python3 python3-venv)," >&2
  echo "ensure-moto: or set PYTHON=/path/to/python3, then run: npm run test:setup" >&2
  exit 1
fi

if [ ! -x "${VENV}/bin/python" ]; then
  echo "ensure-moto: creating ${VENV}" >&2
  # A half-created venv (interrupted run) would make every later run fail the same way: start clean.
  rm -rf "${VENV}"
  if ! "${PYTHON}" -m venv "${VENV}"; then
    rm -rf "${VENV}"
    echo "ensure-moto: '${PYTHON} -m venv' failed. Install the venv module (e.g. apt-get install python3-venv)." >&2
    exit 1
  fi
fi

echo "ensure-moto: installing ${SPEC} into ${VENV} (about 30 s, once)" >&2
rm -f "${STAMP}"
"${VENV}/bin/python" -m pip install --quiet --disable-pip-version-check "${SPEC}"
"${VENV}/bin/moto_server" --help >/dev/null
printf '%s' "${SPEC}" > "${STAMP}"
echo "ensure-moto: ready" >&2
