//! How search results are ordered: relevance (BM25) blended with recency, so that today's
//! lunch about Lisbon outranks a year-old note that says "Lisbon" twice.
//!
//! Relevance is BM25 computed over a *window* of candidates (the store hands over the newest
//! matches, a bounded number): term statistics come from the window, not the whole journal,
//! which keeps the cost of ranking independent of how common a word is. Pure: the caller
//! supplies the texts, their ages and "now".

use super::names::fold_letters;

/// BM25's term-frequency saturation (the usual value) and length normalisation: lighter
/// than the usual 0.75, because notes are a line or a paragraph and a few more words in one
/// say little about what it is about.
const K1: f64 = 1.2;
const B: f64 = 0.3;

/// How much recency weighs against relevance (both are scaled to 0..=1). Recency leads: a
/// note from today outranks an equally relevant one from any day before, and one from a
/// month ago unless that was far more to the point; a note that barely matches does not
/// outrank last week's note about exactly that.
const RECENCY_WEIGHT: f64 = 0.6;
/// A note this many days old counts half as recent as one from today.
const HALF_LIFE_DAYS: f64 = 30.0;

/// The words a search looks for, folded the way the index folds them (case and accents
/// aside); the last may be a prefix (results follow typing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    words: Vec<String>,
    last_is_prefix: bool,
}

/// Splits text into the tokens the index holds: runs of letters and digits, folded.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold_letters)
}

impl Terms {
    /// The terms of `input` as typed; `last_is_prefix` when the last word is matched as a
    /// prefix.
    pub fn new(input: &str, last_is_prefix: bool) -> Terms {
        Terms {
            words: tokens(input).collect(),
            last_is_prefix,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    fn matches(&self, term: usize, token: &str) -> bool {
        let word = &self.words[term];
        if self.last_is_prefix && term + 1 == self.words.len() {
            token.starts_with(word.as_str())
        } else {
            token == word
        }
    }

    /// How often each term occurs in `text`, and how many tokens `text` has.
    fn count(&self, text: &str) -> (Vec<u32>, u32) {
        let mut counts = vec![0u32; self.words.len()];
        let mut length = 0u32;
        for token in tokens(text) {
            length += 1;
            for (term, count) in counts.iter_mut().enumerate() {
                if self.matches(term, &token) {
                    *count += 1;
                }
            }
        }
        (counts, length)
    }
}

/// A count as a float: counts here are a window of documents, far below 2^52.
#[allow(clippy::cast_precision_loss)]
fn count(n: usize) -> f64 {
    n as f64
}

/// BM25 of each document in `docs` for `terms`, with document frequencies and the average
/// length taken from `docs` themselves. Higher is better; 0 when nothing matches.
pub fn bm25(terms: &Terms, docs: &[&str]) -> Vec<f64> {
    if docs.is_empty() || terms.is_empty() {
        return vec![0.0; docs.len()];
    }
    let counted: Vec<(Vec<u32>, u32)> = docs.iter().map(|d| terms.count(d)).collect();
    let n = count(docs.len());
    let average = counted.iter().map(|(_, l)| f64::from(*l)).sum::<f64>() / n;
    let idf: Vec<f64> = (0..terms.words.len())
        .map(|t| {
            let containing = count(counted.iter().filter(|(c, _)| c[t] > 0).count());
            // The "+1" form: never negative, so a word in every document still counts.
            ((n - containing + 0.5) / (containing + 0.5)).ln_1p()
        })
        .collect();
    counted
        .iter()
        .map(|(counts, length)| {
            let norm = K1 * (1.0 - B + B * f64::from(*length) / average.max(1.0));
            counts
                .iter()
                .zip(&idf)
                .map(|(&tf, idf)| {
                    let tf = f64::from(tf);
                    idf * tf * (K1 + 1.0) / (tf + norm)
                })
                .sum()
        })
        .collect()
}

/// How recent something `age_days` old is: 1 today, halving every [`HALF_LIFE_DAYS`].
pub fn recency(age_days: f64) -> f64 {
    0.5_f64.powf(age_days.max(0.0) / HALF_LIFE_DAYS)
}

/// The score results are ordered by (higher first): relevance relative to the best in the
/// same list (`relevance / best`), blended with recency (`None`: undated, counts as old).
pub fn blend(relevance: f64, best: f64, age_days: Option<f64>) -> f64 {
    let relative = if best > 0.0 { relevance / best } else { 0.0 };
    (1.0 - RECENCY_WEIGHT) * relative + RECENCY_WEIGHT * age_days.map_or(0.0, recency)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_occurrences_in_a_shorter_text_rank_higher() {
        let terms = Terms::new("lisbon", false);
        let scores = bm25(
            &terms,
            &[
                "lunch about the Lisbon role",
                "Lisbon, Lisbon: the Lisbon offsite",
                "a long note that mentions lisbon once among many many other words here",
                "nothing here",
            ],
        );
        assert!(scores[1] > scores[0], "{scores:?}");
        assert!(scores[0] > scores[2], "{scores:?}");
        assert!(scores[3].abs() < f64::EPSILON);
    }

    #[test]
    fn the_last_word_may_be_a_prefix_and_accents_fold() {
        let terms = Terms::new("jose compil", true);
        let scores = bm25(&terms, &["José talked compilers", "compilers only"]);
        assert!(scores[0] > scores[1], "{scores:?}");
        assert!(scores[1] > 0.0);
        let exact = Terms::new("compil", false);
        assert!(bm25(&exact, &["compilers"])[0].abs() < f64::EPSILON);
    }

    #[test]
    fn today_outranks_an_older_equal_match() {
        let today = blend(1.0, 1.0, Some(0.0));
        let month = blend(1.0, 1.0, Some(30.0));
        let year = blend(1.0, 1.0, Some(365.0));
        assert!(today > month && month > year, "{today} {month} {year}");
        assert!((recency(30.0) - 0.5).abs() < 1e-9);
        // Last week's note about exactly this beats today's passing mention; last year's
        // does not beat today's equal match.
        assert!(blend(1.0, 1.0, Some(7.0)) > blend(0.1, 1.0, Some(0.0)));
        assert!(blend(1.0, 1.0, Some(365.0)) < blend(0.5, 1.0, Some(0.0)));
    }
}
