//! The register of employees (ASN) and their history: the list and detail (`employees`), every
//! write with its checks (`employee_writes`), the spreadsheet exchange, a person's own record,
//! and mutasi (a transfer between offices: request, approval, and the move of their rows).

pub(crate) mod employee_writes;
pub(crate) mod employees;
pub(crate) mod exchange;
pub(crate) mod mutasi;
pub(crate) mod mutasi_move;
pub(crate) mod mutasi_rows;
pub(crate) mod own_record;
