//! The NHS.UK date-input pattern's one reading rule, for every form with a date (a cramp's
//! start, a medicine's or a pregnancy's dates, a condition's "since"): three boxes, day, month
//! and year, and only the box at fault marked.

use chrono::NaiveDate;

/// The box of a date input that is at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateBox {
    Day,
    Month,
    Year,
}

/// The date typed in three boxes, or the box at fault: the first of day, month and year that is
/// not a number in range; a date that does not exist (31 2) is the day's fault. A year must have
/// four digits: "26" is a slip, not the year 26.
pub(crate) fn read(day: &str, month: &str, year: &str) -> Result<NaiveDate, DateBox> {
    let (d, m, y) = (day.trim(), month.trim(), year.trim());
    let day = d.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
    let month = m.parse::<u32>().ok().filter(|m| (1..=12).contains(m));
    let year = Some(y)
        .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| *y > 0);
    match (day, month, year) {
        (None, _, _) => Err(DateBox::Day),
        (_, None, _) => Err(DateBox::Month),
        (_, _, None) => Err(DateBox::Year),
        (Some(d), Some(m), Some(y)) => NaiveDate::from_ymd_opt(y, m, d).ok_or(DateBox::Day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_date_reads_with_spaces_around_its_boxes() {
        assert_eq!(
            read(" 3", "10 ", "2026"),
            Ok(NaiveDate::from_ymd_opt(2026, 10, 3).expect("a real date"))
        );
        assert_eq!(
            read("29", "2", "2024"),
            Ok(NaiveDate::from_ymd_opt(2024, 2, 29).expect("a leap day"))
        );
    }

    #[test]
    fn only_the_first_box_at_fault_is_named() {
        assert_eq!(read("", "", ""), Err(DateBox::Day));
        assert_eq!(read("32", "13", "26"), Err(DateBox::Day));
        assert_eq!(read("3", "13", "26"), Err(DateBox::Month));
        assert_eq!(read("3", "x", "2026"), Err(DateBox::Month));
        assert_eq!(read("3", "10", ""), Err(DateBox::Year));
    }

    #[test]
    fn a_date_that_does_not_exist_is_the_days_fault() {
        assert_eq!(read("31", "2", "2026"), Err(DateBox::Day));
        assert_eq!(read("29", "2", "2026"), Err(DateBox::Day));
    }

    #[test]
    fn a_year_must_be_four_digits() {
        for y in ["26", "026", "20265", "+026", "0000", "２０２６"] {
            assert_eq!(read("3", "10", y), Err(DateBox::Year), "{y}");
        }
    }
}
