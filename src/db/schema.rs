// Diesel table definitions for the migrations in /migrations.
// Regenerate with `diesel print-schema` (see diesel.toml) after changing a migration.

diesel::table! {
    use diesel::sql_types::*;

    accounts (id) {
        id -> Int8,
        operator_id -> Int8,
        email -> Varchar,
        token_hash -> Bytea,
        token_ciphertext -> Bytea,
        token_created_at -> Timestamptz,
        token_last_used_at -> Nullable<Timestamptz>,
        deactivated_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        password_hash -> Nullable<Varchar>,
        password_changed_at -> Nullable<Timestamptz>,
        sessions_revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::Geography;

    internship_offers (id) {
        id -> Int8,
        operator_id -> Int8,
        account_id -> Int8,
        remote_id -> Varchar,
        title -> Varchar,
        description -> Varchar,
        employer_name -> Varchar,
        employer_description -> Nullable<Varchar>,
        employer_website -> Nullable<Varchar>,
        street -> Varchar,
        zipcode -> Varchar,
        city -> Varchar,
        department -> Varchar,
        coordinates -> Geography,
        sector_id -> Int8,
        permalink -> Varchar,
        max_candidates -> Int4,
        max_students_per_group -> Int4,
        is_public -> Bool,
        handicap_accessible -> Bool,
        lunch_break -> Nullable<Varchar>,
        daily_hours -> Nullable<Jsonb>,
        first_date -> Date,
        last_date -> Date,
        published_at -> Nullable<Timestamptz>,
        discarded_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        approved_count -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    internship_offer_weeks (internship_offer_id, week_id) {
        internship_offer_id -> Int8,
        week_id -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    operators (id) {
        id -> Int8,
        name -> Varchar,
        api_full_access -> Bool,
        created_at -> Timestamptz,
        rate_limit_factor -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    sectors (id) {
        id -> Int8,
        name -> Varchar,
        external_url -> Varchar,
        uuid -> Uuid,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    weeks (id) {
        id -> Int4,
        year -> Int4,
        number -> Int4,
        monday -> Date,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    students (id) {
        id -> Int8,
        first_name -> Varchar,
        last_name -> Varchar,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    offer_daily_views (internship_offer_id, day) {
        internship_offer_id -> Int8,
        day -> Date,
        views -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    apply_clicks (id) {
        id -> Int8,
        internship_offer_id -> Int8,
        student_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    account_activities (id) {
        id -> Int8,
        operator_id -> Int8,
        internship_offer_id -> Int8,
        student_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    application_trackings (id) {
        id -> Int8,
        internship_offer_id -> Int8,
        student_id -> Nullable<Int8>,
        remote_status -> Varchar,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    admins (id) {
        id -> Int8,
        email -> Varchar,
        password_hash -> Nullable<Varchar>,
        deactivated_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        password_changed_at -> Nullable<Timestamptz>,
        sessions_revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    invitations (id) {
        id -> Int8,
        token_hash -> Bytea,
        account_id -> Nullable<Int8>,
        admin_id -> Nullable<Int8>,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    sign_in_throttles (subject) {
        subject -> Varchar,
        failures -> Int4,
        window_started_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    audit_events (id) {
        id -> Int8,
        created_at -> Timestamptz,
        actor -> Varchar,
        action -> Varchar,
        operator_id -> Nullable<Int8>,
        account_id -> Nullable<Int8>,
        detail -> Varchar,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    oauth_clients (id) {
        id -> Int8,
        client_id -> Varchar,
        account_id -> Int8,
        name -> Varchar,
        scopes -> Varchar,
        secret_hash -> Varchar,
        expires_at -> Nullable<Timestamptz>,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    oauth_access_tokens (token_hash) {
        token_hash -> Bytea,
        client_id -> Int8,
        scopes -> Varchar,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    webhook_subscriptions (id) {
        id -> Int8,
        operator_id -> Int8,
        url -> Varchar,
        events -> Array<Text>,
        secret_sealed -> Bytea,
        previous_secret_sealed -> Nullable<Bytea>,
        previous_secret_until -> Nullable<Timestamptz>,
        disabled_at -> Nullable<Timestamptz>,
        disabled_reason -> Nullable<Varchar>,
        deleted_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    webhook_events (id) {
        id -> Uuid,
        operator_id -> Int8,
        #[sql_name = "type"]
        event_type -> Varchar,
        data -> Jsonb,
        dedupe_key -> Nullable<Varchar>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    webhook_deliveries (id) {
        id -> Int8,
        event_id -> Uuid,
        subscription_id -> Int8,
        status -> Varchar,
        attempts -> Int4,
        next_attempt_at -> Nullable<Timestamptz>,
        last_status_code -> Nullable<Int4>,
        last_error -> Nullable<Varchar>,
        created_at -> Timestamptz,
        delivered_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    webhook_attempts (id) {
        id -> Int8,
        delivery_id -> Int8,
        attempted_at -> Timestamptz,
        status_code -> Nullable<Int4>,
        error -> Nullable<Varchar>,
        duration_ms -> Int4,
    }
}

diesel::joinable!(accounts -> operators (operator_id));
diesel::joinable!(oauth_clients -> accounts (account_id));
diesel::joinable!(oauth_access_tokens -> oauth_clients (client_id));
diesel::joinable!(webhook_subscriptions -> operators (operator_id));
diesel::joinable!(webhook_deliveries -> webhook_events (event_id));
diesel::joinable!(webhook_deliveries -> webhook_subscriptions (subscription_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(audit_events -> accounts (account_id));
diesel::joinable!(audit_events -> operators (operator_id));
diesel::joinable!(invitations -> accounts (account_id));
diesel::joinable!(invitations -> admins (admin_id));
diesel::joinable!(account_activities -> internship_offers (internship_offer_id));
diesel::joinable!(account_activities -> students (student_id));
diesel::joinable!(application_trackings -> internship_offers (internship_offer_id));
diesel::joinable!(apply_clicks -> internship_offers (internship_offer_id));
diesel::joinable!(offer_daily_views -> internship_offers (internship_offer_id));
diesel::joinable!(internship_offers -> accounts (account_id));
diesel::joinable!(internship_offers -> operators (operator_id));
diesel::joinable!(internship_offers -> sectors (sector_id));
diesel::joinable!(internship_offer_weeks -> internship_offers (internship_offer_id));
diesel::joinable!(internship_offer_weeks -> weeks (week_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    admins,
    audit_events,
    invitations,
    sign_in_throttles,
    account_activities,
    application_trackings,
    apply_clicks,
    offer_daily_views,
    students,
    internship_offers,
    internship_offer_weeks,
    operators,
    sectors,
    weeks,
    oauth_clients,
    oauth_access_tokens,
    webhook_subscriptions,
    webhook_events,
    webhook_deliveries,
    webhook_attempts,
);
