-- The catalogue is searched by the in-process index (src/search/), fed by the offer event log:
-- the SQL search's column and indexes only cost every write (a French tsvector and a GIN entry
-- computed per insert and update, a GiST entry per place).
DROP INDEX internship_offers_catalogue_id_idx;
DROP INDEX internship_offers_catalogue_coordinates_idx;
ALTER TABLE internship_offers DROP COLUMN search_tsv;
ALTER TABLE internship_offers ALTER COLUMN coordinates SET STATISTICS -1;
