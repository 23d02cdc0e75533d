//! The typed request of `POST /api/application_trackings`.

use utoipa::ToSchema;

use crate::error::ApiError;
use crate::request::offers::payload_object;
use crate::request::{Fields, Params, read};

const STATUSES: [&str; 4] = [
    "application_submitted",
    "application_approved",
    "application_rejected",
    "application_canceled",
];

/// The stored status for what a partner sent (`application_accepted` is the original doc's word).
fn remote_status(sent: &str) -> Option<&'static str> {
    let sent = if sent == "application_accepted" {
        "application_approved"
    } else {
        sent
    };
    STATUSES.iter().copied().find(|s| *s == sent)
}

/// The `application_tracking` object.
#[derive(Debug, PartialEq, ToSchema)]
pub struct ApplicationTrackingRequest {
    #[schema(example = "offre-42")]
    pub remote_id: String,
    /// L'identifiant de l'élève (`msta`), facultatif.
    #[schema(rename = "ms3e_student_id", example = 3)]
    pub student_id: Option<i64>,
    /// `application_submitted`, `application_approved` (ou `application_accepted`), `application_rejected`,
    /// `application_canceled`.
    #[schema(rename = "remote_status", value_type = String, example = "application_approved")]
    pub status: &'static str,
}

/// The body: `{"application_tracking": {…}}`.
#[derive(ToSchema)]
#[allow(
    dead_code,
    reason = "the schema of the body around ApplicationTrackingRequest"
)]
pub struct ApplicationTrackingBody {
    application_tracking: ApplicationTrackingRequest,
}

impl ApplicationTrackingRequest {
    /// 422 `BAD_PAYLOAD` without the object, 400 for missing or refused fields, 422
    /// `BAD_ARGUMENT` for an unknown status.
    pub fn read(params: &Params) -> Result<ApplicationTrackingRequest, ApiError> {
        Self::read_from(&mut Fields::new(payload_object(
            params,
            "application_tracking",
        )?))
    }

    fn read_from(f: &mut Fields<'_>) -> Result<ApplicationTrackingRequest, ApiError> {
        let remote_id = f.trimmed_text("remote_id");
        let remote_id = f.required("remote_id", remote_id);
        let student_id = f.id("ms3e_student_id");
        let sent_status = f.trimmed_text("remote_status");
        let sent_status = f.required("remote_status", sent_status);
        let (Some(remote_id), Some(sent_status)) = (remote_id, sent_status) else {
            return Err(ApiError::Validation(f.errors().clone()));
        };
        f.errors().clone().into_result()?;
        let status =
            remote_status(&sent_status).ok_or(ApiError::UnknownRemoteStatus(sent_status))?;
        Ok(ApplicationTrackingRequest {
            remote_id,
            student_id,
            status,
        })
    }

    /// The keys of `application_tracking` this request reads (its OpenAPI schema lists the same).
    pub fn keys_read() -> Vec<&'static str> {
        read::keys_read_by(Self::read_from)
    }
}
