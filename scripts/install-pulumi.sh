#!/bin/sh
# Provides the Pulumi CLI for the end-to-end suite (test/e2e/), so `npm test` can run the real engine.
#
#   1. `pulumi` on PATH (a normal install: what users have)  → used as it is.
#   2. Binaries already built for PULUMI_VERSION in the cache → reused (a fresh clone on the same machine too).
#   3. A Go toolchain                                          → builds `pulumi` and `pulumi-language-nodejs` from
#      the Go module proxy, at PULUMI_VERSION, into the cache (6-11 min on 2 cores the first time).
#   4. Neither                                                 → says loudly that the engine suite will be skipped.
#
# Why build: the CLI's release binaries cannot be downloaded on these machines, but the module proxy serves
# github.com/pulumi/pulumi/pkg/v3 (the CLI and engine) and .../sdk/v3. pkg/v3's go.mod says
# `replace github.com/pulumi/pulumi/sdk/v3 => ../sdk`, so `go install …@version` refuses it: the two modules are laid
# out side by side in a writable tree, as in Pulumi's repository, and built there. Pulumi's own Node.js language host
# module is not served by the proxy, so scripts/pulumi-language-nodejs/main.go (this project's minimal host, see
# its header) is built inside the same tree. The dynamic-provider launcher that ships in @pulumi/pulumi
# (`pulumi-resource-pulumi-nodejs`, which resolves @pulumi/pulumi from the Pulumi project's directory) is copied
# next to the binaries, where a normal Pulumi install has it, so putting the cache's bin/ on PATH is enough.
#
# Usage: sh scripts/install-pulumi.sh            exit 0 when a CLI is available, 1 otherwise
#        sh scripts/install-pulumi.sh --record   (npm run test:setup) also records the outcome in
#                                                test-artifacts/pulumi-cli.json for test/e2e and exits 0: the e2e
#                                                suite then fails on a failed build instead of the set-up step
# Env:   JIRA_CONNECTORS_PULUMI_CACHE  cache root (default ${XDG_CACHE_HOME:-~/.cache}/jira-connectors/pulumi)
#        JIRA_CONNECTORS_PULUMI_VERSION  build this version instead of the pin below (scripts/install-runtime.sh
#                                        builds the one matching the newest SDK); a `pulumi` on PATH is then used
#                                        only if it is that version
#        JIRA_CONNECTORS_PULUMI_RECORD   where --record writes (default test-artifacts/pulumi-cli.json)
#        JIRA_CONNECTORS_PULUMI_LAUNCHER the dynamic-provider launcher to copy (default: the repo's @pulumi/pulumi)
# A change of PULUMI_VERSION or of the language host's source rebuilds; to force one, delete <cache root>/<version>.
set -eu

# The engine must speak the protocol of the @pulumi/pulumi SDK in package-lock.json (3.248.0): same version.
PINNED_VERSION="v3.248.0"
PULUMI_VERSION="${JIRA_CONNECTORS_PULUMI_VERSION:-${PINNED_VERSION}}"
case "${PULUMI_VERSION}" in v*) ;; *) PULUMI_VERSION="v${PULUMI_VERSION}" ;; esac

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HOST_SOURCE="${ROOT}/scripts/pulumi-language-nodejs/main.go"
LAUNCHER="${JIRA_CONNECTORS_PULUMI_LAUNCHER:-${ROOT}/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs}"
CACHE_ROOT="${JIRA_CONNECTORS_PULUMI_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/jira-connectors/pulumi}"
CACHE="${CACHE_ROOT}/${PULUMI_VERSION}"
BIN="${CACHE}/bin"
RECORD_FILE="${JIRA_CONNECTORS_PULUMI_RECORD:-${ROOT}/test-artifacts/pulumi-cli.json}"
RECORD=false
[ "${1:-}" = "--record" ] && RECORD=true

say() { echo "install-pulumi: $*" >&2; }

json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

# record STATUS BIN_DIR SECONDS LOG
record() {
  if [ "${RECORD}" = true ]; then
    mkdir -p "$(dirname "${RECORD_FILE}")"
    {
      printf '{"status":%s,"version":%s,' "$(json_string "$1")" "$(json_string "${PULUMI_VERSION}")"
      printf '"binDir":%s,"buildSeconds":%s,"log":%s,' "$(json_string "$2")" "$3" "$(json_string "$4")"
      printf '"goPresent":%s}\n' "$(command -v go >/dev/null 2>&1 && echo true || echo false)"
    } > "${RECORD_FILE}"
  fi
}

finish() { # finish EXIT_CODE
  if [ "${RECORD}" = true ]; then exit 0; fi
  exit "$1"
}

# 1. A normal install on PATH (of the requested version, when one is requested).
if command -v pulumi >/dev/null 2>&1 \
  && { [ -z "${JIRA_CONNECTORS_PULUMI_VERSION:-}" ] || [ "$(pulumi version 2>/dev/null)" = "${PULUMI_VERSION}" ]; }; then
  found="$(dirname "$(command -v pulumi)")"
  # Pulumi's installers put the dynamic-provider launcher next to the CLI.
  say "using pulumi $(pulumi version 2>/dev/null || echo '(version unknown)') from ${found}"
  record found "${found}" 0 ""
  finish 0
fi

# 2. Built before (by this or another clone). The stamp names the version and the language host's source.
stamp="${PULUMI_VERSION} $(cksum < "${HOST_SOURCE}")"
if [ -x "${BIN}/pulumi" ] && [ -x "${BIN}/pulumi-language-nodejs" ] && [ -f "${CACHE}/.built" ] \
  && [ "$(cat "${CACHE}/.built")" = "${stamp}" ]; then
  say "using pulumi ${PULUMI_VERSION} built earlier: ${BIN}"
  record cached "${BIN}" 0 ""
  finish 0
fi

# 4. No way to get one.
if ! command -v go >/dev/null 2>&1; then
  say "=================================================================================================="
  say "pulumi is not on PATH and there is no Go toolchain to build it: the real-engine suite (test/e2e)"
  say "WILL BE SKIPPED. Install Pulumi (https://www.pulumi.com/docs/install/) or Go, then run npm test again."
  say "=================================================================================================="
  record skipped "" 0 ""
  finish 1
fi

# 3. Build from the module proxy.
mkdir -p "${CACHE}"
LOG="${CACHE}/build.log"
WORK="$(mktemp -d "${CACHE}/build.XXXXXX")"
trap 'chmod -R u+w "${WORK}" 2>/dev/null; rm -rf "${WORK}"' EXIT
say "building pulumi ${PULUMI_VERSION} with $(go version | cut -d' ' -f3) from the Go module proxy into ${BIN}"
say "(once per machine: 6-11 min on 2 cores with a cold Go build cache). Log: ${LOG}"
started="$(date +%s)"

build() {
  module_dir() { # module_dir MODULE@VERSION → its directory in the module cache
    dir="$(cd "${WORK}" && go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
    [ -n "${dir}" ] && [ -d "${dir}" ] || { echo "go mod download $1 gave no directory"; return 1; }
    printf '%s' "${dir}"
  }
  pkg="$(module_dir "github.com/pulumi/pulumi/pkg/v3@${PULUMI_VERSION}")" || return 1
  sdk="$(module_dir "github.com/pulumi/pulumi/sdk/v3@${PULUMI_VERSION}")" || return 1
  echo "pkg/v3: ${pkg}"
  echo "sdk/v3: ${sdk}"
  # The module cache is read-only; the side-by-side tree must be writable for the extra command.
  cp -R "${pkg}" "${WORK}/pkg" && cp -R "${sdk}" "${WORK}/sdk" && chmod -R u+w "${WORK}/pkg" "${WORK}/sdk" || return 1
  mkdir -p "${WORK}/pkg/cmd/pulumi-language-nodejs" "${WORK}/bin"
  cp "${HOST_SOURCE}" "${WORK}/pkg/cmd/pulumi-language-nodejs/main.go"
  ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}"
  (cd "${WORK}/pkg" && go build -trimpath -buildvcs=false -ldflags "${ldflags}" -o "${WORK}/bin/pulumi" ./cmd/pulumi) || return 1
  (cd "${WORK}/pkg" && go build -trimpath -buildvcs=false -ldflags "${ldflags}" \
    -o "${WORK}/bin/pulumi-language-nodejs" ./cmd/pulumi-language-nodejs) || return 1
  cp "${LAUNCHER}" "${WORK}/bin/pulumi-resource-pulumi-nodejs" && chmod +x "${WORK}/bin/pulumi-resource-pulumi-nodejs"
  "${WORK}/bin/pulumi" version
}

if ! build > "${LOG}" 2>&1; then
  seconds=$(( $(date +%s) - started ))
  say "BUILD FAILED after ${seconds} s. Last lines of ${LOG}:"
  tail -n 20 "${LOG}" >&2
  record failed "" "${seconds}" "${LOG}"
  finish 1
fi

# Replace the cached bin/ in one step, so a concurrent run never sees half of it.
rm -rf "${CACHE}/bin.old"
[ -d "${BIN}" ] && mv "${BIN}" "${CACHE}/bin.old"
mv "${WORK}/bin" "${BIN}"
rm -rf "${CACHE}/bin.old"
printf '%s' "${stamp}" > "${CACHE}/.built"
seconds=$(( $(date +%s) - started ))
say "built pulumi $("${BIN}/pulumi" version) in ${seconds} s: ${BIN}"
say "to use it yourself: export PATH=\"${BIN}:\$PATH\""
record built "${BIN}" "${seconds}" "${LOG}"
finish 0
