//! Printing: aligned tables for people, JSON for programs. A closed pipe (`rolo list | head`)
//! ends output quietly instead of panicking.

use std::io::{self, Write};

use anyhow::Result;
use serde::Serialize;

/// Writes `text` to stdout; a closed pipe is not an error.
pub fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Prints `value` as pretty JSON, or the table `render` builds.
pub fn emit<T: Serialize + ?Sized>(
    json: bool,
    value: &T,
    render: impl FnOnce() -> String,
) -> Result<()> {
    if json {
        let mut text = serde_json::to_string_pretty(value)?;
        text.push('\n');
        print(&text)
    } else {
        // Data never drives the terminal: an escape sequence in a name prints as `^[…`.
        print(&crate::text::printable_text(&render(), true))
    }
}

/// A plain aligned table; the last column is never padded.
#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table {
            rows: vec![header.iter().map(|h| (*h).to_uppercase()).collect()],
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.len() <= 1
    }

    pub fn render(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| crate::text::width(s))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if c + 1 < row.len() {
                    line.push_str(&" ".repeat(widths[c] - crate::text::width(cell) + 2));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_wide_characters() {
        let mut table = Table::new(&["name", "company"]);
        table.row(vec!["Ada".into(), "Analytical".into()]);
        table.row(vec!["李小龍".into(), "Golden Harvest".into()]);
        assert_eq!(
            table.render(),
            "NAME    COMPANY\nAda     Analytical\n李小龍  Golden Harvest\n"
        );
    }
}
