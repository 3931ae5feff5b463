-- Runs after every migrate (Flyway callback). The outbox's publication and replication slot must exist before the
-- first outbox row is written: WAL written before the slot existed is never decoded, and rows written before the
-- table was in the publication are skipped. Creating them here, before the consumer starts, means no applied change is
-- lost on a first start or after an operator dropped the slot. Debezium (publication.autocreate.mode=filtered) finds
-- both and uses them. Names come from syncwriter.outbox.publication-name / slot-name.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = '${outbox_publication}') THEN
        CREATE PUBLICATION ${outbox_publication} FOR TABLE syncwriter.outbox WITH (publish = 'insert');
    END IF;
END
$$;
