//! The demo journal: a realistic, deterministic sample journal — people with companies, titles,
//! tags, cadences and birthdays (a couple of them this week); a year of lunches, calls, emails
//! and notes that read as a person writes them (`story`); the odd promotion, job change or
//! move, each followed by congratulations; open and overdue follow-ups that fit what was
//! talked about; and people whose stay-in-touch cadence has lapsed. The same generator builds
//! the 10k-contact / 1M-interaction benchmark journal, so the work per interaction stays small.

mod story;

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::clock::Clock;
use crate::domain::capture::join_names;
use crate::domain::contact::{ContactDraft, ContactField, ContactId, FieldKind, NameParts};
use crate::domain::interaction::{InteractionDraft, InteractionId, Kind};
use crate::domain::reminder::{ReminderDraft, Source};
use crate::domain::when::{Every, PartialDate};
use crate::store::{Store, contacts, interactions, reminders};
use story::{BY_WEIGHT, LISTS, Move, TEMPLATES, Title, pick};

/// Counts of what [`generate`] wrote.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Generated {
    pub contacts: u32,
    pub interactions: u32,
    pub reminders: u32,
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

fn names(rng: &mut fastrand::Rng, count: u32) -> Vec<(String, String, String)> {
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

/// How many of the famous four lead the list, with fixed details (tests and examples name
/// them: `@ada`).
const FAMOUS: usize = 4;

/// What the famous four have fixed. Their birthdays are kept without the year: "Ada turns
/// 211" is not what a newcomer should read first.
struct Famous {
    birthday: &'static str,
    tags: &'static [&'static str],
    cadence: Option<&'static str>,
    company: &'static str,
    title: &'static str,
}

fn famous(i: usize) -> Option<Famous> {
    let (birthday, tags, cadence, company, title) = match i {
        0 => (
            "12-10",
            &["mentor"][..],
            Some("30d"),
            "Analytical Engines",
            "Mathematician",
        ),
        1 => (
            "12-09",
            &["mentor", "compilers"][..],
            Some("2m"),
            "US Navy",
            "Rear Admiral",
        ),
        2 => (
            "06-23",
            &["friend"][..],
            None,
            "Bletchley Park",
            "Cryptanalyst",
        ),
        3 => ("08-26", &["nasa"][..], Some("3m"), "NASA", "Mathematician"),
        _ => return None,
    };
    Some(Famous {
        birthday,
        tags,
        cadence,
        company,
        title,
    })
}

/// A contact as the demo knows them while it writes their history.
struct Person {
    id: ContactId,
    first: String,
    company: String,
}

/// A career move waiting for its day in the history.
struct Milestone {
    at: DateTime<Utc>,
    person: usize,
    story: Move,
    /// So recent that the congratulations are still to come: a reminder.
    recent: bool,
}

/// Congratulations waiting for their day: (when, milestone, who, what was said, the
/// reminder it is until then).
type Congratulation = (DateTime<Utc>, InteractionId, usize, String, String);

/// One person's card (with their title and company after any career move this year), and
/// the move, if they make one.
#[allow(clippy::too_many_lines)] // one card, field by field
fn contact_draft(
    rng: &mut fastrand::Rng,
    i: usize,
    (first, middle, last): (String, String, String),
    birthday_soon: Option<NaiveDate>,
    history_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (ContactDraft, Option<Milestone>) {
    let display_name = [first.as_str(), middle.as_str(), last.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let title: &'static Title = pick(rng, &LISTS.titles);
    let company = *pick(rng, &LISTS.companies);
    // About one person in nine changes job, is promoted or moves in a year; one move each.
    let milestone = (i >= FAMOUS && rng.u8(..9) == 0).then(|| {
        let span = (now - history_start).num_seconds().max(2 * 86_400);
        let at = history_start + Duration::seconds(rng.i64(86_400..span));
        (at, story::career_move(rng, &first, title, company))
    });
    let (title, company, milestone) = match milestone {
        Some((at, (title, company, story))) => (
            title,
            company,
            Some(Milestone {
                at,
                person: i,
                story,
                recent: false,
            }),
        ),
        None => (title.name, company, None),
    };
    let mut tags: Vec<String> = (0..rng.usize(..3))
        .map(|_| (*pick(rng, &LISTS.contact_tags)).to_owned())
        .chain(
            LISTS
                .titles
                .iter()
                .find(|t| t.name == title)
                .and_then(|t| t.tag)
                .map(str::to_owned),
        )
        .collect();
    let mut birthday = match rng.u8(..10) {
        0..=3 => PartialDate::new(Some(rng.i32(1955..2001)), rng.u32(1..=12), rng.u32(1..=28)),
        4..=5 => PartialDate::new(None, rng.u32(1..=12), rng.u32(1..=28)),
        6 if i % 50 == 6 => PartialDate::new(Some(1988), 2, 29),
        _ => None,
    };
    if let Some(day) = birthday_soon {
        birthday = PartialDate::new(Some(rng.i32(1970..1996)), day.month(), day.day())
            .or_else(|| PartialDate::new(None, day.month(), day.day()));
    }
    let mut cadence = (rng.u8(..10) < 4)
        .then(|| {
            ["14d", "30d", "2m", "3m", "6m"][rng.usize(..5)]
                .parse::<Every>()
                .ok()
        })
        .flatten();
    let (company, title) = match famous(i) {
        Some(f) => {
            birthday = PartialDate::parse(f.birthday).ok();
            tags = f.tags.iter().map(|t| (*t).to_owned()).collect();
            cadence = f.cadence.and_then(|c| c.parse().ok());
            (f.company, f.title)
        }
        None => (company, title),
    };
    tags.sort();
    tags.dedup();
    let email_name = format!("{}.{}", first.to_lowercase(), last.to_lowercase())
        .replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "");
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
    let draft = ContactDraft {
        display_name,
        name: NameParts {
            given: first,
            additional: middle,
            family: last,
            ..NameParts::default()
        },
        company: Some(company.to_owned()),
        title: Some(title.to_owned()),
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
    };
    (draft, milestone)
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
    let history_start = now - Duration::days(365);
    let count = contact_count as usize;
    // Two people (past the famous four) have a birthday in the coming days.
    let soon: Vec<(usize, NaiveDate)> = if count > FAMOUS + 2 {
        let among = (count - FAMOUS).min(40);
        let first = rng.usize(..among);
        let second = (first + 1 + rng.usize(..among - 1)) % among;
        [(first, 2), (second, 4)]
            .into_iter()
            .map(|(who, days)| (FAMOUS + who, today + chrono::Days::new(days + rng.u64(..2))))
            .collect()
    } else {
        Vec::new()
    };
    store.write_bulk(|tx| -> Result<Generated> {
        let mut people: Vec<Person> = Vec::with_capacity(count);
        let mut milestones: Vec<Milestone> = Vec::new();
        for (i, full_name) in names(&mut rng, contact_count).into_iter().enumerate() {
            let birthday_soon = soon.iter().find(|(who, _)| *who == i).map(|(_, day)| *day);
            let (draft, milestone) =
                contact_draft(&mut rng, i, full_name, birthday_soon, history_start, now);
            let uid = new_uid(&mut rng, created);
            let id = contacts::insert(tx, &draft, Some(&uid), created)?;
            people.push(Person {
                id,
                first: draft.name.given.clone(),
                company: draft.company.clone().unwrap_or_default(),
            });
            milestones.extend(milestone);
        }
        if people.is_empty() {
            return Ok(Generated {
                contacts: 0,
                interactions: 0,
                reminders: 0,
            });
        }
        // Someone had news two days ago: congratulating them is still to do.
        if let Some(recent) = milestones.iter_mut().min_by_key(|m| m.person) {
            recent.at = now - Duration::hours(50);
            recent.recent = true;
        }
        milestones.sort_by_key(|m| Reverse(m.at)); // popped oldest first
        let mut writer = Writer {
            tx,
            rng: &mut rng,
            people: &people,
            clock,
            milestones,
            congratulations: BinaryHeap::new(),
            reminders: 0,
        };
        // Oldest first, as a real journal grows.
        let mut ages: Vec<i64> = (0..interaction_count)
            .map(|_| writer.rng.i64(3600..365 * 86_400))
            .collect();
        ages.sort_unstable_by(|a, b| b.cmp(a));
        for (n, age) in (0..).zip(ages) {
            writer.next(n, now - Duration::seconds(age))?;
        }
        writer.pending_congratulations()?;
        let written = writer.reminders;
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
            reminders: written + 1,
        })
    })
}

/// Writes the history one interaction at a time, oldest first. Each slot is a career move
/// whose day has come, else a congratulation that is due, else an ordinary interaction.
struct Writer<'a, 'tx> {
    tx: &'a rusqlite::Transaction<'tx>,
    rng: &'a mut fastrand::Rng,
    people: &'a [Person],
    clock: &'a Clock,
    /// Newest first: the next one to write is at the end.
    milestones: Vec<Milestone>,
    /// Soonest first.
    congratulations: BinaryHeap<Reverse<Congratulation>>,
    reminders: u32,
}

impl Writer<'_, '_> {
    fn next(&mut self, n: u32, at: DateTime<Utc>) -> Result<()> {
        if let Some(m) = self.milestones.pop_if(|m| m.at <= at) {
            return self.milestone(m);
        }
        if self
            .congratulations
            .peek()
            .is_some_and(|Reverse((when, ..))| *when <= at)
            && let Some(Reverse((when, _, person, summary, _))) = self.congratulations.pop()
        {
            let who = vec![self.people[person].id];
            self.insert(when, Kind::Message, summary, None, who, Vec::new())?;
            return Ok(());
        }
        self.ordinary(n, at)
    }

    fn insert(
        &mut self,
        happened_at: DateTime<Utc>,
        kind: Kind,
        summary: String,
        body: Option<String>,
        participants: Vec<ContactId>,
        tags: Vec<String>,
    ) -> Result<InteractionId> {
        let draft = InteractionDraft {
            happened_at,
            kind,
            summary,
            body,
            location: None,
            participants,
            tags,
        };
        let uid = new_uid(self.rng, happened_at);
        Ok(interactions::insert(
            self.tx,
            &draft,
            Some(&uid),
            happened_at,
        )?)
    }

    /// Their news, then a message to congratulate them a few days on.
    fn milestone(&mut self, m: Milestone) -> Result<()> {
        let who = vec![self.people[m.person].id];
        let id = self.insert(
            m.at,
            Kind::Milestone,
            m.story.summary,
            None,
            who,
            Vec::new(),
        )?;
        let then = if m.recent {
            self.clock.now + Duration::days(1)
        } else {
            m.at + Duration::hours(self.rng.i64(20..120))
        };
        self.congratulations.push(Reverse((
            then,
            id,
            m.person,
            m.story.congratulated,
            m.story.reminder,
        )));
        Ok(())
    }

    /// Congratulations the history did not reach are still to do: reminders, due three
    /// days after the news.
    fn pending_congratulations(&mut self) -> Result<()> {
        while let Some(Reverse((_, id, person, _, title))) = self.congratulations.pop() {
            let news = interactions::get(self.tx, id)?.happened_at;
            let reminder = ReminderDraft {
                title,
                contact: Some(self.people[person].id),
                due_date: self.clock.date_of(news) + Duration::days(3),
                due_time: None,
                recurrence: None,
                source: Source::FollowUp,
                interaction: Some(id),
            };
            reminders::insert(self.tx, &reminder, Some(&new_uid(self.rng, news)), news)?;
            self.reminders += 1;
        }
        Ok(())
    }

    /// One ordinary interaction (and sometimes its follow-up): a sentence of a kind, for one
    /// to three different people (different first names, so never "Aiko and Aiko"), on a
    /// topic that fits it.
    fn ordinary(&mut self, n: u32, happened_at: DateTime<Utc>) -> Result<()> {
        let (now, today) = (self.clock.now, self.clock.today());
        let rng = &mut *self.rng;
        let people = self.people;
        let template = &TEMPLATES[*pick(rng, &BY_WEIGHT)];
        let wanted = story::head_count(rng, template.most);
        // A few people are seen often, most rarely: the smaller of two draws skews low.
        let mut chosen: Vec<usize> = Vec::with_capacity(wanted);
        for _ in 0..wanted * 2 {
            if chosen.len() == wanted {
                break;
            }
            let p = rng.usize(..people.len()).min(rng.usize(..people.len()));
            if !chosen
                .iter()
                .any(|&c| c == p || people[c].first == people[p].first)
            {
                chosen.push(p);
            }
        }
        let topic = if template.work {
            &LISTS.topics[*pick(rng, &LISTS.work_topics)]
        } else {
            pick(rng, &LISTS.topics)
        };
        let names: Vec<String> = chosen.iter().map(|&p| people[p].first.clone()).collect();
        let lead = chosen[0];
        let summary = story::fill(
            template.text,
            &join_names(&names),
            topic.text,
            &people[lead].company,
        );
        let body = (rng.u8(..5) == 0 && !topic.notes.is_empty()).then(|| {
            let first = rng.usize(..topic.notes.len());
            let second = (first + 1) % topic.notes.len();
            if first == second {
                format!("- {}\n", topic.notes[first])
            } else {
                format!("- {}\n- {}\n", topic.notes[first], topic.notes[second])
            }
        });
        let tags = match topic.tag {
            Some(tag) if rng.u8(..10) < 3 => vec![tag.to_owned()],
            _ => Vec::new(),
        };
        let participants: Vec<ContactId> = chosen.iter().map(|&p| people[p].id).collect();
        let kind = template.kind.clone();
        let id = self.insert(happened_at, kind, summary, body, participants, tags)?;
        // Recent interactions sometimes promised something: some of it is now overdue.
        let age_days = (now - happened_at).num_days();
        if age_days < 45 && n.is_multiple_of(6) && !topic.follow_ups.is_empty() {
            let rng = &mut *self.rng;
            let due = self.clock.date_of(happened_at) + Duration::days(rng.i64(5..30));
            let promise = *pick(rng, &topic.follow_ups);
            let reminder = ReminderDraft {
                title: story::fill(promise, &people[lead].first, "", ""),
                contact: Some(people[lead].id),
                due_date: due,
                due_time: None,
                recurrence: None,
                source: Source::FollowUp,
                interaction: Some(id),
            };
            let uid = new_uid(rng, happened_at);
            let rid = reminders::insert(self.tx, &reminder, Some(&uid), happened_at)?;
            self.reminders += 1;
            if due < today - Duration::days(10) {
                reminders::done(self.tx, rid, today, now)?;
            }
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests;
