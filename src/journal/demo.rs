//! The demo journal: a realistic, deterministic sample journal — people with companies, titles,
//! tags, cadences and birthdays; a year of lunches, calls, emails and notes; open and overdue
//! follow-ups. The same generator builds the 10k-contact / 1M-interaction benchmark journal.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use anyhow::{Result, bail};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::clock::Clock;
use crate::domain::contact::{ContactDraft, ContactField, ContactId, FieldKind, NameParts};
use crate::domain::interaction::{InteractionDraft, Kind};
use crate::domain::reminder::{ReminderDraft, Source};
use crate::domain::when::{Every, PartialDate};
use crate::store::{Store, contacts, interactions, reminders};

/// The word lists the demo draws from, one item per line in `assets/demo/`.
struct Lists {
    first: Vec<&'static str>,
    last: Vec<&'static str>,
    companies: Vec<&'static str>,
    titles: Vec<&'static str>,
    contact_tags: Vec<&'static str>,
    topics: Vec<&'static str>,
    note_tags: Vec<&'static str>,
    follow_ups: Vec<&'static str>,
}

fn lines(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

static LISTS: LazyLock<Lists> = LazyLock::new(|| Lists {
    first: lines(include_str!("../../assets/demo/first_names.txt")),
    last: lines(include_str!("../../assets/demo/last_names.txt")),
    companies: lines(include_str!("../../assets/demo/companies.txt")),
    titles: lines(include_str!("../../assets/demo/titles.txt")),
    contact_tags: lines(include_str!("../../assets/demo/contact_tags.txt")),
    topics: lines(include_str!("../../assets/demo/topics.txt")),
    note_tags: lines(include_str!("../../assets/demo/note_tags.txt")),
    follow_ups: lines(include_str!("../../assets/demo/follow_ups.txt")),
});

/// Counts of what [`generate`] wrote.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Generated {
    pub contacts: u32,
    pub interactions: u32,
    pub reminders: u32,
}

fn pick<'a>(rng: &mut fastrand::Rng, list: &[&'a str]) -> &'a str {
    list[rng.usize(..list.len())]
}

/// A deterministic UUIDv7 for a record made at `at`.
fn new_uid(rng: &mut fastrand::Rng, at: DateTime<Utc>) -> String {
    let mut bytes = [0u8; 10];
    rng.fill(&mut bytes);
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &bytes)
        .into_uuid()
        .to_string()
}

fn people(rng: &mut fastrand::Rng, count: u32) -> Vec<(String, String, String)> {
    let mut pairs: Vec<(usize, usize)> = (0..LISTS.first.len())
        .flat_map(|f| (0..LISTS.last.len()).map(move |l| (f, l)))
        .collect();
    rng.shuffle(&mut pairs);
    let famous = [
        ("Ada", "", "Lovelace"),
        ("Grace", "", "Hopper"),
        ("Alan", "", "Turing"),
        ("Katherine", "", "Johnson"),
    ];
    (0..count as usize)
        .map(|i| {
            if let Some((first, middle, last)) = famous.get(i) {
                return (
                    (*first).to_owned(),
                    (*middle).to_owned(),
                    (*last).to_owned(),
                );
            }
            let (f, l) = pairs[i % pairs.len()];
            // Past every first/last pairing, a middle initial keeps names apart.
            let middle = if i >= pairs.len() {
                format!("{}.", char::from(b'A' + ((i / pairs.len()) % 26) as u8))
            } else {
                String::new()
            };
            (LISTS.first[f].to_owned(), middle, LISTS.last[l].to_owned())
        })
        .collect()
}

fn contact_draft(
    rng: &mut fastrand::Rng,
    i: usize,
    (first, middle, last): (String, String, String),
) -> ContactDraft {
    let display_name = [first.as_str(), middle.as_str(), last.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let email_name = format!("{}.{}", first.to_lowercase(), last.to_lowercase())
        .replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "");
    let company = pick(rng, &LISTS.companies);
    let domain = company
        .to_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "");
    let mut fields = vec![ContactField {
        label: "work".into(),
        ..ContactField::new(
            FieldKind::Email,
            format!("{email_name}{i}@{domain}.example"),
        )
    }];
    if rng.u8(..10) < 4 {
        fields.push(ContactField {
            label: "cell".into(),
            ..ContactField::new(
                FieldKind::Phone,
                format!("+1 555 {:03} {:04}", rng.u16(..1000), rng.u16(..10000)),
            )
        });
    }
    if rng.u8(..10) < 5 {
        fields.push(ContactField {
            label: "linkedin".into(),
            ..ContactField::new(
                FieldKind::Url,
                format!("https://www.linkedin.com/in/{email_name}-{i}"),
            )
        });
    }
    let mut tags: Vec<String> = (0..rng.usize(..3))
        .map(|_| pick(rng, &LISTS.contact_tags).to_owned())
        .collect();
    tags.sort();
    tags.dedup();
    let birthday = match rng.u8(..10) {
        0..=3 => PartialDate::new(Some(rng.i32(1955..2001)), rng.u32(1..=12), rng.u32(1..=28)),
        4..=5 => PartialDate::new(None, rng.u32(1..=12), rng.u32(1..=28)),
        6 if i % 50 == 6 => PartialDate::new(Some(1988), 2, 29),
        _ => None,
    };
    let cadence = (rng.u8(..10) < 4)
        .then(|| {
            ["14d", "30d", "2m", "3m", "6m"][rng.usize(..5)]
                .parse::<Every>()
                .ok()
        })
        .flatten();
    ContactDraft {
        display_name,
        name: NameParts {
            given: first,
            additional: middle,
            family: last,
            ..NameParts::default()
        },
        company: Some(company.to_owned()),
        title: Some(pick(rng, &LISTS.titles).to_owned()),
        fields,
        birthday,
        tags,
        cadence,
        met: crate::domain::contact::HowWeMet {
            text: (rng.u8(..3) == 0).then(|| {
                format!(
                    "met at {}",
                    [
                        "RustConf",
                        "a dinner party",
                        "the Lisbon offsite",
                        "a hackathon",
                        "university"
                    ][rng.usize(..5)]
                )
            }),
            ..Default::default()
        },
        ..ContactDraft::default()
    }
}

/// The famous four get fixed details so the README's tour can rely on them.
fn famous(draft: &mut ContactDraft, i: usize) {
    let (birthday, tags, cadence, company, title) = match i {
        0 => (
            "1815-12-10",
            &["mentor"][..],
            Some("30d"),
            "Analytical Engines",
            "Mathematician",
        ),
        1 => (
            "1906-12-09",
            &["mentor", "compilers"][..],
            Some("2m"),
            "US Navy",
            "Rear Admiral",
        ),
        2 => (
            "1912-06-23",
            &["friend"][..],
            None,
            "Bletchley Park",
            "Cryptanalyst",
        ),
        3 => (
            "1918-08-26",
            &["nasa"][..],
            Some("3m"),
            "NASA",
            "Mathematician",
        ),
        _ => return,
    };
    draft.birthday = PartialDate::parse(birthday).ok();
    draft.tags = tags.iter().map(|t| (*t).to_owned()).collect();
    draft.cadence = cadence.and_then(|c| c.parse().ok());
    draft.company = Some(company.to_owned());
    draft.title = Some(title.to_owned());
}

/// Writes the sample journal in one transaction; the clock anchors the year of history.
pub fn generate(
    store: &mut Store,
    clock: &Clock,
    seed: u64,
    contact_count: u32,
    interaction_count: u32,
) -> Result<Generated> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let now = clock.now;
    let today: NaiveDate = clock.today();
    let created = now - Duration::days(400);
    store.write_bulk(|tx| -> Result<Generated> {
        // Each contact's id and first name, for the interactions' participants and summaries.
        let mut ids: Vec<(ContactId, String)> = Vec::with_capacity(contact_count as usize);
        for (i, person) in people(&mut rng, contact_count).into_iter().enumerate() {
            let mut draft = contact_draft(&mut rng, i, person);
            famous(&mut draft, i);
            let uid = new_uid(&mut rng, created);
            let id = contacts::insert(tx, &draft, Some(&uid), created)?;
            ids.push((id, draft.name.given.clone()));
        }
        let mut reminder_count = 0;
        if ids.is_empty() {
            return Ok(Generated {
                contacts: 0,
                interactions: 0,
                reminders: 0,
            });
        }
        // Oldest first, as a real journal grows.
        let mut ages: Vec<i64> = (0..interaction_count)
            .map(|_| rng.i64(3600..365 * 86_400))
            .collect();
        ages.sort_unstable_by(|a, b| b.cmp(a));
        for (n, age) in (0..).zip(ages) {
            let happened_at = now - Duration::seconds(age);
            reminder_count += write_interaction(tx, &mut rng, &ids, n, happened_at, clock)?;
        }
        let recurring = ReminderDraft {
            title: "Review the week's relationships".to_owned(),
            contact: None,
            due_date: today,
            due_time: None,
            recurrence: Some("1w".parse()?),
            source: Source::Manual,
            interaction: None,
        };
        reminders::insert(tx, &recurring, Some(&new_uid(&mut rng, created)), created)?;
        Ok(Generated {
            contacts: contact_count,
            interactions: interaction_count,
            reminders: reminder_count + 1,
        })
    })
}

/// Writes one random interaction (and sometimes its follow-up); returns reminders written.
fn write_interaction(
    tx: &rusqlite::Transaction<'_>,
    rng: &mut fastrand::Rng,
    people: &[(ContactId, String)],
    n: u32,
    happened_at: DateTime<Utc>,
    clock: &Clock,
) -> Result<u32> {
    let (now, today) = (clock.now, clock.today());
    let mut written = 0;
    // A few people are seen often, most rarely: the smaller of two draws skews low.
    let mut participants: Vec<ContactId> = Vec::new();
    let extra = match rng.u8(..10) {
        0..=6 => 0,
        7..=8 => 1,
        _ => 2,
    };
    for _ in 0..=extra {
        let id = people[rng.usize(..people.len()).min(rng.usize(..people.len()))].0;
        if !participants.contains(&id) {
            participants.push(id);
        }
    }
    let (kind, template) = [
        (Kind::Meal, "lunch with {who} — talked about {topic}"),
        (Kind::Meal, "coffee with {who}: {topic}"),
        (Kind::Call, "call with {who} about {topic}"),
        (Kind::Video, "video call with {who} on {topic}"),
        (Kind::Email, "emailed {who} about {topic}"),
        (Kind::Message, "messaged {who} about {topic}"),
        (Kind::Meeting, "meeting with {who} on {topic}"),
        (Kind::Event, "ran into {who} at a meetup — {topic}"),
        (Kind::Note, "note: {who} is thinking about {topic}"),
        (Kind::Milestone, "{who}: promoted! sent congratulations"),
    ][rng.usize(..10)]
    .clone();
    let names: Vec<String> = participants
        .iter()
        .filter_map(|id| people.iter().find(|(p, _)| p == id))
        .map(|(_, n)| n.clone())
        .collect();
    let summary = template
        .replace("{who}", &crate::domain::capture::join_names(&names))
        .replace("{topic}", pick(rng, &LISTS.topics));
    let body = (rng.u8(..5) == 0).then(|| {
        format!(
            "## Notes\n\n- {}\n- {}\n",
            pick(rng, &LISTS.topics),
            pick(rng, &LISTS.follow_ups)
        )
    });
    let tags = if rng.u8(..10) < 3 {
        vec![pick(rng, &LISTS.note_tags).to_owned()]
    } else {
        Vec::new()
    };
    let draft = InteractionDraft {
        happened_at,
        kind,
        summary,
        body,
        location: None,
        participants: participants.clone(),
        tags,
    };
    let uid = new_uid(rng, happened_at);
    let id = interactions::insert(tx, &draft, Some(&uid), happened_at)?;
    // Recent interactions sometimes promised something: some of it is now overdue.
    let age_days = (now - happened_at).num_days();
    if age_days < 45 && n.is_multiple_of(6) {
        let due = clock.date_of(happened_at) + Duration::days(rng.i64(5..30));
        let reminder = ReminderDraft {
            title: pick(rng, &LISTS.follow_ups).to_owned(),
            contact: participants.first().copied(),
            due_date: due,
            due_time: None,
            recurrence: None,
            source: Source::FollowUp,
            interaction: Some(id),
        };
        let rid = reminders::insert(tx, &reminder, Some(&new_uid(rng, happened_at)), happened_at)?;
        written = 1;
        if due < today - Duration::days(10) {
            reminders::done(tx, rid, today, now)?;
        }
    }
    Ok(written)
}

/// Where the demo goes when no `--db` is given: a fresh file in the temp directory.
pub fn fresh_path(clock: &Clock) -> PathBuf {
    let stamp = clock.local_now().format("%Y%m%d-%H%M%S");
    std::env::temp_dir()
        .join(format!("rolo-demo-{stamp}-{}", std::process::id()))
        .join("journal.db")
}

/// Creates a new journal at `path` and fills it. An existing, non-empty file is refused: a
/// demo never lands in a journal someone uses.
pub fn create(
    path: &Path,
    clock: &Clock,
    seed: u64,
    contacts: u32,
    interactions: u32,
) -> Result<(Store, Generated)> {
    if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
        bail!(
            "{} already exists; the demo writes a new journal (choose another --db)",
            path.display()
        );
    }
    let mut store = Store::open(path)?;
    let generated = generate(&mut store, clock, seed, contacts, interactions)?;
    Ok((store, generated))
}
