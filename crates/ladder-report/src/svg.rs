//! SVG charts for the HTML form.
