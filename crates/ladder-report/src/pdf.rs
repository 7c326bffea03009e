//! The PDF form.

use crate::model::Report;

/// A paginated PDF of the report.
pub fn render_pdf(report: &Report) -> Vec<u8> {
    let _ = report;
    Vec::new()
}
