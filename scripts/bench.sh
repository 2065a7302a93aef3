#!/usr/bin/env bash
# Measures racm-lint against its speed and memory targets, each as a ratio measured side by side in one run:
#   - start-up: the whole process on the documented file vs a minimal Rust program that only reads it (<= 2x);
#   - the generated 20 MB file: peak memory (<= 2x the file's size), and (criterion) full lint vs the
#     java-properties crate parsing it (>= 10x faster) and vs std::fs::read (<= 5x);
#   - the generated 20 MB file read once in a fresh process: racm-lint's reader vs java-properties (>= 10x; the
#     criterion benchmark compares them warmed up, in a loop);
#   - 1,000 environment files: the CLI on 2 threads (RAYON_NUM_THREADS=2) vs the same CLI on one thread
#     (>= 1.5x faster);
#   - criterion benchmarks of the reader and of the lint (cargo bench).
# Usage: scripts/bench.sh [--quick]   (--quick skips the criterion benchmarks)
set -euo pipefail
cd "$(dirname "$0")/.."

# The tools measured with, installed when missing (a minimal Debian has none of them). apt-get assumes root.
missing=()
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "bench: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cargo build --release --quiet --bin racm-lint --example read_file --example bench_inputs --example parse_once
inputs=target/bench-inputs
out=target/bench-results
mkdir -p "$out"
target/release/examples/bench_inputs "$inputs" >/dev/null
bin=target/release/racm-lint

echo "== start-up: one small file"
hyperfine -N --warmup 20 --runs 300 --export-json "$out/startup.json" \
  "target/release/examples/read_file $inputs/documented.properties" \
  "$bin --color never $inputs/documented.properties"

echo "== 1,000 files: 2 threads vs one thread"
hyperfine -N -i --warmup 2 --runs 10 --export-json "$out/many.json" \
  "env RAYON_NUM_THREADS=2 $bin --format concise $inputs/envs" \
  "env RAYON_NUM_THREADS=1 $bin --format concise $inputs/envs"

echo "== 20 MB file: time and peak memory"
hyperfine -N -i --warmup 2 --runs 10 --export-json "$out/large.json" \
  "target/release/examples/read_file $inputs/large.properties" \
  "$bin --color never $inputs/large.properties"
echo "== 20 MB file: one parse in a fresh process, racm-lint's reader vs java-properties"
hyperfine -N --warmup 1 --runs 10 --export-json "$out/cold.json" \
  "target/release/examples/parse_once racm $inputs/large.properties" \
  "target/release/examples/parse_once java-properties $inputs/large.properties"
size=$(stat -c %s "$inputs/large.properties")
rss_kb=$( { /usr/bin/time -f %M "$bin" --color never "$inputs/large.properties" >/dev/null; } 2>&1 | tail -1)

python3 - "$out" "$size" "$rss_kb" <<'PY'
import json, sys
out, size, rss_kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def means(name):
    return [r["mean"] for r in json.load(open(f"{out}/{name}.json"))["results"]]
read, lint = means("startup")
print(f"start-up: racm-lint {lint*1e3:.2f} ms vs read-only {read*1e3:.2f} ms = {lint/read:.2f}x (target <= 2x)")
par, seq = means("many")
print(f"1,000 files: 2 threads {par*1e3:.0f} ms vs one thread {seq*1e3:.0f} ms = {seq/par:.2f}x faster (target >= 1.5x)")
read, lint = means("large")
print(f"20 MB file (process): racm-lint {lint*1e3:.0f} ms vs read-only {read*1e3:.0f} ms = {lint/read:.1f}x")
racm, jp = means("cold")
print(f"20 MB file read once (process): racm-lint reader {racm*1e3:.0f} ms vs java-properties {jp*1e3:.0f} ms = {jp/racm:.1f}x (target >= 10x)")
print(f"20 MB file: peak memory {rss_kb/1024:.1f} MiB for {size/1048576:.1f} MiB = {rss_kb*1024/size:.2f}x (target <= 2x)")
PY

if [ "${1:-}" != "--quick" ]; then
  echo "== criterion: cargo bench --bench reader --bench lint"
  # Into a file first: a failing benchmark fails the script, with its output, instead of vanishing in the grep.
  log="$out/criterion.log"
  if ! cargo bench --quiet --bench reader --bench lint >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "bench: cargo bench failed (full output in $log)" >&2
    exit 1
  fi
  grep -E "^(reader|lint)|time:|thrpt:" "$log"
fi
