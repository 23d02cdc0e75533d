mod offer_events;
mod pool;
