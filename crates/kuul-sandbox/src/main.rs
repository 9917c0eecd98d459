//! `kuul-sandbox serve`: runs the emulated API server for demos and for real kubectl, until
//! SIGINT/SIGTERM. The clock runs (default speed 1) and the control plane fires on its own.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use kuul_sandbox::{Sandbox, Seed};

#[derive(Debug, Parser)]
#[command(
    name = "kuul-sandbox",
    version,
    about = "A local emulated Kubernetes API server with a simulated CronJob/Job control plane"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API on loopback and write a kubeconfig for it.
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Driving the clock (admin API, JSON, admin user only; see the crate README):
  export KUBECONFIG=/tmp/kuul-sandbox.yaml   # the file --kubeconfig wrote
  kubectl get --raw /as/admin/kuul-sandbox/v1/clock    # now, speed, nextWakeup
  echo '{\"by\": \"90s\"}' |
    kubectl create --raw /as/admin/kuul-sandbox/v1/advance -f -
  echo '{\"speed\": 0}' |
    kubectl replace --raw /as/admin/kuul-sandbox/v1/clock -f -
  kubectl get --raw /as/admin/kuul-sandbox/v1/requests     # request counts
  kubectl delete --raw /as/admin/kuul-sandbox/v1/requests  # reset them
  echo '{\"missing\": [\"busybox:1.99\"]}' |
    kubectl replace --raw /as/admin/kuul-sandbox/v1/registry -f -
The /as/admin prefix names the admin user: kubectl's --raw drops the path of
the kubeconfig's server URL (where the sandbox keeps the user) and sends no
token over plain HTTP; with --tls the token decides. advance steps through
every controller wakeup on the way; replace clock jumps without firing them.
faults and latency take PUT the same way (see the README)."
)]
struct ServeArgs {
    /// Where to write the kubeconfig (never ~/.kube/config unless you say so).
    #[arg(long)]
    kubeconfig: PathBuf,
    /// Seed data: empty, demo or scale:N.
    #[arg(long, default_value = "demo")]
    seed: Seed,
    /// Serve HTTPS with a generated CA.
    #[arg(long)]
    tls: bool,
    /// Start time (RFC 3339); default now.
    #[arg(long)]
    clock: Option<jiff::Timestamp>,
    /// Clock speed (sandbox seconds per real second); 0 stands still.
    #[arg(long, default_value_t = 1.0)]
    clock_speed: f64,
    /// Latency added to every request (e.g. 50ms).
    #[arg(long)]
    latency: Option<String>,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// An image the registry lacks (pods using it fail to pull); repeatable. `repo:tag` names
    /// one image, a bare repository all its tags.
    #[arg(long = "missing-image", value_name = "IMAGE")]
    missing_images: Vec<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Command::Serve(args) = cli.command;
    match serve(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("kuul-sandbox: {e}");
            }
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let latency = match &args.latency {
        Some(l) => {
            let d = kuul_sandbox::admin::parse_duration(l)?;
            Duration::from_millis(u64::try_from(d.as_millis()).unwrap_or(0))
        }
        None => Duration::ZERO,
    };
    let sb = Sandbox::builder()
        .clock(args.clock.unwrap_or_else(jiff::Timestamp::now))
        .clock_speed(args.clock_speed)
        .seed(args.seed)
        .tls(args.tls)
        .latency(latency)
        .port(args.port)
        .kubeconfig_path(&args.kubeconfig)
        .missing_images(args.missing_images.clone())
        .start()?;
    #[allow(clippy::print_stdout)]
    {
        println!("kuul-sandbox listening on {} (seed {}, clock {})", sb.url(), args.seed, sb.now());
        println!("export KUBECONFIG={}", sb.kubeconfig().display());
    }
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r,
            _ = term.recv() => Ok(()),
        }
    })?;
    sb.shutdown();
    Ok(())
}
