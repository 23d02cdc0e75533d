DROP TABLE internship_offer_weeks;
DROP TABLE internship_offers;
