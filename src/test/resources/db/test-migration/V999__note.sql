-- a comment; the next statement ends at a semicolon at the end of a line
CREATE TABLE test_notes (
    text TEXT NOT NULL -- trailing comments stay inside a statement; a semicolon in them would not
);
INSERT INTO test_notes (text) VALUES ('second');
