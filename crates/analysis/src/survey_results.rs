//! The questionnaire study's results from the answer sheets on this laptop: how respondents
//! answered each item, then the thesis tables of `pelita_stats::survey` (validity, reliability,
//! the classical assumptions, the regressions), for the screen, the `.xlsx` report and the CLI.

use std::collections::BTreeMap;
use std::path::Path;

use pelita_core::auth::{Action, Actor};
use pelita_core::survey::{item_codes, LIKERT};
use pelita_stats::survey::{Responses, SurveyReport};
use serde::{Deserialize, Serialize};
use specta::Type;

use pelita_core::auth::office_scope;
use pelita_store::read::get_instrument;
use pelita_store::Instrument;
use pelita_store::{Result, Store};

/// A titled table, header row first.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ResultTable {
    pub title: String,
    pub rows: Vec<Vec<String>>,
}

/// Which sheets the results count and how they are tested.
#[derive(Debug, Clone, Deserialize, Serialize, Type)]
pub struct ResultOptions {
    /// One office's sheets (the HQ may choose; an office always sees its own).
    pub office_id: Option<String>,
    /// α above which a construct counts as reliable.
    pub alpha_threshold: f64,
    /// Leave the items that fail the validity test out of every later test, as theses do.
    pub drop_invalid: bool,
}

impl Default for ResultOptions {
    fn default() -> Self {
        ResultOptions {
            office_id: None,
            alpha_threshold: pelita_stats::survey::DEFAULT_ALPHA_THRESHOLD,
            drop_invalid: false,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SurveyResults {
    pub instrument: Instrument,
    /// Answer sheets counted.
    pub n: u32,
    pub options: ResultOptions,
    /// Why the statistics are not shown (too few sheets, answers that do not vary), in Indonesian.
    pub unavailable: Option<String>,
    /// The answer distribution first, then the thesis tables when they can be computed.
    pub tables: Vec<ResultTable>,
}

/// The sheets as a table: item codes as the header, one row per sheet (oldest first) — the
/// same form as the CSV `pelita analyze survey` reads.
fn answer_table(instrument: &Instrument, sheets: &[BTreeMap<String, u8>]) -> Vec<Vec<String>> {
    let codes = item_codes(&instrument.constructs);
    let mut table = vec![codes.clone()];
    for s in sheets {
        table.push(
            codes
                .iter()
                .map(|c| s.get(c).map_or(String::new(), u8::to_string))
                .collect(),
        );
    }
    table
}

fn distribution(instrument: &Instrument, sheets: &[BTreeMap<String, u8>]) -> ResultTable {
    let mut header = vec!["Butir".to_string(), "Pernyataan".to_string()];
    header.extend(LIKERT.iter().map(|(_, short, _)| (*short).to_string()));
    header.push("Rata-rata".into());
    let mut rows = vec![header];
    for c in &instrument.constructs {
        for (j, statement) in c.items.iter().enumerate() {
            let code = format!("{}_{}", c.code, j + 1);
            let values: Vec<u8> = sheets
                .iter()
                .filter_map(|s| s.get(&code).copied())
                .collect();
            let mut row = vec![code, statement.clone()];
            row.extend(
                LIKERT
                    .iter()
                    .map(|(v, _, _)| values.iter().filter(|x| *x == v).count().to_string()),
            );
            row.push(if values.is_empty() {
                "–".into()
            } else {
                let sum: u32 = values.iter().map(|v| u32::from(*v)).sum();
                format!("{:.2}", f64::from(sum) / values.len() as f64)
            });
            rows.push(row);
        }
    }
    ResultTable {
        title: format!(
            "Distribusi jawaban responden (n = {}; 1 = {}, 5 = {})",
            sheets.len(),
            LIKERT[0].2,
            LIKERT[4].2
        ),
        rows,
    }
}

/// The answer sheets of an instrument in scope (the HQ: all offices or one; an office: its
/// own), oldest first.
fn sheets(
    store: &mut Store,
    actor: &Actor,
    instrument_id: &str,
    office_id: Option<&str>,
) -> Result<(Instrument, Vec<BTreeMap<String, u8>>)> {
    let scope = office_scope(actor, Action::ViewEmployees, office_id);
    store.authorize(actor, Action::ViewEmployees, scope.as_deref())?;
    let instrument = get_instrument(store.connection(), instrument_id, scope.as_deref())?;
    let sheets = store
        .connection()
        .prepare(
            "SELECT answers FROM survey_response
             WHERE instrument_id = ?1 AND deleted = 0 AND (?2 IS NULL OR office_id = ?2)
             ORDER BY recorded_at, id",
        )?
        .query_map(rusqlite::params![instrument_id, scope], |r| {
            r.get::<_, String>(0)
        })?
        .map(|s| Ok(serde_json::from_str(&s?).unwrap_or_default()))
        .collect::<rusqlite::Result<_>>()?;
    Ok((instrument, sheets))
}

/// The sheets as the table `pelita analyze survey` reads (header: item codes).
pub(crate) fn survey_answer_table(
    store: &mut Store,
    actor: &Actor,
    instrument_id: &str,
    office_id: Option<&str>,
) -> Result<Vec<Vec<String>>> {
    let (instrument, sheets) = sheets(store, actor, instrument_id, office_id)?;
    Ok(answer_table(&instrument, &sheets))
}

/// The study's report from the sheets in scope; `alpha_threshold` is the α above which a
/// construct is reliable.
pub(crate) fn survey_results(
    store: &mut Store,
    actor: &Actor,
    instrument_id: &str,
    options: &ResultOptions,
) -> Result<SurveyResults> {
    let (instrument, sheets) = sheets(store, actor, instrument_id, options.office_id.as_deref())?;
    let mut tables = vec![distribution(&instrument, &sheets)];
    let report = report(&instrument, &sheets, options);
    let unavailable = match report {
        Ok(report) => {
            tables.extend(report.tables().into_iter().map(|t| ResultTable {
                title: t.title,
                rows: t.rows,
            }));
            None
        }
        Err(reason) => Some(reason),
    };
    Ok(SurveyResults {
        instrument,
        n: sheets.len() as u32,
        options: options.clone(),
        unavailable,
        tables,
    })
}

/// Writes every table of the results, one under another, to an `.xlsx` report.
pub(crate) fn export_survey_results(
    store: &mut Store,
    actor: &Actor,
    instrument_id: &str,
    options: &ResultOptions,
    path: &Path,
) -> Result<u32> {
    let results = survey_results(store, actor, instrument_id, options)?;
    let title = format!("{} (n = {})", results.instrument.title, results.n);
    let heading = vec![vec![title.clone()]];
    let note = results.unavailable.as_ref().map(|r| vec![vec![r.clone()]]);
    let mut sections: Vec<(&str, &Vec<Vec<String>>)> = vec![("Studi Pengaruh", &heading)];
    sections.extend(results.tables.iter().map(|t| (t.title.as_str(), &t.rows)));
    if let Some(note) = &note {
        sections.push(("Uji statistik tidak dihitung", note));
    }
    pelita_sheet::write_sections(path, &sections)?;
    Ok(results.n)
}

fn report(
    instrument: &Instrument,
    sheets: &[BTreeMap<String, u8>],
    options: &ResultOptions,
) -> std::result::Result<SurveyReport, String> {
    let codes = item_codes(&instrument.constructs);
    // Every sheet was checked complete when recorded; one that is not (written elsewhere
    // against another wording of the rules) is left out rather than guessed.
    let complete: Vec<&BTreeMap<String, u8>> = sheets
        .iter()
        .filter(|s| codes.iter().all(|c| s.contains_key(c)))
        .collect();
    let items = codes
        .into_iter()
        .map(|code| {
            let values = complete.iter().map(|s| f64::from(s[&code])).collect();
            (code, values)
        })
        .collect();
    let responses = Responses { items };
    if options.drop_invalid {
        responses.analyze_valid_items(options.alpha_threshold)
    } else {
        responses.analyze(options.alpha_threshold)
    }
    .map_err(|e| format!("uji statistik tidak dapat dihitung: {e}"))
}
