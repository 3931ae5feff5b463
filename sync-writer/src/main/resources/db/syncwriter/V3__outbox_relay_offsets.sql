-- Debezium's offsets for the outbox relay (io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore, its own DDL), kept
-- beside the replication slot they refer to. Created here so that the migrations own every table of the schema.
CREATE TABLE syncwriter.outbox_relay_offsets (
    id                VARCHAR(36) NOT NULL,
    offset_key        VARCHAR(1255),
    offset_val        VARCHAR(1255),
    record_insert_ts  TIMESTAMP NOT NULL,
    record_insert_seq INTEGER NOT NULL,
    PRIMARY KEY (id)
);
