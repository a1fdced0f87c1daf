//! The two databases the hub stores in, behind one small interface: the hub's rules and SQL are
//! written once (`crate::sql`) against [`Sql`] — one connection inside one transaction — and a
//! [`Backend`] opens those transactions: SQLite (`sqlite`, one file, one process) or PostgreSQL
//! (`postgres`, several hub processes on one server).
//!
//! The SQL is written in the subset both engines read alike (numbered `?N` parameters, which the
//! PostgreSQL side renumbers as `$N`; `IS NOT DISTINCT FROM`; `ON CONFLICT`); where they differ
//! (JSON fields, `INDEXED BY`, two-argument `max`) a query asks its [`Dialect`].

pub mod postgres;
pub mod sqlite;

use crate::store::{HubError, Result};

/// A value bound to a statement or read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
    Blob(Vec<u8>),
}

/// What can be bound as a parameter: `args![a, b]` takes these by reference.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

macro_rules! int_values {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_values!(i32, i64, u32, u64, usize);

/// The parameters of a statement: `args![device.id, seq]`.
macro_rules! args {
    ($($x:expr),* $(,)?) => {
        &[$($crate::db::ToValue::to_value(&$x)),*][..]
    };
}
pub(crate) use args;

/// What a column may be read as.
pub trait FromValue: Sized {
    fn from_value(v: Value) -> Option<Self>;
}

impl FromValue for Value {
    fn from_value(v: Value) -> Option<Self> {
        Some(v)
    }
}

impl FromValue for String {
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Blob(b) => Some(b),
            Value::Text(s) => Some(s.into_bytes()),
            _ => None,
        }
    }
}

impl FromValue for bool {
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Bool(b) => Some(b),
            Value::Int(i) => Some(i != 0),
            _ => None,
        }
    }
}

macro_rules! int_columns {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Value) -> Option<Self> {
                match v {
                    Value::Int(i) => <$t>::try_from(i).ok(),
                    Value::Bool(b) => Some(<$t>::from(b)),
                    _ => None,
                }
            }
        }
    )*};
}
int_columns!(i64, u32, u64);

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// One row of a result, its columns taken out by position.
#[derive(Debug)]
pub struct Row(pub(crate) Vec<Value>);

impl Row {
    /// Column `i` as a `T` (taken out of the row: read each column once).
    pub fn get<T: FromValue>(&mut self, i: usize) -> Result<T> {
        let v = self
            .0
            .get_mut(i)
            .map(|v| std::mem::replace(v, Value::Null))
            .unwrap_or(Value::Null);
        let shown = format!("{v:?}");
        T::from_value(v).ok_or_else(|| {
            HubError::Db(format!(
                "kolom {i} berisi {} yang tidak diharapkan ({})",
                shown.chars().take(60).collect::<String>(),
                std::any::type_name::<T>()
            ))
        })
    }
}

/// Where the two engines' SQL differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// A text field of a JSON column (`NULL` when absent).
    pub fn json(self, column: &str, field: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_extract({column}, '$.{field}')"),
            Dialect::Postgres => format!("(({column})::jsonb ->> '{field}')"),
        }
    }

    /// An integer field of a JSON column.
    pub fn json_int(self, column: &str, field: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_extract({column}, '$.{field}')"),
            Dialect::Postgres => format!("(({column})::jsonb ->> '{field}')::bigint"),
        }
    }

    /// Whether a JSON column's field is `true` (or 1) — `want` — or `false` (or 0).
    pub fn json_flag(self, column: &str, field: &str, want: bool) -> String {
        match self {
            Dialect::Sqlite => format!("json_extract({column}, '$.{field}') = {}", want as i32),
            // JSON true or the number (not the string) 1, as SQLite's `json_extract(…) = 1`.
            Dialect::Postgres => {
                let (word, digit) = if want { ("true", 1) } else { ("false", 0) };
                format!("(({column})::jsonb -> '{field}') IN ('{word}'::jsonb, '{digit}'::jsonb)")
            }
        }
    }

    /// The larger of two values in one row.
    pub fn greatest(self, a: &str, b: &str) -> String {
        match self {
            Dialect::Sqlite => format!("max({a}, {b})"),
            Dialect::Postgres => format!("greatest({a}, {b})"),
        }
    }

    /// Holds a query to an index (SQLite's planner otherwise may choose a scan; PostgreSQL's
    /// planner takes no such hint).
    pub fn indexed_by(self, index: &str) -> String {
        match self {
            Dialect::Sqlite => format!("INDEXED BY {index}"),
            Dialect::Postgres => String::new(),
        }
    }
}

/// One connection inside one transaction.
pub trait Sql {
    fn dialect(&self) -> Dialect;
    /// Runs a statement; returns how many rows it changed.
    fn execute(&self, sql: &str, params: &[Value]) -> Result<usize>;
    /// Runs a query; returns its rows.
    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;
}

impl dyn Sql + '_ {
    /// The first row of a query, if any, read by `f`.
    pub fn opt<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnOnce(Row) -> Result<T>,
    ) -> Result<Option<T>> {
        self.query(sql, params)?
            .into_iter()
            .next()
            .map(f)
            .transpose()
    }

    /// Every row of a query, each read by `f`.
    pub fn map<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnMut(Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.query(sql, params)?.into_iter().map(f).collect()
    }

    /// The first column of the first row (an error when there is no row).
    pub fn value<T: FromValue>(&self, sql: &str, params: &[Value]) -> Result<T> {
        self.opt(sql, params, |mut r| r.get(0))?
            .ok_or_else(|| HubError::Db("kueri tidak menghasilkan baris".into()))
    }
}

/// Opens the transactions the hub runs in.
pub trait Backend: Send + Sync + 'static {
    /// Runs `f` in a write transaction, committed when it returns `Ok`. Writes run one at a time
    /// across every process sharing the database, as SQLite's single writer does: the row
    /// sequence a pull's cursor follows is then committed in order.
    fn write<T>(&self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T>;
    /// Runs `f` in a read-only transaction that sees one snapshot, beside the writer.
    fn read<T>(&self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T>;
}
