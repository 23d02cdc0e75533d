#!/usr/bin/env python3
"""Writes the benchmark's search mix, seeded: one query string a line, for each shape.

bench/mix.py SHAPE COUNT SEED > paths.txt

Shapes: geo (a place weighted by population, a few km of jitter, radius 1-50 km), keyword (100
words: frequent, middling, rare and absent), geo_keyword, filtered (sector and week filters
with a place or a word), deep (pages 1-50), facets (the three facets, with a place or a word).
"""
import random
import sys
import urllib.parse

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from offers import PLACES, TRADES, FREQUENT, MIDDLE, SYLLABLES, rare_words  # noqa: E402

ABSENT = ["astronaute", "xylophone", "zeppelin", "kayakiste", "oenologue", "sismologue",
          "cosmonaute", "glaciologue", "egyptologue", "ventriloque"]


def words(rng):
    rare = rare_words(8000, random.Random(1))[:30]
    trades = [t.split()[0].lower() for t in TRADES][:30]
    pool = FREQUENT + MIDDLE + trades + rare + ABSENT
    return pool[:100] if len(pool) >= 100 else pool


def place(rng):
    weighted = [p for p in PLACES for _ in range(p[4])]
    _, _, lat, lon, _ = rng.choice(weighted)
    return round(lat + rng.uniform(-0.05, 0.05), 5), round(lon + rng.uniform(-0.05, 0.05), 5)


def query(shape, rng, vocabulary, sectors, weeks):
    q = []
    if shape in ("geo", "geo_keyword", "filtered", "deep", "facets") and (shape != "filtered" or rng.random() < 0.5) and (shape != "facets" or rng.random() < 0.5):
        lat, lon = place(rng)
        q += [("latitude", lat), ("longitude", lon), ("radius", rng.choice([1000, 2000, 5000, 10000, 20000, 50000]))]
    if shape in ("keyword", "geo_keyword") or (shape in ("filtered", "facets") and not q) or (shape == "deep" and rng.random() < 0.5):
        q.append(("keyword", rng.choice(vocabulary)))
    if shape == "filtered":
        q.append(("sectors[]", rng.choice(sectors)))
        q.append(("weeks[]", rng.choice(weeks)))
    if shape == "deep":
        q.append(("page", rng.randint(1, 50)))
    if shape == "facets":
        q += [("facets[]", "sector"), ("facets[]", "week"), ("facets[]", "department")]
    return "/api/internship_offers/search?" + urllib.parse.urlencode(q)


def main():
    shape, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    sectors = sys.argv[4].split(",")
    weeks = sys.argv[5].split(",")
    rng = random.Random(seed)
    vocabulary = words(rng)
    for _ in range(count):
        print(query(shape, rng, vocabulary, sectors, weeks))


if __name__ == "__main__":
    main()
