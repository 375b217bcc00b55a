#!/bin/sh
# Provides the "current runtimes" for test/e2e/runtime.test.ts: the real-engine suite's core again, on each Node LTS
# line past the machine's (22, 24, 26 by default) with the newest @pulumi/pulumi the npm registry serves and a
# Pulumi CLI of the same version. The default suite (engine.test.ts) runs on the machine's Node with the SDK pinned
# in package-lock.json; this is what a user on a newer Node who runs `npm install jira-connectors` today gets (our
# package.json allows any @pulumi/pulumi ^3.248.0, and >=3.249 requires Node 22).
#
#   1. Node:  for each major, the npm registry's official binary package node-<platform>-<arch> (what the `node`
#             package installs) at the newest <major>.x, into <cache>/node-<version>/    (5-16 s each, first time)
#   2. SDK:   a throwaway project <cache>/sdk-<version>-<hash>/ with this package's dependencies and
#             @pulumi/pulumi pinned to the newest version, installed by npm running on the newest Node  (~35 s)
#             (the test links its node_modules into a Pulumi project next to a copy of this repo's built bin/)
#   3. CLI:   scripts/install-pulumi.sh with JIRA_CONNECTORS_PULUMI_VERSION=v<sdk version>: built from the Go
#             module proxy like the pinned one, cached in its own <pulumi cache>/<version>/  (6-11 min, first time)
#
# Every step is cached; a new Node patch release or SDK release installs/builds once more.
#
# Usage: sh scripts/install-runtime.sh            exit 0 when all are available, 1 otherwise
#        sh scripts/install-runtime.sh --record   (npm run test:setup) also records the outcome in
#                                                 test-artifacts/runtime.json for test/e2e/runtime.test.ts and exits 0
# Env:   JIRA_CONNECTORS_RUNTIME_NODES   Node majors, space-separated (default "22 24 26")
#        JIRA_CONNECTORS_RUNTIME_SDK     @pulumi/pulumi version (default: the registry's `latest`)
#        JIRA_CONNECTORS_RUNTIME_CACHE   cache root (default ${XDG_CACHE_HOME:-~/.cache}/jira-connectors/runtime)
#        JIRA_CONNECTORS_RUNTIME_SKIP=1  records "disabled": the test then skips loudly (also under CI)
set -eu

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NODE_MAJORS="${JIRA_CONNECTORS_RUNTIME_NODES:-22 24 26}"
CACHE_ROOT="${JIRA_CONNECTORS_RUNTIME_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/jira-connectors/runtime}"
RECORD_FILE="${ROOT}/test-artifacts/runtime.json"
RECORD=false
[ "${1:-}" = "--record" ] && RECORD=true

say() { echo "install-runtime: $*" >&2; }
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | tr '\n' ' ')"; }

NODES=""
NPM_NODE_BIN=""
SDK_VERSION=""
MODULES=""
SDK_SECONDS=0
CLI_RECORD="null"

# record STATUS MESSAGE
record() {
  if [ "${RECORD}" = true ]; then
    mkdir -p "$(dirname "${RECORD_FILE}")"
    {
      printf '{"status":%s,"message":%s,' "$(json_string "$1")" "$(json_string "$2")"
      printf '"nodes":[%s],' "${NODES}"
      printf '"sdkVersion":%s,"modulesDir":%s,' "$(json_string "${SDK_VERSION}")" "$(json_string "${MODULES}")"
      printf '"sdkSeconds":%s,"cli":%s}\n' "${SDK_SECONDS}" "${CLI_RECORD}"
    } > "${RECORD_FILE}"
  fi
}
fail() { # fail STATUS MESSAGE
  say "=================================================================================================="
  say "$2"
  say "=================================================================================================="
  record "$1" "$2"
  if [ "${RECORD}" = true ]; then exit 0; fi
  exit 1
}

if [ "${JIRA_CONNECTORS_RUNTIME_SKIP:-}" = "1" ]; then
  fail disabled "JIRA_CONNECTORS_RUNTIME_SKIP=1: the Node ${NODE_MAJORS} / newest-SDK engine suite WILL BE SKIPPED"
fi
mkdir -p "${CACHE_ROOT}"

# Newest version of an npm package within a range (or its `latest`), from the registry; empty when unreachable.
newest() { # newest PACKAGE RANGE
  npm view "$1@$2" version --json 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      try { const v = [].concat(JSON.parse(s)); const n = (x) => x.split(".").map(Number);
        v.sort((a, b) => { const [p, q] = [n(a), n(b)]; return p[0] - q[0] || p[1] - q[1] || p[2] - q[2]; });
        process.stdout.write(v[v.length - 1] || ""); } catch { process.stdout.write(""); } });'
}

# 1. Node, each major.
NODE_PACKAGE="node-$(node -p 'process.platform')-$(node -p 'process.arch')"
for NODE_MAJOR in ${NODE_MAJORS}; do
  NODE_VERSION="$(newest "${NODE_PACKAGE}" "${NODE_MAJOR}")"
  if [ -z "${NODE_VERSION}" ]; then # offline: the newest one installed before
    NODE_VERSION="$(ls "${CACHE_ROOT}" 2>/dev/null | sed -n "s/^node-\(${NODE_MAJOR}\.[0-9.]*\)$/\1/p" | sort -t. -k2,2n -k3,3n | tail -n 1)"
  fi
  [ -n "${NODE_VERSION}" ] || fail failed "could not resolve ${NODE_PACKAGE}@${NODE_MAJOR} from the npm registry"
  NODE_DIR="${CACHE_ROOT}/node-${NODE_VERSION}"
  NODE_BIN="${NODE_DIR}/node_modules/${NODE_PACKAGE}/bin"
  seconds=0
  if [ -x "${NODE_BIN}/node" ] && [ "$("${NODE_BIN}/node" --version)" = "v${NODE_VERSION}" ]; then
    say "using Node ${NODE_VERSION} installed earlier: ${NODE_BIN}"
  else
    say "installing Node ${NODE_VERSION} (${NODE_PACKAGE} from the npm registry) into ${NODE_DIR}"
    started="$(date +%s)"
    # Installed beside and moved into place in one step, so a concurrent run (another clone) never sees half of it.
    work="$(mktemp -d "${CACHE_ROOT}/node.XXXXXX")"
    if ! npm install --prefix "${work}" --no-save --no-audit --no-fund --no-package-lock --ignore-scripts \
      "${NODE_PACKAGE}@${NODE_VERSION}" > "${work}.log" 2>&1 || [ ! -x "${work}/node_modules/${NODE_PACKAGE}/bin/node" ]; then
      rm -rf "${work}"
      fail failed "npm install ${NODE_PACKAGE}@${NODE_VERSION} failed: $(tail -n 5 "${work}.log")"
    fi
    rm -rf "${NODE_DIR}" "${work}.log"
    mv "${work}" "${NODE_DIR}" 2>/dev/null || rm -rf "${work}"
    seconds=$(( $(date +%s) - started ))
    say "installed Node $("${NODE_BIN}/node" --version) in ${seconds} s"
  fi
  [ -z "${NODES}" ] || NODES="${NODES},"
  NODES="${NODES}{\"major\":$(json_string "${NODE_MAJOR}"),\"version\":$(json_string "${NODE_VERSION}"),\"binDir\":$(json_string "${NODE_BIN}"),\"installSeconds\":${seconds}}"
  NPM_NODE_BIN="${NODE_BIN}" # the SDK is installed by npm running on the last (newest) Node
done

# 2. The newest SDK with this package's other dependencies, installed by npm on that Node.
SDK_VERSION="${JIRA_CONNECTORS_RUNTIME_SDK:-$(newest @pulumi/pulumi latest)}"
if [ -z "${SDK_VERSION}" ]; then
  SDK_VERSION="$(ls "${CACHE_ROOT}" 2>/dev/null | sed -n 's/^sdk-\(3\.[0-9]*\.[0-9]*\)-.*$/\1/p' | sort -t. -k2,2n -k3,3n | tail -n 1)"
fi
[ -n "${SDK_VERSION}" ] || fail failed "could not resolve @pulumi/pulumi@latest from the npm registry"
MANIFEST="$(SDK_VERSION="${SDK_VERSION}" node -e '
  const p = require(process.argv[1]);
  const dependencies = { ...p.dependencies, "@pulumi/pulumi": process.env.SDK_VERSION };
  process.stdout.write(JSON.stringify({ name: "jira-connectors-runtime", private: true, dependencies }, null, 2) + "\n");' "${ROOT}/package.json")"
HASH="$(printf '%s' "${MANIFEST}" | cksum | cut -d' ' -f1)"
SDK_DIR="${CACHE_ROOT}/sdk-${SDK_VERSION}-${HASH}"
MODULES="${SDK_DIR}/node_modules"
if [ -f "${SDK_DIR}/.installed" ] && [ -f "${MODULES}/@pulumi/pulumi/package.json" ]; then
  say "using @pulumi/pulumi ${SDK_VERSION} installed earlier: ${MODULES}"
else
  say "installing @pulumi/pulumi ${SDK_VERSION} and this package's dependencies with npm run on Node $("${NPM_NODE_BIN}/node" --version) into ${SDK_DIR}"
  started="$(date +%s)"
  work="$(mktemp -d "${CACHE_ROOT}/sdk.XXXXXX")"
  printf '%s' "${MANIFEST}" > "${work}/package.json"
  if ! (cd "${work}" && PATH="${NPM_NODE_BIN}:${PATH}" npm install --no-audit --no-fund --engine-strict > "${work}.log" 2>&1); then
    rm -rf "${work}"
    fail failed "npm install of @pulumi/pulumi ${SDK_VERSION} failed: $(tail -n 8 "${work}.log")"
  fi
  installed="$(node -p "require('${work}/node_modules/@pulumi/pulumi/package.json').version")"
  [ "${installed}" = "${SDK_VERSION}" ] || { rm -rf "${work}"; fail failed "npm installed @pulumi/pulumi ${installed}, not ${SDK_VERSION}"; }
  touch "${work}/.installed"
  rm -rf "${SDK_DIR}" "${work}.log"
  mv "${work}" "${SDK_DIR}" 2>/dev/null || rm -rf "${work}"
  SDK_SECONDS=$(( $(date +%s) - started ))
  say "installed @pulumi/pulumi ${SDK_VERSION} in ${SDK_SECONDS} s"
fi

# 3. The Pulumi CLI of the same version, built like the pinned one.
CLI_RECORD_FILE="${CACHE_ROOT}/cli-${SDK_VERSION}.$$.json" # this run's own: clones may run this concurrently
JIRA_CONNECTORS_PULUMI_VERSION="v${SDK_VERSION}" JIRA_CONNECTORS_PULUMI_RECORD="${CLI_RECORD_FILE}" \
  JIRA_CONNECTORS_PULUMI_LAUNCHER="${MODULES}/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" \
  sh "${ROOT}/scripts/install-pulumi.sh" --record
CLI_RECORD="$(cat "${CLI_RECORD_FILE}" 2>/dev/null || echo null)"
rm -f "${CLI_RECORD_FILE}"
case "${CLI_RECORD}" in
  *'"status":"found"'* | *'"status":"cached"'* | *'"status":"built"'*) ;;
  *'"status":"skipped"'*) fail skipped "no Go toolchain to build pulumi v${SDK_VERSION}: the Node ${NODE_MAJORS} / newest-SDK engine suite WILL BE SKIPPED" ;;
  *) fail failed "scripts/install-pulumi.sh could not provide pulumi v${SDK_VERSION}: ${CLI_RECORD}" ;;
esac

say "ready: Node ${NODE_MAJORS} (newest of each), @pulumi/pulumi ${SDK_VERSION}, pulumi v${SDK_VERSION}"
record ready ""
exit 0
