DROP TABLE offer_events;
