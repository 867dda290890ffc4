//! Service-level clocks (SUP-4): business-hours calendars and the due times worked out on them.
//!
//! A calendar has opening hours per weekday in a time zone and holidays; 24x7 coverage runs on
//! the plain clock. Due times are computed in the calendar's local time, so a day on which the
//! clocks change has 23 or 25 hours and an opening at a time that does not exist that day starts
//! when the local clock next shows a time that does. A case waiting on the customer stops its
//! clock: the business minutes used so far are kept, and the rest counts from when it resumes.

use crate::validation::FieldErrors;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::BTreeSet;

/// The weekday names of a calendar's `hours`, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// How far ahead a due time is looked for: a calendar open one hour a year still ends.
const HORIZON_DAYS: i64 = 3 * 366;

/// Opening hours of one day: from `open` to `close`, where a close of `None` is midnight at the
/// end of the day ("24:00").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Opening {
    open: NaiveTime,
    close: Option<NaiveTime>,
}

/// A business-hours calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    zone: Tz,
    /// Monday first.
    days: [Vec<Opening>; 7],
    holidays: BTreeSet<NaiveDate>,
}

/// When a service-level clock runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Hours {
    /// Round the clock (24x7 coverage, or no calendar).
    Always,
    Business(Calendar),
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    NaiveTime::from_hms_opt(h, m, 0)
}

/// `08:00-17:00`; `24:00` closes at midnight.
fn parse_range(text: &str) -> Result<Opening, &'static str> {
    let (open, close) = text.split_once('-').ok_or("out_of_range")?;
    let open = parse_time(open).ok_or("out_of_range")?;
    let close = match close.trim() {
        "24:00" => None,
        other => Some(parse_time(other).ok_or("out_of_range")?),
    };
    match close {
        Some(c) if c <= open => Err("end_before_start"),
        _ => Ok(Opening { open, close }),
    }
}

impl Calendar {
    /// Reads the API's shape: an IANA time zone, each weekday's ranges (`"08:00-17:00"`, closing
    /// at `"24:00"` for midnight) and holidays (`YYYY-MM-DD`). Every mistake is named by field.
    pub fn parse(
        time_zone: &str,
        hours: &[(String, Vec<String>)],
        holidays: &[String],
    ) -> Result<Calendar, FieldErrors> {
        let mut errors = FieldErrors::new();
        let zone = time_zone.parse::<Tz>();
        if zone.is_err() {
            errors.add("time_zone", "invalid_choice");
        }
        let mut days: [Vec<Opening>; 7] = Default::default();
        for (day, ranges) in hours {
            let field = format!("hours.{day}");
            let Some(index) = WEEKDAYS.iter().position(|d| d == day) else {
                errors.add(&field, "invalid_choice");
                continue;
            };
            for range in ranges {
                match parse_range(range) {
                    Ok(opening) => days[index].push(opening),
                    Err(code) => errors.add(&field, code),
                }
            }
            days[index].sort_by_key(|o| o.open);
            let overlaps = days[index]
                .windows(2)
                .any(|w| w[0].close.is_none_or(|c| c > w[1].open));
            if overlaps {
                errors.add(&field, "out_of_range");
            }
        }
        if days.iter().all(Vec::is_empty) {
            errors.add("hours", "required");
        }
        let mut dates = BTreeSet::new();
        for (i, day) in holidays.iter().enumerate() {
            match NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d") {
                Ok(date) => {
                    dates.insert(date);
                }
                Err(_) => errors.add(&format!("holidays.{i}"), "invalid_date"),
            }
        }
        match zone {
            Ok(zone) if errors.is_empty() => Ok(Calendar {
                zone,
                days,
                holidays: dates,
            }),
            _ => Err(errors),
        }
    }

    /// The instant the local clock shows `time` on `date`: the earlier one when the clocks go
    /// back, and the first existing minute after it when they skip it.
    fn instant(&self, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        let mut local = date.and_time(time);
        for _ in 0..=180 {
            if let Some(at) = self.zone.from_local_datetime(&local).earliest() {
                return at.with_timezone(&Utc);
            }
            local += Duration::minutes(1);
        }
        // No zone skips three hours; keep the arithmetic total all the same.
        Utc.from_utc_datetime(&date.and_time(time))
    }

    /// The open periods of `date` in UTC (none on a holiday).
    fn periods(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if self.holidays.contains(&date) {
            return Vec::new();
        }
        let weekday = date.weekday().num_days_from_monday() as usize;
        self.days[weekday]
            .iter()
            .map(|o| {
                let close = match o.close {
                    Some(c) => self.instant(date, c),
                    None => self.instant(date + Duration::days(1), NaiveTime::MIN),
                };
                (self.instant(date, o.open), close)
            })
            .filter(|(open, close)| open < close)
            .collect()
    }

    /// Whether the calendar is open at `at` (live chat's hours, CHAT-1).
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        self.periods(self.local_date(at))
            .iter()
            .any(|(open, close)| *open <= at && at < *close)
    }

    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }
}

impl Hours {
    /// The moment `running` of running clock after `start`.
    pub fn add(&self, start: DateTime<Utc>, running: Duration) -> DateTime<Utc> {
        let mut left = running.max(Duration::zero());
        let calendar = match self {
            Hours::Always => return start + left,
            Hours::Business(calendar) => calendar,
        };
        if left.is_zero() {
            return start;
        }
        let first = calendar.local_date(start);
        for offset in 0..HORIZON_DAYS {
            for (open, close) in calendar.periods(first + Duration::days(offset)) {
                let from = open.max(start);
                if from >= close {
                    continue;
                }
                if close - from >= left {
                    return from + left;
                }
                left -= close - from;
            }
        }
        start + Duration::days(HORIZON_DAYS)
    }

    /// The running clock from `from` to `to` (none when `to` is not later), to the second.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        let calendar = match self {
            Hours::Always => return to - from,
            Hours::Business(calendar) => calendar,
        };
        let mut total = Duration::zero();
        let (mut day, last) = (calendar.local_date(from), calendar.local_date(to));
        while day <= last {
            for (open, close) in calendar.periods(day) {
                let (a, b) = (open.max(from), close.min(to));
                if a < b {
                    total += b - a;
                }
            }
            day += Duration::days(1);
        }
        total
    }
}

/// A target's clock on one case: how much running time it had used when it last stopped, and
/// since when it runs again (`None` while it is stopped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaClock {
    pub target: Duration,
    /// Running time used before the clock last stopped, to the second.
    pub used: Duration,
    pub running_since: Option<DateTime<Utc>>,
}

impl SlaClock {
    /// The clock of a case opened at `opened`.
    pub fn start(target: Duration, opened: DateTime<Utc>) -> SlaClock {
        SlaClock {
            target,
            used: Duration::zero(),
            running_since: Some(opened),
        }
    }

    /// When the target falls due, or `None` while the clock is stopped.
    pub fn due(&self, hours: &Hours) -> Option<DateTime<Utc>> {
        let since = self.running_since?;
        Some(hours.add(since, self.target - self.used))
    }

    /// Stops the clock at `at` (the case waits on the customer).
    pub fn pause(self, hours: &Hours, at: DateTime<Utc>) -> SlaClock {
        match self.running_since {
            Some(since) => SlaClock {
                used: self.used + hours.between(since, at),
                running_since: None,
                ..self
            },
            None => self,
        }
    }

    /// Starts the clock again at `at` (the customer answered).
    pub fn resume(self, at: DateTime<Utc>) -> SlaClock {
        match self.running_since {
            Some(_) => self,
            None => SlaClock {
                running_since: Some(at),
                ..self
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("time")
    }

    fn office(zone: &str, holidays: &[&str]) -> Hours {
        let weekdays = ["mon", "tue", "wed", "thu", "fri"]
            .iter()
            .map(|d| (d.to_string(), vec!["08:00-17:00".to_string()]))
            .collect::<Vec<_>>();
        let holidays: Vec<String> = holidays.iter().map(|h| h.to_string()).collect();
        Hours::Business(Calendar::parse(zone, &weekdays, &holidays).expect("calendar"))
    }

    #[test]
    fn round_the_clock_is_the_plain_clock() {
        let start = at("2026-12-05T23:30:00Z");
        assert_eq!(
            Hours::Always.add(start, Duration::minutes(60)),
            at("2026-12-06T00:30:00Z")
        );
        assert_eq!(
            Hours::Always.between(start, at("2026-12-06T00:30:00Z")),
            Duration::minutes(60)
        );
    }

    #[test]
    fn a_weekend_is_skipped() {
        // Friday 2026-12-04 16:00 in Amsterdam (UTC+1): one hour left that day, then Monday.
        let hours = office("Europe/Amsterdam", &[]);
        let due = hours.add(at("2026-12-04T15:00:00Z"), Duration::hours(4));
        assert_eq!(due, at("2026-12-07T10:00:00Z"), "Monday 11:00 local");
        assert_eq!(
            hours.between(at("2026-12-04T15:00:00Z"), due),
            Duration::hours(4)
        );
    }

    #[test]
    fn a_case_opened_outside_hours_starts_at_the_next_opening() {
        let hours = office("Europe/Amsterdam", &[]);
        // Saturday night: the clock starts on Monday at 08:00 local (07:00 UTC).
        assert_eq!(
            hours.add(at("2026-12-05T22:00:00Z"), Duration::minutes(30)),
            at("2026-12-07T07:30:00Z")
        );
        // Tuesday before opening.
        assert_eq!(
            hours.add(at("2026-12-08T05:00:00Z"), Duration::minutes(60)),
            at("2026-12-08T08:00:00Z")
        );
        assert_eq!(
            hours.between(at("2026-12-05T22:00:00Z"), at("2026-12-07T07:00:00Z")),
            Duration::zero()
        );
    }

    #[test]
    fn holidays_are_skipped() {
        // Christmas Day and Boxing Day 2026 are Friday and Saturday.
        let hours = office("Europe/London", &["2026-12-25", "2026-12-28"]);
        // Thursday 24th 16:00 (UTC+0): one hour, then Friday is a holiday, the weekend, and
        // Monday the 28th too: Tuesday 29th 08:00 + 1 h.
        assert_eq!(
            hours.add(at("2026-12-24T16:00:00Z"), Duration::minutes(120)),
            at("2026-12-29T09:00:00Z")
        );
    }

    #[test]
    fn the_clocks_going_forward_and_back() {
        // Europe/Amsterdam: summer time starts 2026-03-29 02:00 → 03:00 and ends 2026-10-25
        // 03:00 → 02:00. A calendar open round the clock on Sundays has a 23-hour and a
        // 25-hour Sunday.
        let always_sunday = Calendar::parse(
            "Europe/Amsterdam",
            &[("sun".to_string(), vec!["00:00-24:00".to_string()])],
            &[],
        )
        .expect("calendar");
        let hours = Hours::Business(always_sunday);
        let spring = (at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z"));
        assert_eq!(hours.between(spring.0, spring.1), Duration::hours(23));
        let autumn = (at("2026-10-24T22:00:00Z"), at("2026-10-25T23:00:00Z"));
        assert_eq!(hours.between(autumn.0, autumn.1), Duration::hours(25));
        // Adding a whole spring Sunday runs into the next Sunday.
        assert_eq!(hours.add(spring.0, Duration::hours(23)), spring.1);
        assert_eq!(
            hours.add(spring.0, Duration::minutes(23 * 60 + 1)),
            at("2026-04-04T22:01:00Z")
        );
        // An opening at a time the spring day skips starts when the clock shows 03:00.
        let skipped = Calendar::parse(
            "Europe/Amsterdam",
            &[("sun".to_string(), vec!["02:30-04:00".to_string()])],
            &[],
        )
        .expect("calendar");
        let hours = Hours::Business(skipped);
        assert_eq!(
            hours.add(at("2026-03-29T00:00:00Z"), Duration::minutes(30)),
            at("2026-03-29T01:30:00Z"),
            "03:00 local is 01:00 UTC that day"
        );
    }

    #[test]
    fn office_hours_across_the_change_of_time() {
        // Friday 16:00 before summer time (UTC+1) plus two hours: Monday 09:00, now UTC+2.
        let hours = office("Europe/Amsterdam", &[]);
        assert_eq!(
            hours.add(at("2026-03-27T15:00:00Z"), Duration::minutes(120)),
            at("2026-03-30T07:00:00Z")
        );
    }

    #[test]
    fn a_pause_across_a_night_stops_the_clock() {
        let hours = office("Europe/Amsterdam", &[]);
        // Opened Monday 09:00 local with an 8-hour target: due at Monday's closing, 17:00.
        let clock = SlaClock::start(Duration::hours(8), at("2026-12-07T08:00:00Z"));
        assert_eq!(clock.due(&hours), Some(at("2026-12-07T16:00:00Z")));
        // Waits on the customer from Monday 15:00 until Tuesday 10:00: 6 hours used.
        let paused = clock.pause(&hours, at("2026-12-07T14:00:00Z"));
        assert_eq!(paused.used, Duration::hours(6));
        assert_eq!(paused.due(&hours), None, "no due time while waiting");
        let resumed = paused.resume(at("2026-12-08T09:00:00Z"));
        assert_eq!(resumed.due(&hours), Some(at("2026-12-08T11:00:00Z")));
        // Short runs are not rounded away: two 40-second runs use 80 seconds.
        let mut short = SlaClock::start(Duration::hours(1), at("2026-12-07T08:00:00Z"));
        for minute in [0, 10] {
            let from = at("2026-12-07T08:00:00Z") + Duration::minutes(minute);
            short = short
                .resume(from)
                .pause(&hours, from + Duration::seconds(40));
        }
        assert_eq!(short.used, Duration::seconds(80));
        // Pausing or resuming twice changes nothing.
        assert_eq!(paused.pause(&hours, at("2026-12-09T09:00:00Z")), paused);
        assert_eq!(resumed.resume(at("2026-12-10T09:00:00Z")), resumed);
    }

    #[test]
    fn a_spent_target_is_due_when_it_resumes() {
        let hours = Hours::Always;
        let clock = SlaClock::start(Duration::minutes(60), at("2026-12-07T08:00:00Z"))
            .pause(&hours, at("2026-12-07T10:00:00Z"))
            .resume(at("2026-12-08T08:00:00Z"));
        assert_eq!(clock.used, Duration::minutes(120));
        assert_eq!(clock.due(&hours), Some(at("2026-12-08T08:00:00Z")));
    }

    #[test]
    fn mistakes_in_a_calendar_are_named() {
        let hours = |day: &str, range: &str| vec![(day.to_string(), vec![range.to_string()])];
        let fields = |r: Result<Calendar, FieldErrors>| -> Vec<(String, &'static str)> {
            r.expect_err("refused")
                .0
                .into_iter()
                .map(|e| (e.field, e.code))
                .collect()
        };
        assert_eq!(
            fields(Calendar::parse(
                "Mars/Olympus",
                &hours("mon", "08:00-17:00"),
                &[]
            )),
            [("time_zone".to_string(), "invalid_choice")]
        );
        assert_eq!(
            fields(Calendar::parse("UTC", &hours("monday", "08:00-17:00"), &[])),
            [
                ("hours.monday".to_string(), "invalid_choice"),
                ("hours".to_string(), "required")
            ]
        );
        assert_eq!(
            fields(Calendar::parse("UTC", &hours("mon", "17:00-08:00"), &[])),
            [
                ("hours.mon".to_string(), "end_before_start"),
                ("hours".to_string(), "required")
            ]
        );
        assert_eq!(
            fields(Calendar::parse("UTC", &hours("mon", "8-17"), &[])),
            [
                ("hours.mon".to_string(), "out_of_range"),
                ("hours".to_string(), "required")
            ]
        );
        let overlapping = vec![(
            "tue".to_string(),
            vec!["08:00-12:00".to_string(), "11:00-17:00".to_string()],
        )];
        assert_eq!(
            fields(Calendar::parse("UTC", &overlapping, &[])),
            [("hours.tue".to_string(), "out_of_range")]
        );
        assert_eq!(
            fields(Calendar::parse(
                "UTC",
                &hours("mon", "08:00-17:00"),
                &["2026-02-30".to_string()]
            )),
            [("holidays.0".to_string(), "invalid_date")]
        );
    }
}
