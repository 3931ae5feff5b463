-- The command is kept as text, not jsonb: its Avro JSON encoding writes a decimal's bytes (Money.amount) as a string
-- of code points U+0000..U+00FF, and PostgreSQL's jsonb refuses U+0000 ("unsupported Unicode escape sequence"), so a
-- price such as 10.00 (unscaled 0x00989680) could not be journaled.
ALTER TABLE command_journal ALTER COLUMN command TYPE TEXT;
