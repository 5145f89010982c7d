//! Sending what changed here: creates (`If-None-Match: *`), updates (`If-Match`) and
//! deletes, several in flight at once; each recorded once the server confirmed it. A
//! refusal because the server's copy changed takes that copy in first.

use std::collections::HashSet;

use futures_util::StreamExt;
use libdav::dav::{Delete, GetEtag, PutResource};

use super::{Engine, PUSH_PARALLEL, base_of, counts, join, json, local, names, same};
use crate::store::StoreError;
use crate::store::records::Table;
use crate::store::sync::{self as state, Collection, ItemState};
use crate::sync::dav::{self, Dav};
use crate::sync::item::{self, SyncRecord};
use crate::sync::{SyncError, normal};

/// A push waiting for the server.
enum Op {
    Create,
    Update(String),
    Delete(String),
}

struct Job {
    uid: String,
    href: String,
    op: Op,
    text: String,
    record: Option<SyncRecord>,
    remote_uid: String,
    extra: Option<String>,
}

enum Outcome {
    Done(Option<String>),
    /// The server refused this one item (its status): it stays pending.
    Refused(u16),
    /// 409 or 412: the server has something else there (or this UID elsewhere).
    Clash,
    /// 404: it is gone there.
    Gone,
    /// 423 or 503: the server is busy with another request; worth asking again.
    Busy(u16),
}

impl Engine<'_> {
    /// Builds the push for one changed record, or settles it without the server.
    fn job(&mut self, c: &Collection, uid: &str) -> Result<Option<Job>, SyncError> {
        let kind = c.kind;
        let conn = self.store.conn();
        let Some(record) = local(conn, kind, uid)? else {
            return Ok(None);
        };
        let st = state::item(conn, kind, uid)?;
        let job = match st {
            None if record.deleted_at().is_some() => return Ok(None),
            None => {
                let remote_uid = item::remote_uid_for(kind, uid);
                Job {
                    uid: uid.to_owned(),
                    href: join(&c.href, &item::file_name(kind, uid)),
                    op: Op::Create,
                    text: item::write(&record, &remote_uid, None, &names(conn)),
                    record: Some(record),
                    remote_uid,
                    extra: None,
                }
            }
            Some(st) if record.deleted_at().is_some() => Job {
                uid: uid.to_owned(),
                href: st.href.clone(),
                op: Op::Delete(st.etag.clone().unwrap_or_default()),
                text: String::new(),
                record: None,
                remote_uid: st.remote_uid.clone(),
                extra: st.extra.clone(),
            },
            Some(st) => {
                if base_of(&st).is_some_and(|b| same(&record, &b)) {
                    // Stamped but not changed (an undo, a no-op edit): nothing to send.
                    let mut settled = st.clone();
                    settled.synced_at = record.updated_at();
                    if !self.dry_run {
                        self.store.write(|tx| {
                            state::put_item(tx, &settled)?;
                            state::clear_changed(tx, kind, uid)
                        })?;
                    }
                    return Ok(None);
                }
                let conn = self.store.conn();
                Job {
                    uid: uid.to_owned(),
                    href: st.href.clone(),
                    op: Op::Update(st.etag.clone().unwrap_or_default()),
                    text: item::write(&record, &st.remote_uid, st.extra.as_deref(), &names(conn)),
                    record: Some(record),
                    remote_uid: st.remote_uid.clone(),
                    extra: st.extra.clone(),
                }
            }
        };
        Ok(Some(job))
    }

    /// Pushes every local change of the collection. Returns true if the token must not be
    /// saved (an item the server has under another href: the next full listing links it).
    pub(super) async fn push(&mut self, c: &Collection) -> Result<bool, SyncError> {
        let kind = c.kind;
        let uids = state::local_changes(self.store.conn(), kind)?;
        let mut jobs = Vec::new();
        for uid in &uids {
            if let Some(job) = self.job(c, uid)? {
                jobs.push(job);
            }
        }
        if self.dry_run {
            for job in &jobs {
                let n = counts(&mut self.report, kind);
                match job.op {
                    Op::Delete(_) => n.deleted_there += 1,
                    _ => n.pushed += 1,
                }
            }
            return Ok(false);
        }
        let total = jobs.len();
        let dav = self.dav.clone();
        let (_, content_type) = item::media(kind);
        // Set at the first failure: no new push starts after it (the server may be gone,
        // and each would wait out its timeout), while those in flight finish.
        let stop = std::cell::Cell::new(false);
        let mut results = futures_util::stream::iter(jobs)
            .take_while(|_| std::future::ready(!stop.get()))
            .map(|job| {
                let dav = dav.clone();
                async move {
                    let outcome = send(&dav, &job, content_type).await;
                    (job, outcome)
                }
            })
            .buffer_unordered(PUSH_PARALLEL);
        let mut retry = Vec::new();
        let mut v3 = Vec::new();
        let mut busy = Vec::new();
        let mut done = 0;
        // A failed push does not abandon the others in flight: a request cut off midway
        // can leave a server's own lock behind (Xandikos). They finish and are recorded;
        // the first error is reported after them.
        let mut failed = None;
        while let Some((job, outcome)) = results.next().await {
            done += 1;
            if done % 50 == 0 {
                self.tick(kind, "pushing", done, total);
            }
            let outcome = match outcome {
                Ok(outcome) => outcome,
                Err(err) => {
                    stop.set(true);
                    failed.get_or_insert(err);
                    continue;
                }
            };
            match outcome {
                Outcome::Done(etag) => self.confirmed(kind, &job, etag)?,
                Outcome::Gone if matches!(job.op, Op::Delete(_)) => {
                    self.confirmed(kind, &job, None)?;
                }
                Outcome::Gone | Outcome::Clash => retry.push(job),
                // A server that does not take vCard 4.0 gets 3.0.
                Outcome::Refused(415) if kind == Table::Contacts => v3.push(job),
                Outcome::Refused(status) => self.refused(&job, status),
                // Still busy after its pauses: the server is locking against our own
                // parallel pushes (Xandikos commits each to git); again, one at a time.
                Outcome::Busy(_) => busy.push(job),
            }
        }
        drop(results);
        if let Some(err) = failed {
            return Err(err);
        }
        for job in busy {
            match send(&dav, &job, content_type).await? {
                Outcome::Done(etag) => self.confirmed(kind, &job, etag)?,
                Outcome::Gone if matches!(job.op, Op::Delete(_)) => {
                    self.confirmed(kind, &job, None)?;
                }
                Outcome::Gone | Outcome::Clash => retry.push(job),
                Outcome::Refused(status) | Outcome::Busy(status) => self.refused(&job, status),
            }
        }
        for mut job in v3 {
            if let Some(SyncRecord::Contact(c)) = &job.record {
                job.text =
                    item::write_contact_as(c, &job.remote_uid, crate::interop::vcard::Version::V3);
            }
            match send(&dav, &job, content_type).await? {
                Outcome::Done(etag) => self.confirmed(kind, &job, etag)?,
                Outcome::Refused(status) | Outcome::Busy(status) => self.refused(&job, status),
                Outcome::Gone | Outcome::Clash => retry.push(job),
            }
        }
        let mut reset_token = false;
        for job in retry {
            reset_token |= self.resolve_clash(c, job).await?;
        }
        Ok(reset_token)
    }

    fn refused(&mut self, job: &Job, status: u16) {
        let title = job
            .record
            .as_ref()
            .map_or(job.uid.as_str(), SyncRecord::title)
            .to_owned();
        self.note(format!(
            "{title}: the server refused it (HTTP {status}); it stays pending here"
        ));
    }

    /// The server took a push: record it.
    fn confirmed(&mut self, kind: Table, job: &Job, etag: Option<String>) -> Result<(), SyncError> {
        let n = counts(&mut self.report, kind);
        if let Op::Delete(_) = &job.op {
            n.deleted_there += 1;
            let uid = job.uid.clone();
            self.store.write(|tx| {
                state::delete_item(tx, kind, &uid)?;
                state::clear_changed(tx, kind, &uid)
            })?;
            return Ok(());
        }
        n.pushed += 1;
        let Some(record) = &job.record else {
            return Ok(());
        };
        let st = ItemState {
            kind,
            uid: job.uid.clone(),
            href: job.href.clone(),
            etag,
            hash: normal::hash(&job.text),
            base: json(record),
            synced_at: record.updated_at(),
            remote_uid: job.remote_uid.clone(),
            extra: job.extra.clone(),
        };
        self.store.write(|tx| {
            state::put_item(tx, &st)?;
            // Changed again while it was on its way: it stays marked for next time.
            if local(tx, kind, &st.uid)?.is_some_and(|now| same(&now, record)) {
                state::clear_changed(tx, kind, &st.uid)?;
            }
            Ok::<_, StoreError>(())
        })?;
        Ok(())
    }

    /// A push the server refused because its copy changed (or is gone, or this UID lives
    /// elsewhere there): take the server's copy in, merge, and push once more if needed.
    async fn resolve_clash(&mut self, c: &Collection, job: Job) -> Result<bool, SyncError> {
        let kind = c.kind;
        match self.fetch_one(c, &job.href).await? {
            Some((etag, data)) => {
                let listed = HashSet::from([job.href.clone()]);
                self.apply_remote(kind, &job.href, Some(&etag), &data, &listed)?;
            }
            None if matches!(job.op, Op::Create) => {
                self.note(format!(
                    "{}: the server already has this UID under another name; the next sync links it",
                    job.href
                ));
                return Ok(true);
            }
            None => {
                // Gone there: what rolo has goes back up as new (or, deleted here, is done).
                let uid = job.uid.clone();
                self.store.write(|tx| state::delete_item(tx, kind, &uid))?;
            }
        }
        let Some(job) = self.job(c, &job.uid)? else {
            return Ok(false);
        };
        let (_, content_type) = item::media(kind);
        let dav = self.dav.clone();
        match send(&dav, &job, content_type).await? {
            Outcome::Done(etag) => self.confirmed(kind, &job, etag)?,
            Outcome::Gone if matches!(job.op, Op::Delete(_)) => self.confirmed(kind, &job, None)?,
            Outcome::Gone | Outcome::Clash => {
                self.note(format!(
                    "{}: changed on the server while rolo sent it; sent next time",
                    job.href
                ));
            }
            Outcome::Refused(status) | Outcome::Busy(status) => self.refused(&job, status),
        }
        Ok(false)
    }

    /// Records deleted for good here (trash emptied) that the server still has.
    pub(super) async fn push_tombstones(&mut self, c: &Collection) -> Result<(), SyncError> {
        let kind = c.kind;
        let tombstones = state::tombstones(self.store.conn(), kind)?;
        for t in tombstones {
            let st = state::item(self.store.conn(), kind, &t.uid)?;
            let Some(st) = st else {
                if !self.dry_run {
                    self.store
                        .write(|tx| state::remove_tombstone(tx, kind, &t.uid))?;
                }
                continue;
            };
            counts(&mut self.report, kind).deleted_there += 1;
            if self.dry_run {
                continue;
            }
            let dav = self.dav.clone();
            let result = tokio::time::timeout(
                dav::REQUEST_TIMEOUT,
                dav.request(Delete::new(&st.href).with_etag(st.etag.clone().unwrap_or_default())),
            )
            .await;
            match result {
                Ok(Ok(_)) => {}
                Ok(Err(e)) if dav::status(&e).is_some_and(|s| s.as_u16() == 404) => {}
                Ok(Err(e)) if dav::status(&e).is_some_and(|s| s.as_u16() == 412) => {
                    // Edited there since: the edit survives and comes back here.
                    counts(&mut self.report, kind).deleted_there -= 1;
                    let uid = t.uid.clone();
                    self.store.write(|tx| state::delete_item(tx, kind, &uid))?;
                    if let Some((etag, data)) = self.fetch_one(c, &st.href).await? {
                        let listed = HashSet::from([st.href.clone()]);
                        self.apply_remote(kind, &st.href, Some(&etag), &data, &listed)?;
                    }
                }
                Ok(Err(e)) => return Err(dav::describe(&dav, "deleting", &e)),
                Err(_) => return Err(dav::timeout(&dav)),
            }
            let uid = t.uid.clone();
            self.store.write(|tx| {
                state::remove_tombstone(tx, kind, &uid)?;
                state::delete_item(tx, kind, &uid)
            })?;
        }
        Ok(())
    }
}

/// How long one push waits, in growing pauses, while the server says it is busy.
const BUSY_PATIENCE: std::time::Duration = std::time::Duration::from_secs(8);

/// Sends one push, again after a pause while the server says it is busy with another
/// request (423 Locked — Xandikos's git store, mid-commit — or 503), for up to
/// [`BUSY_PATIENCE`]; then `Busy` (the caller sends it again alone, then gives up on it
/// for this sync: it stays pending).
async fn send(dav: &Dav, job: &Job, content_type: &str) -> Result<Outcome, SyncError> {
    let mut pause = std::time::Duration::from_millis(100);
    let mut waited = std::time::Duration::ZERO;
    loop {
        match send_once(dav, job, content_type).await? {
            Outcome::Busy(_) if waited < BUSY_PATIENCE => {
                tokio::time::sleep(pause).await;
                waited += pause;
                pause = (pause * 2).min(std::time::Duration::from_secs(2));
            }
            outcome => return Ok(outcome),
        }
    }
}

async fn send_once(dav: &Dav, job: &Job, content_type: &str) -> Result<Outcome, SyncError> {
    let result = match &job.op {
        Op::Create => tokio::time::timeout(
            dav::REQUEST_TIMEOUT,
            dav.request(PutResource::new(&job.href).create(job.text.clone(), content_type)),
        )
        .await
        .map(|r| r.map(|r| r.etag)),
        Op::Update(etag) => tokio::time::timeout(
            dav::REQUEST_TIMEOUT,
            dav.request(PutResource::new(&job.href).update(
                job.text.clone(),
                content_type,
                etag.clone(),
            )),
        )
        .await
        .map(|r| r.map(|r| r.etag)),
        Op::Delete(etag) => tokio::time::timeout(
            dav::REQUEST_TIMEOUT,
            dav.request(Delete::new(&job.href).with_etag(etag.clone())),
        )
        .await
        .map(|r| r.map(|_| None)),
    };
    let Ok(result) = result else {
        return Err(dav::timeout(dav));
    };
    match result {
        // A server that sends no ETag with a PUT (calcurse-caldav #470): ask for it.
        Ok(None) if !matches!(job.op, Op::Delete(_)) => {
            let etag = dav::timed(dav, "reading an ETag", dav.request(GetEtag::new(&job.href)))
                .await?
                .etag;
            Ok(Outcome::Done(Some(etag)))
        }
        Ok(etag) => Ok(Outcome::Done(etag)),
        Err(e) => match dav::status(&e).map(|s| s.as_u16()) {
            Some(409 | 412) => Ok(Outcome::Clash),
            Some(s @ (423 | 503)) => Ok(Outcome::Busy(s)),
            Some(404 | 410) => Ok(Outcome::Gone),
            Some(s @ (400 | 403 | 413 | 415 | 422 | 500)) => Ok(Outcome::Refused(s)),
            _ => Err(dav::describe(dav, &format!("sending {}", job.href), &e)),
        },
    }
}
