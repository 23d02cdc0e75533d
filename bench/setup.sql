-- Helper tables of the benchmark catalogue generator (bench database only).
DROP TABLE IF EXISTS bench_cities, bench_titles, bench_phrases, bench_weeks, bench_words;

-- 100 slots of French cities weighted by population (Paris holds about a quarter).
CREATE TABLE bench_cities AS
WITH cities (city, zipcode, lat, lon, weight) AS (VALUES
    ('Paris', '75002', 48.8566, 2.3522, 26), ('Marseille', '13001', 43.2965, 5.3698, 5),
    ('Lyon', '69001', 45.7640, 4.8357, 5), ('Toulouse', '31000', 43.6047, 1.4442, 4),
    ('Nice', '06000', 43.7102, 7.2620, 3), ('Nantes', '44000', 47.2184, -1.5536, 3),
    ('Montpellier', '34000', 43.6108, 3.8767, 3), ('Strasbourg', '67000', 48.5734, 7.7521, 3),
    ('Bordeaux', '33000', 44.8378, -0.5792, 3), ('Lille', '59000', 50.6292, 3.0573, 3),
    ('Rennes', '35000', 48.1173, -1.6778, 3), ('Reims', '51100', 49.2583, 4.0317, 2),
    ('Le Havre', '76600', 49.4944, 0.1079, 2), ('Saint-Étienne', '42000', 45.4397, 4.3872, 2),
    ('Toulon', '83000', 43.1242, 5.9280, 2), ('Grenoble', '38000', 45.1885, 5.7245, 2),
    ('Dijon', '21000', 47.3220, 5.0415, 2), ('Angers', '49000', 47.4784, -0.5632, 2),
    ('Nîmes', '30000', 43.8367, 4.3601, 2), ('Villeurbanne', '69100', 45.7719, 4.8902, 2),
    ('Clermont-Ferrand', '63000', 45.7772, 3.0870, 2), ('Le Mans', '72000', 48.0061, 0.1996, 2),
    ('Aix-en-Provence', '13090', 43.5297, 5.4474, 2), ('Brest', '29200', 48.3904, -4.4861, 2),
    ('Tours', '37000', 47.3941, 0.6848, 2), ('Amiens', '80000', 49.8941, 2.2958, 2),
    ('Limoges', '87000', 45.8336, 1.2611, 2), ('Annecy', '74000', 45.8992, 6.1294, 2),
    ('Perpignan', '66000', 42.6887, 2.8948, 2), ('Metz', '57000', 49.1193, 6.1757, 2)
)
SELECT (row_number() OVER (ORDER BY c.weight DESC, c.city, s) - 1)::int AS slot,
       c.city, c.zipcode, c.lat, c.lon
FROM cities c CROSS JOIN LATERAL generate_series(1, c.weight) AS s;

CREATE TABLE bench_titles AS
SELECT (row_number() OVER () - 1)::int AS n, title FROM unnest(ARRAY[
    'Cheffe de cuisine', 'Commis de cuisine', 'Pâtissier', 'Boulangère', 'Serveur en restauration',
    'Développeuse web', 'Technicien réseaux informatiques', 'Data analyst', 'Graphiste', 'Monteur vidéo',
    'Chef de chantier', 'Électricienne', 'Plombier chauffagiste', 'Menuisier', 'Architecte',
    'Infirmière', 'Aide-soignant', 'Pharmacienne', 'Vétérinaire', 'Kinésithérapeute',
    'Assistante comptable', 'Chargé de ressources humaines', 'Conseiller bancaire', 'Agent immobilier', 'Juriste',
    'Journaliste', 'Libraire', 'Bibliothécaire', 'Professeur des écoles', 'Éducatrice spécialisée',
    'Mécanicien automobile', 'Technicienne de maintenance', 'Agent de logistique', 'Conducteur de train', 'Pilote de drone',
    'Agricultrice', 'Paysagiste', 'Fleuriste', 'Coiffeuse', 'Animateur sportif'
]) AS title;

CREATE TABLE bench_phrases AS
SELECT (row_number() OVER () - 1)::int AS n, phrase FROM unnest(ARRAY[
    'découverte du métier au sein d''une équipe passionnée, observation des gestes professionnels et participation aux tâches du quotidien.',
    'immersion d''une semaine : accueil, présentation de l''entreprise, rencontre des collaborateurs et mise en situation encadrée.',
    'stage d''observation pour comprendre l''organisation du travail, les outils numériques utilisés et les débouchés de la filière.',
    'accompagnement par un tuteur, visite des ateliers et des services, échanges sur les formations et les parcours possibles.',
    'participation aux réunions d''équipe, découverte des contraintes de sécurité et de qualité, bilan de fin de semaine.'
]) AS phrase;

-- Two-week slots in the next school year (the catalogue must not be in the past).
CREATE TABLE bench_weeks AS
SELECT (row_number() OVER (ORDER BY monday) - 1)::int AS n, id, monday
FROM weeks
WHERE monday BETWEEN make_date(extract(year FROM now())::int + 1, 1, 5)
                 AND make_date(extract(year FROM now())::int + 1, 5, 20);

-- 8 000 invented words (three syllables), so that the text statistics have a long tail.
CREATE TABLE bench_words AS
WITH syllables (s) AS (SELECT unnest(ARRAY['ba', 'lo', 'ri', 'tu', 'ne', 'ca', 'so', 'mi', 'pe', 'va',
                                           'do', 'ge', 'la', 'fu', 'sé', 'ro', 'vi', 'ta', 'mo', 'ni']))
SELECT (row_number() OVER (ORDER BY a.s, b.s, c.s) - 1)::int AS n, a.s || b.s || c.s || 'ville' AS word
FROM syllables a, syllables b, syllables c;
