-- An organisation's result is set by the leader one level up (PermenPANRB 6/2022): the Camat for
-- a kelurahan, on a Kantor Camat laptop. The row keeps who signed it, as they were when they
-- signed (JSON: name, NIP, pangkat, jabatan, unit), so the Penetapan prints as signed. Empty for
-- the Kantor Camat's own result, which the Admin Kecamatan records from the Wali Kota's decision.
ALTER TABLE org_result ADD COLUMN leader_signed TEXT;
