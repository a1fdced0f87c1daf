//! Pelita's desktop shell. Each command takes the state, calls one store/core function and maps
//! the error to `{code, message, fields, retryable}`; no rule lives here (limits: wiring, the
//! session and the background sync runner's start only), so the CLI and the tests reach all of
//! them without a webview. TypeScript bindings for every command and type are generated from
//! this crate into `ui/src/lib/bindings.ts` (see `bindings`), and a test fails when they drift.

mod analysis;
mod appraisals;
mod attachments;
mod commands;
mod error;
mod plans;
mod session;
mod state;
mod survey;
mod sync;
mod trainings;
mod transfers;

pub use error::ApiError;
pub use state::AppState;

use specta_typescript::{BigIntExportBehavior, Typescript};
use tauri::Manager;

/// Every command the UI may call, with its types (generic so tests can use the mock runtime).
pub fn specta_builder<R: tauri::Runtime>() -> tauri_specta::Builder<R> {
    use analysis::*;
    use appraisals::*;
    use attachments::*;
    use commands::*;
    use plans::*;
    use session::*;
    use survey::*;
    use sync::*;
    use trainings::*;
    use transfers::*;
    tauri_specta::Builder::<R>::new().commands(tauri_specta::collect_commands![
        app_info,
        analysis_overview,
        list_offices,
        reference_data,
        check_nip,
        list_employees,
        employee_detail,
        appraisal_reference,
        appraisal_predicate,
        current_period,
        appraisal_roster,
        appraisal,
        save_appraisal,
        finalize_appraisal,
        amend_appraisal,
        discard_appraisal_draft,
        appraisal_recap,
        set_org_result,
        penetapan,
        plan_roster,
        skp_plan,
        save_plan,
        sign_plan,
        revise_plan,
        peran_hasil,
        appraisal_from_plan,
        record_dialog,
        save_realisasi,
        attach_evidence,
        attach_certificate,
        open_attachment,
        fetch_attachment,
        export_attachment,
        remove_evidence,
        remove_certificate,
        import_appraisals,
        export_appraisals,
        training_reference,
        list_trainings,
        training,
        create_training,
        update_training,
        set_training_status,
        participants,
        enrol,
        withdraw,
        session_attendance,
        record_attendance,
        jp_report,
        jp_shares,
        participation_summary,
        participation_breakdown,
        set_jp_diakui,
        set_certificate_number,
        training_history,
        import_training_file,
        export_training_file,
        export_siasn,
        record_reaction,
        reaction_summary,
        set_test_scores,
        learning_summary,
        followups_due,
        record_followup,
        record_baseline,
        create_employee,
        update_employee,
        deactivate_employee,
        reactivate_employee,
        mutasi_list,
        record_mutasi,
        approve_mutasi,
        reject_mutasi,
        cancel_mutasi,
        nip_elsewhere,
        preview_employee_import,
        commit_employee_import,
        export_employees,
        export_employee_template,
        session_info,
        store_status,
        create_database,
        set_up_from_hub,
        login,
        logout,
        lock_session,
        unlock_session,
        change_password,
        export_own_record,
        audit_log,
        verify_audit,
        list_users,
        add_user,
        reset_password,
        disable_user,
        backup_database,
        restore_database,
        restore_new_database,
        sync_view,
        sync_enroll,
        sync_now,
        sync_history,
        sync_conflicts,
        sync_rejections,
        discard_sync_rejection,
        resolve_sync_conflict,
        default_instrument,
        list_instruments,
        save_instrument,
        set_instrument_status,
        record_survey_response,
        delete_survey_response,
        survey_responses,
        survey_results,
        export_survey_results,
    ])
}

/// The TypeScript bindings as they should be committed.
pub fn bindings() -> String {
    let ts = Typescript::default()
        .bigint(BigIntExportBehavior::Number)
        .header(
            "// Generated from src-tauri by `make bindings`. Do not edit.\n/* eslint-disable */",
        );
    specta_builder::<tauri::Wry>()
        .export_str(ts)
        .expect("bindings render")
}

pub fn run() {
    let builder = specta_builder::<tauri::Wry>();
    tauri::Builder::default()
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(builder.invoke_handler())
        .setup(|app| {
            let path = match std::env::var_os("PELITA_DB") {
                Some(p) => std::path::PathBuf::from(p),
                None => app.path().app_data_dir()?.join("pelita.sqlite"),
            };
            app.manage(AppState::new(&path));
            sync::start(app.handle());
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("Pelita gagal dijalankan");
}

#[cfg(test)]
mod tests {
    const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/bindings.ts");

    /// `PELITA_WRITE_BINDINGS=1 cargo test -p pelita-desktop bindings` rewrites the file.
    #[test]
    fn bindings_are_committed_and_current() {
        let fresh = super::bindings();
        if std::env::var_os("PELITA_WRITE_BINDINGS").is_some() {
            std::fs::write(COMMITTED, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/lib/bindings.ts is out of date with the Rust commands: run `make bindings` and commit it"
        );
    }
}
