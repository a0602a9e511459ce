-- Operation ids belong to the device that made them: the same id from another
-- device is another operation, never "already applied".
ALTER TABLE applied_operation DROP CONSTRAINT applied_operation_pkey;
ALTER TABLE applied_operation ADD PRIMARY KEY (device_id, op_id);
