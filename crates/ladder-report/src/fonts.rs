//! Which font a PDF embeds when its text does not fit the standard Helvetica (WinAnsi: Latin-1
//! and a few marks), for example a learner named Łukasz, Αλέξης or 李娜.
//!
//! Nothing is bundled: the report uses a TrueType font of the computer it runs on, the same
//! fonts the app's window draws with. In order:
//! 1. `LADDER_PDF_FONT` (a `.ttf` file) and optionally `LADDER_PDF_FONT_BOLD`;
//! 2. what fontconfig (`fc-match`) proposes for a sans-serif face with those characters;
//! 3. well-known sans-serif fonts of Linux, macOS and Windows.
//!
//! The first font that has every character wins; otherwise the one that has most (a character
//! no font has is drawn as the font's "missing" box, and still copies and searches as itself).
//! The bold face is the matching bold file when it has the same characters, else the regular
//! face drawn with a thin outline.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use crate::ttf::Face;
#[cfg(test)]
use crate::ttf::FontError;

/// The faces a PDF embeds.
#[derive(Debug, Clone)]
pub(crate) struct PdfFonts {
    pub(crate) regular: Face,
    /// `None`: bold text is the regular face with an outline.
    pub(crate) bold: Option<Face>,
}

impl PdfFonts {
    /// Faces from TrueType data (a `.ttf` file, or the first font of a `.ttc`).
    #[cfg(test)]
    pub(crate) fn from_data(
        regular: Vec<u8>,
        bold: Option<Vec<u8>>,
    ) -> Result<PdfFonts, FontError> {
        Ok(PdfFonts { regular: Face::parse(regular)?, bold: bold.map(Face::parse).transpose()? })
    }
}

fn coverage(face: &Face, chars: &BTreeSet<char>) -> usize {
    chars.iter().filter(|c| c.is_whitespace() || face.glyph(**c).is_some()).count()
}

/// Well-known TrueType sans-serif fonts and their bold faces, by system.
const KNOWN: &[(&str, &str)] = &[
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    (
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSansBold.ttf",
    ),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", ""),
    ("/Library/Fonts/Arial Unicode.ttf", ""),
    (
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
    ),
    ("C:\\Windows\\Fonts\\arial.ttf", "C:\\Windows\\Fonts\\arialbd.ttf"),
    ("C:\\Windows\\Fonts\\segoeui.ttf", "C:\\Windows\\Fonts\\segoeuib.ttf"),
];

/// fontconfig's best sans-serif file for `chars` (regular and bold), where fontconfig exists.
fn fontconfig(chars: &BTreeSet<char>) -> Vec<(PathBuf, Option<PathBuf>)> {
    let hex: Vec<String> = chars
        .iter()
        .filter(|c| !c.is_ascii())
        .take(256)
        .map(|c| format!("{:x}", *c as u32))
        .collect();
    let ask = |pattern: String| -> Option<PathBuf> {
        let out = Command::new("fc-match").args(["-f", "%{file}", &pattern]).output().ok()?;
        let path = String::from_utf8(out.stdout).ok()?;
        (out.status.success() && !path.trim().is_empty()).then(|| PathBuf::from(path.trim()))
    };
    let charset =
        if hex.is_empty() { String::new() } else { format!(":charset={}", hex.join(" ")) };
    match ask(format!("sans-serif{charset}")) {
        Some(regular) => vec![(regular, ask(format!("sans-serif:weight=bold{charset}")))],
        None => Vec::new(),
    }
}

/// The fonts of this computer that best cover `chars`, or `None` when no usable TrueType font
/// is found.
pub(crate) fn system_fonts(chars: &BTreeSet<char>) -> Option<PdfFonts> {
    let mut candidates: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    if let Some(regular) = std::env::var_os("LADDER_PDF_FONT") {
        candidates.push((regular.into(), std::env::var_os("LADDER_PDF_FONT_BOLD").map(Into::into)));
    }
    candidates.extend(fontconfig(chars));
    candidates.extend(
        KNOWN.iter().map(|(r, b)| (PathBuf::from(r), (!b.is_empty()).then(|| PathBuf::from(b)))),
    );
    let mut best: Option<(usize, PdfFonts)> = None;
    let mut seen = BTreeSet::new();
    for (regular, bold) in candidates {
        if !seen.insert(regular.clone()) || !regular.is_file() {
            continue;
        }
        let Ok(face) =
            std::fs::read(&regular).map_err(|_| ()).and_then(|d| Face::parse(d).map_err(|_| ()))
        else {
            continue;
        };
        let have = coverage(&face, chars);
        if best.as_ref().is_some_and(|(n, _)| *n >= have) {
            continue;
        }
        // The bold face counts only when it has what the regular one has.
        let bold = bold
            .and_then(|b| std::fs::read(b).ok())
            .and_then(|d| Face::parse(d).ok())
            .filter(|b| coverage(b, chars) >= have);
        let full = have == chars.len();
        best = Some((have, PdfFonts { regular: face, bold }));
        if full {
            break;
        }
    }
    best.map(|(_, f)| f)
}
