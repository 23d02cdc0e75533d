"""A partner's first integration, written only with the client openapi-python-client generated
from /api/openapi.json (scripts/contract.sh). Every answer must be one the document declares:
the client raises `UnexpectedStatus` otherwise, and each is parsed into its generated model.

Environment: BASE_URL, CLIENT_ID and CLIENT_SECRET (a client with every scope of a full-access
operator), NARROW_ID and NARROW_SECRET (a client holding `offers:read` only).
"""

import os
import sys
import uuid

from monstage_client import AuthenticatedClient, Client
from monstage_client.api.authentification import request_access_token
from monstage_client.api.flux import list_catalogue_changes, list_own_offer_changes
from monstage_client.api.offres import (
    bulk_upsert_offers,
    create_offer,
    delete_offer,
    get_offer,
    list_offers,
    search_catalogue,
    update_offer,
)
from monstage_client.api.referentiels import list_sectors
from monstage_client.models import (
    BulkResponse,
    BulkUpsertOffersBody,
    CatalogueChanges,
    Coordinates,
    CreateOfferFields,
    CreateOfferRequest,
    ErrorBody,
    GrantType,
    OfferChanges,
    OfferListing,
    OfferResponse,
    SectorList,
    TokenErrorBody,
    TokenRequestForm,
    TokenResponse,
    UpdateOfferFields,
    UpdateOfferRequest,
)

BASE_URL = os.environ["BASE_URL"]
met = []


def expect(answer, model, status, what):
    """`answer` was parsed into `model` with `status`."""
    assert answer.status_code == status, f"{what}: {answer.status_code} {answer.content!r}"
    assert isinstance(answer.parsed, model), f"{what}: {type(answer.parsed)}"
    met.append(f"{what} -> {status} {model.__name__}")
    return answer.parsed


def token(client_id, secret):
    form = TokenRequestForm(
        grant_type=GrantType.CLIENT_CREDENTIALS, client_id=client_id, client_secret=secret
    )
    public = Client(base_url=BASE_URL, raise_on_unexpected_status=True)
    answer = request_access_token.sync_detailed(client=public, body=form)
    granted = expect(answer, TokenResponse, 200, "requestAccessToken")
    return AuthenticatedClient(
        base_url=BASE_URL, token=granted.access_token, raise_on_unexpected_status=True
    )


def an_offer(remote_id, sector):
    return CreateOfferRequest(
        internship_offer=CreateOfferFields(
            remote_id=remote_id,
            title="Découverte des métiers de la boulangerie",
            description="Une semaine au fournil, du pétrissage à la vente.",
            employer_name="Boulangerie du Port",
            street="3 quai des Chartrons",
            zipcode="33000",
            city="Bordeaux",
            permalink=f"https://partenaire.example/offres/{remote_id}",
            sector_uuid=sector,
            max_candidates=2,
            coordinates=Coordinates(latitude=44.85, longitude=-0.57),
        )
    )


def happy_path(api, sector):
    remote_id = f"flow-{uuid.uuid4()}"
    created = expect(create_offer.sync_detailed(client=api, body=an_offer(remote_id, sector)),
                     OfferResponse, 201, "createOffer")
    assert created.remote_id == remote_id
    expect(get_offer.sync_detailed(remote_id, client=api), OfferResponse, 200, "getOffer")
    change = UpdateOfferRequest(internship_offer=UpdateOfferFields(title="Boulangerie et pâtisserie"))
    updated = expect(update_offer.sync_detailed(remote_id, client=api, body=change),
                     OfferResponse, 200, "updateOffer")
    assert updated.title == "Boulangerie et pâtisserie"
    found = expect(search_catalogue.sync_detailed(client=api, keyword="boulangerie",
                                                  facets=["sector", "department"]),
                   OfferListing, 200, "searchCatalogue")
    assert found.facets is not None
    expect(list_offers.sync_detailed(client=api), OfferListing, 200, "listOffers")
    items = BulkUpsertOffersBody.from_dict({"internship_offers": [
        an_offer(f"{remote_id}-bulk", sector).internship_offer.to_dict(),
        {"remote_id": remote_id, "deleted": True},
    ]})
    bulk = expect(bulk_upsert_offers.sync_detailed(client=api, body=items),
                  BulkResponse, 200, "bulkUpsertOffers")
    assert [item.status for item in bulk.internship_offers] == ["created", "deleted"], bulk
    expect(list_own_offer_changes.sync_detailed(client=api), OfferChanges, 200,
           "listOwnOfferChanges")
    expect(list_catalogue_changes.sync_detailed(client=api), CatalogueChanges, 200,
           "listCatalogueChanges")
    expect(delete_offer.sync_detailed(f"{remote_id}-bulk", client=api), OfferResponse, 200,
           "deleteOffer")
    return remote_id


def conditional(api, sector):
    """304 on a read the client already has, 412 on a change of a version that moved on."""
    remote_id = f"etag-{uuid.uuid4()}"
    create_offer.sync_detailed(client=api, body=an_offer(remote_id, sector))
    read = get_offer.sync_detailed(remote_id, client=api)
    etag = read.headers["etag"]
    answer = get_offer.sync_detailed(remote_id, client=api, if_none_match=etag)
    assert answer.status_code == 304 and not answer.content, answer
    met.append("getOffer, If-None-Match -> 304 (no body)")
    change = UpdateOfferRequest(internship_offer=UpdateOfferFields(title="Première modification"))
    update_offer.sync_detailed(remote_id, client=api, body=change)
    expect(update_offer.sync_detailed(remote_id, client=api, body=change, if_match=etag),
           ErrorBody, 412, "updateOffer, If-Match of an older version")


def refusals(api, narrow, sector, deleted):
    anonymous = AuthenticatedClient(base_url=BASE_URL, token="inconnu",
                                    raise_on_unexpected_status=True)
    expect(list_offers.sync_detailed(client=anonymous), ErrorBody, 401, "listOffers, bad token")
    expect(create_offer.sync_detailed(client=narrow, body=an_offer("narrow", sector)),
           ErrorBody, 403, "createOffer, offers:read only")
    expect(search_catalogue.sync_detailed(client=narrow), ErrorBody, 403,
           "searchCatalogue, offers:read only")
    empty = CreateOfferRequest.from_dict({"internship_offer": {"remote_id": "vide"}})
    expect(create_offer.sync_detailed(client=api, body=empty), ErrorBody, 400,
           "createOffer, invalid fields")
    expect(get_offer.sync_detailed("absente", client=api), ErrorBody, 404, "getOffer, unknown")
    conditional(api, sector)
    bad_week = an_offer("semaine", sector)
    bad_week.internship_offer.weeks = ["2027-W60"]
    expect(create_offer.sync_detailed(client=api, body=bad_week), ErrorBody, 422,
           "createOffer, a week that does not exist")
    too_long = an_offer("long", sector)
    too_long.internship_offer.description = "x" * 300_000
    expect(create_offer.sync_detailed(client=api, body=too_long), ErrorBody, 413,
           "createOffer, a body over the limit")
    expect(delete_offer.sync_detailed(deleted, client=api), ErrorBody, 409,
           "deleteOffer, already deleted")
    duplicate = f"dup-{uuid.uuid4()}"
    create_offer.sync_detailed(client=api, body=an_offer(duplicate, sector))
    expect(create_offer.sync_detailed(client=api, body=an_offer(duplicate, sector)),
           ErrorBody, 409, "createOffer, duplicate remote_id")
    expect(create_offer.sync_detailed(client=api, body=an_offer(duplicate, sector),
                                      idempotency_key=""), ErrorBody, 400,
           "createOffer, malformed Idempotency-Key")
    form = TokenRequestForm(grant_type=GrantType.CLIENT_CREDENTIALS, client_id="x",
                            client_secret="y")
    public = Client(base_url=BASE_URL, raise_on_unexpected_status=True)
    expect(request_access_token.sync_detailed(client=public, body=form), TokenErrorBody, 401,
           "requestAccessToken, unknown client")


def main():
    api = token(os.environ["CLIENT_ID"], os.environ["CLIENT_SECRET"])
    narrow = token(os.environ["NARROW_ID"], os.environ["NARROW_SECRET"])
    sectors = expect(list_sectors.sync_detailed(client=api), SectorList, 200, "listSectors")
    sector = sectors.sectors[0].uuid
    deleted = happy_path(api, sector)
    refusals(api, narrow, sector, deleted)
    print("\n".join(met))
    print(f"python client: {len(met)} answers, each declared and parsed", file=sys.stderr)


if __name__ == "__main__":
    main()
