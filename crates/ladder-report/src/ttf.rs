//! Just enough of TrueType to embed a font in a PDF: the character map, advance widths, the
//! vertical metrics a font descriptor needs, and a subset that keeps only the glyphs a report
//! uses.
//!
//! The reader never trusts the file: every table and every offset is bounds-checked and a bad
//! font is an [`FontError`], never a panic (a test truncates and corrupts fonts at every byte).
//! Only TrueType outlines (`glyf`) are read; a CFF font (`OTTO`) is refused, because its
//! outlines cannot be subset here. A collection (`ttcf`) is read at its first font.
//!
//! The subset keeps glyph ids as they are (so a PDF can map character codes to glyphs with
//! `/CIDToGIDMap /Identity`): glyphs that are not used become empty, which is what shrinks the
//! file, with their horizontal metrics; the character map and the other metrics tables are
//! copied, the names and the rest dropped.

use std::collections::BTreeSet;

/// Why a font file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("font file: {0}")]
pub struct FontError(pub String);

fn bad(what: impl Into<String>) -> FontError {
    FontError(what.into())
}

type Result<T> = std::result::Result<T, FontError>;

fn u16_at(d: &[u8], at: usize) -> Result<u16> {
    d.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| bad(format!("read past the end at byte {at}")))
}

fn i16_at(d: &[u8], at: usize) -> Result<i16> {
    u16_at(d, at).map(|v| v as i16)
}

fn u32_at(d: &[u8], at: usize) -> Result<u32> {
    d.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| bad(format!("read past the end at byte {at}")))
}

/// How characters map to glyphs.
#[derive(Debug, Clone)]
enum CharMap {
    /// Format 4 segments: (start, end, delta, range offset position or 0).
    Segments { data: Vec<u8>, segs: Vec<(u16, u16, u16, usize)> },
    /// Format 12 groups: (first char, last char, first glyph).
    Groups(Vec<(u32, u32, u32)>),
}

/// A parsed TrueType font.
#[derive(Debug, Clone)]
pub struct Face {
    data: Vec<u8>,
    tables: Vec<([u8; 4], usize, usize)>,
    /// Font units per em.
    pub units_per_em: u16,
    pub num_glyphs: u16,
    /// Ascent and descent (hhea), in font units.
    pub ascent: i16,
    pub descent: i16,
    /// Cap height (OS/2 version 2+, else 70% of the ascent), in font units.
    pub cap_height: i16,
    /// Bounding box of all glyphs (head), in font units.
    pub bbox: [i16; 4],
    /// The PostScript name (name id 6), reduced to letters, digits and `-`.
    pub postscript_name: String,
    advances: Vec<u16>,
    cmap: CharMap,
    long_loca: bool,
}

impl Face {
    /// Reads a TrueType font (or the first font of a collection).
    pub fn parse(data: Vec<u8>) -> Result<Face> {
        let mut start = 0usize;
        match data.get(0..4) {
            Some(b"ttcf") => {
                if u32_at(&data, 8)? == 0 {
                    return Err(bad("the collection holds no font"));
                }
                start = u32_at(&data, 12)? as usize;
            }
            Some(b"OTTO") => {
                return Err(bad(
                    "CFF (PostScript) outlines; only TrueType outlines can be embedded",
                ))
            }
            Some(&[0, 1, 0, 0]) | Some(b"true") => {}
            _ => return Err(bad("not a TrueType font")),
        }
        if !matches!(data.get(start..start + 4), Some(&[0, 1, 0, 0]) | Some(b"true")) {
            return Err(bad("not a TrueType font (CFF outlines cannot be embedded)"));
        }
        let count = usize::from(u16_at(&data, start + 4)?);
        let mut tables = Vec::with_capacity(count);
        for k in 0..count {
            let rec = start + 12 + 16 * k;
            let tag: [u8; 4] = data
                .get(rec..rec + 4)
                .and_then(|t| t.try_into().ok())
                .ok_or_else(|| bad("table directory cut short"))?;
            let off = u32_at(&data, rec + 8)? as usize;
            let len = u32_at(&data, rec + 12)? as usize;
            if off.checked_add(len).is_none_or(|end| end > data.len()) {
                return Err(bad(format!(
                    "table {} lies outside the file",
                    String::from_utf8_lossy(&tag)
                )));
            }
            tables.push((tag, off, len));
        }
        let mut face = Face {
            data,
            tables,
            units_per_em: 0,
            num_glyphs: 0,
            ascent: 0,
            descent: 0,
            cap_height: 0,
            bbox: [0; 4],
            postscript_name: String::new(),
            advances: Vec::new(),
            cmap: CharMap::Groups(Vec::new()),
            long_loca: false,
        };
        let (units_per_em, bbox, loca_format) = {
            let head = face.table(b"head")?;
            let bbox = [i16_at(head, 36)?, i16_at(head, 38)?, i16_at(head, 40)?, i16_at(head, 42)?];
            (u16_at(head, 18)?, bbox, i16_at(head, 50)?)
        };
        if !(16..=16384).contains(&units_per_em) {
            return Err(bad(format!("units per em {units_per_em} out of range")));
        }
        face.units_per_em = units_per_em;
        face.bbox = bbox;
        face.long_loca = match loca_format {
            0 => false,
            1 => true,
            other => return Err(bad(format!("unknown loca format {other}"))),
        };
        face.num_glyphs = u16_at(face.table(b"maxp")?, 4)?;
        if face.num_glyphs == 0 {
            return Err(bad("no glyphs"));
        }
        let (ascent, descent, n_metrics) = {
            let hhea = face.table(b"hhea")?;
            (i16_at(hhea, 4)?, i16_at(hhea, 6)?, usize::from(u16_at(hhea, 34)?))
        };
        face.ascent = ascent;
        face.descent = descent;
        if n_metrics == 0 {
            return Err(bad("hhea has no metrics"));
        }
        let mut advances = Vec::with_capacity(n_metrics);
        {
            let hmtx = face.table(b"hmtx")?;
            for g in 0..n_metrics.min(usize::from(face.num_glyphs)) {
                advances.push(u16_at(hmtx, 4 * g)?);
            }
        }
        face.advances = advances;
        face.cap_height = match face.table(b"OS/2") {
            Ok(os2) if u16_at(os2, 0)? >= 2 => i16_at(os2, 88)?,
            _ => (f64::from(face.ascent) * 0.7) as i16,
        };
        face.postscript_name = face.read_name().unwrap_or_default();
        if face.postscript_name.is_empty() {
            face.postscript_name = "Embedded".to_owned();
        }
        face.cmap = face.read_cmap()?;
        // Glyph data must be readable for every glyph a subset may ask for.
        face.glyph_range(face.num_glyphs - 1)?;
        Ok(face)
    }

    fn table(&self, tag: &[u8; 4]) -> Result<&[u8]> {
        self.tables
            .iter()
            .find(|t| &t.0 == tag)
            .map(|&(_, off, len)| &self.data[off..off + len])
            .ok_or_else(|| bad(format!("no {} table", String::from_utf8_lossy(tag))))
    }

    fn read_name(&self) -> Result<String> {
        let name = self.table(b"name")?;
        let count = usize::from(u16_at(name, 2)?);
        let strings = usize::from(u16_at(name, 4)?);
        for k in 0..count {
            let rec = 6 + 12 * k;
            let (platform, id) = (u16_at(name, rec)?, u16_at(name, rec + 6)?);
            if id != 6 {
                continue;
            }
            let len = usize::from(u16_at(name, rec + 8)?);
            let off = strings + usize::from(u16_at(name, rec + 10)?);
            let Some(raw) = name.get(off..off + len) else { continue };
            let text: String = if platform == 1 {
                raw.iter().map(|&b| char::from(b)).collect()
            } else {
                let units: Vec<u16> =
                    raw.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
                String::from_utf16_lossy(&units)
            };
            let clean: String =
                text.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(60).collect();
            if !clean.is_empty() {
                return Ok(clean);
            }
        }
        Ok(String::new())
    }

    fn read_cmap(&self) -> Result<CharMap> {
        let cmap = self.table(b"cmap")?;
        let count = usize::from(u16_at(cmap, 2)?);
        // Preference: a full Unicode table (format 12), then a BMP one (format 4).
        let mut best: Option<(u8, usize)> = None;
        for k in 0..count {
            let rec = 4 + 8 * k;
            let (platform, encoding) = (u16_at(cmap, rec)?, u16_at(cmap, rec + 2)?);
            let off = u32_at(cmap, rec + 4)? as usize;
            let unicode = matches!((platform, encoding), (0, _) | (3, 1) | (3, 10));
            if !unicode {
                continue;
            }
            let rank = match u16_at(cmap, off)? {
                12 => 2,
                4 => 1,
                _ => continue,
            };
            if best.is_none_or(|(r, _)| rank > r) {
                best = Some((rank, off));
            }
        }
        let (rank, off) = best.ok_or_else(|| bad("no Unicode character map (format 4 or 12)"))?;
        let sub = cmap.get(off..).ok_or_else(|| bad("cmap subtable outside the table"))?;
        if rank == 2 {
            let n = u32_at(sub, 12)? as usize;
            if n > sub.len() / 12 {
                return Err(bad("cmap format 12 group count too large"));
            }
            let mut groups = Vec::with_capacity(n);
            for k in 0..n {
                let g = 16 + 12 * k;
                groups.push((u32_at(sub, g)?, u32_at(sub, g + 4)?, u32_at(sub, g + 8)?));
            }
            return Ok(CharMap::Groups(groups));
        }
        let len = usize::from(u16_at(sub, 2)?).min(sub.len());
        let sub = &sub[..len];
        let seg_count = usize::from(u16_at(sub, 6)? / 2);
        let ends = 14;
        let starts = ends + 2 * seg_count + 2;
        let deltas = starts + 2 * seg_count;
        let ranges = deltas + 2 * seg_count;
        let mut segs = Vec::with_capacity(seg_count);
        for k in 0..seg_count {
            let end = u16_at(sub, ends + 2 * k)?;
            let begin = u16_at(sub, starts + 2 * k)?;
            let delta = u16_at(sub, deltas + 2 * k)?;
            let range = usize::from(u16_at(sub, ranges + 2 * k)?);
            // The range offset counts from its own position in the table.
            let at = if range == 0 { 0 } else { ranges + 2 * k + range };
            segs.push((begin, end, delta, at));
        }
        Ok(CharMap::Segments { data: sub.to_vec(), segs })
    }

    /// The glyph of `c`, or `None` where the font has none (glyph 0 is "missing").
    pub fn glyph(&self, c: char) -> Option<u16> {
        let code = c as u32;
        let g = match &self.cmap {
            CharMap::Groups(groups) => groups.iter().find_map(|&(a, b, g)| {
                (a..=b).contains(&code).then(|| g.saturating_add(code - a))
            })?,
            CharMap::Segments { data, segs } => {
                let code = u16::try_from(code).ok()?;
                let &(begin, _, delta, at) = segs.iter().find(|s| s.0 <= code && code <= s.1)?;
                if at == 0 {
                    u32::from(code.wrapping_add(delta))
                } else {
                    let raw = u16_at(data, at + 2 * usize::from(code - begin)).ok()?;
                    if raw == 0 {
                        return None;
                    }
                    u32::from(raw.wrapping_add(delta))
                }
            }
        };
        u16::try_from(g).ok().filter(|&g| g != 0 && g < self.num_glyphs)
    }

    /// The font file as read.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Advance width of glyph `g`, in font units.
    pub fn advance(&self, g: u16) -> u16 {
        let k = usize::from(g);
        self.advances.get(k).or(self.advances.last()).copied().unwrap_or(0)
    }

    /// Where glyph `g`'s outline lies in the `glyf` table.
    pub(crate) fn glyph_range(&self, g: u16) -> Result<(usize, usize)> {
        let loca = self.table(b"loca")?;
        let k = usize::from(g);
        let (a, b) = if self.long_loca {
            (u32_at(loca, 4 * k)? as usize, u32_at(loca, 4 * k + 4)? as usize)
        } else {
            (2 * usize::from(u16_at(loca, 2 * k)?), 2 * usize::from(u16_at(loca, 2 * k + 2)?))
        };
        let glyf_len = self.table(b"glyf")?.len();
        if a > b || b > glyf_len {
            return Err(bad(format!("glyph {g} lies outside the glyf table")));
        }
        Ok((a, b))
    }

    /// The glyphs that composite glyph data refers to.
    fn components(outline: &[u8]) -> Result<Vec<u16>> {
        if outline.len() < 10 || i16_at(outline, 0)? >= 0 {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let mut at = 10;
        loop {
            let flags = u16_at(outline, at)?;
            out.push(u16_at(outline, at + 2)?);
            at += 4;
            at += if flags & 0x0001 != 0 { 4 } else { 2 };
            if flags & 0x0008 != 0 {
                at += 2;
            } else if flags & 0x0040 != 0 {
                at += 4;
            } else if flags & 0x0080 != 0 {
                at += 8;
            }
            if flags & 0x0020 == 0 || out.len() > 64 {
                break;
            }
        }
        Ok(out)
    }

    /// A TrueType file with the same glyph ids in which only `keep` (with glyph 0 and every
    /// component of a kept composite glyph) still has an outline.
    pub fn subset(&self, keep: &BTreeSet<u16>) -> Result<Vec<u8>> {
        let glyf = self.table(b"glyf")?;
        let mut wanted: BTreeSet<u16> =
            keep.iter().copied().filter(|&g| g < self.num_glyphs).collect();
        wanted.insert(0);
        let mut todo: Vec<u16> = wanted.iter().copied().collect();
        while let Some(g) = todo.pop() {
            let (a, b) = self.glyph_range(g)?;
            for c in Face::components(&glyf[a..b])? {
                if c < self.num_glyphs && wanted.insert(c) {
                    todo.push(c);
                }
            }
        }
        let mut new_glyf = Vec::new();
        let mut new_loca = Vec::with_capacity(4 * (usize::from(self.num_glyphs) + 1));
        for g in 0..self.num_glyphs {
            new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
            if wanted.contains(&g) {
                let (a, b) = self.glyph_range(g)?;
                new_glyf.extend_from_slice(&glyf[a..b]);
                while new_glyf.len() % 4 != 0 {
                    new_glyf.push(0);
                }
            }
        }
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let mut head = self.table(b"head")?.to_vec();
        if head.len() < 54 {
            return Err(bad("head table too short"));
        }
        head[8..12].copy_from_slice(&[0; 4]);
        head[50..52].copy_from_slice(&1i16.to_be_bytes());
        // Metrics of unused glyphs are zeroed (the PDF gives the widths it needs), so that the
        // table deflates to almost nothing.
        let mut hmtx = self.table(b"hmtx")?.to_vec();
        let n_long = self.advances.len();
        for g in 0..usize::from(self.num_glyphs) {
            if wanted.contains(&(g as u16)) {
                continue;
            }
            let at = if g < n_long { 4 * g } else { 4 * n_long + 2 * (g - n_long) };
            let len = if g < n_long { 4 } else { 2 };
            if let Some(entry) = hmtx.get_mut(at..at + len) {
                entry.fill(0);
            }
        }
        let mut out_tables: Vec<([u8; 4], Vec<u8>)> = Vec::new();
        for tag in [
            b"cmap", b"cvt ", b"fpgm", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp",
            b"prep",
        ] {
            let body = match tag {
                b"glyf" => new_glyf.clone(),
                b"loca" => new_loca.clone(),
                b"head" => head.clone(),
                b"hmtx" => hmtx.clone(),
                _ => match self.table(tag) {
                    Ok(t) => t.to_vec(),
                    Err(_) if matches!(tag, b"cvt " | b"fpgm" | b"prep") => continue,
                    Err(e) => return Err(e),
                },
            };
            out_tables.push((*tag, body));
        }
        Ok(write_font(&out_tables))
    }
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// A TrueType file of `tables` (sorted by tag), with its directory, checksums and the head
/// table's checksum adjustment.
pub(crate) fn write_font(tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let n = tables.len() as u16;
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= n {
        pow *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&[0, 1, 0, 0]);
    for v in [n, pow * 16, log, n * 16 - pow * 16] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, body) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(body).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(body.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(offset);
        }
        offset += body.len().div_ceil(4) * 4;
    }
    for (_, body) in tables {
        out.extend_from_slice(body);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn be16(v: &[u16]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_be_bytes()).collect()
    }

    /// A simple glyph: one contour, a box of `w` units.
    fn box_glyph(w: i16) -> Vec<u8> {
        let mut g = Vec::new();
        for v in [1i16, 0, 0, w, 700] {
            g.extend_from_slice(&v.to_be_bytes());
        }
        g.extend_from_slice(&3u16.to_be_bytes()); // end point of the contour
        g.extend_from_slice(&0u16.to_be_bytes()); // no instructions
        g.extend_from_slice(&[0x01; 4]); // on-curve points, coordinates as words
        for v in [0i16, w, 0, -w] {
            g.extend_from_slice(&v.to_be_bytes());
        }
        for v in [0i16, 0, 700, 0] {
            g.extend_from_slice(&v.to_be_bytes());
        }
        g
    }

    /// A composite glyph of glyphs `a` and `b`.
    fn composite(a: u16, b: u16) -> Vec<u8> {
        let mut g = Vec::new();
        for v in [-1i16, 0, 0, 1000, 700] {
            g.extend_from_slice(&v.to_be_bytes());
        }
        g.extend_from_slice(&be16(&[0x0020 | 0x0002, a]));
        g.extend_from_slice(&[0, 0]);
        g.extend_from_slice(&be16(&[0x0002, b]));
        g.extend_from_slice(&[0, 0]);
        g
    }

    /// A small but complete TrueType font: glyph 0 (missing), 1 = 'A', 2 = 'Ł', 3 = 'Ω',
    /// 4 = '日' (a composite of 1 and 3), 5 = '😀' (through the format 12 table only when
    /// `full_unicode`).
    pub(crate) fn sample_font(full_unicode: bool) -> Vec<u8> {
        let glyphs = [
            box_glyph(500),
            box_glyph(600),
            box_glyph(650),
            box_glyph(700),
            composite(1, 3),
            box_glyph(900),
        ];
        let mut glyf = Vec::new();
        let mut loca = Vec::new();
        for g in &glyphs {
            loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
            glyf.extend_from_slice(g);
        }
        loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
        let mut head = vec![0u8; 54];
        head[0..4].copy_from_slice(&[0, 1, 0, 0]);
        head[12..16].copy_from_slice(&0x5F0F_3CF5u32.to_be_bytes());
        head[18..20].copy_from_slice(&1000u16.to_be_bytes());
        for (k, v) in [-50i16, -200, 1000, 900].iter().enumerate() {
            head[36 + 2 * k..38 + 2 * k].copy_from_slice(&v.to_be_bytes());
        }
        head[50..52].copy_from_slice(&1i16.to_be_bytes());
        let mut hhea = vec![0u8; 36];
        hhea[4..6].copy_from_slice(&800i16.to_be_bytes());
        hhea[6..8].copy_from_slice(&(-200i16).to_be_bytes());
        hhea[34..36].copy_from_slice(&5u16.to_be_bytes()); // glyph 5 takes glyph 4's advance
        let hmtx = be16(&[500, 0, 600, 0, 650, 0, 700, 0, 1000, 0]);
        let mut maxp = vec![0u8; 6];
        maxp[0..4].copy_from_slice(&0x0000_5000u32.to_be_bytes());
        maxp[4..6].copy_from_slice(&(glyphs.len() as u16).to_be_bytes());
        // Format 4: 'A' by delta, 'Ł' and 'Ω' through the glyph array, the closing segment.
        let segs: [(u16, u16); 4] =
            [(0x41, 0x41), (0x141, 0x141), (0x3A9, 0x3A9), (0xFFFF, 0xFFFF)];
        let mut f4 = be16(&[4, 0, 0, 8, 8, 2, 0]);
        f4.extend(be16(&segs.map(|s| s.1)));
        f4.extend(be16(&[0]));
        f4.extend(be16(&segs.map(|s| s.0)));
        f4.extend(be16(&[1u16.wrapping_sub(0x41), 0, 0, 1]));
        // Range offsets: segment 1 points at the glyph array's first entry, segment 2 its second.
        f4.extend(be16(&[0, 6, 6, 0]));
        f4.extend(be16(&[2, 3]));
        let len = f4.len() as u16;
        f4[2..4].copy_from_slice(&len.to_be_bytes());
        let mut f12 = be16(&[12, 0]);
        let groups: [(u32, u32, u32); 5] = [
            (0x41, 0x41, 1),
            (0x141, 0x141, 2),
            (0x3A9, 0x3A9, 3),
            (0x65E5, 0x65E5, 4),
            (0x1F600, 0x1F600, 5),
        ];
        f12.extend_from_slice(&((16 + 12 * groups.len()) as u32).to_be_bytes());
        f12.extend_from_slice(&0u32.to_be_bytes());
        f12.extend_from_slice(&(groups.len() as u32).to_be_bytes());
        for (a, b, g) in groups {
            for v in [a, b, g] {
                f12.extend_from_slice(&v.to_be_bytes());
            }
        }
        let mut cmap = be16(&[0, if full_unicode { 2 } else { 1 }]);
        let first = if full_unicode { 20 } else { 12 };
        cmap.extend(be16(&[3, 1]));
        cmap.extend_from_slice(&(first as u32).to_be_bytes());
        if full_unicode {
            cmap.extend(be16(&[3, 10]));
            cmap.extend_from_slice(&((first + f4.len()) as u32).to_be_bytes());
        }
        cmap.extend_from_slice(&f4);
        if full_unicode {
            cmap.extend_from_slice(&f12);
        }
        // name: the PostScript name in UTF-16.
        let ps: Vec<u8> = be16(&"Sample Sans!".encode_utf16().collect::<Vec<u16>>());
        let mut name = be16(&[0, 1, 18, 3, 1, 0x409, 6, ps.len() as u16, 0]);
        name.extend_from_slice(&ps);
        let mut tables: Vec<([u8; 4], Vec<u8>)> = vec![
            (*b"cmap", cmap),
            (*b"glyf", glyf),
            (*b"head", head),
            (*b"hhea", hhea),
            (*b"hmtx", hmtx),
            (*b"loca", loca),
            (*b"maxp", maxp),
            (*b"name", name),
        ];
        tables.sort_by_key(|t| t.0);
        write_font(&tables)
    }

    #[test]
    fn reads_the_character_map_metrics_and_name() {
        for full in [false, true] {
            let f = Face::parse(sample_font(full)).expect("parse");
            assert_eq!(f.units_per_em, 1000);
            assert_eq!(f.num_glyphs, 6);
            assert_eq!((f.ascent, f.descent), (800, -200));
            assert_eq!(f.postscript_name, "SampleSans");
            assert_eq!(f.glyph('A'), Some(1));
            assert_eq!(f.glyph('Ł'), Some(2));
            assert_eq!(f.glyph('Ω'), Some(3));
            assert_eq!(f.glyph('B'), None);
            assert_eq!(f.glyph('日'), full.then_some(4));
            assert_eq!(f.glyph('😀'), full.then_some(5));
            assert_eq!((f.advance(1), f.advance(3), f.advance(5)), (600, 700, 1000));
        }
    }

    #[test]
    fn a_subset_keeps_used_glyphs_and_their_components_only() {
        let f = Face::parse(sample_font(true)).expect("parse");
        let sub = Face::parse(f.subset(&BTreeSet::from([4])).expect("subset")).expect("reparse");
        assert_eq!(sub.num_glyphs, f.num_glyphs, "glyph ids are kept");
        let len = |face: &Face, g| {
            let (a, b) = face.glyph_range(g).expect("range");
            b - a
        };
        // 0 (missing), 4 and its components 1 and 3 keep outlines; 2 and 5 are emptied.
        for g in [0, 1, 3, 4] {
            assert_eq!(len(&sub, g), len(&f, g).div_ceil(4) * 4, "glyph {g}");
        }
        assert_eq!((len(&sub, 2), len(&sub, 5)), (0, 0));
        // Kept glyphs keep their advance; unused ones are zeroed.
        assert_eq!((sub.advance(1), sub.advance(2), sub.advance(4)), (600, 0, 1000));
        // The subset's checksums make the whole file sum to the magic number.
        let bytes = f.subset(&BTreeSet::from([1])).expect("subset");
        assert_eq!(checksum(&bytes), 0xB1B0_AFBA);
    }

    #[test]
    fn refuses_what_it_cannot_embed() {
        let mut cff = sample_font(false);
        cff[0..4].copy_from_slice(b"OTTO");
        assert!(Face::parse(cff).unwrap_err().0.contains("CFF"));
        assert!(Face::parse(b"<html>".to_vec()).unwrap_err().0.contains("not a TrueType"));
    }

    /// A cut or corrupted font is an error or a usable face, never a panic or a hang.
    #[test]
    fn damaged_fonts_never_panic() {
        let good = sample_font(true);
        for cut in 0..good.len() {
            if let Ok(f) = Face::parse(good[..cut].to_vec()) {
                let _ = f.subset(&BTreeSet::from([1, 4]));
            }
        }
        for at in 0..good.len() {
            for v in [0x00, 0xff, 0x80] {
                let mut bad = good.clone();
                bad[at] = v;
                if let Ok(f) = Face::parse(bad) {
                    for c in ['A', 'Ł', '日', '😀', 'z'] {
                        if let Some(g) = f.glyph(c) {
                            let _ = f.advance(g);
                        }
                    }
                    let _ = f.subset(&BTreeSet::from([1, 2, 3, 4, 5]));
                }
            }
        }
    }
}
