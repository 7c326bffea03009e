//! The HTML form: a whole page, or a fragment plus a stylesheet for the app.

use crate::model::Report;

/// The stylesheet of [`render_html_fragment`] (and inlined by [`render_html`]).
pub const REPORT_CSS: &str = "";

/// One self-contained page.
pub fn render_html(report: &Report) -> String {
    let _ = report;
    String::new()
}

/// The report as one `<div class="ladder-report">`, for a page that loads [`REPORT_CSS`].
pub fn render_html_fragment(report: &Report) -> String {
    let _ = report;
    String::new()
}
