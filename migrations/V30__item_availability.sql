-- Items carry their availability (stock, a sale window): an item that is not available now is never recommended or
-- returned by similar/search, and comes back when it is available again, without touching its vectors. Adding a
-- column with a constant default does not rewrite the table.
ALTER TABLE items ADD COLUMN available boolean NOT NULL DEFAULT true,
                  ADD COLUMN available_from timestamptz,
                  ADD COLUMN available_until timestamptz,
                  ADD CONSTRAINT items_availability_window
                      CHECK (available_from IS NULL OR available_until IS NULL OR available_until > available_from);
