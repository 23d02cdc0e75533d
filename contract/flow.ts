// A partner's short integration in TypeScript, with openapi-fetch over the types
// openapi-typescript generated from /api/openapi.json (scripts/contract.sh); type-checked with
// `tsc --strict`. Each answer's status must be one the document declares for its operation.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";

type Answer = { response: Response; error?: unknown; data?: unknown };

const baseUrl = process.env.BASE_URL ?? "";
const met: string[] = [];

async function token(id: string, secret: string): Promise<string> {
  const open = createClient<paths>({ baseUrl });
  const form: components["schemas"]["TokenRequestForm"] = {
    grant_type: "client_credentials",
    client_id: id,
    client_secret: secret,
  };
  const { data, response } = await open.POST("/oauth/token", {
    body: form,
    bodySerializer: (body) => new URLSearchParams(body as Record<string, string>),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  if (!data) throw new Error(`token: ${response.status}`);
  met.push(`requestAccessToken -> ${response.status}`);
  return data.access_token;
}

/** `answer` has `status`, and a body (JSON) when one is expected. */
function expect(answer: Answer, status: number, what: string): void {
  if (answer.response.status !== status) {
    throw new Error(`${what}: ${answer.response.status} ${JSON.stringify(answer.error)}`);
  }
  met.push(`${what} -> ${status}`);
}

async function main(): Promise<void> {
  const api = createClient<paths>({ baseUrl });
  api.use({
    onRequest: async ({ request }) => {
      request.headers.set("Authorization", `Bearer ${bearer}`);
      return request;
    },
  });
  let bearer = await token(process.env.CLIENT_ID ?? "", process.env.CLIENT_SECRET ?? "");
  const sectors = await api.GET("/api/sectors");
  expect(sectors, 200, "listSectors");
  const sector = sectors.data?.sectors[0]?.uuid ?? "";
  const remoteId = `ts-flow-${Date.now()}`;
  const offer: components["schemas"]["CreateOfferRequest"] = {
    internship_offer: {
      remote_id: remoteId,
      title: "Découverte du métier de fleuriste",
      description: "Composer des bouquets, accueillir les clients.",
      employer_name: "Fleurs du Marché",
      street: "12 place du Marché",
      zipcode: "69002",
      city: "Lyon",
      permalink: `https://partenaire.example/offres/${remoteId}`,
      sector_uuid: sector,
      max_candidates: 1,
      coordinates: { latitude: 45.76, longitude: 4.83 },
    },
  };
  const created = await api.POST("/api/internship_offers", { body: offer });
  expect(created, 201, "createOffer");
  const path = { path: { remote_id: remoteId } };
  expect(await api.GET("/api/internship_offers/{remote_id}", { params: path }), 200, "getOffer");
  const patch = { internship_offer: { title: "Fleuriste : bouquets et conseils" } };
  const updated = await api.PATCH("/api/internship_offers/{remote_id}", { params: path, body: patch });
  expect(updated, 200, "updateOffer");
  const found = await api.GET("/api/internship_offers/search", {
    params: { query: { keyword: "fleuriste", "facets[]": ["sector"] } },
  });
  expect(found, 200, "searchCatalogue");
  if (!found.data?.facets) throw new Error("searchCatalogue: no facets");
  expect(await api.GET("/api/internship_offers/changes"), 200, "listOwnOfferChanges");
  expect(await api.GET("/api/catalogue/changes"), 200, "listCatalogueChanges");
  expect(await api.DELETE("/api/internship_offers/{remote_id}", { params: path }), 200, "deleteOffer");
  expect(await api.DELETE("/api/internship_offers/{remote_id}", { params: path }), 409, "deleteOffer, again");
  bearer = "inconnu";
  expect(await api.GET("/api/internship_offers"), 401, "listOffers, bad token");
  bearer = await token(process.env.NARROW_ID ?? "", process.env.NARROW_SECRET ?? "");
  expect(await api.POST("/api/internship_offers", { body: offer }), 403, "createOffer, offers:read only");
  console.log(met.join("\n"));
  console.error(`typescript client: ${met.length} answers, each declared`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
