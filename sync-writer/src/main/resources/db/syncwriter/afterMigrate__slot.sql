-- See afterMigrate.sql. A separate callback so that the slot is created in a transaction that has written nothing
-- (PostgreSQL refuses to create a logical slot in one that has).
SELECT pg_create_logical_replication_slot('${outbox_slot}', 'pgoutput')
WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '${outbox_slot}');
