//! `kubectl kuul cost-report` (not built yet: it says so and exits 1).

use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::output::Printer;

pub use super::not_built::Args;

/// Not built yet.
#[allow(clippy::unused_async)]
pub async fn run(_ctx: &Context, _args: Args, _out: &mut Printer<'_>) -> Result<ExitStatus> {
    Err(Error::NotImplemented("cost-report"))
}
