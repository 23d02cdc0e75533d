//! Integration tests: the real server over HTTP (and the CLI), against a real PostgreSQL +
//! PostGIS, one cloned database per test. The folders mirror `src/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod helpers;

mod api;
mod auth;
mod cli;
mod db;
mod demo;
mod docs;
mod privacy;
mod search;
mod web;
mod webhooks;
