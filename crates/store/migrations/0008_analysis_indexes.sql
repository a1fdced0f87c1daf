-- The analysis, the JP dashboard and the participation figures look up each employee's
-- participations and each training's attendance marks: without these indexes every lookup
-- scanned the whole table (measured by `make bench-analysis`).
CREATE INDEX participation_employee ON participation (employee_id);
CREATE INDEX attendance_training ON attendance (training_id, employee_id);
