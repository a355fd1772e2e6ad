-- The web UI's recent releases (#10): the newest files of the whole index without sorting every file.
CREATE INDEX files_by_upload_time ON files (upload_time_us DESC, filename);
