-- Trending: next to the long-window popularity (log_score, half-life embedrec.events.popularity-half-life), a
-- short-window one with the half-life embedrec.merchandising.trending-half-life, kept the same way at ingest. An
-- item trends when its short-window score is well above what its long-window rate predicts. Items start with no
-- short-window history (-Infinity: 2^-inf = 0): trending counts events from this version on.
ALTER TABLE item_popularity ADD COLUMN short_log_score double precision NOT NULL DEFAULT '-Infinity';
