#!/usr/bin/env python3
"""Writes N realistic offers as JSON Lines for `monstage offers import` (seeded, reproducible).

bench/offers.py N SEED > offers.jsonl

Places: 60 French places weighted by population (big cities, towns, overseas), with a few km of
jitter. Words: titles of 40 trades, and descriptions mixing frequent words, a middle band and a
long tail of 8 000 rare words. Sectors: the 47 of the referential. Weeks: one or two of next
school year.
"""
import json
import random
import sys
import datetime

PLACES = [  # name, zipcode, latitude, longitude, weight
    ("Paris", "75002", 48.8566, 2.3522, 260), ("Marseille", "13001", 43.2965, 5.3698, 50),
    ("Lyon", "69001", 45.7640, 4.8357, 50), ("Toulouse", "31000", 43.6047, 1.4442, 40),
    ("Nice", "06000", 43.7102, 7.2620, 30), ("Nantes", "44000", 47.2184, -1.5536, 30),
    ("Montpellier", "34000", 43.6108, 3.8767, 30), ("Strasbourg", "67000", 48.5734, 7.7521, 28),
    ("Bordeaux", "33000", 44.8378, -0.5792, 28), ("Lille", "59000", 50.6292, 3.0573, 28),
    ("Rennes", "35000", 48.1173, -1.6778, 22), ("Reims", "51100", 49.2583, 4.0317, 18),
    ("Le Havre", "76600", 49.4944, 0.1079, 17), ("Saint-Etienne", "42000", 45.4397, 4.3872, 17),
    ("Toulon", "83000", 43.1242, 5.9280, 17), ("Grenoble", "38000", 45.1885, 5.7245, 16),
    ("Dijon", "21000", 47.3220, 5.0415, 15), ("Angers", "49000", 47.4784, -0.5632, 15),
    ("Nimes", "30000", 43.8367, 4.3601, 15), ("Clermont-Ferrand", "63000", 45.7772, 3.0870, 14),
    ("Le Mans", "72000", 48.0061, 0.1996, 14), ("Aix-en-Provence", "13090", 43.5297, 5.4474, 14),
    ("Brest", "29200", 48.3904, -4.4861, 14), ("Tours", "37000", 47.3941, 0.6848, 13),
    ("Amiens", "80000", 49.8941, 2.2958, 13), ("Limoges", "87000", 45.8336, 1.2611, 13),
    ("Annecy", "74000", 45.8992, 6.1294, 12), ("Perpignan", "66000", 42.6887, 2.8948, 12),
    ("Metz", "57000", 49.1193, 6.1757, 12), ("Besancon", "25000", 47.2378, 6.0241, 11),
    ("Orleans", "45000", 47.9030, 1.9093, 11), ("Rouen", "76000", 49.4432, 1.0999, 11),
    ("Mulhouse", "68100", 47.7508, 7.3359, 11), ("Caen", "14000", 49.1829, -0.3707, 10),
    ("Nancy", "54000", 48.6921, 6.1844, 10), ("Avignon", "84000", 43.9493, 4.8055, 9),
    ("Poitiers", "86000", 46.5802, 0.3404, 9), ("La Rochelle", "17000", 46.1603, -1.1511, 8),
    ("Pau", "64000", 43.2951, -0.3708, 8), ("Ajaccio", "20000", 41.9192, 8.7386, 6),
    ("Bastia", "20200", 42.6970, 9.4509, 5), ("Quimper", "29000", 47.9960, -4.1024, 5),
    ("Vannes", "56000", 47.6582, -2.7608, 5), ("Chambery", "73000", 45.5646, 5.9178, 5),
    ("Laval", "53000", 48.0707, -0.7734, 4), ("Auxerre", "89000", 47.7982, 3.5673, 4),
    ("Gap", "05000", 44.5594, 6.0786, 3), ("Mende", "48000", 44.5181, 3.5010, 2),
    ("Aurillac", "15000", 44.9264, 2.4397, 2), ("Gueret", "23000", 46.1710, 1.8717, 2),
    ("Foix", "09000", 42.9653, 1.6070, 2), ("Privas", "07000", 44.7353, 4.5992, 2),
    ("Saint-Denis (Reunion)", "97400", -20.8823, 55.4504, 6), ("Fort-de-France", "97200", 14.6161, -61.0588, 4),
    ("Pointe-a-Pitre", "97110", 16.2411, -61.5331, 4), ("Cayenne", "97300", 4.9224, -52.3135, 3),
    ("Mamoudzou", "97600", -12.7806, 45.2279, 2), ("Bourges", "18000", 47.0810, 2.3988, 5),
    ("Chartres", "28000", 48.4439, 1.4890, 5), ("Valence", "26000", 44.9334, 4.8924, 6),
]

TRADES = [
    "Cheffe de cuisine", "Commis de cuisine", "Pâtissier", "Boulangère", "Serveur en restauration",
    "Développeuse web", "Technicien réseaux informatiques", "Data analyst", "Graphiste", "Monteur vidéo",
    "Infirmière", "Aide-soignant", "Pharmacienne", "Vétérinaire", "Kinésithérapeute",
    "Électricien", "Plombière", "Menuisier", "Maçonne", "Chef de chantier",
    "Architecte", "Géomètre", "Mécanicienne automobile", "Carrossier", "Conducteur de travaux",
    "Comptable", "Juriste", "Avocate", "Notaire", "Banquier conseil",
    "Journaliste", "Photographe", "Libraire", "Bibliothécaire", "Professeure des écoles",
    "Agricultrice", "Paysagiste", "Fleuriste", "Horticulteur", "Vendeuse en boutique",
]
FREQUENT = ["découverte", "équipe", "accueil", "atelier", "client", "projet", "métier", "semaine",
            "observation", "entreprise"]
MIDDLE = ["numérique", "santé", "bâtiment", "restaurant", "commerce", "hôpital", "jardin", "musée",
          "laboratoire", "banque", "garage", "théâtre", "ferme", "boutique", "bureau", "studio",
          "chantier", "cuisine", "école", "mairie"]
SYLLABLES = ["ba", "co", "di", "fu", "ga", "ke", "li", "mo", "nu", "pa", "ri", "so", "ta", "vi", "zo",
             "cha", "fro", "gli", "pri", "tre"]
SECTORS = None  # filled from argv: the uuids of the referential


def rare_words(count, rng):
    words = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))))
    return sorted(words)


def main():
    n, seed = int(sys.argv[1]), int(sys.argv[2])
    sectors = sys.argv[3].split(",")
    rng = random.Random(seed)
    rare = rare_words(8000, rng)
    year = datetime.date.today().year + (1 if datetime.date.today().month >= 9 else 0)
    weeks = [f"{year}-W{w:02d}" for w in range(2, 24)]
    places = [p for p in PLACES for _ in range(p[4])]
    out = sys.stdout
    for i in range(n):
        name, zipcode, lat, lon, _ = rng.choice(places)
        trade = TRADES[int(rng.paretovariate(1.2)) % len(TRADES)]
        words = [rng.choice(FREQUENT), rng.choice(MIDDLE), rng.choice(rare), rng.choice(rare)]
        first = rng.randrange(len(weeks) - 1)
        offer = {
            "remote_id": f"bench-{i}",
            "title": trade,
            "description": f"{trade} : {' '.join(words)}. Une semaine pour observer le métier.",
            "employer_name": f"Entreprise {i % 5000}",
            "street": f"{1 + i % 200} rue de la République",
            "zipcode": zipcode,
            "city": name,
            "coordinates": {"latitude": round(lat + rng.uniform(-0.09, 0.09), 5),
                            "longitude": round(lon + rng.uniform(-0.12, 0.12), 5)},
            "sector_uuid": sectors[i % len(sectors)],
            "weeks": weeks[first:first + rng.choice([1, 2])],
            "permalink": f"https://partenaire.example/offres/{i}",
            "max_candidates": 1 + i % 5,
        }
        out.write(json.dumps(offer, ensure_ascii=False))
        out.write("\n")


if __name__ == "__main__":
    main()
