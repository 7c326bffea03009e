//! The main window, and the rule that keeps it on the app's own pages.

use tauri::webview::{NewWindowResponse, PageLoadEvent};
use tauri::{Manager, Runtime, Url, WebviewUrl, WebviewWindowBuilder};

pub const MAIN_LABEL: &str = "main";

/// Opens the main window. Navigation is allowed only to the app's own origin; new windows
/// (`window.open`, `target=_blank`) and downloads are refused. Links to the web in teacher content
/// are removed when a pack is rendered, so a refusal here is a second line of defence.
pub fn open_main<R: Runtime, M: Manager<R>>(manager: &M) -> tauri::Result<()> {
    WebviewWindowBuilder::new(manager, MAIN_LABEL, WebviewUrl::App("index.html".into()))
        .title("Ladder")
        .inner_size(1280.0, 800.0)
        .min_inner_size(720.0, 540.0)
        .on_navigation(|url| {
            let ok = is_app_url(url);
            if !ok {
                eprintln!("ladder-app: refused navigation to {url}");
            }
            ok
        })
        .on_new_window(|url, _features| {
            eprintln!("ladder-app: refused new window for {url}");
            NewWindowResponse::Deny
        })
        .on_download(|_webview, _event| false)
        .on_page_load(|_window, payload| {
            if crate::startup::enabled() {
                let what = match payload.event() {
                    PageLoadEvent::Started => "page load started",
                    PageLoadEvent::Finished => "page load finished",
                };
                crate::startup::mark(&format!("{what} {}", payload.url()));
            }
        })
        .build()?;
    Ok(())
}

/// The origins Tauri serves the embedded UI from: `tauri://localhost` (Linux, macOS) and
/// `http(s)://tauri.localhost` (Windows).
pub fn is_app_url(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn only_the_app_origin_is_allowed() {
        for ok in [
            "tauri://localhost/index.html",
            "tauri://localhost/",
            "http://tauri.localhost/index.html",
            "https://tauri.localhost/",
        ] {
            assert!(is_app_url(&url(ok)), "{ok}");
        }
        for bad in [
            "https://example.com/",
            "http://localhost:5173/",
            "tauri://evil.example/",
            "http://tauri.localhost.evil.example/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html,hi",
        ] {
            assert!(!is_app_url(&url(bad)), "{bad}");
        }
    }
}
