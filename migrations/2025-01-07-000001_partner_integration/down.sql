DROP TABLE webhook_feed;
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_subscriptions;
DROP TABLE oauth_access_tokens;
DROP TABLE oauth_clients;
