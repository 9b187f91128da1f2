//! Durations in kubectl's two directions: printing ages (`HumanDuration`) and reading
//! `--timeout=` values (Go's `time.ParseDuration`).

/// kubectl's duration format for AGE columns, as `k8s.io/apimachinery/pkg/util/duration`
/// `HumanDuration` writes it: exact seconds below 2 minutes, then ever coarser units
/// (e.g. 5s, 2m30s, 10m, 3h, 5h20m, 2d, 3d4h, 400d, 2y3d).
pub fn human_duration(ms: u64) -> String {
    let seconds = ms / 1000;
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        return match seconds % 60 {
            0 => format!("{minutes}m"),
            s => format!("{minutes}m{s}s"),
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        return match minutes % 60 {
            0 => format!("{hours}h"),
            m => format!("{hours}h{m}m"),
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        return match hours % 24 {
            0 => format!("{}d", hours / 24),
            h => format!("{}d{h}h", hours / 24),
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        return match (hours / 24) % 365 {
            0 => format!("{}y", hours / 24 / 365),
            d => format!("{}y{d}d", hours / 24 / 365),
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// Parses a Go duration (`time.ParseDuration`: `30s`, `1m30s`, `1.5h`, `500ms`, `0`) into
/// milliseconds, with Go's error messages. Negative durations parse (Go allows them) and
/// come back as `None` inside `Ok` so callers can treat them as "no limit" or reject them.
pub fn parse_go_duration(text: &str) -> Result<Option<u64>, String> {
    let invalid = || format!("time: invalid duration \"{text}\"");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(Some(0));
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    // Go's own arithmetic (time.ParseDuration): 64-bit nanoseconds, the fraction through a
    // float64, at most 1<<63 in all.
    const LIMIT: u64 = 1 << 63;
    let mut total_ns: u64 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int_part, after) = rest.split_at(int_len);
        let (frac_part, after) = match after.strip_prefix('.') {
            Some(f) => {
                let n = f.bytes().take_while(u8::is_ascii_digit).count();
                f.split_at(n)
            }
            None => ("", after),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = after
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit() || *c == '.')
            .map_or(after.len(), |(i, _)| i);
        let (unit, after) = after.split_at(unit_len);
        let unit_ns: u64 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            "" => return Err(format!("time: missing unit in duration \"{text}\"")),
            other => {
                return Err(format!(
                    "time: unknown unit \"{other}\" in duration \"{text}\""
                ))
            }
        };
        let whole: u64 = match int_part {
            "" => 0,
            digits => digits.parse().map_err(|_| invalid())?,
        };
        // leadingFraction: digits past what 64 bits hold only refine nothing.
        let (mut frac, mut scale) = (0u64, 1f64);
        for digit in frac_part.bytes() {
            match frac.checked_mul(10) {
                Some(f) if f <= LIMIT => {
                    frac = f + u64::from(digit - b'0');
                    scale *= 10.0;
                }
                _ => break,
            }
        }
        let mut v = whole
            .checked_mul(unit_ns)
            .filter(|v| *v <= LIMIT)
            .ok_or_else(invalid)?;
        if frac > 0 {
            // As Go converts it; a fraction of at most one unit stays far inside u64.
            #[allow(
                clippy::cast_precision_loss,
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss
            )]
            let fraction = (frac as f64 * (unit_ns as f64 / scale)) as u64;
            v = v.saturating_add(fraction);
        }
        total_ns = total_ns
            .checked_add(v)
            .filter(|t| *t < LIMIT)
            .ok_or_else(invalid)?;
        rest = after;
    }
    if negative && total_ns > 0 {
        return Ok(None);
    }
    Ok(Some(total_ns / 1_000_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_duration_table() {
        // Expected values from apimachinery's duration_test.go TestHumanDuration.
        let cases: &[(u64, &str)] = &[
            (0, "0s"),
            (999, "0s"),
            (1_000, "1s"),
            (59_000, "59s"),
            (119_000, "119s"),
            (120_000, "2m"),
            (150_000, "2m30s"),
            (599_000, "9m59s"),
            (600_000, "10m"),
            (3 * 3_600_000 - 60_000, "179m"),
            (3 * 3_600_000, "3h"),
            (5 * 3_600_000 + 20 * 60_000, "5h20m"),
            (8 * 3_600_000 + 59 * 60_000, "8h"),
            (47 * 3_600_000, "47h"),
            (48 * 3_600_000, "2d"),
            (3 * 86_400_000 + 4 * 3_600_000, "3d4h"),
            (8 * 86_400_000, "8d"),
            (729 * 86_400_000, "729d"),
            (730 * 86_400_000, "2y"),
            (733 * 86_400_000, "2y3d"),
            (8 * 365 * 86_400_000, "8y"),
        ];
        for (ms, want) in cases {
            assert_eq!(human_duration(*ms), *want, "{ms} ms");
        }
    }

    #[test]
    fn go_duration_table() {
        let cases: &[(&str, Result<Option<u64>, &str>)] = &[
            ("0", Ok(Some(0))),
            ("30s", Ok(Some(30_000))),
            ("1m30s", Ok(Some(90_000))),
            ("1.5h", Ok(Some(5_400_000))),
            ("500ms", Ok(Some(500))),
            ("-5s", Ok(None)),
            ("5", Err("time: missing unit in duration \"5\"")),
            ("5d", Err("time: unknown unit \"d\" in duration \"5d\"")),
            ("abc", Err("time: invalid duration \"abc\"")),
            ("", Err("time: invalid duration \"\"")),
            (
                "99999999999999h",
                Err("time: invalid duration \"99999999999999h\""),
            ),
        ];
        for (text, want) in cases {
            let want = want.map_err(str::to_string);
            assert_eq!(parse_go_duration(text), want, "{text}");
        }
    }
}
