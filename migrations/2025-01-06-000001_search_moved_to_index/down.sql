ALTER TABLE internship_offers ALTER COLUMN coordinates SET STATISTICS 1000;
ALTER TABLE internship_offers ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
    to_tsvector('public.monstage_fr'::regconfig,
        title || ' ' || description || ' ' || coalesce(employer_description, ''))
) STORED;
ALTER TABLE internship_offers ALTER COLUMN search_tsv SET STATISTICS 1000;
CREATE INDEX internship_offers_catalogue_search_tsv_idx ON internship_offers USING GIN (search_tsv)
    WHERE discarded_at IS NULL AND published_at IS NOT NULL;
CREATE INDEX internship_offers_catalogue_coordinates_idx ON internship_offers USING GIST (coordinates)
    WHERE discarded_at IS NULL AND published_at IS NOT NULL;
CREATE INDEX internship_offers_catalogue_id_idx ON internship_offers (id DESC)
    WHERE discarded_at IS NULL AND published_at IS NOT NULL;
