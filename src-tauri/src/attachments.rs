//! Attachments: bukti dukung of a realisasi and certificate files of a participation — adding,
//! opening (fetched from the hub first when this laptop does not hold the file), saving a copy,
//! removing. One line per store call.

use pelita_store::{Attachment, Realisasi, RealisasiInput};
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::sync::Open;
use crate::{ApiError, AppState};

type Result<T> = std::result::Result<T, ApiError>;

/// A file and its content, for the viewer.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AttachmentFile {
    pub attachment: Attachment,
    pub bytes: Vec<u8>,
}

/// Enters or corrects the realisasi of one indicator of an agreed plan for a period.
#[tauri::command]
#[specta::specta]
pub fn save_realisasi(state: State<'_, AppState>, input: RealisasiInput) -> Result<Realisasi> {
    state.as_actor(|s, a| s.save_realisasi(a, &input))
}

/// Attaches a bukti dukung (PDF or photo) to a realisasi.
#[tauri::command]
#[specta::specta]
pub fn attach_evidence(
    state: State<'_, AppState>,
    realisasi_id: String,
    file_name: String,
    bytes: Vec<u8>,
) -> Result<Attachment> {
    state.as_actor(|s, a| s.attach_evidence(a, &realisasi_id, &file_name, &bytes))
}

/// Attaches a certificate file to a participation.
#[tauri::command]
#[specta::specta]
pub fn attach_certificate(
    state: State<'_, AppState>,
    training_id: String,
    employee_id: String,
    file_name: String,
    bytes: Vec<u8>,
) -> Result<Attachment> {
    state.as_actor(|s, a| s.attach_certificate(a, &training_id, &employee_id, &file_name, &bytes))
}

/// The file of an attachment this laptop holds (`not_fetched` otherwise).
#[tauri::command]
#[specta::specta]
pub fn open_attachment(state: State<'_, AppState>, id: String) -> Result<AttachmentFile> {
    state.as_actor(|s, a| {
        s.open_attachment(a, &id)
            .map(|(attachment, bytes)| AttachmentFile { attachment, bytes })
    })
}

/// Fetches an attachment's file from the hub (off the main thread: it may take a while on a slow
/// link; the database is held only between two chunks).
#[tauri::command(async)]
#[specta::specta]
pub fn fetch_attachment(state: State<'_, AppState>, id: String) -> Result<Attachment> {
    let actor = state.as_actor(|_, a| Ok(a.clone()))?;
    pelita_sync::fetch_attachment(&mut Open(&state), &actor, &id, &Default::default())
        .map_err(|e| pelita_store::StoreError::from(e).into())
}

/// Saves a copy of an attachment's file where the person chose.
#[tauri::command]
#[specta::specta]
pub fn export_attachment(state: State<'_, AppState>, id: String, path: String) -> Result<()> {
    state.as_actor(|s, a| s.export_attachment(a, &id, std::path::Path::new(&path)))
}

/// Takes a bukti dukung off its realisasi.
#[tauri::command]
#[specta::specta]
pub fn remove_evidence(state: State<'_, AppState>, id: String, version: i64) -> Result<()> {
    state.as_actor(|s, a| s.remove_evidence(a, &id, version))
}

/// Takes a certificate file off its participation.
#[tauri::command]
#[specta::specta]
pub fn remove_certificate(state: State<'_, AppState>, id: String, version: i64) -> Result<()> {
    state.as_actor(|s, a| s.remove_certificate(a, &id, version))
}
