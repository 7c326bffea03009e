//! Wall-clock time as milliseconds since the Unix epoch (UTC), and the few calendar sums that
//! backup names and rotation need (no time-zone data: backups are named in UTC).

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since 1970-01-01T00:00:00Z.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Self {
        let ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
        Timestamp(i64::try_from(ms).unwrap_or(i64::MAX))
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    /// Whole days since the epoch (UTC).
    pub fn day(self) -> i64 {
        self.0.div_euclid(86_400_000)
    }

    /// `YYYYMMDDTHHMMSSZ`, the form used in backup file names (sorts by time).
    pub fn compact_utc(self) -> String {
        let secs = self.0.div_euclid(1000);
        let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
        let s = secs.rem_euclid(86_400);
        format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", s / 3600, s % 3600 / 60, s % 60)
    }

    /// Parses [`Timestamp::compact_utc`] back (to whole seconds).
    pub fn parse_compact_utc(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
        let (y, m, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
        let (hh, mm, ss) = (num(9..11)?, num(11..13)?, num(13..15)?);
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
            return None;
        }
        let days = days_from_civil(y, m, d);
        Some(Timestamp((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1000))
    }

    /// `YYYY-MM-DD HH:MM:SS UTC`, for people.
    pub fn display_utc(self) -> String {
        let c = self.compact_utc();
        format!(
            "{}-{}-{} {}:{}:{} UTC",
            &c[0..4],
            &c[4..6],
            &c[6..8],
            &c[9..11],
            &c[11..13],
            &c[13..15]
        )
    }
}

// Howard Hinnant's public-domain calendar algorithms, written out from their description.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_round_trip() {
        for ms in [0_i64, 951_782_400_000, 1_764_117_470_000, 4_102_444_799_000] {
            let t = Timestamp(ms);
            let s = t.compact_utc();
            assert_eq!(Timestamp::parse_compact_utc(&s), Some(t), "{s}");
        }
        assert_eq!(Timestamp(951_782_400_000).compact_utc(), "20000229T000000Z");
        assert_eq!(Timestamp::parse_compact_utc("20001329T000000Z"), None);
        assert_eq!(Timestamp(0).display_utc(), "1970-01-01 00:00:00 UTC");
    }
}
