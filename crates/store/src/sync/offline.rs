//! Enrolling without any link (`pelita_proto::enrol_bundle`): the secret half of the key a request
//! file carries is kept in this (encrypted) database until the hub's answer, carried back on a USB
//! stick, is opened with it; then the answer's enrolment and first pull are taken as a sync would.

use pelita_core::auth::{Action, Actor};
use pelita_proto::{EnrollResponse, PullResponse};

use crate::{kernel::db, Result, Store, StoreError};

const META_ENROL_SECRET: &str = "enrol_request_secret";

impl Store {
    /// Keeps the secret of a new enrolment request; only the newest request's answer opens.
    pub fn keep_enrolment_secret(&mut self, actor: &Actor, secret: &str) -> Result<()> {
        self.authorize(actor, Action::EnrollDevice, None)?;
        if self.sync_enrolment()?.is_some() {
            return Err(StoreError::AlreadyEnrolled {
                next: "bundel sinkronisasi dibuat dengan `pelita bundle export`",
            });
        }
        db::meta_set(&self.conn, META_ENROL_SECRET, secret)
    }

    /// The secret an answer to this laptop's latest request opens with.
    pub fn enrolment_secret(&self) -> Result<Option<String>> {
        db::meta_get(&self.conn, META_ENROL_SECRET)
    }

    /// Takes the hub's answer: the enrolment (checked against this laptop's office, as online),
    /// then everything the office holds at the hub; returns how many rows arrived. No hub address
    /// is kept: this laptop syncs by bundle until it is enrolled online.
    pub fn take_bundle_enrolment(
        &mut self,
        actor: &Actor,
        enrolment: &EnrollResponse,
        pull: &PullResponse,
    ) -> Result<u32> {
        if self.sync_enrolment()?.is_some() {
            return Err(StoreError::AlreadyEnrolled {
                next: "jawaban pendaftaran ini tidak diperlukan lagi",
            });
        }
        self.save_enrolment(actor, "", enrolment)?;
        self.conn
            .execute("DELETE FROM meta WHERE key = ?1", [META_ENROL_SECRET])?;
        self.apply_pull(pull)
    }
}
