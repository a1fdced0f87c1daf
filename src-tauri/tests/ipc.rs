//! The desktop commands through real Tauri IPC (mock runtime, no window system): the same path
//! the webview takes, so a rule that only the UI applied would show here.

use pelita_desktop::{specta_builder, AppState};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::{InvokeRequest, WebviewWindow};

struct App {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

impl App {
    fn new() -> App {
        let dir = tempfile::tempdir().unwrap();
        let builder = specta_builder::<MockRuntime>();
        let app = mock_builder()
            .invoke_handler(builder.invoke_handler())
            .manage(AppState::new(&dir.path().join("pelita.sqlite")))
            .build(mock_context(noop_assets()))
            .unwrap();
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        App {
            _dir: dir,
            _app: app,
            webview,
        }
    }

    /// Invokes `cmd` with `args`; `Ok` is the command's value, `Err` the `{code, message}` it sent.
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: tauri::test::INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }
}

const ADMIN_PW: &str = "Lampu-Kantor-Ipc-1";
const LURAH_PW: &str = "Sandi-Kepala-Ipc-2";

#[test]
fn a_final_appraisal_cannot_be_changed_through_the_commands() {
    let app = App::new();
    app.call(
        "create_database",
        json!({"setup": {"office_code": "TERJUN", "load_demo": true, "username": "admin",
                         "full_name": "Admin", "password": ADMIN_PW}}),
    )
    .unwrap();
    let staff = app
        .call(
            "list_employees",
            json!({"query": {"search": "", "office_id": null, "status": null,
            "active": true, "sort": "Name", "descending": false}}),
        )
        .unwrap();
    let staff = staff.as_array().unwrap();
    let lurah = staff
        .iter()
        .find(|e| e["office_code"] == "TERJUN" && e["jabatan"] == "Lurah")
        .unwrap();
    let report = staff
        .iter()
        .find(|e| e["atasan_id"] == lurah["id"])
        .unwrap();
    app.call(
        "add_user",
        json!({"user": {"username": "lurah", "full_name": "Lurah", "roles": ["Pegawai"],
                        "office_code": null, "employee_nip": lurah["nip"], "password": LURAH_PW}}),
    )
    .unwrap();
    app.call("logout", json!({})).unwrap();
    app.call("login", json!({"username": "lurah", "password": LURAH_PW}))
        .unwrap();

    let period = app.call("current_period", json!({})).unwrap();
    let values = [
        "Berorientasi Pelayanan",
        "Akuntabel",
        "Kompeten",
        "Harmonis",
        "Loyal",
        "Adaptif",
        "Kolaboratif",
    ];
    let mut input = json!({
        "employee_id": report["id"], "year": period["year"], "period": period["period"], "month": null,
        "items": [{"jenis": "Utama", "indikator": "Laporan kegiatan", "aspek": "Kuantitas",
                   "target": 3.0, "realisasi": 3.0, "satuan": "laporan", "umpan_balik": ""}],
        "behaviour": values.iter().map(|v| json!({"value": v, "rating": "Sesuai Ekspektasi",
                   "ekspektasi": "", "umpan_balik": ""})).collect::<Vec<_>>(),
        "hasil_kerja": "Sesuai Ekspektasi", "perilaku_kerja": "Sesuai Ekspektasi"
    });
    let draft = app
        .call(
            "save_appraisal",
            json!({"id": null, "expectedVersion": 0, "input": input}),
        )
        .unwrap();
    let signed = app
        .call(
            "finalize_appraisal",
            json!({"id": draft["id"], "expectedVersion": draft["version"], "password": LURAH_PW}),
        )
        .unwrap();
    assert_eq!(signed["status"], "Final");
    assert_eq!(signed["predicate"], "Baik");

    input["hasil_kerja"] = json!("Di Atas Ekspektasi");
    let err = app
        .call(
            "save_appraisal",
            json!({"id": signed["id"], "expectedVersion": signed["version"], "input": input}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "validation");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("Final tidak dapat diubah"),
        "{err}"
    );
    let err = app
        .call(
            "finalize_appraisal",
            json!({"id": signed["id"], "expectedVersion": signed["version"], "password": LURAH_PW}),
        )
        .unwrap_err();
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("Final tidak dapat diubah"));
    let again = app.call("appraisal", json!({"id": signed["id"]})).unwrap();
    assert_eq!(again["predicate"], "Baik");
    assert_eq!(again["version"], signed["version"]);

    // Signed out, nothing answers.
    app.call("logout", json!({})).unwrap();
    let err = app
        .call("appraisal", json!({"id": signed["id"]}))
        .unwrap_err();
    assert_eq!(err["code"], "not_signed_in");
}
