use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::ApiCall;
use crate::db::models::Sector;
use crate::db::queries::sectors;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct SectorResponse {
    pub id: i64,
    pub name: String,
    pub external_url: String,
    /// The identifier to send as `sector_uuid`.
    pub uuid: uuid::Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectorList {
    pub sectors: Vec<SectorResponse>,
}

impl From<Sector> for SectorResponse {
    fn from(sector: Sector) -> Self {
        SectorResponse {
            id: sector.id,
            name: sector.name,
            external_url: sector.external_url,
            uuid: sector.uuid,
        }
    }
}

/// The sector referential.
#[utoipa::path(
    get,
    path = "/api/sectors",
    responses(
        (status = 200, description = "Les secteurs d'activité, avec leur ETag", body = SectorList),
        (status = 304, description = "Inchangés depuis l'ETag de If-None-Match"),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
    ),
)]
pub async fn list_sectors(
    req: HttpRequest,
    _call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let all = crate::db::run(&state.pool, |conn| Ok::<_, ApiError>(sectors::all(conn)?)).await?;
    let list = SectorList {
        sectors: all.into_iter().map(SectorResponse::from).collect(),
    };
    Ok(crate::api::conditional::json_read(&req, &list))
}
