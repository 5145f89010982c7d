//! The terminal UI. Until it lands, `rolo` with no command prints the agenda.

use anyhow::Result;

use crate::store::Store;

pub fn run(store: Store) -> Result<()> {
    let ctx = crate::commands::Ctx::new(store, false);
    eprintln!("(the terminal UI is not built yet; here is the agenda)");
    crate::commands::print_agenda(&ctx)
}
