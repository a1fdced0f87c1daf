//! The certificate file of a training participation (the scan or photo of the sertifikat), kept
//! with the same attachment mechanism as bukti dukung: synced as a row first, the file after it.
//! Attached by the office's training managers or by the participant themself.

use pelita_core::auth::{Action, Actor};
use pelita_core::{fact_id, ValidationError};
use rusqlite::OptionalExtension;

use crate::kernel::attachments::{self, AttachedTo, Attachment, NewAttachment};
use crate::register::employees;
use crate::{Result, Store, StoreError};

/// Most files attached to one participation (the certificate, its back page, a transcript).
pub const MAX_CERTIFICATE_FILES: usize = 3;

impl Store {
    /// The participation of `employee_id` in `training_id`, with its owner, when `actor` may
    /// attach to it: a training manager of the participant's office, or the participant.
    fn certificate_target(
        &mut self,
        actor: &Actor,
        training_id: &str,
        employee_id: &str,
    ) -> Result<(String, String)> {
        let employee = employees::get(&self.conn, employee_id)?;
        if actor.employee_id.as_deref() != Some(employee_id) {
            self.authorize(actor, Action::ManageTrainings, Some(&employee.office_id))?;
        }
        let id = fact_id("participation", &[training_id, employee_id]);
        let (owner, state, status): (String, String, String) = self
            .conn
            .query_row(
                "SELECT p.owner_office_id, p.state, t.status FROM participation p
                 JOIN training t ON t.id = p.training_id WHERE p.id = ?1",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound("peserta".into()))?;
        if state != "Terdaftar" {
            return Err(ValidationError::single(
                "file",
                format!("sertifikat dilampirkan untuk peserta yang terdaftar, bukan yang berstatus {state}"),
            )
            .into());
        }
        if status != "Selesai" {
            return Err(ValidationError::single(
                "file",
                format!(
                    "sertifikat dilampirkan setelah pelatihan selesai (status sekarang: {status})"
                ),
            )
            .into());
        }
        Ok((id, owner))
    }

    /// Attaches a certificate file (PDF or photo) to a participation.
    pub fn attach_certificate(
        &mut self,
        actor: &Actor,
        training_id: &str,
        employee_id: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Attachment> {
        let (id, owner) = self.certificate_target(actor, training_id, employee_id)?;
        if attachments::list(&self.conn, AttachedTo::Participation(&id))?.len()
            >= MAX_CERTIFICATE_FILES
        {
            return Err(ValidationError::single(
                "file",
                format!("satu peserta paling banyak {MAX_CERTIFICATE_FILES} berkas sertifikat"),
            )
            .into());
        }
        attachments::add(
            &mut self.conn,
            &NewAttachment {
                owner_office_id: &owner,
                employee_id,
                to: AttachedTo::Participation(&id),
                file_name,
                bytes,
                by: &actor.username,
            },
        )
    }

    /// Takes a certificate file off its participation: who may attach one.
    pub fn remove_certificate(
        &mut self,
        actor: &Actor,
        attachment_id: &str,
        expected_version: i64,
    ) -> Result<()> {
        let participation = attachments::parent_of(&self.conn, attachment_id)?
            .1
            .ok_or_else(|| StoreError::NotFound("berkas sertifikat".into()))?;
        let (training_id, employee_id): (String, String) = self.conn.query_row(
            "SELECT training_id, employee_id FROM participation WHERE id = ?1",
            [&participation],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        self.certificate_target(actor, &training_id, &employee_id)?;
        attachments::remove(
            &mut self.conn,
            attachment_id,
            expected_version,
            &actor.username,
        )
    }
}
