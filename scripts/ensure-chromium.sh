#!/bin/sh
# Makes sure Debian's Chromium is installed at /usr/bin/chromium, so the HTML-report test can open the report in a
# real headless browser (playwright-core drives it with executablePath; `npx playwright install` cannot download
# browsers here). Idempotent: when the binary is present it exits at once (one file test, no network).
#
# Usage: sh scripts/ensure-chromium.sh        (npm test runs it from `npm run test:setup`)
# Env:   CHROMIUM=/path/to/chromium to use another binary (then nothing is installed; the test reads the same variable).
#
# If Chromium is missing and cannot be installed, this script fails with a message, and so does `npm test`: the
# browser test never skips silently.
set -eu

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [ -x "${CHROMIUM}" ]; then
  exit 0
fi

if [ "${CHROMIUM}" != "/usr/bin/chromium" ]; then
  echo "ensure-chromium: CHROMIUM=${CHROMIUM} is not an executable file. Point it at a Chromium binary or unset it." >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: /usr/bin/chromium is missing and apt-get is not available to install it." >&2
  echo "ensure-chromium: install Chromium by hand, or set CHROMIUM=/path/to/chromium, then run: npm run test:setup" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    echo "ensure-chromium: /usr/bin/chromium is missing; installing it needs root. Run as root: apt-get install -y chromium" >&2
    exit 1
  fi
fi

echo "ensure-chromium: installing Debian's chromium package (about a minute, once)" >&2
# Another apt run on the machine holds the dpkg lock for a while: wait for it rather than fail.
if ! ${SUDO} apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium >/dev/null 2>&1; then
  # The package lists may be stale or absent on a fresh machine: refresh them once and try again.
  ${SUDO} apt-get -o DPkg::Lock::Timeout=600 update >/dev/null 2>&1 || true
  if ! ${SUDO} apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium >&2; then
    echo "ensure-chromium: 'apt-get install -y chromium' failed (output above). The HTML-report browser test needs it." >&2
    exit 1
  fi
fi

if [ ! -x "${CHROMIUM}" ]; then
  echo "ensure-chromium: the chromium package installed, but ${CHROMIUM} is not there." >&2
  exit 1
fi
echo "ensure-chromium: ready ($("${CHROMIUM}" --version 2>/dev/null || echo chromium))" >&2
