-- Operation ids belong to the device that made them: the same id from another
-- device is another operation, never "already applied".
CREATE TABLE applied_operation_per_device (
    device_id   TEXT NOT NULL,
    op_id       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    applied_at  TEXT NOT NULL,
    PRIMARY KEY (device_id, op_id)
) STRICT;
INSERT INTO applied_operation_per_device (device_id, op_id, version, applied_at)
    SELECT device_id, op_id, version, applied_at FROM applied_operation;
DROP TABLE applied_operation;
ALTER TABLE applied_operation_per_device RENAME TO applied_operation;
