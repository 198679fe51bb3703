#!/usr/bin/env bash
# `npm test`: type check, unit tests, grammar tests, end-to-end runner tests and the integration suite
# in a real VS Code. Every stage runs even if an earlier one failed; one closing line sums them up.
set -uo pipefail
cd "$(dirname "$0")/.."
export LAYERLENS_TEST_TALLY
LAYERLENS_TEST_TALLY="$(mktemp)"
failed_stages=()
stage() {
  local name="$1"; shift
  echo; echo "=== $name ==="
  local start=$SECONDS
  if "$@"; then echo "=== $name: ok ($((SECONDS - start)) s)"; else failed_stages+=("$name"); echo "=== $name: FAILED ($((SECONDS - start)) s)"; fi
}
grammar() {
  # vscode-tmgrammar-test checks every assertion of every file; it counts as one test per file.
  local files rc
  files=$(find test/grammar -name '*.test.dockerfile' -o -name '*.test.dockerignore' | wc -l)
  npm run --silent test:grammar; rc=$?
  echo "{\"suite\":\"grammar\",\"passes\":$([ $rc = 0 ] && echo "$files" || echo 0),\"failures\":$([ $rc = 0 ] && echo 0 || echo "$files"),\"pending\":0}" >> "$LAYERLENS_TEST_TALLY"
  return $rc
}

stage "type check and compile" npx tsc -p .
stage "build" npm run --silent build
stage "unit tests" env LAYERLENS_TEST_SUITE=unit npx mocha --config test/.mocharc.json
stage "grammar tests" grammar
stage "end-to-end tests" env LAYERLENS_TEST_SUITE=e2e npx mocha --config test/.mocharc.e2e.json
stage "integration tests (real VS Code)" npm run --silent test:integration

node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
let p = 0, f = 0, s = 0;
for (const l of lines) {
  p += l.passes; f += l.failures; s += l.pending;
  console.log(`  ${l.suite}: ${l.passes} passed, ${l.failures} failed, ${l.pending} skipped`);
  for (const t of l.failed || []) console.log(`    FAILED: ${t.title}${t.file ? ` (${t.file})` : ""}\n      ${t.message.split("\n").join("\n      ")}`);
}
console.log(`${p} passed, ${f} failed, ${s} skipped`);
' "$LAYERLENS_TEST_TALLY"
rm -f "$LAYERLENS_TEST_TALLY"
if [ "${#failed_stages[@]}" -gt 0 ]; then echo "failed stages: ${failed_stages[*]}"; exit 1; fi
