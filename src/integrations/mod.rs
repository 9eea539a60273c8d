//! The integrations compiled into ingot, which `ingot build` builds.
//! To add one, write it with [`crate::dsl`] in a file here and list its
//! constructor in [`all`].

use crate::dsl::integration::Integration;

pub mod microsoft_exchange_online_message_trace;

/// Every integration `ingot build` knows, in build order.
pub fn all() -> Vec<Integration> {
    vec![microsoft_exchange_online_message_trace::integration()]
}
