//! The time zone of a report: the one its dates and times are written in, and whose days the day
//! streaks and the recent-activity window count. By default the computer's own zone (the one
//! the app's screens and the tutor live in), so that a session at 23:30 on Monday evening is on
//! Monday, whatever day it is in UTC.

use std::fmt;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{ReportError, Result};

/// A time zone of the time zone database (`Europe/Madrid`, `America/Mexico_City`, `UTC`), or the
/// computer's own. In a report's JSON it is its name (`meta.time_zone`).
#[derive(Clone)]
pub struct ReportTimeZone {
    tz: TimeZone,
    name: String,
    fallback: bool,
}

impl ReportTimeZone {
    /// UTC.
    pub fn utc() -> Self {
        ReportTimeZone { tz: TimeZone::UTC, name: "UTC".to_owned(), fallback: false }
    }

    /// The computer's time zone (the `TZ` environment variable, else the system's setting:
    /// `/etc/localtime` on Linux and macOS, the Windows setting on Windows). Where it cannot be
    /// found (no setting, or a name the zone database does not have, or no database), UTC,
    /// marked as a fallback ([`ReportTimeZone::is_fallback`]) so that the report says so.
    pub fn local() -> Self {
        match TimeZone::try_system() {
            Ok(tz) if !tz.is_unknown() => {
                // A zone without a database name (a POSIX `TZ` rule, a copied zone file) is named
                // by its offset now, and still counts its days by its own rules.
                let name = tz.iana_name().map(str::to_owned).unwrap_or_else(|| {
                    offset_label(tz.to_offset(Timestamp::now()).seconds()).to_owned()
                });
                ReportTimeZone { tz, name, fallback: false }
            }
            _ => ReportTimeZone { fallback: true, ..Self::utc() },
        }
    }

    /// The zone of that name in the time zone database (`Europe/Madrid`, `UTC`), or `local` for
    /// the computer's ([`ReportTimeZone::local`]). Another name is refused (`bad_request`).
    pub fn named(name: &str) -> Result<Self> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("local") {
            return Ok(Self::local());
        }
        // "America/Mexico City" as a tutor may type it: the database writes spaces as `_`.
        match TimeZone::get(name).or_else(|e| TimeZone::get(&name.replace(' ', "_")).map_err(|_| e))
        {
            Ok(tz) => {
                let name = tz.iana_name().unwrap_or(name).to_owned();
                Ok(ReportTimeZone { tz, name, fallback: false })
            }
            Err(_) => Err(ReportError::BadRequest(format!(
                "unknown time zone \"{name}\": give a name from the time zone database such as \
                 Europe/Madrid or America/Mexico_City, UTC, or local for this computer's"
            ))),
        }
    }

    /// Its name: the database's (`Europe/Madrid`), `UTC`, or an offset (`UTC-05:00`) for a zone
    /// that has none.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the computer's zone was asked for and not found, so that UTC stands in for it.
    pub fn is_fallback(&self) -> bool {
        self.fallback
    }

    /// The name with the offset at `ms`: "Europe/Madrid (UTC+01:00)", or "UTC".
    pub fn describe(&self, ms: i64) -> String {
        let offset = offset_label(self.offset_seconds(ms));
        // "UTC", "Etc/UTC", "UTC-05:00": the name says the offset already.
        if self.name == offset || self.name.ends_with("UTC") && offset == "UTC" {
            self.name.clone()
        } else {
            format!("{} ({offset})", self.name)
        }
    }

    /// The date of `ms` in this zone, "2026-11-27", as the report prints dates (for a front end
    /// that names a file after the day of its report, so that it is the day the report shows).
    pub fn iso_date(&self, ms: i64) -> String {
        crate::fmt::date(ms, self)
    }

    /// The moment `ms` in this zone as ISO 8601 with its offset at that moment,
    /// "2026-11-26T15:05:42+01:00" (seconds, milliseconds dropped): the wall-clock time the
    /// report shows, and which zone it is in, in one cell of the CSV that a spreadsheet keeps
    /// as written and a script reads back to the same instant.
    pub fn iso_date_time(&self, ms: i64) -> String {
        let dt = self.tz.to_datetime(timestamp(ms));
        let offset = self.offset_seconds(ms);
        let sign = if offset < 0 { '-' } else { '+' };
        let o = offset.unsigned_abs();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            o / 3600,
            (o % 3600) / 60
        )
    }

    fn offset_seconds(&self, ms: i64) -> i32 {
        self.tz.to_offset(timestamp(ms)).seconds()
    }

    /// The local calendar date of `ms`.
    pub(crate) fn date(&self, ms: i64) -> Date {
        self.tz.to_datetime(timestamp(ms)).date()
    }

    /// The local date and time of `ms`: (date, hour, minute).
    pub(crate) fn date_time(&self, ms: i64) -> (Date, i8, i8) {
        let dt = self.tz.to_datetime(timestamp(ms));
        (dt.date(), dt.hour(), dt.minute())
    }

    /// The local day of `ms` as a day number (consecutive days have consecutive numbers,
    /// whether they last 23, 24 or 25 hours).
    pub(crate) fn day_number(&self, ms: i64) -> i64 {
        let d = self.date(ms);
        days_from_civil(i64::from(d.year()), i64::from(d.month()), i64::from(d.day()))
    }

    /// The start (Unix ms) of the local day `days` days before the day of `ms`: its midnight,
    /// or the first moment it has where the clocks skip midnight.
    pub(crate) fn start_of_day_before(&self, ms: i64, days: u32) -> i64 {
        let date = self.date(ms);
        date.checked_sub(i64::from(days).days())
            .and_then(|d| d.to_zoned_datetime(self.tz.clone()))
            .and_then(|z| z.start_of_day())
            .map(|z| z.timestamp().as_millisecond())
            // Out of the calendar's range (no report gets there): whole days of 24 hours.
            .unwrap_or_else(|_| ms - i64::from(days) * 86_400_000)
    }
}

impl Default for ReportTimeZone {
    /// UTC: the zone of reports made before the zone was recorded.
    fn default() -> Self {
        Self::utc()
    }
}

impl fmt::Debug for ReportTimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReportTimeZone")
            .field("name", &self.name)
            .field("fallback", &self.fallback)
            .finish()
    }
}

/// Two zones are the same when they have the same name (a report read back from its JSON has the
/// zone of its name).
impl PartialEq for ReportTimeZone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.fallback == other.fallback
    }
}

impl Serialize for ReportTimeZone {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.name)
    }
}

/// A report read back gets the zone of its name: from the database, or a fixed offset for an
/// offset name ("UTC-05:00", a zone that had no name); a name this computer's database lacks
/// reads as UTC for its dates, keeping the name.
impl<'de> Deserialize<'de> for ReportTimeZone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        if let Some(seconds) = parse_offset_label(&name) {
            let offset =
                jiff::tz::Offset::from_seconds(seconds).map_err(serde::de::Error::custom)?;
            return Ok(ReportTimeZone { tz: TimeZone::fixed(offset), name, fallback: false });
        }
        Ok(ReportTimeZone::named(&name)
            .ok()
            .filter(|z| !z.fallback && !name.eq_ignore_ascii_case("local"))
            .unwrap_or(ReportTimeZone { tz: TimeZone::UTC, name, fallback: false }))
    }
}

/// The seconds of an [`offset_label`] other than "UTC": "UTC-05:30" is −19 800.
fn parse_offset_label(label: &str) -> Option<i32> {
    let rest = label.strip_prefix("UTC")?;
    let sign = match rest.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let (hh, mm) = rest[1..].split_once(':')?;
    if hh.len() != 2 || mm.len() != 2 {
        return None;
    }
    let (h, m): (i32, i32) = (hh.parse().ok()?, mm.parse().ok()?);
    (m < 60).then_some(sign * (h * 3600 + m * 60))
}

fn timestamp(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// "UTC", "UTC+01:00", "UTC-05:30".
fn offset_label(seconds: i32) -> String {
    if seconds == 0 {
        return "UTC".to_owned();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's method).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    /// 2026-03-29 00:00 in Madrid (CET, UTC+1): that day the clocks go from 02:00 to 03:00.
    const MADRID_SPRING: i64 = 1_774_738_800_000;

    #[test]
    fn days_count_on_local_dates_through_daylight_saving() {
        let madrid = ReportTimeZone::named("Europe/Madrid").expect("Europe/Madrid");
        // The 23-hour day: its start and the next day's are 23 hours apart.
        let d = madrid.day_number(MADRID_SPRING);
        assert_eq!(madrid.day_number(MADRID_SPRING + 23 * HOUR - 1), d);
        assert_eq!(madrid.day_number(MADRID_SPRING + 23 * HOUR), d + 1);
        assert_eq!(madrid.day_number(MADRID_SPRING - 1), d - 1);
        assert_eq!(madrid.start_of_day_before(MADRID_SPRING + 30 * HOUR, 1), MADRID_SPRING);
        assert_eq!(
            madrid.start_of_day_before(MADRID_SPRING + 30 * HOUR, 0),
            MADRID_SPRING + 23 * HOUR
        );
        // 2026-10-25, the 25-hour day (03:00 back to 02:00, CEST to CET).
        let autumn = 1_792_879_200_000; // 2026-10-25 00:00 CEST (UTC+2)
        let a = madrid.day_number(autumn);
        assert_eq!(madrid.day_number(autumn + 25 * HOUR - 1), a);
        assert_eq!(madrid.day_number(autumn + 25 * HOUR), a + 1);
        assert_eq!(madrid.start_of_day_before(autumn + 25 * HOUR + 60_000, 1), autumn);
        assert_eq!(madrid.describe(autumn), "Europe/Madrid (UTC+02:00)");
        // 22:30 UTC on the 24th is already the 25th in Madrid.
        assert_eq!(madrid.iso_date(autumn + 30 * 60_000), "2026-10-25");
        assert_eq!(ReportTimeZone::utc().iso_date(autumn + 30 * 60_000), "2026-10-24");
        assert_eq!(madrid.describe(autumn + 25 * HOUR), "Europe/Madrid (UTC+01:00)");
        // The hour 02:00-03:00 of that night is lived twice; the offset tells them apart.
        assert_eq!(madrid.iso_date_time(autumn + 2 * HOUR + 1_999), "2026-10-25T02:00:01+02:00");
        assert_eq!(madrid.iso_date_time(autumn + 3 * HOUR + 1_999), "2026-10-25T02:00:01+01:00");
        let kolkata = ReportTimeZone::named("Asia/Kolkata").expect("Asia/Kolkata");
        assert_eq!(kolkata.iso_date_time(0), "1970-01-01T05:30:00+05:30");
        let odd: ReportTimeZone = serde_json::from_str("\"UTC-05:30\"").expect("offset name");
        assert_eq!(odd.iso_date_time(-1), "1969-12-31T18:29:59-05:30");
    }

    /// In Santiago de Chile the clocks go from 00:00 to 01:00 on 2026-09-06: that day starts at
    /// 01:00 (04:00 UTC), its first moment.
    #[test]
    fn a_day_without_midnight_starts_at_its_first_moment() {
        let santiago = ReportTimeZone::named("America/Santiago").expect("America/Santiago");
        let first_moment = 1_788_667_200_000; // 2026-09-06 04:00 UTC
        let noon = first_moment + 11 * HOUR;
        assert_eq!(santiago.start_of_day_before(noon, 0), first_moment);
        assert_eq!(santiago.iso_date(first_moment), "2026-09-06");
        assert_eq!(santiago.iso_date(first_moment - 1), "2026-09-05");
        assert_eq!(santiago.day_number(first_moment + 23 * HOUR), santiago.day_number(noon) + 1);
    }

    #[test]
    fn names_offsets_and_refusals() {
        assert_eq!(ReportTimeZone::utc().describe(0), "UTC");
        assert_eq!(ReportTimeZone::named("Etc/UTC").expect("Etc/UTC").describe(0), "Etc/UTC");
        let london = ReportTimeZone::named("Europe/London").expect("Europe/London");
        assert_eq!(london.describe(0), "Europe/London (UTC+01:00)", "1970: British Standard Time");
        assert_eq!(london.describe(1_767_225_600_000), "Europe/London (UTC)", "2026-01-01");
        assert_eq!(ReportTimeZone::named("utc").expect("utc").name(), "UTC");
        let mexico = ReportTimeZone::named(" America/Mexico City ").expect("spaces for _");
        assert_eq!(mexico.name(), "America/Mexico_City");
        let kolkata = ReportTimeZone::named("Asia/Kolkata").expect("Asia/Kolkata");
        assert_eq!(kolkata.describe(0), "Asia/Kolkata (UTC+05:30)");
        assert_eq!(offset_label(-5 * 3600), "UTC-05:00");
        let err = ReportTimeZone::named("Mars/Olympus").expect_err("no such zone").to_string();
        assert!(err.contains("\"Mars/Olympus\"") && err.contains("Europe/Madrid"), "{err}");
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn a_zone_reads_back_from_its_name() {
        let madrid = ReportTimeZone::named("Europe/Madrid").expect("Europe/Madrid");
        let json = serde_json::to_string(&madrid).expect("json");
        assert_eq!(json, "\"Europe/Madrid\"");
        let back: ReportTimeZone = serde_json::from_str(&json).expect("back");
        assert_eq!(back, madrid);
        assert_eq!(back.day_number(MADRID_SPRING), madrid.day_number(MADRID_SPRING));
        // A zone without a name is kept as its offset, and reads back as that offset.
        let odd: ReportTimeZone = serde_json::from_str("\"UTC-05:30\"").expect("offset name");
        assert_eq!(odd.name(), "UTC-05:30");
        assert_eq!(odd.describe(0), "UTC-05:30");
        assert_eq!(odd.iso_date(5 * 3_600_000), "1969-12-31", "05:00 UTC is 23:30 the day before");
        let unknown: ReportTimeZone = serde_json::from_str("\"Mars/Olympus\"").expect("kept");
        assert_eq!((unknown.name(), unknown.iso_date(0).as_str()), ("Mars/Olympus", "1970-01-01"));
    }
}
