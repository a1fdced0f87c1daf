-- A pull reads an office's scope from its cursor on through indexes (`sqlite::rows::pull_query`):
-- its own rows (row_owner_seq, schema 1), rows that left it, and the entities every office reads.
CREATE INDEX row_prev_owner_seq ON row (prev_owner_office_id, seq);
CREATE INDEX row_entity_seq ON row (entity, seq);
