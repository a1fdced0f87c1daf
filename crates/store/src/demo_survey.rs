//! The demo's questionnaire study: the default instrument (X1 Pelatihan, X2 Pengembangan,
//! Y Kinerja) opened by the Kantor Camat, and answer sheets from most of the demo staff — a few
//! anonymous, a few never returned — generated from a seed. Perceived training and development
//! share a latent factor and carry a moderate, noisy relationship with self-rated performance,
//! so the Studi Pengaruh page has a study to show whose tables read like a real one.
//! Everything goes through the store's own operations.

use std::collections::BTreeMap;

use pelita_core::auth::{Actor, Role};
use pelita_core::survey::{default_instrument, InstrumentStatus};

use crate::dataset::Rng;
use crate::{Result, Store};

const BY: &str = "sistem (data contoh)";

fn answer(rng: &mut Rng, latent: f64) -> u8 {
    (3.4 + 0.75 * latent + 0.55 * rng.normal())
        .round()
        .clamp(1.0, 5.0) as u8
}

impl Store {
    pub(crate) fn generate_demo_survey(&mut self, seed: u64) -> Result<()> {
        let mut rng = Rng(seed);
        let system = |office_id: String| Actor {
            user_id: BY.into(),
            username: BY.into(),
            full_name: "Data contoh".into(),
            roles: vec![Role::AdminKecamatan],
            office_id,
            employee_id: None,
        };
        let hq = system(pelita_core::office::office_id(pelita_core::office::HQ_CODE));
        let draft = default_instrument();
        let instrument = self.save_instrument(&hq, None, 0, &draft)?;
        self.set_instrument_status(&hq, &instrument.id, 1, InstrumentStatus::Dibuka)?;
        let staff: Vec<(String, String)> = self
            .conn
            .prepare(
                "SELECT id, office_id FROM employee WHERE deleted = 0 AND active = 1 ORDER BY nip",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (employee, office) in staff {
            if rng.chance(0.12) {
                continue; // never returned the questionnaire
            }
            let training = rng.normal();
            let development = 0.5 * training + 0.85 * rng.normal();
            let performance = 0.35 * training + 0.25 * development + 0.8 * rng.normal();
            let mut answers = BTreeMap::new();
            for c in &draft.constructs {
                let latent = match c.code.as_str() {
                    "X1" => training,
                    "X2" => development,
                    _ => performance,
                };
                for n in 1..=c.items.len() {
                    answers.insert(format!("{}_{n}", c.code), answer(&mut rng, latent));
                }
            }
            let named = (!rng.chance(0.15)).then_some(employee.as_str());
            self.record_survey_response(&system(office), &instrument.id, named, &answers)?;
        }
        Ok(())
    }
}
