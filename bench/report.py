"""Prints the benchmark table (markdown) from bench/out/results.tsv."""
import sys

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])][1:]
print("| offers | scenario | conns | req/s | p50 ms | p99 ms | errors | pgbench TPS | ratio | server peak RSS MB |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for size, scenario, conns, rps, p50, p99, errors, tps, rss in rows:
    ratio = float(rps) / float(tps) if float(tps) > 0 else 0.0
    print(f"| {int(size):,} | {scenario} | {conns} | {float(rps):,.0f} | {p50} | {p99} | {errors} | {float(tps):,.0f} | {ratio:.2f} | {rss} |")
