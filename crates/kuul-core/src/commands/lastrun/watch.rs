//! `lastrun --watch`.

use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::output::Printer;

pub(super) async fn run(
    _ctx: &Context,
    _args: &super::Args,
    _out: &mut Printer<'_>,
) -> Result<ExitStatus> {
    Err(Error::Usage("lastrun --watch: not built yet".into()))
}
