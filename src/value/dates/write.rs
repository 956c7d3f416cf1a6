//! Writing an instant with a compiled format, as arrow's formatter does.

use super::*;

pub(super) fn month_name(month: u32, names: &[&'static str; 12]) -> &'static str {
    names
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or_default()
}

pub(super) fn day_name(weekday: Weekday, names: &[&'static str; 7]) -> &'static str {
    names
        .get(weekday.num_days_from_monday() as usize)
        .copied()
        .unwrap_or_default()
}

/// English ordinal, as arrow's English locale writes it (`1st`, `11th`, `22nd`).
pub(super) fn ordinal(n: u32) -> String {
    let suffix = if matches!(n % 100, 11..=13) {
        "th"
    } else {
        match n % 10 {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        }
    };
    format!("{n}{suffix}")
}

/// Microseconds since the epoch; i128 because seconds times a million
/// overflows i64 near chrono's extreme years.
pub(super) fn timestamp_micros<Tz: TimeZone>(t: &DateTime<Tz>) -> i128 {
    i128::from(t.timestamp()) * 1_000_000 + i128::from(t.timestamp_subsec_micros() % 1_000_000)
}

/// Python's `repr(float)`, which arrow's `X` writes: shortest round-trip
/// digits, always a `.0` on whole numbers, exponent form below `1e-4`.
pub(super) fn python_float_repr(value: f64) -> String {
    if value != 0.0 && value.abs() < 1e-4 {
        let text = format!("{value:e}");
        if let Some((mantissa, exponent)) = text.split_once('e') {
            let (sign, digits) = match exponent.strip_prefix('-') {
                Some(digits) => ('-', digits),
                None => ('+', exponent),
            };
            return format!("{mantissa}e{sign}{digits:0>2}");
        }
        return text;
    }
    let text = format!("{value}");
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

/// `+HH:MM`-style offset as arrow's `ZZ` (with colon) and `Z` write it.
pub(super) fn format_offset(seconds: i32, separator: &str) -> String {
    // Python truncates the minutes toward zero before taking the sign.
    let total_minutes = seconds / 60;
    let sign = if total_minutes >= 0 { '+' } else { '-' };
    let total_minutes = total_minutes.unsigned_abs();
    format!(
        "{sign}{:02}{separator}{:02}",
        total_minutes / 60,
        total_minutes % 60
    )
}

/// Python's name for a fixed `timezone`: `UTC`, or `UTC+01:30`.
pub(super) fn python_zone_name(seconds: i32) -> String {
    if seconds == 0 {
        return "UTC".to_string();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let mut name = format!("UTC{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60);
    if !abs.is_multiple_of(60) {
        let _ = write!(name, ":{:02}", abs % 60);
    }
    name
}

pub(super) fn format_field<Tz: TimeZone>(field: Field, t: &DateTime<Tz>, out: &mut String)
where
    Tz::Offset: fmt::Display,
{
    // Writing to a String cannot fail, so the fmt::Result is ignored.
    let _ = match field {
        Field::Year4 => write!(out, "{:04}", t.year()),
        Field::Year2 => {
            // arrow takes the last characters of the four-digit form.
            let full = format!("{:04}", t.year());
            out.push_str(full.get(2..).unwrap_or_default());
            Ok(())
        }
        Field::MonthName => write!(out, "{}", month_name(t.month(), &MONTH_NAMES)),
        Field::MonthAbbr => write!(out, "{}", month_name(t.month(), &MONTH_ABBREVIATIONS)),
        Field::Month2 => write!(out, "{:02}", t.month()),
        Field::Month => write!(out, "{}", t.month()),
        Field::DayOfYear3 => write!(out, "{:03}", t.ordinal()),
        Field::DayOfYear => write!(out, "{}", t.ordinal()),
        Field::Day2 => write!(out, "{:02}", t.day()),
        Field::Day => write!(out, "{}", t.day()),
        Field::DayOrdinal => write!(out, "{}", ordinal(t.day())),
        Field::WeekdayName => write!(out, "{}", day_name(t.weekday(), &DAY_NAMES)),
        Field::WeekdayAbbr => write!(out, "{}", day_name(t.weekday(), &DAY_ABBREVIATIONS)),
        Field::IsoWeekday => write!(out, "{}", t.weekday().number_from_monday()),
        Field::Hour2 => write!(out, "{:02}", t.hour()),
        Field::Hour => write!(out, "{}", t.hour()),
        Field::Hour12Padded => write!(out, "{:02}", hour12(t.hour())),
        Field::Hour12 => write!(out, "{}", hour12(t.hour())),
        Field::Minute2 => write!(out, "{:02}", t.minute()),
        Field::Minute => write!(out, "{}", t.minute()),
        Field::Second2 => write!(out, "{:02}", t.second()),
        Field::Second => write!(out, "{}", t.second()),
        Field::Fraction(count) => {
            // A leap second keeps its fraction within the second.
            let micros = t.nanosecond() % 1_000_000_000 / 1_000;
            // arrow's formatter knows runs of at most six `S`; longer runs
            // are consumed six at a time, each writing the leading digits.
            let mut remaining = count;
            while remaining > 0 {
                let digits = remaining.min(6);
                let divisor = 10u32.pow(6 - digits as u32);
                let _ = write!(out, "{:0width$}", micros / divisor, width = digits);
                remaining -= digits;
            }
            Ok(())
        }
        Field::MeridianUpper => out.write_str(if t.hour() < 12 { "AM" } else { "PM" }),
        Field::MeridianLower => out.write_str(if t.hour() < 12 { "am" } else { "pm" }),
        // Python converts exactly: an integer count of microseconds divided
        // by a million, correctly rounded, which is what this computes too.
        Field::Timestamp => out.write_str(&python_float_repr(timestamp_micros(t) as f64 / 1e6)),
        Field::TimestampMicros => write!(out, "{}", timestamp_micros(t)),
        Field::ZoneName => {
            let name = t.offset().to_string();
            if name.starts_with(['+', '-']) {
                out.write_str(&python_zone_name(t.offset().fix().local_minus_utc()))
            } else {
                out.write_str(&name)
            }
        }
        Field::OffsetColon => {
            out.write_str(&format_offset(t.offset().fix().local_minus_utc(), ":"))
        }
        Field::Offset => out.write_str(&format_offset(t.offset().fix().local_minus_utc(), "")),
        Field::IsoWeekDate => {
            let week = t.iso_week();
            write!(
                out,
                "{}-W{:02}-{}",
                week.year(),
                week.week(),
                t.weekday().number_from_monday()
            )
        }
    };
}

/// arrow's 12-hour clock: 0 and 12 are both written as 12.
pub(super) fn hour12(hour: u32) -> u32 {
    if (1..=12).contains(&hour) {
        hour
    } else {
        hour.abs_diff(12)
    }
}
