mod migrations;
mod offer_events;
mod pool;
