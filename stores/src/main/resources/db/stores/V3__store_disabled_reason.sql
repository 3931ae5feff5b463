-- Why a store is disabled, when it was not an operator's choice: 'uninstalled' when the merchant removed the app
-- (its API credentials are then deleted, its poll cursors kept for a reinstall). NULL while enabled or when an
-- operator disabled it.
ALTER TABLE store ADD COLUMN disabled_reason TEXT CHECK (disabled_reason IS NULL OR length(disabled_reason) <= 200);
