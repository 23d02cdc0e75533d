//! The typed request of `POST /api/operator_account_activities/create_account`.

use utoipa::ToSchema;

use crate::domain::field_errors::FieldErrors;
use crate::request::{Fields, Params, read};

/// The fields, at the top level (JSON or form fields).
#[derive(Debug, PartialEq, ToSchema)]
pub struct AccountActivityRequest {
    /// Votre identifiant de l'offre.
    #[schema(example = "offre-42")]
    pub remote_id: String,
    /// L'identifiant de l'élève, lu dans le paramètre `msta` du lien.
    #[schema(example = 3)]
    pub student_id: i64,
}

impl AccountActivityRequest {
    pub fn read(params: &Params) -> Result<AccountActivityRequest, FieldErrors> {
        Self::read_from(&mut Fields::new(params))
    }

    fn read_from(f: &mut Fields<'_>) -> Result<AccountActivityRequest, FieldErrors> {
        let remote_id = f.trimmed_text("remote_id");
        let remote_id = f.required("remote_id", remote_id);
        let student_id = f.id("student_id");
        let student_id = f.required("student_id", student_id);
        match (remote_id, student_id) {
            (Some(remote_id), Some(student_id)) if f.errors().is_empty() => {
                Ok(AccountActivityRequest {
                    remote_id,
                    student_id,
                })
            }
            _ => Err(f.errors().clone()),
        }
    }

    /// The keys this request reads (its OpenAPI schema lists the same).
    pub fn keys_read() -> Vec<&'static str> {
        read::keys_read_by(Self::read_from)
    }
}
