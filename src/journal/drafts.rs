//! Text being typed, kept as it is typed (PRODUCT.md §5: a crash loses at most the last
//! second of typing).

use anyhow::Result;

use crate::clock::Clock;
use crate::store::Store;
pub use crate::store::drafts::{Draft, QUICK_NOTE};

pub fn save(store: &mut Store, clock: &Clock, name: &str, draft: &Draft) -> Result<()> {
    let now = clock.now;
    Ok(store.write(|tx| crate::store::drafts::save(tx, name, draft, now))?)
}

pub fn load(store: &Store, name: &str) -> Result<Option<Draft>> {
    Ok(crate::store::drafts::load(store.conn(), name)?)
}

pub fn clear(store: &mut Store, name: &str) -> Result<()> {
    Ok(store.write(|tx| crate::store::drafts::clear(tx, name))?)
}
