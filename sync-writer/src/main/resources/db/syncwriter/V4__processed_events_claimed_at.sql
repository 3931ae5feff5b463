-- When each event was claimed, by the wall clock (clock_timestamp(), not the transaction's start like processed_at):
-- the events of one batch share a transaction (the same xmin), so the latest claimed_at of a transaction is when it
-- finished its work, within a statement of its commit. Operators see how long a batch took; the end-to-end benchmark
-- (synctl bench e2e) derives commit times from it. Nullable and without a rewrite: rows from before stay NULL.
ALTER TABLE syncwriter.processed_events ADD COLUMN claimed_at timestamptz;
ALTER TABLE syncwriter.processed_events ALTER COLUMN claimed_at SET DEFAULT clock_timestamp();
