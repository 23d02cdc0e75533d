#!/usr/bin/env python3
"""Récepteur de webhooks Mon stage de 3e (Python 3, bibliothèque standard seulement).

    WEBHOOK_SECRET=whsec_... PORT=8088 python3 recepteur.py

Vérifie chaque envoi avant de le traiter :
  1. l'horodatage X-Webhook-Timestamp a moins de 5 minutes (sinon : rejeu possible, refusé) ;
  2. X-Webhook-Signature-SHA256 contient sha256=<HMAC-SHA256(secret, "<horodatage>.<corps>")>,
     comparé en temps constant (pendant un renouvellement du secret, l'en-tête porte deux
     signatures séparées par une virgule : une seule suffit) ;
  3. l'identifiant X-Webhook-Id n'a pas déjà été traité (un envoi peut arriver plusieurs fois).
Répond 200 si l'envoi est valide, 401 sinon. Écrit une ligne JSON par envoi sur la sortie standard.
"""
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = os.environ["WEBHOOK_SECRET"].encode()
TOLERANCE_SECONDS = 300
seen_ids = set()


def signature_is_valid(timestamp: str, body: bytes, header: str) -> bool:
    expected = "sha256=" + hmac.new(SECRET, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, candidate.strip()) for candidate in header.split(","))


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        event_id = self.headers.get("X-Webhook-Id", "")
        timestamp = self.headers.get("X-Webhook-Timestamp", "")
        header = self.headers.get("X-Webhook-Signature-SHA256", "")
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) <= TOLERANCE_SECONDS
        valid = fresh and signature_is_valid(timestamp, body, header)
        if valid and event_id not in seen_ids:
            seen_ids.add(event_id)
            event = json.loads(body)
            print(json.dumps({"verified": True, "id": event["id"], "type": event["type"], "data": event["data"]}), flush=True)
        elif not valid:
            reason = "horodatage trop ancien" if not fresh else "signature invalide"
            print(json.dumps({"verified": False, "id": event_id, "reason": reason}), flush=True)
        self.send_response(200 if valid else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8088"))
    print(f"récepteur à l'écoute sur http://127.0.0.1:{port}/webhooks", file=sys.stderr, flush=True)
    HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
