-- The console's vector sample takes the first n items by md5(external_id) (the same items on every call): with this
-- index that is n index steps, not a sort of the whole catalog per request.
CREATE INDEX items_md5 ON items (md5(external_id));
