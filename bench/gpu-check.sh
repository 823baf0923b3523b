#!/usr/bin/env bash
# The check for a machine with a GPU (a Vulkan driver): one JSON line per result on stdout, under 8 minutes.
#   bash bench/gpu-check.sh            # doctor; the op gradient tests on webgpu; the supernet benchmark at
#                                      # the paper's size (C=16, L=8, batch 128, 32 px) on webgpu and wasm;
#                                      # one epoch of the cifar10 preset search on data/cache/cifar10
#   GPU_CHECK_TINY=1 bash bench/gpu-check.sh   # the same path at toy sizes (a dry run on a software adapter)
# Environment: DATA (default data/cache/cifar10, where `ednas data cifar10` downloads), OUT (default a fresh temporary directory). Each part has
# its own time limit (45 + 60 + 120 + 240 s at most); a search cut by its limit still reports its progress.
set -uo pipefail
cd "$(dirname "$0")/.."

export EDNAS_BACKEND=webgpu CI=true
OUT=${OUT:-$(mktemp -d -t ednas-gpu-check-XXXXXX)}
DATA=${DATA:-data/cache/cifar10}
mkdir -p "$OUT"
if [ -n "${GPU_CHECK_TINY:-}" ]; then
  BENCH=(--channels 4 --layers 3 --batch 16 --steps 2)
  SEARCH=(--preset quick --set C=2 --set layers=3 --set epochs=1 --set limit=64 --set batchSize=8 --set policyBatchSize=8)
  SEARCH_LIMIT=120
else
  BENCH=(--channels 16 --layers 8 --batch 128 --size 32 --steps 5)
  SEARCH=(--preset cifar10 --data "$DATA" --set epochs=1)
  SEARCH_LIMIT=240
  if [ ! -d "$DATA" ]; then
    echo "{\"check\":\"data\",\"error\":\"no CIFAR-10 in $DATA: run 'node bin/ednas.js data cifar10' first, or set DATA=DIR\"}"
  fi
fi

# Prints {"check": NAME, "rc": N, "wall_s": S, "output": [last lines]} for a command's text output.
json() {
  node -e '
    const [name, rc, wall, file] = process.argv.slice(1);
    const lines = require("fs").readFileSync(file, "utf8").split("\n").filter((l) => l && !/artificially reduced/.test(l));
    console.log(JSON.stringify({ check: name, rc: Number(rc), wall_s: Number(wall), output: lines.slice(-40) }));
  ' "$@"
}

step() {
  local name=$1 limit=$2
  shift 2
  local start=$SECONDS
  timeout "$limit" "$@" >"$OUT/$name.log" 2>&1
  local rc=$?
  json "$name" "$rc" $((SECONDS - start)) "$OUT/$name.log"
  return $rc
}

status=0
step doctor 45 node bin/ednas.js doctor || status=1
step gradients 60 node --import tsx --test --test-force-exit --test-reporter=tap test/backend/webgpu-gradients.test.ts || status=1
# The benchmark's own JSON lines (one per backend), then its exit status.
start=$SECONDS
timeout 120 node --import tsx bench/main.ts supernet "${BENCH[@]}" --backend webgpu,wasm --no-torch 2>"$OUT/bench.err" | grep '^{' || status=1
echo "{\"check\":\"supernet-bench\",\"wall_s\":$((SECONDS - start))}"
step search-epoch "$SEARCH_LIMIT" node bin/ednas.js search "${SEARCH[@]}" --out "$OUT/search" || status=1
if [ -f "$OUT/search/epochs.csv" ]; then
  node -e '
    // CSV with quoted fields (the genotype column).
    const split = (l) => { const out = []; let cur = "", q = false; for (let i = 0; i < l.length; i++) { const c = l[i];
      if (q) { if (c === "\"" && l[i + 1] === "\"") { cur += c; i++; } else if (c === "\"") q = false; else cur += c; }
      else if (c === "\"") q = true; else if (c === ",") { out.push(cur); cur = ""; } else cur += c; } out.push(cur); return out; };
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(split);
    const [head, ...data] = rows;
    for (const r of data) console.log(JSON.stringify({ check: "search-epoch-record", ...Object.fromEntries(head.filter((h) => h !== "genotype").map((h) => [h, r[head.indexOf(h)]]).map(([h, v]) => [h, v === "" || isNaN(+v) ? v : +v])) }));
  ' "$OUT/search/epochs.csv"
fi
echo "{\"check\":\"done\",\"ok\":$([ $status = 0 ] && echo true || echo false),\"out\":\"$OUT\"}"
exit $status
