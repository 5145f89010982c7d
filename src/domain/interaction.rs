//! Something that happened with one or more people: a lunch, a call, their promotion.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::contact::ContactId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InteractionId(pub i64);

/// The kind of an interaction. The set is extensible: `kind:hackathon` stores `Other`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    InPerson,
    Meeting,
    /// Lunch, coffee, dinner, drinks: a meal or a coffee together.
    Meal,
    Call,
    Video,
    Email,
    Message,
    Event,
    Note,
    /// Their promotion, new job, move or award.
    Milestone,
    Other(String),
}

impl Kind {
    pub const KNOWN: [Kind; 10] = [
        Kind::InPerson,
        Kind::Meeting,
        Kind::Meal,
        Kind::Call,
        Kind::Video,
        Kind::Email,
        Kind::Message,
        Kind::Event,
        Kind::Note,
        Kind::Milestone,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            Kind::InPerson => "in-person",
            Kind::Meeting => "meeting",
            Kind::Meal => "meal",
            Kind::Call => "call",
            Kind::Video => "video",
            Kind::Email => "email",
            Kind::Message => "message",
            Kind::Event => "event",
            Kind::Note => "note",
            Kind::Milestone => "milestone",
            Kind::Other(name) => name,
        }
    }

    /// The kind a sentence's first word implies (`lunch with @ada` is a meal), if any.
    pub fn from_leading_word(word: &str) -> Option<Kind> {
        Some(match word.to_lowercase().as_str() {
            "met" | "saw" | "visited" | "visit" | "in-person" => Kind::InPerson,
            "meeting" | "mtg" | "met-with" => Kind::Meeting,
            "lunch" | "coffee" | "dinner" | "breakfast" | "brunch" | "drinks" | "beer" | "tea"
            | "meal" => Kind::Meal,
            "call" | "called" | "phoned" | "rang" | "phone" => Kind::Call,
            "video" | "zoom" | "facetime" | "videocall" => Kind::Video,
            "email" | "emailed" | "mail" | "mailed" => Kind::Email,
            "message" | "messaged" | "texted" | "text" | "dm" | "chat" | "chatted" | "msg" => {
                Kind::Message
            }
            "event" | "conference" | "meetup" | "party" | "wedding" => Kind::Event,
            "note" => Kind::Note,
            "milestone" | "promotion" | "promoted" | "congrats" => Kind::Milestone,
            _ => return None,
        })
    }

    /// The kind named by `kind:NAME` or stored in the journal.
    pub fn parse(name: &str) -> Kind {
        let name = name.trim().to_lowercase();
        Kind::KNOWN
            .into_iter()
            .find(|k| k.as_str() == name)
            .or_else(|| Kind::from_leading_word(&name))
            .unwrap_or(Kind::Other(name))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Kind::parse(&String::deserialize(deserializer)?))
    }
}

/// A participant as shown next to an interaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: ContactId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    pub id: InteractionId,
    pub uid: String,
    pub happened_at: DateTime<Utc>,
    pub kind: Kind,
    pub summary: String,
    pub body: Option<String>,
    pub location: Option<String>,
    pub participants: Vec<Participant>,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Interaction {
    /// The names of the participants other than `except` (everyone when `None`), in the
    /// order they were named: the "with …" of a timeline row.
    pub fn others(&self, except: Option<ContactId>) -> Vec<&str> {
        self.participants
            .iter()
            .filter(|p| Some(p.id) != except)
            .map(|p| p.name.as_str())
            .collect()
    }
}

/// What `log` and the quick note write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionDraft {
    pub happened_at: DateTime<Utc>,
    pub kind: Kind,
    pub summary: String,
    pub body: Option<String>,
    pub location: Option<String>,
    pub participants: Vec<ContactId>,
    pub tags: Vec<String>,
}

impl InteractionDraft {
    /// As stored: text in NFC without control characters (the body keeps its lines).
    #[must_use]
    pub fn cleaned(&self) -> InteractionDraft {
        InteractionDraft {
            summary: crate::text::clean(&self.summary),
            body: self.body.as_deref().map(crate::text::clean_note),
            location: self.location.as_deref().map(crate::text::clean),
            tags: self.tags.iter().map(|t| crate::text::clean(t)).collect(),
            ..self.clone()
        }
    }
}

impl From<&Interaction> for InteractionDraft {
    fn from(i: &Interaction) -> Self {
        InteractionDraft {
            happened_at: i.happened_at,
            kind: i.kind.clone(),
            summary: i.summary.clone(),
            body: i.body.clone(),
            location: i.location.clone(),
            participants: i.participants.iter().map(|p| p.id).collect(),
            tags: i.tags.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in Kind::KNOWN {
            assert_eq!(Kind::parse(kind.as_str()), kind);
        }
        assert_eq!(Kind::parse("Hackathon"), Kind::Other("hackathon".into()));
        assert_eq!(Kind::parse("coffee"), Kind::Meal);
    }
}
