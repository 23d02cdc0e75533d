ALTER TABLE internship_offers DROP COLUMN approved_count;
DROP TABLE application_trackings;
DROP TABLE account_activities;
DROP TABLE apply_clicks;
DROP TABLE offer_daily_views;
DROP TABLE students;
