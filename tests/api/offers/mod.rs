mod bulk;
mod create;
mod delete;
mod list;
mod search;
mod show;
mod update;
