//! The virtual clock's units and the mapping from virtual milliseconds to wall-clock timestamps.
//!
//! Time in the simulation is an integer number of milliseconds since the cluster started.
//! Timestamps written into objects (`creationTimestamp`, condition times) are
//! [`START_UNIX_MS`] plus that offset, so that `-o yaml` shows real-looking RFC 3339 times.

use crate::types::Time;

/// Milliseconds of virtual time since the cluster started.
pub type Millis = u64;

/// The documented virtual start time: 2025-01-01T00:00:00Z, as Unix milliseconds.
pub const START_UNIX_MS: i64 = 1_735_689_600_000;

/// One second in [`Millis`].
pub const SECOND: Millis = 1_000;

/// The API timestamp for a virtual instant.
pub fn timestamp(now: Millis) -> Time {
    let offset = i64::try_from(now).unwrap_or(i64::MAX / 2);
    Time(START_UNIX_MS.saturating_add(offset))
}

/// The virtual instant a timestamp written by [`timestamp`] stands for (0 if it is earlier
/// than the start).
pub fn millis_of(time: &Time) -> Millis {
    Millis::try_from(time.0.saturating_sub(START_UNIX_MS)).unwrap_or(0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (`civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A Unix time in milliseconds as the API writes a `Time`: RFC 3339 in UTC, whole seconds
/// (`2025-01-01T00:00:00Z`).
pub fn format_rfc3339(unix_ms: i64) -> String {
    let secs = unix_ms.div_euclid(1000);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Parses an RFC 3339 timestamp (`2006-01-02T15:04:05Z07:00`, optional fraction) into Unix
/// milliseconds, as Go's `time.Parse(time.RFC3339, s)` accepts it.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0i64, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
        })
    };
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let days_in_month = match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    if day < 1 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut at = 19;
    let mut millis = 0;
    if sep(at, b'.') {
        let digits = b[at + 1..]
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        millis = (0..3).try_fold(0, |acc, i| {
            Some(acc * 10 + if i < digits { num(at + 1 + i, 1)? } else { 0 })
        })?;
        at += 1 + digits;
    }
    let offset_minutes = match b.get(at..)? {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let minutes = num(at + 1, 2)? * 60 + num(at + 4, 2)?;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Some(seconds * 1000 + millis - offset_minutes * 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_time_is_documented_instant() {
        assert_eq!(format_rfc3339(timestamp(0).0), "2025-01-01T00:00:00Z");
        assert_eq!(millis_of(&timestamp(61_500)), 61_500);
    }

    #[test]
    fn rfc3339_round_trips_and_parses_like_go() {
        // (input, unix ms) — values checked with `date -u -d ... +%s`.
        let cases: &[(&str, Option<i64>)] = &[
            ("1970-01-01T00:00:00Z", Some(0)),
            ("2025-01-01T00:00:00Z", Some(START_UNIX_MS)),
            ("2024-02-29T12:34:56Z", Some(1_709_210_096_000)),
            ("2025-01-01T01:00:00+01:00", Some(START_UNIX_MS)),
            ("2024-12-31T19:00:00-05:00", Some(START_UNIX_MS)),
            ("2025-01-01T00:00:00.25Z", Some(START_UNIX_MS + 250)),
            ("2025-01-01T00:00:00.123456789Z", Some(START_UNIX_MS + 123)),
            ("2023-02-29T00:00:00Z", None),
            ("2025-01-01 00:00:00Z", None),
            ("2025-01-01T00:00:00", None),
            ("2025-13-01T00:00:00Z", None),
            ("2025-01-01T00:00:00.Z", None),
            ("yesterday", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_rfc3339(input), *want, "{input}");
        }
        for ms in [
            0,
            START_UNIX_MS,
            1_709_210_096_000,
            -86_400_000,
            300 * 365 * 86_400_000,
        ] {
            assert_eq!(parse_rfc3339(&format_rfc3339(ms)), Some(ms));
        }
    }
}
