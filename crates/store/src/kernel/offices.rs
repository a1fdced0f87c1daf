use pelita_core::office::{Office, OfficeKind};
use rusqlite::{Connection, OptionalExtension, Row};

use crate::{Result, StoreError};

const COLUMNS: &str = "id, code, name, kind, parent_id";

fn from_row(r: &Row) -> rusqlite::Result<Office> {
    let kind: String = r.get(3)?;
    Ok(Office {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        kind: OfficeKind::parse(&kind).unwrap_or(OfficeKind::Kelurahan),
        parent_id: r.get(4)?,
    })
}

pub(crate) fn insert_seed(conn: &Connection, o: &Office) -> Result<()> {
    // Seeded offices are owned by the HQ (the district manages the office list).
    let hq = pelita_core::office::office_id(pelita_core::office::HQ_CODE);
    conn.execute(
        "INSERT INTO office (id, code, name, kind, parent_id, owner_office_id, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name,
             kind = excluded.kind, parent_id = excluded.parent_id, deleted = 0,
             updated_at = excluded.updated_at
         WHERE office.code IS NOT excluded.code OR office.name IS NOT excluded.name
             OR office.deleted = 1",
        rusqlite::params![
            o.id,
            o.code,
            o.name,
            o.kind.as_str(),
            o.parent_id,
            hq,
            crate::kernel::clock::now()
        ],
    )?;
    Ok(())
}

/// An office as the hub describes it, in the laptop's terms.
pub(crate) fn from_hub(o: &pelita_proto::OfficeInfo) -> Office {
    let hq = pelita_core::office::office_id(pelita_core::office::HQ_CODE);
    Office {
        id: o.id.clone(),
        code: o.code.clone(),
        name: o.name.clone(),
        kind: if o.hq {
            OfficeKind::Kecamatan
        } else {
            OfficeKind::Kelurahan
        },
        parent_id: (!o.hq).then_some(hq),
    }
}

/// Takes the district's offices from the hub: new ones are added, renamed ones renamed. The hub
/// decides the office list; a laptop never removes an office its records may still name.
pub(crate) fn take_from_hub(conn: &Connection, offices: &[pelita_proto::OfficeInfo]) -> Result<()> {
    for o in offices {
        insert_seed(conn, &from_hub(o))?;
    }
    Ok(())
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<Office>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM office WHERE deleted = 0 ORDER BY kind = 'kelurahan', name"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Office> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM office WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound("kantor".into()))
}

pub(crate) fn by_code(conn: &Connection, code: &str) -> Result<Office> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM office WHERE code = ?1 COLLATE NOCASE AND deleted = 0"),
        [code.trim()],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("kantor dengan kode '{}'", code.trim())))
}
