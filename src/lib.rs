//! monstage: the partner API of Mon stage de 3e.

pub mod admin;
pub mod api;
pub mod auth;
pub mod cli;
pub mod client_ip;
pub mod config;
pub mod db;
pub mod domain;
pub mod edge;
pub mod error;
pub mod metrics;
pub mod paris_time;
pub mod request;
pub mod search;
pub mod secrets;
pub mod service;
pub mod site;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;
pub mod webhook_target;
pub mod webhooks;
