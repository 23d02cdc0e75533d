DROP TABLE weeks;
DROP TABLE sectors;
