//! Taking in what changed on the server: an item applied here (merged with a local edit
//! when both sides changed it), or a delete. Each in one transaction with its state.

use std::collections::HashSet;

use serde_json::Value;

use super::{Engine, base_of, counts, json, linkable, local, put_local, same};
use crate::store::records::{self, Table};
use crate::store::sync::{self as state, Conflict, ItemState};
use crate::store::trash;
use crate::sync::item::{self, SyncRecord};
use crate::sync::{SyncError, merge, normal};

/// An item from the server, read: its record and the state it will have.
struct Incoming {
    kind: Table,
    uid: String,
    remote: SyncRecord,
    /// Everything but the base and its stamp.
    state: ItemState,
}

impl Incoming {
    /// The state once both sides agree on `record`.
    fn agreed(&self, record: &SyncRecord) -> ItemState {
        ItemState {
            base: json(record),
            synced_at: record.updated_at(),
            ..self.state.clone()
        }
    }
}

impl Engine<'_> {
    /// Applies one item from the server, in one transaction with its state.
    pub(super) fn apply_remote(
        &mut self,
        kind: Table,
        href: &str,
        etag: Option<&str>,
        data: &str,
        listed: &HashSet<String>,
    ) -> Result<(), SyncError> {
        let hash = normal::hash(data);
        let conn = self.store.conn();
        let at_href = state::item_at(conn, kind, href)?;
        if let Some(st) = &at_href
            && st.hash == hash
        {
            // The server rewrote it (or only its ETag moved): nothing changed.
            if !self.dry_run && st.etag.as_deref() != etag {
                let uid = st.uid.clone();
                self.store
                    .write(|tx| state::set_etag(tx, kind, &uid, etag))?;
            }
            return Ok(());
        }
        let fallback = href.rsplit('/').next().unwrap_or(href).to_owned();
        let guess_uid = at_href.as_ref().map(|s| s.uid.clone());
        let guessed = match &guess_uid {
            Some(uid) => local(conn, kind, uid)?,
            None => None,
        };
        let parsed = match item::read(kind, data, &fallback, guessed.as_ref(), &self.clock) {
            Ok(p) => p,
            Err(e) => {
                self.note(format!("{href}: skipped, {e}"));
                return Ok(());
            }
        };
        let uid = parsed.record.uid().to_owned();
        let (existing, parsed) = if guess_uid.as_deref() == Some(uid.as_str()) {
            (guessed, parsed)
        } else {
            // Read again with the record this UID really is, so defaults come from it.
            let existing = local(conn, kind, &uid)?;
            let parsed = match &existing {
                Some(e) => {
                    item::read(kind, data, &fallback, Some(e), &self.clock).unwrap_or(parsed)
                }
                None => parsed,
            };
            (existing, parsed)
        };
        let st = state::item(conn, kind, &uid)?;
        if let Some(st) = &st
            && st.href != href
            && listed.contains(&st.href)
        {
            // The same UID at two hrefs (Xandikos allows it for vCards): rolo keeps the one
            // it knows and leaves the other alone.
            self.note(format!(
                "{href}: same UID as {}, which rolo syncs; left alone",
                st.href
            ));
            return Ok(());
        }
        let incoming = Incoming {
            kind,
            uid,
            state: ItemState {
                kind,
                uid: parsed.record.uid().to_owned(),
                href: href.to_owned(),
                etag: etag.map(str::to_owned),
                hash,
                base: String::new(),
                synced_at: parsed.record.updated_at(),
                remote_uid: parsed.remote_uid,
                extra: parsed.extra,
            },
            remote: parsed.record,
        };
        let base = st.as_ref().and_then(base_of);
        match (existing, base) {
            // Unchanged in substance (a rewrite the hash did not see through): keep as is.
            (_, Some(base)) if same(&incoming.remote, &base) => {
                if !self.dry_run {
                    let kept = ItemState {
                        base: st.map(|s| s.base).unwrap_or_default(),
                        synced_at: base.updated_at(),
                        ..incoming.state
                    };
                    self.store.write(|tx| state::put_item(tx, &kept))?;
                }
            }
            (None, _) => self.take_remote(&incoming)?,
            (Some(l), Some(base)) if same(&l, &base) => self.take_remote(&incoming)?,
            (Some(l), base) => self.merge_remote(&incoming, &l, base.as_ref())?,
        }
        Ok(())
    }

    /// Nothing changed here: the server's version is written as it is.
    fn take_remote(&mut self, incoming: &Incoming) -> Result<(), SyncError> {
        let kind = incoming.kind;
        self.write(|tx| {
            let applied = put_local(tx, &incoming.remote)?;
            state::put_item(tx, &incoming.agreed(&applied))?;
            state::clear_changed(tx, kind, &incoming.uid)
        })?;
        counts(&mut self.report, kind).pulled += 1;
        Ok(())
    }

    /// Changed on both sides: merged field by field; a merged version that differs from the
    /// server's is pushed next (the state says what the server has).
    fn merge_remote(
        &mut self,
        incoming: &Incoming,
        l: &SyncRecord,
        base: Option<&SyncRecord>,
    ) -> Result<(), SyncError> {
        let kind = incoming.kind;
        let remote = &incoming.remote;
        let merged = merge::merge(
            base.map(SyncRecord::to_json).as_ref(),
            &l.to_json(),
            &remote.to_json(),
        );
        let mut record = merged.record;
        let differs_from_remote = !merge::same_content(&record, &remote.to_json());
        let differs_from_local = !merge::same_content(&record, &l.to_json());
        // A merged version that is neither side is new; one that is not the server's must
        // not carry the server's stamp, or it would not look changed here.
        let mut stamp = if differs_from_remote && differs_from_local {
            self.clock.now.max(l.updated_at())
        } else if differs_from_remote {
            l.updated_at()
        } else {
            remote.updated_at()
        };
        if differs_from_remote && stamp == remote.updated_at() {
            stamp += chrono::Duration::seconds(1);
        }
        let write_local = differs_from_local || stamp != l.updated_at();
        record["updated_at"] =
            Value::from(stamp.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        let record = SyncRecord::from_json(kind, record).map_err(|e| {
            SyncError::Server(format!("{}: merging failed: {e}", incoming.state.href))
        })?;
        let now = self.clock.now;
        let conflicts: Vec<Conflict> = merged
            .conflicts
            .iter()
            .map(|c| Conflict {
                id: 0,
                kind,
                uid: incoming.uid.clone(),
                field: c.field.clone(),
                kept: c.kept.to_string(),
                lost: c.lost.to_string(),
                kept_side: c.kept_side.as_str().to_owned(),
                at: now,
            })
            .collect();
        self.write(|tx| {
            let written = if write_local {
                Some(put_local(tx, &record)?)
            } else {
                None
            };
            let agreed = if differs_from_remote {
                linkable(tx, remote.clone())?
            } else {
                written.unwrap_or_else(|| l.clone())
            };
            state::put_item(tx, &incoming.agreed(&agreed))?;
            if !differs_from_remote {
                state::clear_changed(tx, kind, &incoming.uid)?;
            }
            for c in &conflicts {
                state::add_conflict(tx, c)?;
            }
            Ok(())
        })?;
        let n = counts(&mut self.report, kind);
        if differs_from_local {
            n.pulled += 1;
        }
        n.conflicts += conflicts.len();
        if !conflicts.is_empty() {
            self.note(format!(
                "{}: changed on both sides; {} field(s) in conflict (rolo sync conflicts)",
                remote.title(),
                conflicts.len()
            ));
        }
        Ok(())
    }

    /// An item is gone from the server.
    pub(super) fn apply_delete(&mut self, kind: Table, href: &str) -> Result<(), SyncError> {
        let conn = self.store.conn();
        let Some(st) = state::item_at(conn, kind, href)? else {
            return Ok(());
        };
        let record = local(conn, kind, &st.uid)?;
        let unchanged = match (&record, base_of(&st)) {
            (Some(l), Some(b)) => same(l, &b),
            _ => false,
        };
        let now = self.clock.now;
        let uid = st.uid.clone();
        match record {
            Some(r) if r.deleted_at().is_none() && unchanged => {
                self.write(|tx| {
                    if let Some(id) = records::id_of(tx, kind, &uid)? {
                        let item = match kind {
                            Table::Contacts => trash::Item::Contact(id),
                            Table::Interactions => trash::Item::Interaction(id),
                            Table::Reminders => trash::Item::Reminder(id),
                        };
                        trash::trash(tx, item, now)?;
                    }
                    state::delete_item(tx, kind, &uid)?;
                    state::clear_changed(tx, kind, &uid)
                })?;
                counts(&mut self.report, kind).deleted_here += 1;
            }
            Some(r) if r.deleted_at().is_none() => {
                // Edited here, deleted there: the edit wins and goes back up as new.
                self.write(|tx| state::delete_item(tx, kind, &uid))?;
                self.note(format!(
                    "{}: deleted on the server but edited here; sent back",
                    r.title()
                ));
            }
            _ => {
                self.write(|tx| {
                    state::delete_item(tx, kind, &uid)?;
                    state::clear_changed(tx, kind, &uid)
                })?;
            }
        }
        Ok(())
    }
}
