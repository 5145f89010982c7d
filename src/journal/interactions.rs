//! Reading the journal itself: timelines, full-text search, and a note's text rewritten in
//! an editor.

use anyhow::{Result, bail};
use chrono::NaiveTime;

use crate::clock::Clock;
use crate::domain::contact::ContactId;
use crate::domain::interaction::{Interaction, InteractionId};
use crate::domain::when::{self, Direction};
use crate::store::Store;
use crate::store::interactions::{self, TimelineQuery};
use crate::store::search::{self, Hit};

/// One person's interactions (everyone's when `None`), newest first, nothing older than the
/// day `since` names.
pub fn timeline(
    store: &Store,
    clock: &Clock,
    contact: Option<ContactId>,
    since: Option<&str>,
    limit: usize,
) -> Result<Vec<Interaction>> {
    let since = since
        .map(|s| -> Result<_> {
            let day = when::parse_date(s, clock.today(), Direction::Past)?;
            Ok(clock.instant_of(day.and_time(NaiveTime::MIN))?)
        })
        .transpose()?;
    Ok(interactions::timeline(
        store.conn(),
        &TimelineQuery {
            contact,
            since,
            after: None,
            limit,
        },
    )?)
}

/// The best `limit` matches for `query` among notes and contacts.
pub fn search(store: &Store, query: &str, limit: usize) -> Result<Vec<Hit>> {
    if query.trim().is_empty() {
        bail!("search for what? e.g. rolo search compilers");
    }
    Ok(search::search(store.conn(), query, limit)?)
}

/// Replaces a note's summary and body with what came back from an editor: the first line is
/// the summary, the rest (after a blank line) the body.
pub fn rewrite_text(
    store: &mut Store,
    clock: &Clock,
    id: InteractionId,
    text: &str,
) -> Result<Interaction> {
    let (summary, body) = text.split_once('\n').unwrap_or((text, ""));
    let summary = summary.trim();
    if summary.is_empty() {
        bail!("the first line (the summary) was empty; the note is unchanged");
    }
    let body = body.trim();
    let now = clock.now;
    store.write(|tx| {
        interactions::update_text(tx, id, summary, (!body.is_empty()).then_some(body), now)
    })?;
    Ok(interactions::get(store.conn(), id)?)
}
