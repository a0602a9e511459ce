//! Small file helpers.

use std::io::Write;
use std::path::Path;

use crate::error::{CoreError, CoreResult};

/// Writes a file so that a crash leaves either the old or the new content,
/// never a torn mix: write a temporary sibling, flush it to disk, rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> CoreResult<()> {
    let temporary = path.with_extension("tmp");
    let mut file = std::fs::File::create(&temporary).map_err(CoreError::io(&temporary))?;
    file.write_all(bytes).map_err(CoreError::io(&temporary))?;
    file.sync_all().map_err(CoreError::io(&temporary))?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(CoreError::io(path))?;
    if let Some(parent) = path.parent() {
        // Persist the rename itself; not every platform can open a directory.
        if let Ok(directory) = std::fs::File::open(parent) {
            let _ = directory.sync_all();
        }
    }
    Ok(())
}
