DROP INDEX application_trackings_student_idx;
DROP INDEX account_activities_student_idx;
DROP INDEX apply_clicks_student_idx;
DROP INDEX application_trackings_created_idx;
DROP INDEX account_activities_created_idx;
DROP INDEX apply_clicks_created_idx;
ALTER TABLE internship_offers DROP COLUMN approved_rolled_up;
DROP TABLE offer_daily_activity;
