//! The hub's status page and its sign-in form, rendered on the server as plain HTML from the
//! templates in `crates/hub/templates/` (askama: every value is escaped unless a template says
//! otherwise, and none does). The page must open on any browser at the Kantor Camat, with nothing
//! fetched from elsewhere. Indonesian first; `?lang=en` switches to English.

use askama::Template;
use chrono::{DateTime, FixedOffset};

use crate::store::{active_first, DeviceRow, HubOverview, HubStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Id,
    En,
}

impl Lang {
    pub fn from_query(query: Option<&str>) -> Lang {
        match query {
            Some(q) if q.split('&').any(|p| p == "lang=en") => Lang::En,
            _ => Lang::Id,
        }
    }

    /// The text in this language.
    fn t(self, id: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }

    fn code(self) -> &'static str {
        self.t("id", "en")
    }

    /// The query that keeps this language on a link.
    fn suffix(self) -> &'static str {
        self.t("", "?lang=en")
    }

    /// The query of a link to the other language.
    fn other_suffix(self) -> &'static str {
        self.t("?lang=en", "")
    }
}

/// A stored UTC time as Medan reads it (WIB, UTC+7); a time that does not parse, as stored.
fn wib(at: Option<&str>) -> String {
    let Some(at) = at else { return "–".into() };
    let zone = FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&zone)
                .format("%Y-%m-%d %H:%M WIB")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}

fn entity(lang: Lang, entity: &str) -> String {
    let label = match entity {
        "employee" => lang.t("Pegawai", "Employee"),
        "training" => lang.t("Pelatihan", "Training"),
        "participation" => lang.t("Peserta pelatihan", "Training participant"),
        "attendance" => lang.t("Kehadiran", "Attendance"),
        "reaction" => lang.t("Kuesioner L1", "L1 questionnaire"),
        "behaviour_followup" => lang.t("Tindak lanjut L3", "L3 follow-up"),
        "appraisal" => lang.t("Penilaian kinerja", "Performance appraisal"),
        "org_result" => lang.t("Predikat kinerja organisasi", "Organisation result"),
        "skp_plan" => lang.t("Rencana SKP", "Performance plan"),
        "skp_dialog" => lang.t("Dialog kinerja", "Performance dialogue"),
        "skp_realisasi" => lang.t("Realisasi SKP", "Performance results"),
        "attachment" => lang.t("Lampiran", "Attachments"),
        "survey_instrument" => lang.t("Kuesioner studi", "Study questionnaire"),
        "survey_response" => lang.t("Jawaban kuesioner studi", "Study questionnaire answers"),
        "mutasi" => lang.t("Mutasi pegawai", "Transfer"),
        other => other,
    };
    label.to_string()
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    lang: Lang,
    error: Option<&'a str>,
}

/// The sign-in form, with the reason of a failed attempt.
pub fn login(lang: Lang, error: Option<&str>) -> String {
    render(&LoginPage { lang, error })
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage<'a> {
    lang: Lang,
    admin: &'a str,
    o: &'a HubOverview,
    s: &'a HubStatus,
    devices: Vec<&'a DeviceRow>,
    active_devices: usize,
}

impl StatusPage<'_> {
    fn wib(&self, at: Option<&str>) -> String {
        wib(at)
    }

    fn entity(&self, name: &str) -> String {
        entity(self.lang, name)
    }
}

/// The status page of a signed-in admin.
pub fn status(lang: Lang, admin: &str, o: &HubOverview) -> String {
    let s = &o.status;
    render(&StatusPage {
        lang,
        admin,
        o,
        s,
        devices: active_first(&s.devices),
        active_devices: s.devices.iter().filter(|d| d.revoked_at.is_none()).count(),
    })
}

fn render(page: &impl Template) -> String {
    // A template renders into a String; it fails only if a value's Display fails, which none does.
    page.render()
        .unwrap_or_else(|e| format!("<!doctype html><p>halaman gagal dibuat: {e}</p>"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ConflictRow, OfficeSummary, RejectedRow};

    #[test]
    fn times_read_in_wib() {
        assert_eq!(
            wib(Some("2026-12-01T17:30:00.000Z")),
            "2026-12-02 00:30 WIB"
        );
        assert_eq!(wib(None), "–");
    }

    /// Every kind of row that syncs is named in both languages on the page (a raw table name is
    /// no help to an admin reading a conflict or a refusal).
    #[test]
    fn every_synced_kind_has_a_name() {
        for e in pelita_proto::ENTITIES {
            for lang in [Lang::Id, Lang::En] {
                assert_ne!(entity(lang, e), *e, "{e}");
            }
        }
    }

    #[test]
    fn english_only_when_asked() {
        assert_eq!(Lang::from_query(None), Lang::Id);
        assert_eq!(Lang::from_query(Some("a=1&lang=en")), Lang::En);
        assert_eq!(Lang::from_query(Some("lang=english")), Lang::Id);
        let refused = login(Lang::Id, Some("<b>salah</b>"));
        assert!(refused.contains("&#60;b&#62;salah") && !refused.contains("<b>salah"));
        assert!(login(Lang::En, None).contains("Sign in"));
        assert!(login(Lang::Id, None).contains("<html lang=\"id\">"));
    }

    /// Everything on the page that came from a laptop or the database is text, never markup.
    #[test]
    fn every_value_from_the_database_is_escaped() {
        let evil = "<script>alert('x')</script>";
        let device = DeviceRow {
            id: evil.into(),
            office_code: evil.into(),
            name: evil.into(),
            database_id: evil.into(),
            enrolled_at: evil.into(),
            revoked_at: Some(evil.into()),
            last_seen_at: Some(evil.into()),
            last_push_at: None,
            last_pull_at: None,
            app_version: Some(evil.into()),
        };
        let overview = HubOverview {
            status: HubStatus {
                protocol: 1,
                version: evil.into(),
                offices: 1,
                devices: vec![device],
                rows: 3,
                last_seq: 3,
                pending_conflicts: 1,
                rejected: 1,
                duplicates: 0,
            },
            offices: vec![OfficeSummary {
                code: evil.into(),
                name: evil.into(),
                hq: false,
                devices: 1,
                rows: 3,
                last_sync_at: None,
                pending_conflicts: 1,
                rejected: 1,
            }],
            conflicts: vec![ConflictRow {
                mutation_id: evil.into(),
                device_id: evil.into(),
                office_code: evil.into(),
                device_name: evil.into(),
                entity: evil.into(),
                row_id: evil.into(),
                at: evil.into(),
                device_last_sync_at: None,
            }],
            rejected: vec![RejectedRow {
                office_code: evil.into(),
                device_name: evil.into(),
                entity: "employee".into(),
                row_id: evil.into(),
                reason: evil.into(),
                at: evil.into(),
                summary: evil.into(),
            }],
        };
        let page = status(Lang::Id, evil, &overview);
        assert!(!page.contains("<script>"), "{page}");
        assert!(page.contains("&#60;script&#62;"));
        // The page's own markup is still markup.
        assert!(
            page.contains("<span class=\"warn\">belum pernah</span>"),
            "{page}"
        );
        assert!(page.contains("<td>Pegawai</td>"));
    }
}
