//! One two-way sync: list every collection (a sync-collection REPORT from the saved token,
//! or a full listing), refuse to go on if a collection rolo synced with is now empty, then
//! per kind — contacts first, so interactions and reminders can name them — fetch what
//! changed there, apply it here (merging with local edits), apply deletes, push local
//! changes, and save the token.
//!
//! Crash safety: every item applied here commits in one transaction with its state row;
//! every push is recorded once the server confirmed it; the token is saved after the
//! batch. A sync killed anywhere leaves either the old state (redone next time) or a
//! confirmed one; a create whose confirmation was lost finds its own item at its href next
//! time (`If-None-Match` fails) and links to it instead of duplicating it.

mod apply;
mod push;

use std::collections::{HashMap, HashSet};

use libdav::caldav::GetCalendarResources;
use libdav::carddav::GetAddressBookResources;
use libdav::dav::SyncCollection;
use rusqlite::Connection;

use super::dav::{self, Dav, DavError};
use super::item::{self, SyncRecord};
use super::merge;
use super::{Counts, Progress, Report, SyncError};
use crate::clock::Clock;
use crate::store::records::{self, Table};
use crate::store::sync::{self as state, Collection, ItemState};
use crate::store::{Store, StoreError};

/// How many hrefs one multiget asks for, and how many PUTs are in flight at once.
const FETCH_BATCH: usize = 100;
const PUSH_PARALLEL: usize = 6;

/// What the server lists for a collection.
struct Listing {
    token: String,
    full: bool,
    /// href → ETag of every item listed as present (all of them, on a full listing).
    present: Vec<(String, Option<String>)>,
    /// hrefs listed as deleted (a delta only).
    deleted: Vec<String>,
}

pub(super) struct Engine<'a> {
    pub dav: Dav,
    pub store: &'a mut Store,
    pub clock: Clock,
    pub dry_run: bool,
    pub progress: &'a mut dyn FnMut(&Progress),
    pub report: Report,
}

fn local(conn: &Connection, kind: Table, uid: &str) -> Result<Option<SyncRecord>, StoreError> {
    Ok(match kind {
        Table::Contacts => records::contact(conn, uid)?.map(SyncRecord::Contact),
        Table::Interactions => records::interaction(conn, uid)?.map(SyncRecord::Interaction),
        Table::Reminders => records::reminder(conn, uid)?.map(SyncRecord::Reminder),
    })
}

fn exists(conn: &Connection, table: Table, uid: &str) -> Result<bool, StoreError> {
    Ok(records::id_of(conn, table, uid)?.is_some())
}

/// Links the journal does not have cannot be written: they are left out.
fn linkable(conn: &Connection, record: SyncRecord) -> Result<SyncRecord, StoreError> {
    Ok(match record {
        SyncRecord::Contact(mut c) => {
            if let Some(by) = &c.introduced_by
                && (by == &c.uid || !exists(conn, Table::Contacts, by)?)
            {
                c.introduced_by = None;
            }
            if c.cadence
                .as_deref()
                .is_some_and(|e| e.parse::<crate::domain::when::Every>().is_err())
            {
                c.cadence = None;
            }
            if c.display_name.trim().is_empty() {
                "(no name)".clone_into(&mut c.display_name);
            }
            SyncRecord::Contact(c)
        }
        SyncRecord::Interaction(mut i) => {
            let mut known = Vec::new();
            for p in i.participants {
                if exists(conn, Table::Contacts, &p)? {
                    known.push(p);
                }
            }
            i.participants = known;
            SyncRecord::Interaction(i)
        }
        SyncRecord::Reminder(mut r) => {
            if let Some(c) = &r.contact
                && !exists(conn, Table::Contacts, c)?
            {
                r.contact = None;
            }
            if let Some(i) = &r.interaction
                && !exists(conn, Table::Interactions, i)?
            {
                r.interaction = None;
            }
            SyncRecord::Reminder(r)
        }
    })
}

/// Writes a record here and reads it back as the store keeps it.
fn put_local(conn: &Connection, record: &SyncRecord) -> Result<SyncRecord, StoreError> {
    let record = linkable(conn, record.clone())?;
    match &record {
        SyncRecord::Contact(c) => records::put_contact(conn, c, None)?,
        SyncRecord::Interaction(i) => records::put_interaction(conn, i, None)?,
        SyncRecord::Reminder(r) => records::put_reminder(conn, r, None)?,
    };
    Ok(local(conn, record.kind(), record.uid())?.unwrap_or(record))
}

fn json(record: &SyncRecord) -> String {
    record.to_json().to_string()
}

fn base_of(st: &ItemState) -> Option<SyncRecord> {
    serde_json::from_str(&st.base)
        .ok()
        .and_then(|v| SyncRecord::from_json(st.kind, v).ok())
}

/// Both records say the same (version stamps aside).
fn same(a: &SyncRecord, b: &SyncRecord) -> bool {
    merge::same_content(&a.to_json(), &b.to_json())
}

fn names(conn: &Connection) -> impl Fn(&str) -> Option<String> + '_ {
    |uid| state::contact_name(conn, uid).ok().flatten()
}

fn counts(report: &mut Report, kind: Table) -> &mut Counts {
    match kind {
        Table::Contacts => &mut report.contacts,
        Table::Interactions => &mut report.interactions,
        Table::Reminders => &mut report.reminders,
    }
}

fn what(kind: Table) -> &'static str {
    match kind {
        Table::Contacts => "address book",
        Table::Interactions => "journal calendar",
        Table::Reminders => "follow-ups calendar",
    }
}

impl Engine<'_> {
    fn tick(&mut self, kind: Table, stage: &'static str, done: usize, total: usize) {
        (self.progress)(&Progress {
            kind: kind.name(),
            stage,
            done,
            total,
        });
    }

    fn note(&mut self, text: String) {
        self.report.notes.push(text);
    }

    /// Runs `f` in one transaction, unless this is a dry run.
    fn write<T: Default>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, SyncError> {
        if self.dry_run {
            Ok(self.store.rehearse(f)?)
        } else {
            Ok(self.store.write(f)?)
        }
    }

    pub async fn run(&mut self) -> Result<(), SyncError> {
        let collections = state::collections(self.store.conn())?;
        if collections.is_empty() {
            return Err(SyncError::NotSetUp);
        }
        let mut listings = Vec::new();
        for c in &collections {
            self.tick(c.kind, "listing", 0, 0);
            let listing = self.list(c).await?;
            self.check_not_emptied(c, &listing).await?;
            listings.push(listing);
        }
        for (c, listing) in collections.iter().zip(listings) {
            self.sync_collection(c, listing).await?;
        }
        if !self.dry_run {
            let now = self.clock.now;
            self.store.write(|tx| state::set_last_sync(tx, now))?;
        }
        Ok(())
    }

    async fn list(&mut self, c: &Collection) -> Result<Listing, SyncError> {
        let dav = self.dav.clone();
        let href = c.href.as_str();
        let gone = |e: &DavError| dav::status(e).is_some_and(|s| s.as_u16() == 404);
        let delta = match &c.sync_token {
            Some(token) => match tokio::time::timeout(
                dav::REQUEST_TIMEOUT,
                dav.request(SyncCollection::new(href).with_sync_token(token)),
            )
            .await
            {
                Ok(Ok(r)) => Some(r),
                Ok(Err(e)) if gone(&e) => {
                    return Err(SyncError::Gone {
                        what: what(c.kind),
                        href: c.href.clone(),
                    });
                }
                Ok(Err(e)) if dav::token_rejected(&e) => None,
                Ok(Err(e)) => {
                    return Err(dav::describe(
                        &dav,
                        &format!("listing the {}", what(c.kind)),
                        &e,
                    ));
                }
                Err(_) => return Err(dav::timeout(&dav)),
            },
            None => None,
        };
        if let Some(r) = delta {
            return Ok(Listing {
                token: r.new_sync_token,
                full: false,
                present: r.changed.into_iter().map(|r| (r.href, r.etag)).collect(),
                deleted: r.deleted,
            });
        }
        let r = match dav::timed(
            &dav,
            &format!("listing the {}", what(c.kind)),
            dav.request(SyncCollection::new(href)),
        )
        .await
        {
            Err(SyncError::Status { status: 404, .. }) => {
                return Err(SyncError::Gone {
                    what: what(c.kind),
                    href: c.href.clone(),
                });
            }
            other => other?,
        };
        counts(&mut self.report, c.kind).full_resync = true;
        Ok(Listing {
            token: r.new_sync_token,
            full: true,
            present: r
                .changed
                .into_iter()
                .filter(|r| !r.href.ends_with('/'))
                .map(|r| (r.href, r.etag))
                .collect(),
            deleted: Vec::new(),
        })
    }

    /// A collection rolo synced with that is now empty on the server is far more likely a
    /// mistake (a reset server, a wrong account) than a wish to delete everything.
    async fn check_not_emptied(
        &mut self,
        c: &Collection,
        listing: &Listing,
    ) -> Result<(), SyncError> {
        // Items with a tombstone are on their way out: a sync killed after the server's
        // DELETE and before recording it left them, and their absence is expected.
        let leaving: HashSet<String> = state::tombstones(self.store.conn(), c.kind)?
            .into_iter()
            .map(|t| t.uid)
            .collect();
        let known_hrefs: HashSet<String> = state::items(self.store.conn(), c.kind)?
            .into_iter()
            .filter(|s| !leaving.contains(&s.uid))
            .map(|s| s.href)
            .collect();
        let known = known_hrefs.len();
        if known == 0 || !listing.present.is_empty() {
            return Ok(());
        }
        let empty = if listing.full {
            true
        } else {
            let deleted: HashSet<&String> = listing.deleted.iter().collect();
            if known_hrefs.iter().all(|h| deleted.contains(h)) {
                // Everything deleted since last time: ask for the whole listing to be sure.
                let dav = self.dav.clone();
                let full =
                    dav::timed(&dav, "listing", dav.request(SyncCollection::new(&c.href))).await?;
                full.changed.iter().all(|r| r.href.ends_with('/'))
            } else {
                false
            }
        };
        if empty {
            return Err(SyncError::Emptied {
                what: what(c.kind),
                href: c.href.clone(),
                count: known,
            });
        }
        Ok(())
    }

    async fn sync_collection(&mut self, c: &Collection, listing: Listing) -> Result<(), SyncError> {
        let kind = c.kind;
        let token = listing.token.clone();
        self.pull(c, listing).await?;
        let before = counts(&mut self.report, kind).clone();
        let reset_token = self.push(c).await?;
        self.push_tombstones(c).await?;
        let after = counts(&mut self.report, kind).clone();
        if self.dry_run {
            return Ok(());
        }
        // What rolo just sent changed the collection after the token was issued: list
        // again from that token, so the token saved covers rolo's own writes. (A token older
        // than an item never reports its delete: Xandikos lists nothing for an item made
        // and deleted since.) Anything another client did meanwhile is pulled now.
        let token = if !reset_token
            && (after.pushed, after.deleted_there) != (before.pushed, before.deleted_there)
        {
            let since = Collection {
                sync_token: Some(token),
                ..c.clone()
            };
            let again = self.list(&since).await?;
            let token = again.token.clone();
            self.pull(c, again).await?;
            token
        } else {
            token
        };
        let now = self.clock.now;
        self.store.write(|tx| {
            if reset_token {
                state::forget_token(tx, kind)
            } else {
                state::set_token(tx, kind, &token, now)
            }
        })?;
        Ok(())
    }

    /// Takes in what the listing says changed there: new and edited items, and deletes.
    async fn pull(&mut self, c: &Collection, listing: Listing) -> Result<(), SyncError> {
        let kind = c.kind;
        let states = state::items(self.store.conn(), kind)?;
        let by_href: HashMap<String, ItemState> =
            states.into_iter().map(|s| (s.href.clone(), s)).collect();
        // What to fetch: listed items whose ETag rolo has not seen.
        let to_fetch: Vec<String> = listing
            .present
            .iter()
            .filter(|(href, etag)| {
                by_href
                    .get(href)
                    .is_none_or(|s| etag.is_none() || s.etag != *etag)
            })
            .map(|(href, _)| href.clone())
            .collect();
        let mut gone: Vec<String> = if listing.full {
            let listed: HashSet<&String> = listing.present.iter().map(|(h, _)| h).collect();
            by_href
                .keys()
                .filter(|h| !listed.contains(h))
                .cloned()
                .collect()
        } else {
            listing
                .deleted
                .iter()
                .filter(|h| by_href.contains_key(*h))
                .cloned()
                .collect()
        };
        gone.sort();
        let fetched = self.fetch(c, &to_fetch).await?;
        let mut items = Vec::new();
        for (href, content) in fetched {
            match content {
                Some((etag, data)) => items.push((href, etag, data)),
                None if by_href.contains_key(&href) => gone.push(href),
                None => {}
            }
        }
        if kind == Table::Contacts {
            items = introducers_first(items, &self.clock);
        }
        let total = items.len();
        let listed: HashSet<String> = listing.present.iter().map(|(h, _)| h.clone()).collect();
        for (n, (href, etag, data)) in items.into_iter().enumerate() {
            if n % 50 == 0 {
                self.tick(kind, "applying", n, total);
            }
            self.apply_remote(kind, &href, Some(&etag), &data, &listed)?;
        }
        for href in gone {
            self.apply_delete(kind, &href)?;
        }
        Ok(())
    }

    /// Multigets `hrefs` in batches: href → Some((etag, data)), or None if it is gone.
    async fn fetch(
        &mut self,
        c: &Collection,
        hrefs: &[String],
    ) -> Result<Vec<(String, Option<(String, String)>)>, SyncError> {
        let mut out = Vec::with_capacity(hrefs.len());
        let dav = self.dav.clone();
        for (n, batch) in hrefs.chunks(FETCH_BATCH).enumerate() {
            self.tick(c.kind, "fetching", n * FETCH_BATCH, hrefs.len());
            let resources = if c.kind == Table::Contacts {
                dav::timed(
                    &dav,
                    "fetching contacts",
                    dav.request(GetAddressBookResources::new(&c.href).with_hrefs(batch)),
                )
                .await?
                .resources
            } else {
                dav::timed(
                    &dav,
                    "fetching calendar items",
                    dav.request(GetCalendarResources::new(&c.href).with_hrefs(batch)),
                )
                .await?
                .resources
            };
            for r in resources {
                out.push((r.href, r.content.ok().map(|c| (c.etag, c.data))));
            }
        }
        Ok(out)
    }

    async fn fetch_one(
        &mut self,
        c: &Collection,
        href: &str,
    ) -> Result<Option<(String, String)>, SyncError> {
        let fetched = self.fetch(c, &[href.to_owned()]).await?;
        Ok(fetched
            .into_iter()
            .find(|(h, _)| h == href)
            .and_then(|(_, content)| content))
    }
}

pub(super) fn join(collection: &str, name: &str) -> String {
    let mut s = collection.to_owned();
    if !s.ends_with('/') {
        s.push('/');
    }
    s.push_str(name);
    s
}

/// A fetched item: href, ETag, data.
type Fetched = (String, String, String);

/// Orders fetched contacts so that whoever introduced someone is written before them.
fn introducers_first(items: Vec<Fetched>, clock: &Clock) -> Vec<Fetched> {
    let keyed: Vec<(Option<String>, Option<String>, Fetched)> = items
        .into_iter()
        .map(|it| {
            let read = item::read_contact(&it.2, "", None, clock).ok();
            let uid = read.as_ref().map(|(r, _)| r.uid.clone());
            let by = read.and_then(|(r, _)| r.introduced_by);
            (uid, by, it)
        })
        .collect();
    let mut pending = keyed;
    let mut out = Vec::with_capacity(pending.len());
    loop {
        let waiting: HashSet<String> = pending.iter().filter_map(|(u, _, _)| u.clone()).collect();
        let (ready, rest): (Vec<_>, Vec<_>) = pending.into_iter().partition(|(uid, by, _)| {
            by.as_ref()
                .is_none_or(|b| !waiting.contains(b) || Some(b) == uid.as_ref())
        });
        if ready.is_empty() {
            // A cycle of introductions: the rest in any order (links to the not-yet-written
            // are dropped and come back with the next change).
            out.extend(rest.into_iter().map(|(_, _, it)| it));
            break;
        }
        out.extend(ready.into_iter().map(|(_, _, it)| it));
        if rest.is_empty() {
            break;
        }
        pending = rest;
    }
    out
}
