//! Asking before destructive or wide-reaching work: once, on a terminal, unless `--yes`; never
//! silently without one (a script must say `--yes`).

#![allow(clippy::print_stderr)]

use dialoguer::Confirm;

use crate::context::Context;
use crate::error::{Error, Result};

/// `Ok(true)` to go ahead, `Ok(false)` when the person said no. Without a terminal and without
/// `--yes` it refuses with a usage error naming the flag.
pub fn confirm(ctx: &Context, question: &str, yes: bool) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    if !ctx.interactive {
        return Err(Error::Usage(format!(
            "{question} needs confirmation, and there is no terminal to ask on: add --yes"
        )));
    }
    Confirm::new().with_prompt(question).default(false).interact().map_err(|e| Error::Io {
        context: "reading the answer".into(),
        source: std::io::Error::other(e),
    })
}
