#!/usr/bin/env python3
"""Copie locale du catalogue Mon stage de 3e, tenue à jour par le flux de changements.

    BASE_URL=https://… TOKEN=… python3 miroir-catalogue.py [--une-fois] [--base miroir.sqlite]

- Premier lancement : lit tout le catalogue (instantané), puis les changements survenus depuis.
- Lancements suivants : reprend au curseur enregistré, sans rien relire.
- `--une-fois` : s'arrête quand la copie est à jour ; sinon interroge le flux toutes les 30 s.

La copie (SQLite) et le curseur sont écrits dans la même transaction : un arrêt brutal ne perd rien
et ne double rien. Un curseur trop ancien (410 CURSOR_EXPIRED) fait repartir de zéro.
Python 3.8+, bibliothèque standard seulement.
"""
import argparse
import json
import os
import sqlite3
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

FLUX = "/api/catalogue/changes"


def ouvrir(chemin):
    base = sqlite3.connect(chemin)
    base.executescript(
        """
        CREATE TABLE IF NOT EXISTS offres (id INTEGER PRIMARY KEY, remote_id TEXT, offre TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS curseur (un INTEGER PRIMARY KEY CHECK (un = 1), valeur TEXT);
        """
    )
    return base


def curseur(base):
    ligne = base.execute("SELECT valeur FROM curseur WHERE un = 1").fetchone()
    return ligne[0] if ligne else None


def lire_page(depuis):
    requete = {"limit": 1000}
    if depuis:
        requete["since"] = depuis
    adresse = os.environ["BASE_URL"].rstrip("/") + FLUX + "?" + urllib.parse.urlencode(requete)
    entetes = {"Authorization": "Bearer " + os.environ["TOKEN"]}
    for essai in range(6):
        try:
            with urllib.request.urlopen(urllib.request.Request(adresse, headers=entetes), timeout=60) as r:
                return json.load(r)
        except urllib.error.HTTPError as erreur:
            if erreur.code == 410:
                return None  # CURSOR_EXPIRED : tout relire
            if erreur.code not in (429, 502, 503, 504):
                raise
            attente = int(erreur.headers.get("Retry-After") or 2 ** essai)
        except urllib.error.URLError:
            attente = 2 ** essai
        time.sleep(attente)
    raise SystemExit("le flux ne répond pas")


def appliquer(base, page):
    with base:  # une transaction : les entrées et le curseur ensemble
        for entree in page["changes"]:
            if entree["type"] == "upsert":
                base.execute(
                    "INSERT INTO offres (id, remote_id, offre) VALUES (?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET remote_id = excluded.remote_id, offre = excluded.offre",
                    (entree["id"], entree["remote_id"], json.dumps(entree["offer"], ensure_ascii=False)),
                )
            else:  # delete : supprimée, dépubliée, complète ou terminée
                base.execute("DELETE FROM offres WHERE id = ?", (entree["id"],))
        base.execute(
            "INSERT INTO curseur (un, valeur) VALUES (1, ?) ON CONFLICT (un) DO UPDATE SET valeur = excluded.valeur",
            (page["next_cursor"],),
        )


def rattraper(base):
    """Lit le flux jusqu'à être à jour ; renvoie le nombre d'entrées appliquées."""
    appliquees = 0
    while True:
        page = lire_page(curseur(base))
        if page is None:
            print("curseur expiré : nouvelle copie complète", file=sys.stderr)
            with base:
                base.execute("DELETE FROM offres")
                base.execute("DELETE FROM curseur")
            continue
        appliquer(base, page)
        appliquees += len(page["changes"])
        if not page["has_more"]:
            return appliquees


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--base", default="miroir.sqlite", help="fichier SQLite de la copie")
    options.add_argument("--une-fois", action="store_true", help="s'arrêter une fois à jour")
    options.add_argument("--intervalle", type=float, default=30, help="secondes entre deux lectures")
    arguments = options.parse_args()
    base = ouvrir(arguments.base)
    while True:
        appliquees = rattraper(base)
        total = base.execute("SELECT count(*) FROM offres").fetchone()[0]
        print(json.dumps({"entrees_appliquees": appliquees, "offres": total, "curseur": curseur(base)}))
        if arguments.une_fois:
            return
        time.sleep(arguments.intervalle)


if __name__ == "__main__":
    main()
