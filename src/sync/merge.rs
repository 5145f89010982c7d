//! The three-way merge of one record, field by field, against the version both sides last
//! agreed on (the base). A field only one side changed takes that change; tags merge as a
//! set (one side's additions and removals both count); a field both sides changed to
//! different values takes the newer side's value, and the other value is kept as a
//! conflict for the user to review. Without a base (the same UID found on both sides for
//! the first time) every difference is such a conflict.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// Fields that describe a version rather than the record: never merged or compared.
const VERSION_FIELDS: [&str; 1] = ["updated_at"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Local,
    Server,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Local => "local",
            Side::Server => "server",
        }
    }
}

/// One field both sides changed differently.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    pub field: String,
    pub kept: Value,
    pub lost: Value,
    pub kept_side: Side,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub record: Value,
    pub conflicts: Vec<FieldConflict>,
}

fn object(v: &Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

/// Do two records say the same, their version stamps aside?
pub fn same_content(a: &Value, b: &Value) -> bool {
    let strip = |v: &Value| {
        let mut m = object(v);
        for f in VERSION_FIELDS {
            m.remove(f);
        }
        m
    };
    strip(a) == strip(b)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Tags as a set: the base, plus what either side added, minus what either side removed.
fn merge_set(base: &Value, local: &Value, remote: &Value) -> Value {
    let (b, l, r) = (strings(base), strings(local), strings(remote));
    let mut out: Vec<String> = b
        .iter()
        .filter(|t| l.contains(t) && r.contains(t))
        .cloned()
        .collect();
    for t in l.iter().chain(&r) {
        if !b.contains(t) && !out.contains(t) {
            out.push(t.clone());
        }
    }
    out.sort();
    Value::from(out)
}

fn stamp(v: &Value) -> Option<DateTime<Utc>> {
    v.get("updated_at")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
}

/// Merges `local` and `remote` (records as JSON objects) against `base`.
/// No value: null, an empty string, list or object.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

pub fn merge(base: Option<&Value>, local: &Value, remote: &Value) -> Merged {
    let (l, r) = (object(local), object(remote));
    let b = base.map(object);
    // The newer side wins a conflict; on a tie the server's value, so that both journals
    // settle on the same value whichever syncs first.
    let local_newer = stamp(local) > stamp(remote);
    let mut keys: Vec<&String> = l.keys().chain(r.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Map::new();
    let mut conflicts = Vec::new();
    for key in keys {
        let lv = l.get(key).cloned().unwrap_or(Value::Null);
        let rv = r.get(key).cloned().unwrap_or(Value::Null);
        if VERSION_FIELDS.contains(&key.as_str()) || lv == rv {
            out.insert(key.clone(), lv);
            continue;
        }
        let bv = b
            .as_ref()
            .map(|b| b.get(key).cloned().unwrap_or(Value::Null));
        let value = match &bv {
            Some(bv) if *bv == lv => rv,
            Some(bv) if *bv == rv => lv,
            Some(bv) if key == "tags" => merge_set(bv, &lv, &rv),
            // Nothing to compare with (a first link of two journals, a record one side no
            // longer has): a side that holds nothing loses nothing — no conflict to settle.
            // (Not for `deleted_at`, where nothing means "alive": that is decided below.)
            None if key != "deleted_at" && is_empty(&lv) => rv,
            None if key != "deleted_at" && is_empty(&rv) => lv,
            _ => {
                let (kept, lost, kept_side) = if local_newer {
                    (lv, rv, Side::Local)
                } else {
                    (rv, lv, Side::Server)
                };
                conflicts.push(FieldConflict {
                    field: key.clone(),
                    kept: kept.clone(),
                    lost,
                    kept_side,
                });
                kept
            }
        };
        out.insert(key.clone(), value);
    }
    // Deleted here, edited there: the edit survives (the record comes back from the trash).
    let deleted_here = !l.get("deleted_at").is_none_or(Value::is_null);
    let remote_edited = b.as_ref().is_some_and(|b| {
        r.iter().any(|(k, v)| {
            !VERSION_FIELDS.contains(&k.as_str()) && k != "deleted_at" && b.get(k) != Some(v)
        })
    });
    if deleted_here && remote_edited {
        let lost = out.insert("deleted_at".to_owned(), Value::Null);
        conflicts.retain(|c| c.field != "deleted_at");
        conflicts.push(FieldConflict {
            field: "deleted_at".to_owned(),
            kept: Value::Null,
            lost: lost.unwrap_or(Value::Null),
            kept_side: Side::Server,
        });
    }
    Merged {
        record: Value::Object(out),
        conflicts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(name: &str, company: &str, tags: &[&str], at: &str) -> Value {
        json!({"display_name": name, "company": company, "tags": tags, "updated_at": at, "deleted_at": null})
    }

    /// Two journals linked for the first time (no base): a field one side has and the
    /// other lacks is taken, with no conflict; two different values are still one.
    #[test]
    fn a_first_link_takes_what_one_side_lacks_without_conflict() {
        let local = json!({"name": "Ada", "notes": null, "tags": [], "company": "Here", "updated_at": "2026-01-02T00:00:00Z"});
        let remote = json!({"name": "Ada", "notes": "met at the lab", "tags": ["x"], "company": "There", "updated_at": "2026-01-01T00:00:00Z"});
        let m = merge(None, &local, &remote);
        assert_eq!(m.record["notes"], json!("met at the lab"));
        assert_eq!(m.record["tags"], json!(["x"]));
        assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
        assert_eq!(m.conflicts[0].field, "company");
    }

    #[test]
    fn different_fields_merge_without_conflict() {
        let base = rec("Ada", "Analytical", &["a"], "2026-01-01T00:00:00Z");
        let local = rec(
            "Ada King",
            "Analytical",
            &["a", "l"],
            "2026-01-02T00:00:00Z",
        );
        let remote = rec("Ada", "Engines", &["r"], "2026-01-03T00:00:00Z");
        let m = merge(Some(&base), &local, &remote);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        assert_eq!(m.record["display_name"], "Ada King");
        assert_eq!(m.record["company"], "Engines");
        assert_eq!(
            m.record["tags"],
            json!(["l", "r"]),
            "a removed there, l and r added"
        );
    }

    #[test]
    fn the_same_field_keeps_the_newer_and_records_the_other() {
        let base = rec("Ada", "A", &[], "2026-01-01T00:00:00Z");
        let local = rec("Ada", "Local Co", &[], "2026-01-02T00:00:00Z");
        let remote = rec("Ada", "Server Co", &[], "2026-01-03T00:00:00Z");
        let m = merge(Some(&base), &local, &remote);
        assert_eq!(m.record["company"], "Server Co");
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].lost, json!("Local Co"));
        assert_eq!(m.conflicts[0].kept_side, Side::Server);
        let m = merge(Some(&base), &remote, &local);
        assert_eq!(m.record["company"], "Server Co");
        assert_eq!(m.conflicts[0].kept_side, Side::Local);
    }

    #[test]
    fn an_edit_there_brings_a_record_back_from_the_trash_here() {
        let base = rec("Ada", "A", &[], "2026-01-01T00:00:00Z");
        let mut local = base.clone();
        local["deleted_at"] = json!("2026-01-02T00:00:00Z");
        let remote = rec("Ada", "B", &[], "2026-01-03T00:00:00Z");
        let m = merge(Some(&base), &local, &remote);
        assert_eq!(m.record["deleted_at"], Value::Null);
        assert_eq!(m.record["company"], "B");
        assert_eq!(m.conflicts.len(), 1);
    }
}
