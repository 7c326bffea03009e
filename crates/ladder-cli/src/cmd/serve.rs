//! `ladder serve --stdio`: the engine's operations as JSON lines (see docs/api.md).
//!
//! One request per line on stdin, one response per line on stdout, each with the request's `id`.
//! The same operations as the desktop app's commands, through the same engine code
//! (`ladder_engine::api`). Diagnostics go to stderr; stdout carries only responses.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::Args;
use ladder_engine::{api, Engine, EngineOptions, PolicyKind};

use super::Context;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Serve on stdin/stdout (the only transport).
    #[arg(long)]
    pub stdio: bool,
    /// Next-step policy of new sessions: adaptive, fixed-order, bkt-mastery or random.
    #[arg(long, default_value = "adaptive")]
    pub policy: String,
    /// Use this trained model checkpoint (otherwise: the data directory's active fine-tuned
    /// model, else the bundled default model, else the built-in predictor).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// The bundled default model's folder (a relative one is looked for in the working
    /// directory, then beside the executable and up to three folders above it).
    #[arg(long, value_name = "DIR", default_value = "models/default")]
    pub bundled: PathBuf,
}

pub fn run(ctx: &Context, a: ServeArgs) -> anyhow::Result<ExitCode> {
    if !a.stdio {
        bail!("only `--stdio` is supported: ladder serve --stdio");
    }
    let policy = PolicyKind::from_name(&a.policy)
        .with_context(|| format!("unknown policy {:?}", a.policy))?;
    let options = EngineOptions { policy, client: "serve".into(), ..EngineOptions::default() };
    // An engine that cannot open answers every request with the reason instead of exiting, so a
    // client always gets a response line.
    let engine = ctx
        .data_dir()
        .map_err(ladder_engine::Error::store)
        .and_then(|dir| Engine::open(&dir, options.clone()));
    let mut engine = match (engine, &a.model) {
        (Ok(mut e), Some(dir)) => match load_model(dir, &options) {
            Ok(p) => {
                e.set_predictor(p);
                Ok(e)
            }
            Err(err) => Err(err),
        },
        (Ok(mut e), None) => {
            let bundled = super::bundled_model(&a.bundled);
            let info = ladder_engine::training::use_active_model(&mut e, bundled.as_deref(), None);
            for s in &info.skipped {
                eprintln!("warning: {s}");
            }
            eprintln!("model: {}", info.source.describe());
            Ok(e)
        }
        (r, _) => r,
    };
    if let Err(e) = &engine {
        eprintln!("error: {e}");
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        // A byte-order mark (Windows tools start a UTF-8 stream with one) is not part of the
        // request.
        let bytes = buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&buf);
        let text = String::from_utf8_lossy(bytes);
        let line = text.trim();
        if line.is_empty() {
            continue;
        }
        // A bad line is answered with what is wrong, and with its id when that can be read.
        let bad_line = std::str::from_utf8(bytes).err().map(|e| {
            format!(
                "the line is not UTF-8 text: invalid bytes at byte {} (nothing was done)",
                e.valid_up_to() + 1
            )
        });
        let response = match (&mut engine, bad_line) {
            (_, Some(message)) => {
                api::error_line(line, &ladder_engine::Error::bad_request(message))
            }
            (Ok(e), None) => api::handle_line(e, line),
            (Err(err), None) => api::error_line(line, err),
        };
        out.write_all(response.as_bytes())?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

fn load_model(
    dir: &std::path::Path,
    options: &EngineOptions,
) -> ladder_engine::Result<Box<dyn ladder_engine::predictor::Predictor>> {
    let device = ladder_model::device::select("cpu").map_err(ladder_engine::Error::model)?;
    let model =
        ladder_model::checkpoint::load(dir, &device).map_err(ladder_engine::Error::model)?;
    Ok(Box::new(ladder_engine::predictor::transformer::TransformerPredictor::new(
        model,
        options.settings.clone(),
    )))
}
