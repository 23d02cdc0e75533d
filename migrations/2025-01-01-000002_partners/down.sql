DROP TABLE accounts;
DROP TABLE operators;
