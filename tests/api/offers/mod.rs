mod bulk;
mod create;
mod delete;
mod list;
mod own_writes;
mod search;
mod show;
mod update;
