//! The `ladder-media:` URI scheme: images of installed packs, served to the webview.
//!
//! Item HTML keeps pack-relative image paths (`media/pie-3-4.svg`); the UI rewrites them to
//! `ladder-media://localhost/<pack>%2F<path>` (`http://ladder-media.localhost/...` on Windows),
//! which the CSP's `img-src` allows. The engine ([`ladder_engine::Engine::pack_media`]) decides
//! what may be served: only plain relative paths inside the installed pack's files, only image
//! types. Every response forbids scripts and sniffing, so even an SVG opened directly is inert.

use tauri::http::{header, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use ladder_pack::percent_decode;

use crate::state::AppState;

pub const SCHEME: &str = "ladder-media";

/// Handles one request off the UI thread.
pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = ctx.app_handle().clone();
    let path = request.uri().path().to_owned();
    std::thread::spawn(move || {
        let state = app.state::<AppState>();
        responder.respond(respond(&state, &path));
    });
}

/// The response for the URI path `/<pack>%2F<file path>` (or `/<pack>/<file path>`).
pub fn respond(state: &AppState, uri_path: &str) -> Response<Vec<u8>> {
    let Some(decoded) = percent_decode(uri_path.trim_start_matches('/')) else {
        return plain(StatusCode::BAD_REQUEST, "bad escape in the media path");
    };
    let Some((pack, file)) = decoded.split_once('/') else {
        return plain(StatusCode::BAD_REQUEST, "a media path is <pack>/<file>");
    };
    match state.run_blocking(|e| e.pack_media(pack, file)) {
        Ok(media) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, media.mime)
            .header("X-Content-Type-Options", "nosniff")
            .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
            .body(media.bytes)
            .unwrap_or_else(|_| Response::new(Vec::new())),
        Err(e) => match e.kind {
            ladder_engine::ErrorKind::NotFound => plain(StatusCode::NOT_FOUND, &e.message),
            ladder_engine::ErrorKind::BadRequest => plain(StatusCode::BAD_REQUEST, &e.message),
            // Any other failure's message may name the data folder (and so the user's account);
            // the page gets a plain sentence, the detail goes to the app's log.
            _ => {
                eprintln!("ladder-app: media {pack}/{file}: {}", e.message);
                plain(StatusCode::INTERNAL_SERVER_ERROR, "the picture cannot be read")
            }
        },
    }
}

fn plain(status: StatusCode, message: &str) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(message.as_bytes().to_vec())
        .unwrap_or_else(|_| Response::new(Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::Paths;
    use std::path::Path;

    #[test]
    fn decodes_escapes_and_refuses_broken_ones() {
        assert_eq!(
            percent_decode("fractions%2Fmedia%2Fpie.svg").as_deref(),
            Some("fractions/media/pie.svg")
        );
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("a%2"), None);
        assert_eq!(percent_decode("a%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn serves_pack_images_and_nothing_else() {
        let data = tempfile::tempdir().expect("tempdir");
        let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/packs");
        let state = AppState::new(Paths {
            data_dir: data.path().to_path_buf(),
            packs_dir: packs,
            import_file: None,
        });
        let ok = respond(&state, "/fractions%2Fmedia%2Fpie-3-4.svg");
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.headers()[header::CONTENT_TYPE], "image/svg+xml");
        assert!(ok.headers()["Content-Security-Policy"]
            .to_str()
            .expect("ascii")
            .contains("default-src 'none'"));
        assert!(String::from_utf8_lossy(ok.body()).contains("<svg"));
        for (path, status) in [
            ("/fractions%2F..%2F..%2Fladder.sqlite3", StatusCode::BAD_REQUEST),
            ("/fractions%2Fpack.toml", StatusCode::BAD_REQUEST),
            ("/fractions%2Fmedia%2Fnone.svg", StatusCode::NOT_FOUND),
            ("/nope%2Fmedia%2Fpie-3-4.svg", StatusCode::NOT_FOUND),
            ("/fractions", StatusCode::BAD_REQUEST),
        ] {
            assert_eq!(respond(&state, path).status(), status, "{path}");
        }
    }
}
