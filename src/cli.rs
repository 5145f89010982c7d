//! The command line, as clap derive definitions only; `commands` does the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// rolo — a terminal relationship journal: who you know, what you talked about, what you
/// promised, and when to reach out again.
///
/// Run without a command to open the journal in the terminal UI.
#[derive(Debug, Parser)]
#[command(name = "rolo", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// The journal file [env: ROLO_DB; default: the platform data directory]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Print JSON (the default when stdout is not a terminal)
    #[arg(long, global = true)]
    pub json: bool,

    /// Print tables, even when stdout is not a terminal
    #[arg(long, global = true, conflicts_with = "json")]
    pub table: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum Command {
    /// Write a realistic sample journal and open it
    Demo(DemoArgs),
    /// Add a contact
    Add {
        /// Their name, e.g. "Ada Lovelace"
        name: String,
        #[command(flatten)]
        fields: ContactFields,
        /// Add even if a contact with this exact name exists
        #[arg(long)]
        allow_duplicate: bool,
    },
    /// Correct anything: a contact (NAME or c4), an interaction (i12) or a reminder (r3)
    ///
    /// Contacts: emails, phones, URLs, handles and addresses given are added (or relabelled
    /// if already there); --remove-… takes one away. An empty value clears a field
    /// (--company ''). Interactions: --at, --kind, --with/--without, --tag/--untag,
    /// --summary, --body, --location. Reminders: --title, --on, --every/--no-repeat, --for,
    /// --reopen.
    Edit {
        /// Who or what: a contact's name or id (c4), an interaction (i12), a reminder (r3)
        target: String,
        #[command(flatten)]
        fields: ContactFields,
        #[command(flatten)]
        interaction: InteractionFields,
        #[command(flatten)]
        reminder: ReminderFields,
        /// A contact's new display name
        #[arg(long, value_name = "NEW")]
        rename: Option<String>,
        /// Stop tracking a contact's stay-in-touch cadence
        #[arg(long, conflicts_with = "every")]
        no_cadence: bool,
        /// Allow a rename onto the name of another contact
        #[arg(long)]
        allow_duplicate: bool,
    },
    /// Show a contact: card, recent timeline, open reminders
    Show { name: String },
    /// List contacts
    List {
        /// Only contacts with this tag
        #[arg(long)]
        tag: Option<String>,
        /// Only contacts whose stay-in-touch cadence has lapsed
        #[arg(long)]
        overdue: bool,
        /// Include archived contacts
        #[arg(long)]
        archived: bool,
        #[arg(long, value_enum, default_value_t = SortArg::Name)]
        sort: SortArg,
    },
    /// Log an interaction in one line: lunch with @ada #mentoring talked shop !2w send the deck
    ///
    /// It must have happened: a time in the future is refused (a plan is a reminder).
    Log {
        /// The capture line (quote it, or the shell eats # and !); `-` reads the note from
        /// standard input: the first line is the capture line, the rest the notes
        #[arg(num_args = 1.., required_unless_present = "edit", value_name = "TEXT")]
        text: Vec<String>,
        /// When it happened: yesterday, "mon 14:00", 2026-11-01 … (default: now)
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        /// Write the note in $VISUAL / $EDITOR (starting from TEXT, if given)
        #[arg(long)]
        edit: bool,
    },
    /// Add a reminder; TEXT may mention @names
    Remind {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// Due date: fri, 2w, dec 1, 2026-12-01 …
        #[arg(long, value_name = "WHEN")]
        on: String,
        /// Repeat: 1w, 3m, 1y …
        #[arg(long, value_name = "DURATION")]
        every: Option<String>,
    },
    /// What is due: overdue, today and the coming days
    Agenda {
        /// Look from this date instead of today
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// How many days ahead
        #[arg(long, default_value_t = 7, value_name = "N")]
        days: u32,
        /// The coming week (same as --days 7)
        #[arg(long, conflicts_with = "days")]
        week: bool,
        /// At most N rows in each section (overdue, each day); the rest are counted
        #[arg(long, default_value_t = 10, value_name = "N", conflicts_with = "all")]
        limit: usize,
        /// Which N rows of each section: 2 for rows N+1 to 2N, …
        #[arg(long, default_value_t = 1, value_name = "P", conflicts_with = "all",
              value_parser = clap::value_parser!(u32).range(1..))]
        page: u32,
        /// Every row, however many
        #[arg(long)]
        all: bool,
    },
    /// Mark a reminder done (recurring ones move to their next date)
    ///
    /// Deals with any agenda row: completes a reminder, counts a lapsed cadence as kept for
    /// a round, acknowledges a birthday or anniversary until next year.
    Done {
        /// The id agenda shows: r12 (or 12), c4:keep-in-touch, c4:birthday, c4:anniversary;
        /// c4 alone when they have one row this week
        id: String,
        /// Take back the last done of a reminder, or a done or snooze of a contact's row
        #[arg(long)]
        undo: bool,
    },
    /// Close a reminder without doing it (kept in its history; `edit r3 --reopen` undoes)
    Dismiss {
        /// Reminder id (r12 or 12)
        id: String,
    },
    /// Put an agenda row off: a reminder, a lapsed cadence, a birthday
    Snooze {
        /// The id agenda shows: r12, c4:keep-in-touch, c4:birthday …
        id: String,
        /// Until when: tomorrow, 3d, next mon …
        #[arg(required = true, num_args = 1..)]
        when: Vec<String>,
    },
    /// Interactions, newest first: one person's or everyone's
    Timeline {
        name: Option<String>,
        /// Nothing older than this: 2w, 2026-01-01 …
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// Only this kind: milestone, meal (or lunch, coffee), call, email …
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// Only interactions with this tag
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
    },
    /// Full-text search over notes and contacts
    Search {
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
    },
    /// Tag a contact
    Tag {
        name: String,
        #[arg(required = true, num_args = 1..)]
        tags: Vec<String>,
    },
    /// Remove tags from a contact
    Untag {
        name: String,
        #[arg(required = true, num_args = 1..)]
        tags: Vec<String>,
    },
    /// Archive a contact: kept, but out of lists and the agenda
    Archive {
        name: String,
        /// Bring an archived contact back
        #[arg(long)]
        undo: bool,
    },
    /// Move a contact (NAME or c4), an interaction (i12) or a reminder (r3) to the trash
    Rm { target: String },
    /// List, restore or empty the trash
    Trash {
        #[command(subcommand)]
        action: Option<TrashAction>,
    },
    /// Bring contacts in: vCard, LinkedIn or Google CSV, or rolo's own JSON
    Import {
        #[command(subcommand)]
        format: ImportFormat,
    },
    /// Write the journal out: vCard, iCalendar, JSON or Markdown
    Export {
        #[command(subcommand)]
        format: ExportFormat,
    },
    /// Two-way sync with a CardDAV/CalDAV server (Radicale, Xandikos, Nextcloud and others)
    ///
    /// Contacts go to an address book, reminders and interactions to two calendars (to-dos
    /// and notes). The password comes from `ROLO_SYNC_PASSWORD` or --password-command; it is
    /// never stored.
    Sync(SyncArgs),
    /// Copy the whole journal to PATH (consistent even while rolo runs)
    Backup { path: PathBuf },
    /// Check the journal's integrity
    Check {
        /// Rebuild derived data (search index, last-interaction times)
        #[arg(long)]
        repair: bool,
    },
    /// Print shell completions
    Completions { shell: clap_complete::Shell },
    /// Print a manual page, or write them all with --dir
    ///
    /// Without COMMAND, prints rolo(1); with one, that command's page (`rolo man add`,
    /// `rolo man import vcard` or `rolo man import-vcard`); `capture` and `dates` are the
    /// pages on the capture syntax and on date phrases. The page is roff: read it with
    /// `rolo man log | man -l -`. `--dir DIR` writes every page (rolo.1, rolo-add.1, …,
    /// rolo-capture.7) into DIR, creating it.
    Man {
        /// A command (`add`, `import vcard`) or a topic (`capture`, `dates`)
        #[arg(value_name = "COMMAND")]
        page: Vec<String>,
        /// Write every page into DIR (created if missing) and list what was written
        #[arg(long, value_name = "DIR", conflicts_with = "page")]
        dir: Option<PathBuf>,
    },
}

/// A contact's fields. Emails, phones, URLs, handles and addresses take
/// `[LABEL[,pref]=]VALUE`: `--email work=ada@example.com`, `--phone cell,pref=+44 20 7946 0000`,
/// `--handle skype=live:ada`. An address is `[LABEL=]street; locality; region; postal code;
/// country` (leave parts empty as needed: `home=1 Main St; Hampton; VA; 23666; USA`).
#[derive(Debug, Args, Default)]
pub struct ContactFields {
    #[arg(long, value_name = "[LABEL=]E")]
    pub email: Vec<String>,
    #[arg(long, value_name = "[LABEL=]P")]
    pub phone: Vec<String>,
    #[arg(long, value_name = "[LABEL=]URL")]
    pub url: Vec<String>,
    /// A messaging handle: skype=live:ada, matrix=@ada:example.org …
    #[arg(long, value_name = "[LABEL=]H")]
    pub handle: Vec<String>,
    /// street; locality; region; postal code; country
    #[arg(long, value_name = "[LABEL=]ADDRESS")]
    pub address: Vec<String>,
    /// Remove an email (as shown by `rolo show`)
    #[arg(long, value_name = "E")]
    pub remove_email: Vec<String>,
    #[arg(long, value_name = "P")]
    pub remove_phone: Vec<String>,
    #[arg(long, value_name = "URL")]
    pub remove_url: Vec<String>,
    #[arg(long, value_name = "H")]
    pub remove_handle: Vec<String>,
    /// Remove an address: its street, or the whole address as `rolo show` prints it
    #[arg(long, value_name = "ADDRESS")]
    pub remove_address: Vec<String>,
    #[arg(long, value_name = "C")]
    pub company: Option<String>,
    /// A contact's job title (for a reminder: what it says)
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    #[arg(long, value_name = "N")]
    pub nickname: Option<String>,
    /// Structured name parts (the display name stays as it is)
    #[arg(long, value_name = "NAME")]
    pub given: Option<String>,
    #[arg(long, value_name = "NAME")]
    pub family: Option<String>,
    #[arg(long, value_name = "NAMES")]
    pub additional: Option<String>,
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,
    #[arg(long, value_name = "SUFFIX")]
    pub suffix: Option<String>,
    /// A tag (contacts and interactions)
    #[arg(long, value_name = "T")]
    pub tag: Vec<String>,
    /// Remove a tag (contacts and interactions)
    #[arg(long, value_name = "T")]
    pub untag: Vec<String>,
    /// Stay in touch every DURATION: 30d, 2w, 3m … (for a reminder: how it repeats)
    #[arg(long, value_name = "DURATION")]
    pub every: Option<String>,
    /// 1815-12-10, or 12-10 / dec 10 when the year is unknown
    #[arg(long, value_name = "DATE")]
    pub birthday: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub anniversary: Option<String>,
    /// How you met
    #[arg(long, value_name = "TEXT")]
    pub met: Option<String>,
    /// When you met: 2019-05-04, may 2019 is not a date
    #[arg(long, value_name = "DATE")]
    pub met_on: Option<String>,
    /// Who introduced you (a NAME or id; '' for nobody)
    #[arg(long, value_name = "NAME")]
    pub introduced_by: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// What `edit i12` can correct.
#[derive(Debug, Args, Default)]
pub struct InteractionFields {
    /// When it happened: yesterday, "mon 14:00", 2026-11-01 …
    #[arg(long, value_name = "WHEN")]
    pub at: Option<String>,
    /// call, lunch, meeting, milestone …
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Add a participant (@name, NAME or c4)
    #[arg(long, value_name = "@NAME")]
    pub with: Vec<String>,
    /// Remove a participant
    #[arg(long, value_name = "@NAME")]
    pub without: Vec<String>,
    #[arg(long, value_name = "TEXT")]
    pub summary: Option<String>,
    /// The long note ('' removes it)
    #[arg(long, value_name = "TEXT")]
    pub body: Option<String>,
    /// Where ('' removes it)
    #[arg(long, value_name = "TEXT")]
    pub location: Option<String>,
}

/// What `edit r3` can correct (with `--title` and `--every`, shared with contacts).
#[derive(Debug, Args, Default)]
pub struct ReminderFields {
    /// Due date: fri, 2w, dec 1, 2026-12-01 … (any date, earlier too)
    #[arg(long, value_name = "WHEN")]
    pub on: Option<String>,
    /// Stop repeating
    #[arg(long, conflicts_with = "every")]
    pub no_repeat: bool,
    /// Whom it is for (@name, NAME or c4; '' for nobody)
    #[arg(long = "for", value_name = "@NAME")]
    pub for_contact: Option<String>,
    /// Open it again after done or dismiss
    #[arg(long)]
    pub reopen: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SortArg {
    Name,
    Recent,
    Overdue,
}

#[derive(Debug, Subcommand)]
pub enum TrashAction {
    /// What is in the trash
    List,
    /// Bring something back (ids as `trash list` shows them: c12, i345, r7)
    Restore { id: String },
    /// Delete everything in the trash for good
    Empty {
        /// Yes, really
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub action: Option<SyncAction>,
    /// Say what would be pulled, pushed and deleted, and change nothing anywhere
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Find or create the address book and calendars on the server, and remember them
    Setup {
        /// The server, e.g. `http://127.0.0.1:5232/` or `https://dav.example.com/`
        url: String,
        /// The user name to log in as
        #[arg(long, value_name = "NAME")]
        user: Option<String>,
        /// A command that prints the password (e.g. 'pass show dav'); kept, the password not
        #[arg(long, value_name = "CMD")]
        password_command: Option<String>,
    },
    /// The server, collections, last sync, pending local changes, open conflicts
    Status,
    /// Fields both sides changed: what was kept and what lost
    Conflicts {
        #[command(subcommand)]
        action: Option<ConflictAction>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConflictAction {
    /// Take the value that lost instead (the next sync sends it)
    Take { id: i64 },
    /// Keep the value that won, and close the conflict
    Keep { id: i64 },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file (for vCard, a directory of .vcf files works too)
    pub path: PathBuf,
    /// Say what would be created, merged and skipped, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid records and list the ones skipped, instead of refusing the file
    #[arg(long)]
    pub skip_invalid: bool,
    /// Record new titles and companies of people you know: update them, log a milestone and
    /// add a "congratulate" follow-up (without it, changes are only listed)
    #[arg(long)]
    pub apply_changes: bool,
    /// Settle a possible match: row ROW (as the report names it) is contact cN
    #[arg(long, value_name = "ROW=cN", value_parser = crate::journal::import::parse_link)]
    pub link: Vec<(String, crate::domain::contact::ContactId)>,
    /// Settle a possible match: row ROW is someone new
    #[arg(long = "new", value_name = "ROW")]
    pub new_rows: Vec<String>,
    /// Country of phone numbers written without a country code (GB, US, DE …); default: the
    /// `region` in the settings file
    #[arg(long, value_name = "CC", value_parser = crate::journal::identity::parse_region)]
    pub region: Option<phonenumber::country::Id>,
}

/// `import json`: a restore takes the file as it is; there is nothing to match or settle, so
/// the matching flags are not accepted.
#[derive(Debug, Args)]
pub struct JsonImportArgs {
    /// rolo's JSON export
    pub path: PathBuf,
    /// Say what would be restored, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct SheetArgs {
    #[command(flatten)]
    pub import: ImportArgs,
    /// Which column holds what, for a sheet rolo does not know:
    /// 'Full name=name,Mail=email,Mobile=phone:cell,Firm=company'
    #[arg(long, value_name = "SPEC", value_parser = crate::interop::sheet::Mapping::parse)]
    pub map: Option<crate::interop::sheet::Mapping>,
    /// The same as --map, from a TOML file with a [columns] table
    #[arg(long, value_name = "PATH", conflicts_with = "map")]
    pub map_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ImportFormat {
    /// Any contact sheet: Outlook, Google or LinkedIn CSV known by their headers (`,` or `;`),
    /// any other with --map
    Csv(SheetArgs),
    /// One .vcf with many cards, or a directory of .vcf files (vCard 2.1, 3.0, 4.0)
    Vcard(ImportArgs),
    /// LinkedIn's Connections.csv
    Linkedin(ImportArgs),
    /// A Google Contacts CSV export (either layout)
    Google(ImportArgs),
    /// rolo's own JSON export
    Json(JsonImportArgs),
}

#[derive(Debug, Subcommand)]
pub enum ExportFormat {
    /// vCard: one file, or with --dir a directory of one .vcf per contact
    Vcard {
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
        #[arg(long, default_value_t = 4, value_name = "3|4",
              value_parser = clap::value_parser!(u8).range(3..=4))]
        vcard_version: u8,
        /// Write a directory (vdir) of .vcf files into DIR instead. A re-export removes the
        /// files of contacts that are gone; it never overwrites or removes a file this
        /// journal did not write, or one changed since
        #[arg(long, value_name = "DIR", conflicts_with = "output")]
        dir: Option<PathBuf>,
    },
    /// iCalendar: birthdays and anniversaries, follow-ups and stay-in-touch to-dos
    Ics {
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Everything, versioned and lossless
    Json {
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// A readable dossier: one contact, or the whole journal
    Markdown {
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
        name: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Do not open the TUI; just write the journal and print its path
    #[arg(long)]
    pub no_open: bool,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[arg(long, default_value_t = 60, value_name = "N")]
    pub contacts: u32,
    #[arg(long, default_value_t = 900, value_name = "N")]
    pub interactions: u32,
}
