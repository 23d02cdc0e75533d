//! Rows as the database stores them. Never serialized to partners directly:
//! the API builds its own response types from these.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Double, Text};
use postgis_diesel::types::Point;

use crate::domain::offer::ValidOffer;

use crate::db::schema::{
    account_activities, accounts, admins, application_trackings, internship_offers, operators,
    sectors, students, weeks,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = operators, check_for_backend(diesel::pg::Pg))]
pub struct Operator {
    pub id: i64,
    pub name: String,
    pub api_full_access: bool,
    pub created_at: DateTime<Utc>,
    /// Its rate limits are multiplied by this.
    pub rate_limit_factor: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = operators)]
pub struct NewOperator<'a> {
    pub name: &'a str,
    pub api_full_access: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = accounts, check_for_backend(diesel::pg::Pg))]
pub struct Account {
    pub id: i64,
    pub operator_id: i64,
    pub email: String,
    pub token_created_at: DateTime<Utc>,
    pub token_last_used_at: Option<DateTime<Utc>>,
    pub deactivated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Whether a password for the web pages has been chosen (the hash itself stays in SQL).
    #[diesel(select_expression = accounts::password_hash.is_not_null())]
    pub password_set: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount<'a> {
    pub operator_id: i64,
    pub email: &'a str,
    pub token_hash: &'a [u8],
    pub token_ciphertext: &'a [u8],
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sectors, check_for_backend(diesel::pg::Pg))]
pub struct Sector {
    pub id: i64,
    pub name: String,
    pub external_url: String,
    pub uuid: uuid::Uuid,
}

#[derive(Debug, Clone, Copy, Queryable, Selectable)]
#[diesel(table_name = weeks, check_for_backend(diesel::pg::Pg))]
pub struct Week {
    pub id: i32,
    pub year: i32,
    pub number: i32,
    pub monday: NaiveDate,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = internship_offers, check_for_backend(diesel::pg::Pg))]
pub struct Offer {
    pub id: i64,
    pub operator_id: i64,
    pub account_id: i64,
    pub remote_id: String,
    pub title: String,
    pub description: String,
    pub employer_name: String,
    pub employer_description: Option<String>,
    pub employer_website: Option<String>,
    pub street: String,
    pub zipcode: String,
    pub city: String,
    pub department: String,
    pub coordinates: Point,
    pub sector_id: i64,
    pub permalink: String,
    pub max_candidates: i32,
    pub max_students_per_group: i32,
    pub is_public: bool,
    pub handicap_accessible: bool,
    pub lunch_break: Option<String>,
    pub daily_hours: Option<serde_json::Value>,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    pub published_at: Option<DateTime<Utc>>,
    pub discarded_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub approved_count: i32,
}

/// The columns a partner controls, written on create and on update.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = internship_offers, treat_none_as_null = true)]
pub struct OfferValues {
    pub title: String,
    pub description: String,
    pub employer_name: String,
    pub employer_description: Option<String>,
    pub employer_website: Option<String>,
    pub street: String,
    pub zipcode: String,
    pub city: String,
    pub department: String,
    pub coordinates: Point,
    pub sector_id: i64,
    pub permalink: String,
    pub max_candidates: i32,
    pub max_students_per_group: i32,
    pub is_public: bool,
    pub handicap_accessible: bool,
    pub lunch_break: Option<String>,
    pub daily_hours: Option<serde_json::Value>,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    pub published_at: Option<DateTime<Utc>>,
}

impl From<ValidOffer> for OfferValues {
    fn from(offer: ValidOffer) -> Self {
        OfferValues {
            title: offer.title,
            description: offer.description,
            employer_name: offer.employer_name,
            employer_description: offer.employer_description,
            employer_website: offer.employer_website,
            street: offer.street,
            zipcode: offer.zipcode,
            city: offer.city,
            department: offer.department.to_owned(),
            coordinates: offer.coordinates.to_postgis(),
            sector_id: offer.sector_id,
            permalink: offer.permalink,
            max_candidates: offer.max_candidates,
            max_students_per_group: offer.max_students_per_group,
            is_public: offer.is_public,
            handicap_accessible: offer.handicap_accessible,
            lunch_break: offer.lunch_break,
            daily_hours: offer.daily_hours,
            first_date: offer.first_date,
            last_date: offer.last_date,
            published_at: offer.published_at,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = internship_offers)]
pub struct NewOffer {
    pub operator_id: i64,
    pub account_id: i64,
    pub remote_id: String,
    #[diesel(embed)]
    pub values: OfferValues,
}

/// One offer as listings show it ("my offers" and the catalogue search, which keeps it in the
/// search index).
#[derive(Debug, Clone, PartialEq, QueryableByName, serde::Serialize, serde::Deserialize)]
pub struct ListedOffer {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = Text)]
    pub employer_name: String,
    #[diesel(sql_type = Text)]
    pub city: String,
    #[diesel(sql_type = Date)]
    pub first_date: NaiveDate,
    #[diesel(sql_type = Date)]
    pub last_date: NaiveDate,
    #[diesel(sql_type = Double)]
    pub latitude: f64,
    #[diesel(sql_type = Double)]
    pub longitude: f64,
    #[diesel(sql_type = Text)]
    pub sector: String,
    #[diesel(sql_type = Bool)]
    pub handicap_accessible: bool,
}

/// A row count.
#[derive(Debug, QueryableByName)]
pub struct Count {
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = students, check_for_backend(diesel::pg::Pg))]
pub struct Student {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = account_activities, check_for_backend(diesel::pg::Pg))]
pub struct AccountActivity {
    pub id: i64,
    pub operator_id: i64,
    pub internship_offer_id: i64,
    pub student_id: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = application_trackings, check_for_backend(diesel::pg::Pg))]
pub struct ApplicationTracking {
    pub id: i64,
    pub internship_offer_id: i64,
    pub student_id: Option<i64>,
    pub remote_status: String,
    pub created_at: DateTime<Utc>,
}

/// Who signs in to the web pages: an operator's account or a platform admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Principal {
    Account(i64),
    Admin(i64),
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = admins, check_for_backend(diesel::pg::Pg))]
pub struct Admin {
    pub id: i64,
    pub email: String,
    pub deactivated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    #[diesel(select_expression = admins::password_hash.is_not_null())]
    pub password_set: bool,
}
