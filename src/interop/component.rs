//! Reading the component tree of an iCalendar object (RFC 5545 §3.4: `BEGIN:VCALENDAR` …
//! `BEGIN:VTODO` … `END:VTODO` … `END:VCALENDAR`) or a vCard, over [`content_line`]: each
//! property as parsed *and* as its raw unfolded line, in order, so what a reader does not
//! model can be written back exactly as it came.
//!
//! Why not the `icalendar` crate's parser: it unescapes values and unquotes parameters, so
//! an unknown property cannot be written back verbatim, and its component model keeps one
//! value per single-valued property name (a second `X-…` line of the same name is lost).

use super::content_line::{self, Property};

/// `BEGIN:NAME` … `END:NAME` with its properties and sub-components, in order.
#[derive(Debug, Clone)]
pub struct Component {
    /// Upper case: `VCALENDAR`, `VTODO`, `VJOURNAL`, `VALARM`, `VCARD` …
    pub name: String,
    pub properties: Vec<Property>,
    pub children: Vec<Component>,
}

impl Component {
    /// The first property called `name`.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Every property called `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.properties.iter().filter(move |p| p.name == name)
    }

    /// The first property called `name`, its text unescaped.
    pub fn text(&self, name: &str) -> Option<String> {
        self.property(name)
            .map(|p| content_line::unescape(&p.value))
    }

    /// Writes the component back: properties as their raw lines, children in place.
    pub fn write(&self, out: &mut String) {
        content_line::fold(&format!("BEGIN:{}", self.name), out);
        for p in &self.properties {
            content_line::fold(&p.raw, out);
        }
        for c in &self.children {
            c.write(out);
        }
        content_line::fold(&format!("END:{}", self.name), out);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ComponentError {
    pub line: usize,
    pub message: String,
}

/// Reads every top-level component in `text` (usually one VCALENDAR or one VCARD).
pub fn read(text: &str) -> Result<Vec<Component>, ComponentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut stack: Vec<Component> = Vec::new();
    let mut done = Vec::new();
    let mut last_line = 0;
    for (line, logical) in content_line::unfold(text) {
        last_line = line;
        let Some(p) = content_line::parse(&logical) else {
            return Err(ComponentError {
                line,
                message: format!(
                    "not a content line: '{}'",
                    crate::text::truncate(&logical, 60)
                ),
            });
        };
        match p.name.as_str() {
            "BEGIN" => stack.push(Component {
                name: p.value.trim().to_ascii_uppercase(),
                properties: Vec::new(),
                children: Vec::new(),
            }),
            "END" => {
                let name = p.value.trim().to_ascii_uppercase();
                let Some(component) = stack.pop().filter(|c| c.name == name) else {
                    return Err(ComponentError {
                        line,
                        message: format!("END:{name} without its BEGIN"),
                    });
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(component),
                    None => done.push(component),
                }
            }
            _ => match stack.last_mut() {
                Some(c) => c.properties.push(p),
                None => {
                    return Err(ComponentError {
                        line,
                        message: format!("'{}' outside BEGIN … END", p.name),
                    });
                }
            },
        }
    }
    if let Some(open) = stack.last() {
        return Err(ComponentError {
            line: last_line,
            message: format!("BEGIN:{} never ends", open.name),
        });
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_components_keeping_raw_lines_and_order() {
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:a@b\r\nX-A;X-P=\"a:b\":one\\, two\r\nX-A:again\r\nSUMMARY:long \r\n folded\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
        let cal = read(text).unwrap();
        assert_eq!(cal.len(), 1);
        let todo = &cal[0].children[0];
        assert_eq!(todo.name, "VTODO");
        assert_eq!(
            todo.all("X-A").count(),
            2,
            "a repeated unknown property is kept"
        );
        assert_eq!(
            todo.property("X-A").unwrap().raw,
            "X-A;X-P=\"a:b\":one\\, two"
        );
        assert_eq!(todo.text("SUMMARY").unwrap(), "long folded");
        assert_eq!(todo.children[0].name, "VALARM");
        let mut out = String::new();
        cal[0].write(&mut out);
        assert_eq!(out, text.replace("long \r\n folded", "long folded"));
    }

    #[test]
    fn unbalanced_components_are_errors() {
        assert!(read("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nEND:VCALENDAR\r\n").is_err());
        assert!(read("BEGIN:VTODO\r\nUID:x\r\n").is_err());
        assert!(read("UID:x\r\n").is_err());
    }
}
