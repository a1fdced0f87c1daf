//! What the status page shows: offices, devices, open conflicts and recent refusals.

use serde::Serialize;

use super::{DeviceRow, HubStatus};

/// Everything the status page shows.
#[derive(Debug, Clone, Serialize)]
pub struct HubOverview {
    pub status: HubStatus,
    pub offices: Vec<OfficeSummary>,
    pub conflicts: Vec<ConflictRow>,
    /// The most recent refusals, newest first.
    pub rejected: Vec<RejectedRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfficeSummary {
    pub code: String,
    pub name: String,
    pub hq: bool,
    pub devices: u32,
    pub rows: u64,
    /// The latest exchange any of its devices completed.
    pub last_sync_at: Option<String>,
    pub pending_conflicts: u32,
    pub rejected: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConflictRow {
    /// The first of the device's conflicting changes of this row: the id an admin closes it by.
    pub mutation_id: String,
    pub device_id: String,
    pub office_code: String,
    pub device_name: String,
    pub entity: String,
    pub row_id: String,
    pub at: String,
    /// When the device that met the conflict last synced: a laptop silent for weeks may have been
    /// replaced, and only revoking it closes what it left open.
    pub device_last_sync_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RejectedRow {
    pub office_code: String,
    pub device_name: String,
    pub entity: String,
    pub row_id: String,
    pub reason: String,
    pub at: String,
    /// What the office wanted, in a few words (the record's NIP, name or title, jabatan).
    pub summary: String,
}

/// Devices as the page lists them (revoked ones last).
pub fn active_first(devices: &[DeviceRow]) -> Vec<&DeviceRow> {
    let mut list: Vec<&DeviceRow> = devices.iter().collect();
    list.sort_by_key(|d| d.revoked_at.is_some());
    list
}
