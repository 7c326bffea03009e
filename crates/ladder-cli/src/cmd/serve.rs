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
use ladder_store::{DailyBackup, OpenOptions};

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
    let policy = PolicyKind::from_name(&a.policy).with_context(|| {
        let names: Vec<&str> = PolicyKind::ALL.iter().map(|p| p.name()).collect();
        format!("unknown policy {:?}: use one of {}", a.policy, names.join(", "))
    })?;
    // Opened as every front end opens the store at start-up: integrity check, then the daily
    // backup (a data folder used only through `serve` had no backups), which is taken on a
    // thread of its own while the first requests are answered.
    let options = EngineOptions {
        policy,
        client: "serve".into(),
        store: OpenOptions::startup(),
        ..EngineOptions::default()
    };
    // An engine that cannot open answers every request with the reason instead of exiting, so a
    // client always gets a response line.
    let engine = ctx
        .data_dir()
        .map_err(ladder_engine::Error::store)
        .and_then(|dir| Engine::open(&dir, options.clone()));
    // Its warning is said when it is known; the process waits for it before exiting.
    let daily = match &engine {
        Ok(e) => {
            for w in e.store().startup_warnings() {
                eprintln!("warning: {w}");
            }
            let daily = DailyBackup::start(e.store().data_dir());
            std::thread::Builder::new()
                .name("ladder-daily-backup-warning".into())
                .spawn(move || {
                    if let Some(w) = daily.wait().warning() {
                        eprintln!("warning: {w}");
                    }
                })
                .ok()
        }
        Err(_) => None,
    };
    let mut engine = match (engine, &a.model) {
        (Ok(mut e), Some(dir)) => match load_model(dir, &options) {
            Ok(p) => {
                // Said as for the models found by themselves: a client's log names what ran.
                eprintln!("model: {} (--model, for every learner)", dir.display());
                e.set_predictor(p);
                Ok(e)
            }
            Err(err) => Err(err),
        },
        (Ok(mut e), None) => {
            let bundled = super::bundled_model(&a.bundled);
            let info = ladder_engine::training::use_active_model(&mut e, bundled.as_deref());
            for s in &info.skipped {
                eprintln!("warning: {s}");
            }
            eprintln!("model: {}", info.source.describe());
            for (learner, source) in &info.own {
                eprintln!("model of learner {}: {}", learner.0, source.describe());
            }
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
        let too_long = match read_line(&mut input, &mut buf, MAX_LINE)? {
            Line::End => break,
            Line::Read => false,
            Line::TooLong => true,
        };
        // A byte-order mark (Windows tools start a UTF-8 stream with one) is not part of the
        // request.
        let bytes = buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&buf);
        let text = String::from_utf8_lossy(bytes);
        let line = text.trim();
        if line.is_empty() && !too_long {
            continue;
        }
        // A bad line is answered with what is wrong, and with its id when that can be read.
        let bad_line = if too_long {
            Some(format!(
                "a request line can be at most {MAX_LINE} bytes; this one is longer (the rest of \
                 it was skipped)"
            ))
        } else {
            std::str::from_utf8(bytes).err().map(|e| {
                format!(
                    "the line is not UTF-8 text: invalid bytes at byte {} (nothing was done)",
                    e.valid_up_to() + 1
                )
            })
        };
        let response = match (&mut engine, bad_line) {
            (_, Some(message)) => {
                api::error_line(line, &ladder_engine::Error::bad_request(message))
            }
            (Ok(e), None) => api::handle_line(e, line),
            (Err(err), None) => api::unavailable_line(line, err),
        };
        out.write_all(response.as_bytes())?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
    if let Some(daily) = daily {
        let _ = daily.join();
    }
    Ok(ExitCode::SUCCESS)
}

/// The longest request line served, in bytes (the largest real request, a typed answer or a
/// pack path, is a few kilobytes).
const MAX_LINE: usize = 1 << 20;

enum Line {
    /// End of input.
    End,
    /// A line (with its newline, if it had one) is in the buffer.
    Read,
    /// The line was longer than the limit: its first bytes are in the buffer, the rest was
    /// read and dropped.
    TooLong,
}

/// Reads one line into `buf`, keeping at most `max` bytes of it in memory.
fn read_line<R: BufRead>(input: &mut R, buf: &mut Vec<u8>, max: usize) -> std::io::Result<Line> {
    let limit = u64::try_from(max).unwrap_or(u64::MAX);
    if std::io::Read::take(&mut *input, limit.saturating_add(1)).read_until(b'\n', buf)? == 0 {
        return Ok(Line::End);
    }
    if buf.len() <= max || buf.last() == Some(&b'\n') {
        return Ok(Line::Read);
    }
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(end) => {
                input.consume(end + 1);
                break;
            }
            None => {
                let n = chunk.len();
                input.consume(n);
            }
        }
    }
    Ok(Line::TooLong)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_read_up_to_the_limit_and_the_rest_of_a_longer_one_is_skipped() {
        let input = b"abcd\nabcde\nabcdefgh\nok\nabcdefg";
        let mut input = std::io::BufReader::with_capacity(2, &input[..]);
        let mut lines = Vec::new();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match read_line(&mut input, &mut buf, 4).unwrap() {
                Line::End => break,
                Line::Read => lines.push(String::from_utf8(buf.clone()).unwrap()),
                Line::TooLong => lines.push(format!("too long: {}", buf.len())),
            }
        }
        assert_eq!(lines, ["abcd\n", "too long: 5", "too long: 5", "ok\n", "too long: 5"]);
    }
}
