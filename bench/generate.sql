-- Inserts the offers numbered :from to :to (psql variables), spread over French cities,
-- the bench operators (bench_operators), sectors and two-week slots; then their weeks.
INSERT INTO internship_offers (
    operator_id, account_id, remote_id, title, description, employer_name, street, zipcode, city,
    department, coordinates, sector_id, permalink, max_candidates, first_date, last_date, published_at)
SELECT o.operator_id, o.account_id, 'bench-' || g, t.title,
       t.title || ' : ' || p.phrase || ' Atelier ' || rare.word || ', projet ' || common.word || '.',
       'Entreprise ' || (g % 5000), (1 + g % 200) || ' rue de la République', c.zipcode, c.city,
       left(c.zipcode, 2),
       ST_SetSRID(ST_MakePoint(c.lon + (random() - 0.5) * 0.25, c.lat + (random() - 0.5) * 0.18), 4326)::geography,
       s.id, 'https://partenaire.example/offres/' || g, 1 + g % 5, w.monday, w.monday + 13, now()
FROM generate_series(:from::bigint, :to::bigint) AS g
JOIN bench_cities c ON c.slot = (g * 7919) % 100
JOIN bench_titles t ON t.n = (g * 104729) % 40
JOIN bench_phrases p ON p.n = g % 5
JOIN bench_operators o ON o.n = g % (SELECT count(*) FROM bench_operators)
JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM sectors) s ON s.n = g % 47
JOIN bench_weeks w ON w.n = g % ((SELECT count(*) FROM bench_weeks) - 1)
-- Two invented words: one of 8 000 (a long tail, as real descriptions have), one of 200.
JOIN bench_words rare ON rare.n = (g * 2654435761) % 8000
JOIN bench_words common ON common.n = (g * 40503) % 200;

INSERT INTO internship_offer_weeks (internship_offer_id, week_id)
SELECT o.id, w.id
FROM internship_offers o
JOIN weeks w ON w.monday IN (o.first_date, o.first_date + 7)
WHERE o.remote_id IN (SELECT 'bench-' || g FROM generate_series(:from, :to) AS g)
ON CONFLICT DO NOTHING;
