//! Integration tests: the real server over HTTP, against a real PostgreSQL + PostGIS.

mod helpers;

mod auth;
mod browser;
mod cli;
mod create;
mod delete;
mod list;
mod misc;
mod pages;
mod search;
mod stats;
mod tracking;
mod update;
mod web;
mod web_session;
