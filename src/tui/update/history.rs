//! `u` and `U`: taking back the last change, and doing it again. Each is one exact
//! change of the journal layer (see `journal::undo`), refused if someone else has changed
//! the same records since.

use super::Result;
use crate::journal::undo;
use crate::store::Store;
use crate::tui::app::App;

pub(super) fn undo(app: &mut App, store: &mut Store) -> Result {
    let Some(change) = app.undo.pop() else {
        app.info("Nothing to undo");
        return Ok(());
    };
    match undo::revert(store, &app.clock, &change) {
        Ok(redo) => {
            app.info(format!("Undid: {} (U to redo)", change.what));
            app.redo.push(redo);
            app.reload(store)?;
            Ok(())
        }
        Err(err) => {
            app.reload(store)?;
            Err(err.context(format!("cannot undo '{}'", change.what)))
        }
    }
}

pub(super) fn redo(app: &mut App, store: &mut Store) -> Result {
    let Some(change) = app.redo.pop() else {
        app.info("Nothing to redo");
        return Ok(());
    };
    match undo::revert(store, &app.clock, &change) {
        Ok(undo) => {
            app.info(format!("Redid: {} (u to undo)", change.what));
            app.undo.push(undo);
            app.reload(store)?;
            Ok(())
        }
        Err(err) => {
            app.reload(store)?;
            Err(err.context(format!("cannot redo '{}'", change.what)))
        }
    }
}
