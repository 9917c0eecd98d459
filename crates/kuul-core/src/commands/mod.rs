//! One module per subcommand: its `Args` (clap) and its `run`. `dispatch` is the one `match`
//! that connects `cli::Command` to them.

pub mod completion;
pub mod cost_report;
pub mod dash;
pub mod forecast;
pub mod history;
pub mod label_pool;
pub mod lastrun;
pub mod lint;
pub mod logs;
pub mod prune;
pub mod reschedule_next_minute;
pub mod resume;
pub mod suspend_all;
pub mod trigger;

use crate::cli::Command;
use crate::context::Context;
use crate::error::{ExitStatus, Result};
use crate::output::Printer;

/// Runs the chosen subcommand.
pub async fn dispatch(
    command: Command,
    ctx: &Context,
    out: &mut Printer<'_>,
) -> Result<ExitStatus> {
    match command {
        Command::Trigger(args) => trigger::run(ctx, args, out).await,
        Command::SuspendAll(args) => suspend_all::run(ctx, args, out).await,
        Command::Resume(args) => resume::run(ctx, args, out).await,
        Command::RescheduleNextMinute(args) => reschedule_next_minute::run(ctx, args, out).await,
        Command::Prune(args) => prune::run(ctx, args, out).await,
        Command::Lastrun(args) => lastrun::run(ctx, args, out).await,
        Command::LabelPool(args) => label_pool::run(ctx, args, out).await,
        Command::CostReport(args) => cost_report::run(ctx, args, out).await,
        Command::History(args) => history::run(ctx, args, out).await,
        Command::Logs(args) => logs::run(ctx, args, out).await,
        Command::Lint(args) => lint::run(ctx, args, out).await,
        Command::Forecast(args) => forecast::run(ctx, args, out).await,
        Command::Dash(args) => dash::run(ctx, args, out).await,
        Command::Completion(args) => completion::run(ctx, args, out).await,
        Command::Complete(args) => crate::complete::run(args, out).await,
    }
}
