//! Interactions: timelines, full-text search, and correcting one (people, time, kind, tags,
//! place, text) — every write tracked for undo.

use anyhow::{Result, bail};
use chrono::{DateTime, NaiveTime, Utc};

use super::capture::not_in_the_future;
use super::undo::{Written, tracked};
use crate::clock::Clock;
use crate::domain::contact::{ContactId, normalize_tag};
use crate::domain::interaction::{Interaction, InteractionDraft, InteractionId, Kind};
use crate::domain::when::{self, Direction};
use crate::store::Store;
use crate::store::interactions::{self, TimelineQuery};
use crate::store::records::Table;
use crate::store::search::{self, Hit};

/// Which interactions a timeline shows, as typed: nothing older than the day `since`
/// names, only of `kind` (`lunch` is a meal), only tagged `tag`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    pub since: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub tag: Option<&'a str>,
}

/// One person's interactions (everyone's when `None`), newest first, as `filter` narrows
/// them.
pub fn timeline(
    store: &Store,
    clock: &Clock,
    contact: Option<ContactId>,
    filter: &Filter<'_>,
    limit: usize,
) -> Result<Vec<Interaction>> {
    let since = filter
        .since
        .map(|s| -> Result<_> {
            let day = when::parse_date(s, clock.today(), Direction::Past)?;
            Ok(clock.instant_of(day.and_time(NaiveTime::MIN))?)
        })
        .transpose()?;
    let tag = filter
        .tag
        .map(|t| {
            normalize_tag(t).ok_or_else(|| {
                anyhow::anyhow!("'{t}' is not a tag; tags are single words like mentoring")
            })
        })
        .transpose()?;
    Ok(interactions::timeline(
        store.conn(),
        &TimelineQuery {
            contact,
            kind: filter.kind.map(|k| Kind::parse(k).as_str().to_owned()),
            tag,
            since,
            after: None,
            limit,
        },
    )?)
}

/// The best `limit` matches for `query` among notes and contacts: relevance blended with
/// recency, so the latest of many similar notes comes first.
pub fn search(store: &Store, clock: &Clock, query: &str, limit: usize) -> Result<Vec<Hit>> {
    if query.trim().is_empty() {
        bail!("search for what? e.g. rolo search compilers");
    }
    Ok(search::search(
        store.conn(),
        &crate::text::clean(query),
        limit,
        clock.now,
    )?)
}

/// `i12` or `12`.
pub fn parse_id(text: &str) -> Result<InteractionId> {
    text.trim()
        .strip_prefix('i')
        .unwrap_or(text.trim())
        .parse()
        .map(InteractionId)
        .map_err(|_| {
            anyhow::anyhow!(
                "'{text}' is not an interaction id; use the id timeline shows, e.g. i12"
            )
        })
}

/// What an edit may change; `None` and empty lists leave a part as it is.
#[derive(Debug, Clone, Default)]
pub struct InteractionEdit {
    pub happened_at: Option<DateTime<Utc>>,
    pub kind: Option<Kind>,
    pub summary: Option<String>,
    /// `Some(None)` removes the body.
    pub body: Option<Option<String>>,
    /// `Some(None)` removes the location.
    pub location: Option<Option<String>>,
    /// People added (in this order, after those already there) and removed.
    pub with: Vec<ContactId>,
    pub without: Vec<ContactId>,
    pub tag: Vec<String>,
    pub untag: Vec<String>,
}

impl InteractionEdit {
    /// Applies the edit to what the interaction is now.
    fn apply(&self, current: &Interaction) -> Result<InteractionDraft> {
        let mut draft = InteractionDraft::from(current);
        if let Some(at) = self.happened_at {
            draft.happened_at = at;
        }
        if let Some(kind) = &self.kind {
            if kind.as_str().is_empty() {
                bail!("an interaction needs a kind (e.g. call, meal, meeting, note)");
            }
            draft.kind = kind.clone();
        }
        if let Some(summary) = &self.summary {
            if summary.trim().is_empty() {
                bail!("an interaction needs a summary");
            }
            summary.trim().clone_into(&mut draft.summary);
        }
        if let Some(body) = &self.body {
            draft.body = body.clone().filter(|b| !b.trim().is_empty());
        }
        if let Some(location) = &self.location {
            draft.location = location.clone().filter(|l| !l.trim().is_empty());
        }
        for id in &self.with {
            if !draft.participants.contains(id) {
                draft.participants.push(*id);
            }
        }
        draft.participants.retain(|p| !self.without.contains(p));
        for tag in &self.tag {
            let tag = normalize_tag(tag).ok_or_else(|| anyhow::anyhow!("'{tag}' is not a tag"))?;
            if !draft.tags.contains(&tag) {
                draft.tags.push(tag);
            }
        }
        for tag in &self.untag {
            let tag = normalize_tag(tag).unwrap_or_default();
            draft.tags.retain(|t| *t != tag);
        }
        draft.tags.sort();
        Ok(draft)
    }
}

/// Corrects an interaction: who was there, when, what kind, its tags, place and text.
pub fn edit(
    store: &mut Store,
    clock: &Clock,
    id: InteractionId,
    edit: &InteractionEdit,
) -> Result<Written<Interaction>> {
    if let Some(at) = edit.happened_at {
        not_in_the_future(at, clock)?;
    }
    let now = clock.now;
    tracked(
        store,
        |i: &Interaction| format!("edited '{}'", i.summary),
        |tx, t| {
            if interactions::is_trashed(tx, id)? {
                bail!(
                    "i{} is in the trash; restore it first (rolo trash restore i{})",
                    id.0,
                    id.0
                );
            }
            let current = interactions::get(tx, id)?;
            let draft = edit.apply(&current)?;
            if draft != InteractionDraft::from(&current) {
                t.touch(tx, Table::Interactions, id.0)?;
                interactions::update(tx, id, &draft, now)?;
            }
            Ok(interactions::get(tx, id)?)
        },
    )
}

/// Replaces a note's summary and body with what came back from an editor: the first line is
/// the summary, the rest (after a blank line) the body.
pub fn rewrite_text(
    store: &mut Store,
    clock: &Clock,
    id: InteractionId,
    text: &str,
) -> Result<Written<Interaction>> {
    let (summary, body) = text.split_once('\n').unwrap_or((text, ""));
    let summary = summary.trim();
    if summary.is_empty() {
        bail!("the first line (the summary) was empty; the note is unchanged");
    }
    let body = body.trim();
    edit(
        store,
        clock,
        id,
        &InteractionEdit {
            summary: Some(summary.to_owned()),
            body: Some((!body.is_empty()).then(|| body.to_owned())),
            ..InteractionEdit::default()
        },
    )
}
