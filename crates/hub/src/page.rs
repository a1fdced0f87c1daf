//! The hub's status page and its sign-in form, rendered on the server as plain HTML (the page
//! must open on any browser at the Kantor Camat, with nothing fetched from elsewhere).
//! Indonesian first; `?lang=en` switches to English.

use std::fmt::Write;

use chrono::{DateTime, FixedOffset};

use crate::store::{active_first, HubOverview};

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

    fn t(self, id: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Lang::Id => "",
            Lang::En => "?lang=en",
        }
    }
}

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A stored UTC time as Medan reads it (WIB, UTC+7).
fn wib(at: Option<&str>) -> String {
    let Some(at) = at else { return "–".into() };
    let zone = FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&zone)
                .format("%Y-%m-%d %H:%M WIB")
                .to_string()
        })
        .unwrap_or_else(|_| esc(at))
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
        other => return esc(other),
    };
    label.into()
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b2430}\
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.92rem}\
th,td{border:1px solid #c9d1da;padding:.3rem .6rem;text-align:left;vertical-align:top}\
th{background:#eef2f6}td.n{text-align:right}.warn{color:#a23b00;font-weight:600}\
.muted{color:#5b6775}form.inline{display:inline}header{display:flex;gap:1rem;align-items:baseline}\
label{display:block;margin:.5rem 0}.error{color:#a3001b}";

fn document(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{}</title>\
         <style>{STYLE}</style></head><body>{body}</body></html>",
        match lang {
            Lang::Id => "id",
            Lang::En => "en",
        },
        esc(title)
    )
}

/// The sign-in form, with the reason of a failed attempt.
pub fn login(lang: Lang, error: Option<&str>) -> String {
    let mut body = format!(
        "<h1>{}</h1><p class=\"muted\">{}</p>",
        lang.t("Hub Pelita — masuk admin", "Pelita hub — admin sign-in"),
        lang.t(
            "Halaman status hub sinkronisasi Kecamatan Medan Marelan.",
            "Status page of the Kecamatan Medan Marelan sync hub."
        )
    );
    if let Some(error) = error {
        let _ = write!(body, "<p class=\"error\" role=\"alert\">{}</p>", esc(error));
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/login{}\">\
         <label>{} <input name=\"username\" autocomplete=\"username\" required autofocus></label>\
         <label>{} <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\
         <button type=\"submit\">{}</button></form><p><a href=\"/status{}\">{}</a></p>",
        lang.suffix(),
        lang.t("Nama pengguna", "Username"),
        lang.t("Kata sandi", "Password"),
        lang.t("Masuk", "Sign in"),
        match lang {
            Lang::Id => "?lang=en",
            Lang::En => "",
        },
        lang.t("English", "Bahasa Indonesia"),
    );
    document(
        lang,
        lang.t("Masuk — Hub Pelita", "Sign in — Pelita hub"),
        &body,
    )
}

fn table(out: &mut String, headers: &[&str], rows: &[Vec<String>], empty: &str) {
    if rows.is_empty() {
        let _ = write!(out, "<p class=\"muted\">{}</p>", esc(empty));
        return;
    }
    out.push_str("<table><thead><tr>");
    for h in headers {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

fn count(n: impl std::fmt::Display, warn: bool) -> String {
    if warn {
        format!("<span class=\"warn\">{n}</span>")
    } else {
        n.to_string()
    }
}

/// The status page of a signed-in admin. Every cell from the database is escaped here.
pub fn status(lang: Lang, admin: &str, o: &HubOverview) -> String {
    let s = &o.status;
    let mut body = format!(
        "<header><h1>{}</h1><span class=\"muted\">{} {} · {} {}</span>\
         <span>{} <b>{}</b></span><form class=\"inline\" method=\"post\" action=\"/logout\">\
         <button type=\"submit\">{}</button></form></header>",
        lang.t("Status hub Pelita", "Pelita hub status"),
        lang.t("versi", "version"),
        esc(&s.version),
        lang.t("protokol", "protocol"),
        s.protocol,
        lang.t("Masuk sebagai", "Signed in as"),
        esc(admin),
        lang.t("Keluar", "Sign out"),
    );
    let _ = write!(
        body,
        "<p>{} {} · {} {} · {} {} · {} {} · {} {} · {} {}</p>",
        s.offices,
        lang.t("kantor", "offices"),
        s.devices.iter().filter(|d| d.revoked_at.is_none()).count(),
        lang.t("perangkat aktif", "active devices"),
        s.rows,
        lang.t("baris", "rows"),
        count(s.pending_conflicts, s.pending_conflicts > 0),
        lang.t("konflik menunggu", "pending conflicts"),
        count(s.rejected, s.rejected > 0),
        lang.t("perubahan ditolak", "rejected changes"),
        s.duplicates,
        lang.t("kiriman ulang diabaikan", "resends ignored"),
    );

    let _ = write!(body, "<h2>{}</h2>", lang.t("Kantor", "Offices"));
    let rows: Vec<Vec<String>> = o
        .offices
        .iter()
        .map(|k| {
            vec![
                esc(&k.code),
                format!("{}{}", esc(&k.name), if k.hq { " (HQ)" } else { "" }),
                k.devices.to_string(),
                k.rows.to_string(),
                if k.last_sync_at.is_none() && k.devices > 0 {
                    count(lang.t("belum pernah", "never"), true)
                } else {
                    wib(k.last_sync_at.as_deref())
                },
                count(k.pending_conflicts, k.pending_conflicts > 0),
                count(k.rejected, k.rejected > 0),
            ]
        })
        .collect();
    table(
        &mut body,
        &[
            lang.t("Kode", "Code"),
            lang.t("Nama", "Name"),
            lang.t("Perangkat", "Devices"),
            lang.t("Baris", "Rows"),
            lang.t("Sinkron terakhir", "Last sync"),
            lang.t("Konflik", "Conflicts"),
            lang.t("Ditolak", "Rejected"),
        ],
        &rows,
        "",
    );

    let _ = write!(body, "<h2>{}</h2>", lang.t("Perangkat", "Devices"));
    let rows: Vec<Vec<String>> = active_first(&s.devices)
        .into_iter()
        .map(|d| {
            vec![
                esc(&d.name),
                esc(&d.office_code),
                d.app_version.as_deref().map_or("–".into(), esc),
                wib(Some(&d.enrolled_at)),
                wib(d.last_seen_at.as_deref()),
                wib(d.last_push_at.as_deref()),
                wib(d.last_pull_at.as_deref()),
                match &d.revoked_at {
                    Some(at) => format!(
                        "<span class=\"warn\">{} {}</span>",
                        lang.t("dicabut", "revoked"),
                        wib(Some(at))
                    ),
                    None => lang.t("aktif", "active").into(),
                },
                format!("<code>{}</code>", esc(&d.id)),
            ]
        })
        .collect();
    table(
        &mut body,
        &[
            lang.t("Nama", "Name"),
            lang.t("Kantor", "Office"),
            lang.t("Versi aplikasi", "App version"),
            lang.t("Terdaftar", "Enrolled"),
            lang.t("Terakhir terlihat", "Last seen"),
            lang.t("Kirim terakhir", "Last push"),
            lang.t("Tarik terakhir", "Last pull"),
            lang.t("Status", "Status"),
            "ID",
        ],
        &rows,
        lang.t("Belum ada perangkat terdaftar.", "No devices enrolled yet."),
    );

    let _ = write!(
        body,
        "<h2>{}</h2><p class=\"muted\">{}</p>",
        lang.t("Konflik menunggu", "Pending conflicts"),
        lang.t(
            "Diselesaikan oleh operator kantor di aplikasi (Sinkronisasi → Konflik). Jika laptop \
             itu sudah diganti atau hilang, cabut perangkatnya: konfliknya ikut ditutup.",
            "Settled by the office's operator in the app (Sync → Conflicts). If that laptop was \
             replaced or lost, revoke the device: its conflicts are closed with it."
        )
    );
    let rows: Vec<Vec<String>> = o
        .conflicts
        .iter()
        .map(|c| {
            vec![
                esc(&c.office_code),
                esc(&c.device_name),
                entity(lang, &c.entity),
                format!("<code>{}</code>", esc(&c.row_id)),
                wib(Some(&c.at)),
                wib(c.device_last_sync_at.as_deref()),
            ]
        })
        .collect();
    table(
        &mut body,
        &[
            lang.t("Kantor", "Office"),
            lang.t("Perangkat", "Device"),
            lang.t("Jenis data", "Record kind"),
            lang.t("ID baris", "Row ID"),
            lang.t("Sejak", "Since"),
            lang.t("Perangkat terakhir sinkron", "Device last synced"),
        ],
        &rows,
        lang.t("Tidak ada konflik.", "No conflicts."),
    );

    let _ = write!(
        body,
        "<h2>{}</h2>",
        lang.t(
            "Perubahan ditolak (50 terbaru)",
            "Rejected changes (latest 50)"
        )
    );
    let rows: Vec<Vec<String>> = o
        .rejected
        .iter()
        .map(|x| {
            vec![
                wib(Some(&x.at)),
                esc(&x.office_code),
                esc(&x.device_name),
                entity(lang, &x.entity),
                format!("<code>{}</code>", esc(&x.row_id)),
                esc(&x.summary),
                esc(&x.reason),
            ]
        })
        .collect();
    table(
        &mut body,
        &[
            lang.t("Waktu", "Time"),
            lang.t("Kantor", "Office"),
            lang.t("Perangkat", "Device"),
            lang.t("Jenis data", "Record kind"),
            lang.t("ID baris", "Row ID"),
            lang.t("Isi perubahan", "What was sent"),
            lang.t("Alasan", "Reason"),
        ],
        &rows,
        lang.t("Tidak ada perubahan yang ditolak.", "No rejected changes."),
    );
    let _ = write!(
        body,
        "<p class=\"muted\"><a href=\"/status{}\">{}</a></p>",
        match lang {
            Lang::Id => "?lang=en",
            Lang::En => "",
        },
        lang.t("English", "Bahasa Indonesia")
    );
    document(
        lang,
        lang.t("Status hub Pelita", "Pelita hub status"),
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_times_read_in_wib() {
        assert_eq!(
            esc(r#"<script>"x" & 'y'"#),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
        assert_eq!(
            wib(Some("2026-12-01T17:30:00.000Z")),
            "2026-12-02 00:30 WIB"
        );
        assert_eq!(wib(None), "–");
    }

    #[test]
    fn english_only_when_asked() {
        assert_eq!(Lang::from_query(None), Lang::Id);
        assert_eq!(Lang::from_query(Some("a=1&lang=en")), Lang::En);
        assert_eq!(Lang::from_query(Some("lang=english")), Lang::Id);
        assert!(login(Lang::Id, Some("<b>")).contains("&lt;b&gt;"));
        assert!(login(Lang::En, None).contains("Sign in"));
    }
}
