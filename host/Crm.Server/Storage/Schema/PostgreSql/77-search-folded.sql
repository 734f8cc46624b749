-- The search column folds ё to е (CustomerRow.Folded): rows written before that are folded once, then never looked at
-- again (the marker's absence is a constant condition, tested before any row is read).
CREATE TABLE IF NOT EXISTS search_folded (done INTEGER NOT NULL);
UPDATE customers SET search = replace(search, 'ё', 'е') WHERE NOT EXISTS (SELECT 1 FROM search_folded) AND search LIKE '%ё%';
INSERT INTO search_folded (done) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM search_folded);
