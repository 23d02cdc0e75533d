"""Prints the benchmark tables (markdown) from bench/out/results.tsv and facts.tsv."""
import sys

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])][1:]
print("| offers | shape | conns | req/s | p50 ms | p99 ms | errors | limit (index p50/p99/max, or pgbench) |")
print("|---:|---|---:|---:|---:|---:|---:|---|")
for size, shape, conns, rps, p50, p99, errors, limit in rows:
    print(f"| {int(size):,} | {shape} | {conns} | {float(rps):,.0f} | {p50} | {p99} | {errors} | {limit} |")
print()
print("| offers | fact | value |")
print("|---:|---|---|")
for size, fact, value in [line.rstrip("\n").split("\t") for line in open(sys.argv[2])][1:]:
    print(f"| {int(size):,} | {fact} | {value} |")
