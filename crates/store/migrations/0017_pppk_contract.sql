-- A PPPK's work contract (perjanjian kerja): its JP are counted per year of the contract, with a
-- ceiling of 24 (PP 49/2018 Pasal 40), not per calendar year. Empty for PNS and CPNS, and for a
-- PPPK whose contract is not recorded yet (then counted per calendar year, and said so).
ALTER TABLE employee ADD COLUMN contract_start TEXT;
ALTER TABLE employee ADD COLUMN contract_end TEXT;
