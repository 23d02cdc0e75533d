// Récepteur de webhooks Mon stage de 3e (Node.js 18+, sans dépendance).
//
//     WEBHOOK_SECRET=whsec_... PORT=8088 node recepteur.js
//
// Vérifie l'horodatage (moins de 5 minutes), la signature HMAC-SHA256 de "<horodatage>.<corps>"
// en temps constant (crypto.timingSafeEqual ; une des signatures de l'en-tête suffit pendant un
// renouvellement du secret), et ignore un identifiant déjà traité. 200 si valide, 401 sinon.
const crypto = require("node:crypto");
const http = require("node:http");

const secret = process.env.WEBHOOK_SECRET;
const toleranceSeconds = 300;
const seenIds = new Set();

function signatureIsValid(timestamp, body, header) {
  const expected = Buffer.from(
    "sha256=" + crypto.createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex"),
  );
  return header.split(",").some((candidate) => {
    const given = Buffer.from(candidate.trim());
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
}

http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const id = req.headers["x-webhook-id"] || "";
      const timestamp = req.headers["x-webhook-timestamp"] || "";
      const header = req.headers["x-webhook-signature-sha256"] || "";
      const fresh = /^\d+$/.test(timestamp) && Math.abs(Date.now() / 1000 - Number(timestamp)) <= toleranceSeconds;
      const valid = fresh && signatureIsValid(timestamp, body, header);
      if (valid && !seenIds.has(id)) {
        seenIds.add(id);
        const event = JSON.parse(body);
        console.log(JSON.stringify({ verified: true, id: event.id, type: event.type, data: event.data }));
      } else if (!valid) {
        console.log(JSON.stringify({ verified: false, id, reason: fresh ? "signature invalide" : "horodatage trop ancien" }));
      }
      res.writeHead(valid ? 200 : 401).end();
    });
  })
  .listen(Number(process.env.PORT || 8088), "127.0.0.1");
