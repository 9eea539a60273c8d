//! The integrations compiled into ingot, which `ingot build` builds.
//! To add one, write it with [`crate::dsl`] in a file here and list its
//! constructor in [`all`].

use crate::dsl::integration::Integration;

/// Every integration `ingot build` knows, in build order.
pub fn all() -> Vec<Integration> {
    Vec::new()
}
