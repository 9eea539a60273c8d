//! Subcommands of the `ingot` binary, one file each, and what they share.

pub mod test;

use std::path::PathBuf;

/// Options every subcommand understands.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// Directory of GeoIP databases (`.mmdb`) for the `geoip` processor [env: INGOT_GEOIP_DIR].
    #[arg(long, global = true, value_name = "DIR")]
    pub geoip_dir: Option<PathBuf>,
}
