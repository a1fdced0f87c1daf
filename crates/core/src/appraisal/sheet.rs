//! The appraisal spreadsheet format (`.xlsx`/`.csv`): one row per RHK item, the appraisal's own
//! cells (appraisee, period, status, ratings, the seven BerAKHLAK values) repeated on each of its
//! rows. Rows with the same NIP and period form one appraisal; their appraisal cells must agree.
//! An export re-imports unchanged.

use crate::appraisal::form::{AppraisalInput, BehaviourRating, RhkItem, RhkJenis};
use crate::appraisal::{Aspect, CoreValue, Period, Rating};
use crate::columns::{read_rows, Column, Row, RowError};
use crate::nip;

const NIP: usize = 0;
const YEAR: usize = 1;
const PERIOD: usize = 2;
const MONTH: usize = 3;
const STATUS: usize = 4;
const HASIL: usize = 5;
const PERILAKU: usize = 6;
/// The first of the 7 × (rating, ekspektasi, umpan balik) behaviour columns.
const VALUES: usize = 7;
const ITEM: usize = VALUES + 21;

const fn col(header: &'static str, required: bool) -> Column {
    Column::new(header, required, header)
}

/// The columns, in the order Pelita writes them.
pub const COLUMNS: [Column; ITEM + 10] = [
    col("NIP", true),
    col("Tahun", true),
    col("Periode", true),
    col("Bulan", false),
    col("Status", false),
    col("Rating Hasil Kerja", false),
    col("Rating Perilaku Kerja", false),
    col("Berorientasi Pelayanan", false),
    col("Berorientasi Pelayanan: Ekspektasi", false),
    col("Berorientasi Pelayanan: Umpan Balik", false),
    col("Akuntabel", false),
    col("Akuntabel: Ekspektasi", false),
    col("Akuntabel: Umpan Balik", false),
    col("Kompeten", false),
    col("Kompeten: Ekspektasi", false),
    col("Kompeten: Umpan Balik", false),
    col("Harmonis", false),
    col("Harmonis: Ekspektasi", false),
    col("Harmonis: Umpan Balik", false),
    col("Loyal", false),
    col("Loyal: Ekspektasi", false),
    col("Loyal: Umpan Balik", false),
    col("Adaptif", false),
    col("Adaptif: Ekspektasi", false),
    col("Adaptif: Umpan Balik", false),
    col("Kolaboratif", false),
    col("Kolaboratif: Ekspektasi", false),
    col("Kolaboratif: Umpan Balik", false),
    col("Jenis RHK", false),
    col("Indikator", false),
    col("Aspek", false),
    col("Target", false),
    col("Realisasi", false),
    col("Satuan", false),
    col("Umpan Balik RHK", false),
    // Written for readers and analysis (capaian in percent, the predicate); computed again on
    // import, never read.
    col("Capaian (%)", false),
    col("Predikat", false),
    // Last, so that files from before it still read: a qualitative target of the plan, as agreed
    // (its item's target is then 100 and the realisasi the share achieved).
    col("Target Kualitatif", false),
];
const QUALITATIVE: usize = ITEM + 9;

pub fn header_cells() -> Vec<String> {
    COLUMNS.iter().map(|c| c.header.to_string()).collect()
}

/// One appraisal as a file holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetAppraisal {
    /// The spreadsheet row of its first line (header = row 1).
    pub row: u32,
    pub nip: String,
    /// `Status` = `Final`; anything else imports as a draft.
    pub is_final: bool,
    /// The form; `employee_id` is empty until the store resolves the NIP.
    pub input: AppraisalInput,
    /// The spreadsheet row of each RHK item.
    pub item_rows: Vec<u32>,
}

impl SheetAppraisal {
    /// Where a form rule broken by this appraisal shows in the file: (row, column header).
    pub fn locate(&self, field: &str) -> (u32, &'static str) {
        let mut parts = field.splitn(3, '.');
        let header = |name: &str| {
            COLUMNS
                .iter()
                .find(|c| c.header.eq_ignore_ascii_case(name))
                .map(|c| c.header)
        };
        match (parts.next(), parts.next(), parts.next()) {
            (Some("items"), Some(i), Some(name)) => {
                let row = i
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| self.item_rows.get(i).copied())
                    .unwrap_or(self.row);
                (row, header(name).unwrap_or("Indikator"))
            }
            (Some("items"), None, None) => (self.row, "Jenis RHK"),
            (Some("behaviour"), Some(value), None) => (self.row, header(value).unwrap_or("NIP")),
            (Some("year"), ..) => (self.row, "Tahun"),
            (Some("month"), ..) => (self.row, "Bulan"),
            (Some("period"), ..) => (self.row, "Periode"),
            (Some("hasil_kerja"), ..) => (self.row, "Rating Hasil Kerja"),
            (Some("perilaku_kerja"), ..) => (self.row, "Rating Perilaku Kerja"),
            _ => (self.row, "NIP"),
        }
    }
}

/// The rows of one appraisal, for an export.
pub fn appraisal_rows(nip: &str, is_final: bool, input: &AppraisalInput) -> Vec<Vec<String>> {
    let text = |r: Option<Rating>| r.map(|r| r.label().to_string()).unwrap_or_default();
    let mut head = vec![
        nip.to_string(),
        input.year.to_string(),
        input.period.label().to_string(),
        input.month.map(|m| m.to_string()).unwrap_or_default(),
        if is_final { "Final" } else { "Draf" }.to_string(),
        text(input.hasil_kerja),
        text(input.perilaku_kerja),
    ];
    for value in CoreValue::ALL {
        let b = input.behaviour.iter().find(|b| b.value == value);
        head.push(text(b.and_then(|b| b.rating)));
        head.push(b.map(|b| b.ekspektasi.clone()).unwrap_or_default());
        head.push(b.map(|b| b.umpan_balik.clone()).unwrap_or_default());
    }
    let predicate = input
        .predicate()
        .map(|p| p.label().to_string())
        .unwrap_or_default();
    let item_cells = |i: &RhkItem| {
        vec![
            match i.jenis {
                RhkJenis::Utama => "Utama",
                RhkJenis::Tambahan => "Tambahan",
            }
            .to_string(),
            i.indikator.clone(),
            format!("{:?}", i.aspek),
            i.target.to_string(),
            i.realisasi.map(|r| r.to_string()).unwrap_or_default(),
            i.satuan.clone(),
            i.umpan_balik.clone(),
            i.capaian()
                .map(|c| format!("{:.1}", c * 100.0))
                .unwrap_or_default(),
        ]
    };
    let lines: Vec<(Vec<String>, String)> = if input.items.is_empty() {
        vec![(vec![String::new(); 8], String::new())]
    } else {
        input
            .items
            .iter()
            .map(|i| (item_cells(i), i.uraian_target.clone().unwrap_or_default()))
            .collect()
    };
    lines
        .into_iter()
        .map(|(item, qualitative)| {
            let mut row = head.clone();
            row.extend(item);
            row.push(predicate.clone());
            row.push(qualitative);
            row
        })
        .collect()
}

/// A number as typed in a sheet: 90, 90,5 or 90.5. "1.000" or "1.000,5" (thousands separators)
/// are refused rather than guessed at: in one convention they are a thousand, in the other one.
fn number(text: &str) -> Option<f64> {
    let t = text.trim().replace(' ', "");
    let thousands = (t.contains('.') && t.contains(','))
        || t.split_once('.')
            .is_some_and(|(_, frac)| frac.len() == 3 && !frac.contains('.'));
    if thousands {
        return None;
    }
    let t = if t.contains(',') {
        t.replace(',', ".")
    } else {
        t
    };
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn parse_aspect(s: &str) -> Option<Aspect> {
    [
        Aspect::Kuantitas,
        Aspect::Kualitas,
        Aspect::Waktu,
        Aspect::Biaya,
    ]
    .into_iter()
    .find(|a| format!("{a:?}").eq_ignore_ascii_case(s.trim()))
}

/// Reads a whole table. Every problem is reported by row and column; the caller writes nothing
/// if any error exists.
pub fn parse_appraisal_table(table: &[Vec<String>]) -> (Vec<SheetAppraisal>, Vec<RowError>) {
    let mut errors = Vec::new();
    let mut read = Appraisals::default();
    let header = read_rows(table, &COLUMNS, &mut errors, |r| {
        // The appraisal this row belongs to, once known: a problem in any of its rows keeps the
        // whole appraisal out, so that one mistake is reported once, not again as a missing item.
        let mut touched: Option<usize> = None;
        read.row(r, &mut touched);
        if let (true, Some(k)) = (r.failed(), touched) {
            read.broken[k] = true;
        }
    });
    if let Err(e) = header {
        return (Vec::new(), e);
    }
    let out = read
        .out
        .into_iter()
        .zip(read.broken)
        .filter_map(|(a, broken)| (!broken).then_some(a))
        .collect();
    (out, errors)
}

/// The appraisals read so far.
#[derive(Default)]
struct Appraisals {
    out: Vec<SheetAppraisal>,
    broken: Vec<bool>,
    /// The appraisal cells of each appraisal's first row, to compare later rows with.
    heads: Vec<Vec<String>>,
}

impl Appraisals {
    fn row(&mut self, r: &mut Row<'_>, touched: &mut Option<usize>) {
        let Appraisals { out, broken, heads } = self;
        let head: Vec<String> = (0..ITEM).map(|k| r.text(k)).collect();

        let nip_text = nip::normalize(&head[NIP]);
        if let Err(e) = nip::parse(&nip_text) {
            r.error(NIP, e.to_string());
            return;
        }
        let Ok(year) = head[YEAR].parse::<i32>() else {
            r.error(YEAR, format!("tahun '{}' bukan angka tahun", head[YEAR]));
            return;
        };
        let Some(period) = Period::parse(&head[PERIOD]) else {
            r.error(
                PERIOD,
                format!(
                    "periode '{}' tidak dikenal; isi Bulanan, Triwulan I, Triwulan II, Triwulan III, Triwulan IV-Akhir atau Tahunan",
                    head[PERIOD]
                ),
            );
            return;
        };
        let month = match head[MONTH].as_str() {
            "" => None,
            m => match m.parse::<u32>() {
                Ok(m) => Some(m),
                Err(_) => {
                    r.error(MONTH, format!("bulan '{m}' bukan angka 1–12"));
                    return;
                }
            },
        };
        let rating = |k: usize, r: &mut Row<'_>| -> Option<Rating> {
            r.optional(k, Rating::parse, |t| {
                format!("rating '{t}' tidak dikenal; isi Di Atas Ekspektasi, Sesuai Ekspektasi atau Di Bawah Ekspektasi")
            })
        };

        let existing = out.iter().position(|a| {
            a.nip == nip_text
                && a.input.year == year
                && a.input.period == period
                && a.input.month == month
        });
        let target = match existing {
            Some(k) => {
                *touched = Some(k);
                // Later rows of the same appraisal only add an item; the rest must agree.
                if let Some(c) = (STATUS..ITEM).find(|&c| head[c] != heads[k][c]) {
                    r.error(
                        c,
                        format!(
                            "berbeda dengan baris {} untuk penilaian yang sama ('{}' ≠ '{}')",
                            out[k].row, head[c], heads[k][c]
                        ),
                    );
                    return;
                }
                k
            }
            None => {
                let mut behaviour = Vec::new();
                for (n, value) in CoreValue::ALL.into_iter().enumerate() {
                    let k = VALUES + 3 * n;
                    let r = rating(k, r);
                    let (ekspektasi, umpan_balik) = (head[k + 1].clone(), head[k + 2].clone());
                    if r.is_some() || !ekspektasi.is_empty() || !umpan_balik.is_empty() {
                        behaviour.push(BehaviourRating {
                            value,
                            rating: r,
                            ekspektasi,
                            umpan_balik,
                        });
                    }
                }
                let status = head[STATUS].as_str();
                if !["", "Draf", "Final"]
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(status))
                {
                    r.error(
                        STATUS,
                        format!("status '{status}' tidak dikenal; isi Draf atau Final"),
                    );
                }
                out.push(SheetAppraisal {
                    row: r.number,
                    item_rows: Vec::new(),
                    nip: nip_text,
                    is_final: status.eq_ignore_ascii_case("Final"),
                    input: AppraisalInput {
                        employee_id: String::new(),
                        year,
                        period,
                        month,
                        items: Vec::new(),
                        behaviour,
                        hasil_kerja: rating(HASIL, r),
                        perilaku_kerja: rating(PERILAKU, r),
                    },
                });
                heads.push(head);
                broken.push(false);
                *touched = Some(out.len() - 1);
                out.len() - 1
            }
        };

        let item: Vec<String> = (ITEM..ITEM + 7).map(|k| r.text(k)).collect();
        if item.iter().all(|c| c.is_empty()) {
            return;
        }
        let jenis = match item[0].to_lowercase().as_str() {
            "utama" => RhkJenis::Utama,
            "tambahan" => RhkJenis::Tambahan,
            other => {
                r.error(
                    ITEM,
                    if other.is_empty() {
                        "jenis RHK wajib diisi: Utama atau Tambahan".to_string()
                    } else {
                        format!("jenis RHK '{other}' tidak dikenal; isi Utama atau Tambahan")
                    },
                );
                return;
            }
        };
        let Some(aspek) = parse_aspect(&item[2]) else {
            r.error(
                ITEM + 2,
                format!(
                    "aspek '{}' tidak dikenal; isi Kuantitas, Kualitas, Waktu atau Biaya",
                    item[2]
                ),
            );
            return;
        };
        let Some(target_value) = number(&item[3]) else {
            r.error(ITEM + 3, format!("target '{}' bukan angka (tanpa pemisah ribuan, desimal dengan koma atau titik)", item[3]));
            return;
        };
        let realisasi = match item[4].as_str() {
            "" => None,
            t => match number(t) {
                Some(n) => Some(n),
                None => {
                    r.error(ITEM + 4, format!("realisasi '{t}' bukan angka (tanpa pemisah ribuan, desimal dengan koma atau titik)"));
                    return;
                }
            },
        };
        out[target].item_rows.push(r.number);
        out[target].input.items.push(RhkItem {
            jenis,
            indikator: item[1].clone(),
            aspek,
            target: target_value,
            realisasi,
            satuan: item[5].clone(),
            umpan_balik: item[6].clone(),
            uraian_target: Some(r.text(QUALITATIVE)).filter(|t| !t.is_empty()),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> AppraisalInput {
        AppraisalInput {
            employee_id: String::new(),
            year: 2026,
            period: Period::TriwulanIII,
            month: None,
            items: vec![
                RhkItem {
                    jenis: RhkJenis::Utama,
                    indikator: "Surat selesai dalam 1 hari".into(),
                    aspek: Aspect::Kuantitas,
                    target: 90.0,
                    realisasi: Some(92.5),
                    satuan: "persen".into(),
                    umpan_balik: "Baik, pertahankan".into(),
                    uraian_target: None,
                },
                RhkItem {
                    jenis: RhkJenis::Tambahan,
                    indikator: "Waktu layanan".into(),
                    aspek: Aspect::Waktu,
                    target: 60.0,
                    realisasi: None,
                    satuan: "menit".into(),
                    umpan_balik: String::new(),
                    // A plan's qualitative target travels with its item.
                    uraian_target: Some("Layanan tanpa antrean panjang".into()),
                },
            ],
            behaviour: CoreValue::ALL
                .into_iter()
                .map(|value| BehaviourRating {
                    value,
                    rating: Some(Rating::Sesuai),
                    ekspektasi: format!("harapan {}", value.label()),
                    umpan_balik: String::new(),
                })
                .collect(),
            hasil_kerja: Some(Rating::DiAtas),
            perilaku_kerja: Some(Rating::Sesuai),
        }
    }

    #[test]
    fn an_export_reads_back_identically() {
        let mut table = vec![header_cells()];
        table.extend(appraisal_rows("198503122010011002", true, &sample()));
        let mut second = sample();
        second.period = Period::Bulanan;
        second.month = Some(7);
        second.items.clear();
        table.extend(appraisal_rows("198503122010011002", false, &second));
        assert_eq!(table.len(), 4);
        // Capaian: 92.5 of 90 (more is better); none while realisasi is empty.
        assert_eq!(
            (table[1][ITEM + 7].as_str(), table[2][ITEM + 7].as_str()),
            ("102.8", "")
        );
        assert_eq!(table[1][ITEM + 8], "Baik");
        let (parsed, errors) = parse_appraisal_table(&table);
        assert_eq!(errors, vec![]);
        assert_eq!(parsed.len(), 2);
        assert_eq!((parsed[0].row, parsed[0].is_final), (2, true));
        assert_eq!(parsed[0].input, sample());
        // A file from before the Target Kualitatif column still reads, without it.
        let older: Vec<Vec<String>> = table
            .iter()
            .map(|row| row[..QUALITATIVE].to_vec())
            .collect();
        let (parsed, errors) = parse_appraisal_table(&older);
        assert_eq!(errors, vec![]);
        assert_eq!(parsed[0].input.items[1].uraian_target, None);
        assert_eq!(parsed[1].input, second);
        assert!(!parsed[1].is_final);
    }

    #[test]
    fn problems_name_row_and_column() {
        let mut table = vec![header_cells()];
        let mut rows = appraisal_rows("198503122010011002", false, &sample());
        rows[1][HASIL] = "Sesuai Ekspektasi".into(); // disagrees with row 2
        let mut bad = appraisal_rows("198503122010011002", false, &sample()).remove(0);
        bad[PERIOD] = "Triwulan V".into();
        let mut odd = appraisal_rows("198503122010011003", false, &sample()).remove(0);
        odd[ITEM + 3] = "sembilan puluh".into();
        table.extend(rows);
        table.push(bad);
        table.push(odd);
        let (_, errors) = parse_appraisal_table(&table);
        let found: Vec<(u32, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(
            found,
            [(3, "Rating Hasil Kerja"), (4, "Periode"), (5, "Target")]
        );
        assert!(
            errors[0].message.contains("berbeda dengan baris 2"),
            "{}",
            errors[0].message
        );
        assert_eq!(number("90,5"), Some(90.5));
        assert_eq!(number("92.5"), Some(92.5));
        assert_eq!(
            number("1.000"),
            None,
            "a thousand or one? refused, not guessed"
        );
        assert_eq!(number("1.000,5"), None);
        let mut clean = vec![header_cells()];
        clean.extend(appraisal_rows("198503122010011002", false, &sample()));
        let (parsed, _) = parse_appraisal_table(&clean);
        assert_eq!(parsed[0].item_rows, [2, 3]);
        assert_eq!(parsed[0].locate("items.1.target"), (3, "Target"));
        assert_eq!(parsed[0].locate("behaviour.Loyal"), (2, "Loyal"));
        assert_eq!(parsed[0].locate("hasil_kerja"), (2, "Rating Hasil Kerja"));
    }
}
