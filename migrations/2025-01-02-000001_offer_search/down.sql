ALTER TABLE internship_offers ALTER COLUMN coordinates SET STATISTICS -1;
ALTER TABLE internship_offers ALTER COLUMN search_tsv SET STATISTICS -1;
DROP INDEX internship_offers_catalogue_id_idx;
DROP INDEX internship_offers_catalogue_search_tsv_idx;
DROP INDEX internship_offers_catalogue_coordinates_idx;
CREATE INDEX internship_offers_coordinates_idx ON internship_offers USING GIST (coordinates);
ALTER TABLE internship_offers DROP COLUMN search_tsv;
DROP TEXT SEARCH CONFIGURATION public.monstage_fr;
