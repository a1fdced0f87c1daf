-- Who was an employee's atasan from when travels with the employee row (`atasan_log`, a JSON
-- array of {atasan_id, valid_from} in order), so every laptop knows the same penilai for every
-- period, dated by the laptop that made the change, not by the day another laptop applied it.
-- NULL for a row that came from a laptop without it: the history is then derived as before.
ALTER TABLE employee ADD COLUMN atasan_log TEXT;
UPDATE employee SET atasan_log = (
    SELECT json_group_array(json_object('atasan_id', h.atasan_id, 'valid_from', h.valid_from))
    FROM (SELECT atasan_id, valid_from FROM atasan_history
          WHERE employee_id = employee.id ORDER BY seq) h
) WHERE EXISTS (SELECT 1 FROM atasan_history WHERE employee_id = employee.id);
