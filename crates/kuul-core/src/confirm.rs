//! Asking before destructive or wide-reaching work: once, on a terminal, unless `--yes`; never
//! silently without one (a script must say `--yes`).

#![allow(clippy::print_stderr)]

use std::io::{BufRead, Write};

use crate::context::Context;
use crate::error::{Error, Result};

/// `Ok(true)` to go ahead, `Ok(false)` when the person said no. Without a terminal and without
/// `--yes` it refuses with a usage error naming the flag.
pub async fn confirm(ctx: &Context, question: &str, yes: bool) -> Result<bool> {
    // Across clusters the question waits for every cluster's plan and is asked once.
    if let Some(answer) = crate::fanout::member::confirm(question, yes).await {
        return answer;
    }
    if yes {
        return Ok(true);
    }
    if !ctx.interactive {
        return Err(Error::Usage(format!(
            "{question} needs confirmation, and there is no terminal to ask on: add --yes"
        )));
    }
    let stdin = std::io::stdin();
    answer(&mut stdin.lock(), &mut std::io::stderr(), question)
}

/// Asks on `prompt`, then reads one whole line from `input`, as kubectl and most CLIs do (a
/// single-keypress prompt took `y` from `yes⏎` and left `es` for the shell): `y` or `yes`, in
/// any case, is yes; anything else, an empty line or end of input included, is no.
pub(crate) fn answer(
    input: &mut impl BufRead,
    prompt: &mut impl Write,
    question: &str,
) -> Result<bool> {
    let io = |source| Error::Io { context: "reading the answer".into(), source };
    write!(prompt, "{question} [y/N] ").and_then(|()| prompt.flush()).map_err(io)?;
    let mut line = String::new();
    input.read_line(&mut line).map_err(io)?;
    Ok(matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_line_is_the_answer() {
        for (typed, yes) in [
            ("yes\n", true),
            ("y\n", true),
            ("YES\n", true),
            (" y \n", true),
            ("yes please\n", false),
            ("n\n", false),
            ("\n", false),
            ("", false),
            ("yesterday\n", false),
        ] {
            let mut input = std::io::Cursor::new(typed.as_bytes());
            let mut prompt = Vec::new();
            assert_eq!(
                answer(&mut input, &mut prompt, "delete 2 Job(s)?").unwrap(),
                yes,
                "{typed:?}"
            );
            assert_eq!(String::from_utf8(prompt).unwrap(), "delete 2 Job(s)? [y/N] ");
            // The whole line was consumed: nothing is left for the shell.
            assert_eq!(input.position() as usize, typed.len(), "{typed:?}");
        }
    }
}
