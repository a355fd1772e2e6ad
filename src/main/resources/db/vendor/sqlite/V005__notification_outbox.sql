-- Notifications waiting to be delivered (issue #13): written with the event, deleted once a receiver took them, so a
-- restart loses none. attempts counts failed deliveries; next_attempt_us is when the next one may run (exponential
-- backoff); gave_up_us is set when the retries are exhausted (the row stays for operators). Times as epoch microseconds.

CREATE TABLE notification_outbox (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_us BIGINT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_us BIGINT NOT NULL,
    last_error TEXT,
    gave_up_us BIGINT
);

-- the sender asks for what is due
CREATE INDEX notification_outbox_due ON notification_outbox (gave_up_us, next_attempt_us);
