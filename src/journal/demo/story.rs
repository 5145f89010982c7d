//! What the demo's interactions say: the word lists of `assets/demo/`, the sentences a
//! person writes after a lunch or a call (each of a kind, for one to three people, on a
//! topic that fits it), the notes and promises that go with a topic, and career moves —
//! rare, one per person at most, and the contact's title and company are the new ones.

use std::sync::LazyLock;

use crate::domain::interaction::Kind;

/// A job title, what a promotion makes of it, and the contact tag it implies.
pub struct Title {
    pub name: &'static str,
    pub promoted: Option<&'static str>,
    pub tag: Option<&'static str>,
}

/// Something people talk about, with what a note on it says and what one promises after.
pub struct Topic {
    /// Work talk fits a meeting or an email; life talk only a meal, a call, a message.
    pub work: bool,
    pub text: &'static str,
    pub tag: Option<&'static str>,
    pub notes: Vec<&'static str>,
    /// With `{name}` for the person it is for.
    pub follow_ups: Vec<&'static str>,
}

/// The word lists, one item per line (`#` starts a comment; `|` separates fields).
pub struct Lists {
    pub first: Vec<&'static str>,
    pub last: Vec<&'static str>,
    pub companies: Vec<&'static str>,
    pub titles: Vec<Title>,
    pub contact_tags: Vec<&'static str>,
    pub cities: Vec<&'static str>,
    pub topics: Vec<Topic>,
    pub work_topics: Vec<usize>,
}

fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('|').map(str::trim).collect())
}

fn items(text: &'static str) -> Vec<&'static str> {
    rows(text).map(|fields| fields[0]).collect()
}

fn optional(fields: &[&'static str], at: usize) -> Option<&'static str> {
    fields.get(at).copied().filter(|f| !f.is_empty())
}

fn list(fields: &[&'static str], at: usize) -> Vec<&'static str> {
    optional(fields, at)
        .map(|f| {
            f.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

pub static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    let topics: Vec<Topic> = rows(include_str!("../../../assets/demo/topics.txt"))
        .map(|f| Topic {
            work: f[0] == "work",
            text: f[1],
            tag: optional(&f, 2),
            notes: list(&f, 3),
            follow_ups: list(&f, 4),
        })
        .collect();
    Lists {
        first: items(include_str!("../../../assets/demo/first_names.txt")),
        last: items(include_str!("../../../assets/demo/last_names.txt")),
        companies: items(include_str!("../../../assets/demo/companies.txt")),
        titles: rows(include_str!("../../../assets/demo/titles.txt"))
            .map(|f| Title {
                name: f[0],
                promoted: optional(&f, 1),
                tag: optional(&f, 2),
            })
            .collect(),
        contact_tags: items(include_str!("../../../assets/demo/contact_tags.txt")),
        cities: items(include_str!("../../../assets/demo/cities.txt")),
        work_topics: (0..topics.len()).filter(|&i| topics[i].work).collect(),
        topics,
    }
});

pub fn pick<'a, T>(rng: &mut fastrand::Rng, list: &'a [T]) -> &'a T {
    &list[rng.usize(..list.len())]
}

/// A sentence someone writes after an interaction: `{who}` the people (first names joined
/// as "Ada, Grace and Alan"), `{topic}`, `{company}` the first person's. Its first word,
/// where it has one, means its kind to the capture parser too ("lunch", "emailed").
pub struct Template {
    pub kind: Kind,
    pub text: &'static str,
    /// The most people it reads well with: "email from {who}" is from one.
    pub most: usize,
    /// Only work talk (a meeting, an email); else life talk too.
    pub work: bool,
    /// How often, out of the weights of all templates.
    weight: u8,
}

const fn template(kind: Kind, weight: u8, most: usize, work: bool, text: &'static str) -> Template {
    Template {
        kind,
        text,
        most,
        work,
        weight,
    }
}

/// Messages and emails are the most common, then meals, calls and meetings.
pub static TEMPLATES: [Template; 24] = [
    template(Kind::Meal, 5, 3, false, "lunch with {who}: {topic}"),
    template(
        Kind::Meal,
        5,
        3,
        false,
        "coffee with {who}, talked about {topic}",
    ),
    template(Kind::Meal, 3, 3, false, "dinner with {who}; mostly {topic}"),
    template(
        Kind::Meal,
        2,
        2,
        false,
        "breakfast with {who} before work: {topic}",
    ),
    template(
        Kind::Meal,
        1,
        3,
        false,
        "drinks with {who} after the meetup: {topic}",
    ),
    template(Kind::Call, 7, 2, false, "call with {who} about {topic}"),
    template(Kind::Call, 5, 1, false, "{who} called about {topic}"),
    template(Kind::Video, 6, 3, true, "video call with {who} on {topic}"),
    template(Kind::Video, 4, 3, true, "zoom with {who}: {topic}"),
    template(Kind::Email, 9, 3, true, "emailed {who} about {topic}"),
    template(Kind::Email, 7, 1, true, "email from {who} about {topic}"),
    template(Kind::Message, 8, 1, false, "messaged {who} about {topic}"),
    template(Kind::Message, 5, 1, false, "texted {who} about {topic}"),
    template(Kind::Message, 5, 1, false, "{who} messaged about {topic}"),
    template(Kind::Meeting, 7, 3, true, "meeting with {who} on {topic}"),
    template(
        Kind::Meeting,
        3,
        3,
        true,
        "meeting at {company} with {who}: {topic}",
    ),
    template(Kind::InPerson, 3, 2, false, "met {who} for a walk: {topic}"),
    template(
        Kind::InPerson,
        3,
        2,
        true,
        "met {who} at their office: {topic}",
    ),
    template(
        Kind::Event,
        3,
        3,
        true,
        "conference: caught up with {who} on {topic}",
    ),
    template(
        Kind::Event,
        2,
        3,
        true,
        "meetup: talked to {who} about {topic}",
    ),
    template(Kind::Note, 3, 1, false, "{who} wants advice on {topic}"),
    template(Kind::Note, 2, 1, false, "{who} mentioned {topic}"),
    template(Kind::Note, 1, 1, false, "thinking of {who}: {topic}"),
    template(
        Kind::Note,
        1,
        1,
        true,
        "note to self: ask {who} about {topic}",
    ),
];

/// Template indices, each as often as its weight: a draw is one index.
pub static BY_WEIGHT: LazyLock<Vec<usize>> = LazyLock::new(|| {
    (0..TEMPLATES.len())
        .flat_map(|i| std::iter::repeat_n(i, usize::from(TEMPLATES[i].weight)))
        .collect()
});

/// How many people a template names: mostly one, sometimes two or three.
pub fn head_count(rng: &mut fastrand::Rng, most: usize) -> usize {
    let wanted = match rng.u8(..100) {
        0..=49 => 1,
        50..=84 => 2,
        _ => 3,
    };
    wanted.min(most)
}

/// `template` with its `{…}` filled in one pass.
pub fn fill(template: &str, who: &str, topic: &str, company: &str) -> String {
    let mut out = String::with_capacity(template.len() + who.len() + topic.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        match &rest[start..end] {
            "{who}" | "{name}" => out.push_str(who),
            "{topic}" => out.push_str(topic),
            "{company}" => out.push_str(company),
            other => out.push_str(other),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A career move: news on their timeline (a milestone), then, a few days on, a message to
/// congratulate them — or, if it is that recent, a reminder to.
pub struct Move {
    pub summary: String,
    pub congratulated: String,
    pub reminder: String,
}

/// What changes for someone in a year: a new job, a promotion or a move to another city.
/// Returns their title and company afterwards (the contact's own) and what to write.
pub fn career_move(
    rng: &mut fastrand::Rng,
    first: &str,
    title: &'static Title,
    company: &'static str,
) -> (&'static str, &'static str, Move) {
    let lists = &*LISTS;
    match (rng.u8(..100), title.promoted) {
        (0..=39, Some(promoted)) => (
            promoted,
            company,
            Move {
                summary: format!("{first} promoted to {promoted} at {company}"),
                congratulated: format!("messaged {first} to congratulate them on the promotion"),
                reminder: format!("congratulate {first} on the promotion"),
            },
        ),
        (0..=84, _) => {
            let mut next = *pick(rng, &lists.companies);
            if next == company {
                next = lists.companies[(lists
                    .companies
                    .iter()
                    .position(|c| *c == company)
                    .unwrap_or(0)
                    + 1)
                    % lists.companies.len()];
            }
            let role = if rng.bool() {
                title.promoted.unwrap_or(title.name)
            } else {
                title.name
            };
            (
                role,
                next,
                Move {
                    summary: format!("{first} left {company} to join {next} as {role}"),
                    congratulated: format!(
                        "messaged {first} to congratulate them on the new role at {next}"
                    ),
                    reminder: format!("congratulate {first} on the new role"),
                },
            )
        }
        _ => {
            let city = *pick(rng, &lists.cities);
            (
                title.name,
                company,
                Move {
                    summary: format!("{first} moved to {city}"),
                    congratulated: format!("messaged {first} to ask how the move to {city} went"),
                    reminder: format!("ask {first} how the move to {city} went"),
                },
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_lists_are_complete() {
        let lists = &*LISTS;
        assert!(lists.first.len() > 40 && lists.last.len() > 40);
        assert!(!lists.companies.is_empty() && !lists.cities.is_empty());
        assert!(lists.titles.iter().any(|t| t.promoted.is_some()));
        assert!(!lists.work_topics.is_empty() && lists.work_topics.len() < lists.topics.len());
        for topic in &lists.topics {
            assert!(topic.notes.len() >= 2, "{}: notes for a body", topic.text);
            assert!(!topic.follow_ups.is_empty(), "{}", topic.text);
            for promise in &topic.follow_ups {
                assert!(
                    promise.contains("{name}"),
                    "'{promise}' does not say for whom"
                );
            }
        }
    }

    #[test]
    fn templates_fill_in_one_pass() {
        assert_eq!(
            fill(
                "meeting at {company} with {who}: {topic}",
                "Ada and Grace",
                "the reorg",
                "NASA"
            ),
            "meeting at NASA with Ada and Grace: the reorg"
        );
        assert_eq!(
            fill("send {name} the deck {x}", "Ada", "", ""),
            "send Ada the deck {x}"
        );
        for t in &TEMPLATES {
            assert!(
                (1..=3).contains(&t.most) && t.text.contains("{who}"),
                "{}",
                t.text
            );
        }
    }
}
