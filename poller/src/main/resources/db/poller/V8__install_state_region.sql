-- The region or marketplace the merchant named at the start of an install (docs/install.md), where the platform
-- serves stores from several regional endpoints: the callback does not name it, the state row does.
ALTER TABLE install_state ADD COLUMN region TEXT;
