-- Erasing a user deletes the feeds logged for them by subject: without an index that scanned the whole log.
CREATE INDEX recommendations_subject ON recommendations (subject);
-- The log is pruned by age (embedrec.recommendations.retention); rows arrive in time order, so a BRIN index finds
-- the old ones at almost no write cost.
CREATE INDEX recommendations_created_at ON recommendations USING brin (created_at);
