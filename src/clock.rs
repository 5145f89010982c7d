//! The one place time is read. A [`Clock`] is "now" plus the zone the user lives in; every
//! other module is handed one, so tests run at a fixed instant in a fixed zone and the CLI
//! and the TUI agree on what "today" is.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, Utc};

/// Where instants become calendar dates: the machine's zone, or a fixed offset (tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Local,
    Fixed(FixedOffset),
}

/// An instant that does not exist on the local wall clock could not be placed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0} does not exist in the local time zone")]
pub struct NoSuchTime(pub NaiveDateTime);

impl Zone {
    pub fn date_of(self, at: DateTime<Utc>) -> NaiveDate {
        self.datetime_of(at).date()
    }

    pub fn datetime_of(self, at: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Local => at.with_timezone(&Local).naive_local(),
            Zone::Fixed(offset) => at.with_timezone(&offset).naive_local(),
        }
    }

    /// A local wall-clock time as an instant. In a DST overlap, the earlier reading; in a
    /// gap (the hour that is skipped), the same wall time an hour later.
    pub fn instant_of(self, local: NaiveDateTime) -> Result<DateTime<Utc>, NoSuchTime> {
        match self {
            Zone::Local => local
                .and_local_timezone(Local)
                .earliest()
                .or_else(|| {
                    (local + chrono::Duration::hours(1))
                        .and_local_timezone(Local)
                        .earliest()
                })
                .map(|t| t.with_timezone(&Utc))
                .ok_or(NoSuchTime(local)),
            Zone::Fixed(offset) => Ok((local - offset).and_utc()),
        }
    }
}

/// "Now", read once, and the zone to read it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub zone: Zone,
}

impl Clock {
    /// The system clock in the machine's zone. Only `main`, the TUI loop and tests call this.
    #[allow(clippy::disallowed_methods)] // the one sanctioned read of the wall clock
    pub fn system() -> Clock {
        Clock {
            now: Utc::now(),
            zone: Zone::Local,
        }
    }

    /// A fixed instant in a fixed zone (tests, benchmarks).
    pub fn fixed(now: DateTime<Utc>, offset: FixedOffset) -> Clock {
        Clock {
            now,
            zone: Zone::Fixed(offset),
        }
    }

    /// The same zone, a new "now" (the TUI's tick).
    #[must_use]
    pub fn at(self, now: DateTime<Utc>) -> Clock {
        Clock { now, ..self }
    }

    /// The user's local wall-clock time.
    pub fn local_now(&self) -> NaiveDateTime {
        self.zone.datetime_of(self.now)
    }

    /// The user's calendar date.
    pub fn today(&self) -> NaiveDate {
        self.local_now().date()
    }

    /// The calendar date of an instant where the user is.
    pub fn date_of(&self, at: DateTime<Utc>) -> NaiveDate {
        self.zone.date_of(at)
    }

    pub fn datetime_of(&self, at: DateTime<Utc>) -> NaiveDateTime {
        self.zone.datetime_of(at)
    }

    pub fn instant_of(&self, local: NaiveDateTime) -> Result<DateTime<Utc>, NoSuchTime> {
        self.zone.instant_of(local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_fixed_clock_reads_dates_in_its_zone() {
        let now = Utc.with_ymd_and_hms(2026, 11, 18, 23, 30, 0).unwrap();
        let tokyo = Clock::fixed(now, FixedOffset::east_opt(9 * 3600).unwrap());
        assert_eq!(
            tokyo.today(),
            NaiveDate::from_ymd_opt(2026, 11, 19).unwrap()
        );
        let utc = Clock::fixed(now, FixedOffset::east_opt(0).unwrap());
        assert_eq!(utc.today(), NaiveDate::from_ymd_opt(2026, 11, 18).unwrap());
        assert_eq!(tokyo.instant_of(tokyo.local_now()).unwrap(), now);
    }
}
