mod account_activities;
mod application_trackings;
mod compat;
mod fallback;
mod offers;
mod openapi;
mod sectors;
mod stats;
