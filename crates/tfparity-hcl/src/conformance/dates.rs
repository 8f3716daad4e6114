//! Time functions and the impure ones. `timestamp`, `uuid` and `bcrypt` are unknown
//! during Terraform's plan too; `plantimestamp` is known to Terraform's plan but differs
//! on every run, so it is unknown here. `formatdate`, `timeadd` and `timecmp` compute.

use super::{c, Case};

pub(super) const CASES: &[Case] = &[
    c("timestamp()", "u"),
    c("uuid()", "u"),
    c("plantimestamp()", "u"),
    c(r#"length(uuid())"#, "u"),
    c(r#""id-${uuid()}""#, "u"),
    c("timestamp() == timestamp()", "u"),
    c(r#"formatdate("YYYY", timestamp())"#, "u"),
    c(r#"timeadd(timestamp(), "1h")"#, "u"),
    // formatdate
    c(
        r#"formatdate("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")"#,
        r#""02 Jan 2018 23:12 UTC""#,
    ),
    c(
        r#"formatdate("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z")"#,
        r#""Tuesday, 02-Jan-18 23:12:01 UTC""#,
    ),
    c(
        r#"formatdate("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00")"#,
        r#""Tue, 02 Jan 2018 23:12:01 -0800""#,
    ),
    c(
        r#"formatdate("MMM DD, YYYY", "2018-01-02T23:12:01Z")"#,
        r#""Jan 02, 2018""#,
    ),
    c(
        r#"formatdate("HH:mmaa", "2018-01-02T23:12:01Z")"#,
        r#""11:12pm""#,
    ),
    c(
        r#"formatdate("h'h'mm", "2018-01-02T23:12:01-08:00")"#,
        r#""23h12""#,
    ),
    c(
        r#"formatdate("H 'o''clock'", "2018-01-02T23:12:01-08:00")"#,
        r#""11 o'clock""#,
    ),
    c(r#"formatdate("''", "2018-01-02T23:12:01Z")"#, r#""'""#),
    c(
        r#"formatdate("M/D/YY h:m:s AA", "2018-01-02T03:04:05Z")"#,
        r#""1/2/18 3:4:5 AM""#,
    ),
    c(
        r#"formatdate("MMMM EEEE", "2024-02-29T00:00:00Z")"#,
        r#""February Thursday""#,
    ),
    c(
        r#"formatdate("H aa", "2018-01-02T00:30:00Z")"#,
        r#""12 am""#,
    ),
    c(
        r#"formatdate("Z ZZZZ ZZZZZ", "2018-01-02T23:12:01+05:30")"#,
        r#""+05:30 +0530 +05:30""#,
    ),
    c(r#"formatdate("Z", "2018-01-02T23:12:01Z")"#, r#""Z""#),
    c(
        r#"formatdate("YYYY-MM-DD", "1969-12-31T23:59:59Z")"#,
        r#""1969-12-31""#,
    ),
    c(
        r#"formatdate("YYYY-MM-DD", "2018-01-02T23:12:01.999Z")"#,
        r#""2018-01-02""#,
    ),
    c(
        r#"formatdate("YYY", "2018-01-02T23:12:01Z")"#,
        r#"error: invalid date format verb "YYY": year must either be "YY" or "YYYY""#,
    ),
    c(
        r#"formatdate("x", "2018-01-02T23:12:01Z")"#,
        r#"error: invalid date format verb "x""#,
    ),
    c(
        r#"formatdate("'abc", "2018-01-02T23:12:01Z")"#,
        "error: unterminated literal '",
    ),
    c(
        r#"formatdate("YYYY", "not a timestamp")"#,
        "error: not a valid RFC3339 timestamp",
    ),
    c(
        r#"formatdate("YYYY", "2018-01-02")"#,
        "error: not a valid RFC3339 timestamp",
    ),
    c(
        r#"formatdate("YYYY", "2018-01-02 23:12:01Z")"#,
        "error: missing required time introducer 'T'",
    ),
    c(
        r#"formatdate("YYYY", "2018-02-30T00:00:00Z")"#,
        "error: not a valid RFC3339 timestamp",
    ),
    c(
        r#"formatdate("YYYY", "2018-01-02T24:00:00Z")"#,
        "error: hour must be between 0 and 23 inclusive",
    ),
    // timeadd: Go's durations; the result keeps the timestamp's offset.
    c(
        r#"timeadd("2017-11-22T00:00:00Z", "10m")"#,
        r#""2017-11-22T00:10:00Z""#,
    ),
    c(
        r#"timeadd("2017-11-22T00:00:00Z", "-1h")"#,
        r#""2017-11-21T23:00:00Z""#,
    ),
    c(
        r#"timeadd("2017-11-22T00:00:00Z", "1h30m45s")"#,
        r#""2017-11-22T01:30:45Z""#,
    ),
    c(
        r#"timeadd("2017-11-22T00:00:00Z", "1.5h")"#,
        r#""2017-11-22T01:30:00Z""#,
    ),
    c(
        r#"timeadd("2017-11-22T00:00:00+01:00", "24h")"#,
        r#""2017-11-23T00:00:00+01:00""#,
    ),
    c(
        r#"timeadd("2016-02-28T12:00:00Z", "24h")"#,
        r#""2016-02-29T12:00:00Z""#,
    ),
    c(
        r#"timeadd("2017-12-31T23:59:59Z", "1s")"#,
        r#""2018-01-01T00:00:00Z""#,
    ),
    c(
        r#"timeadd("2017-11-22T00:00:00.5Z", "500ms")"#,
        r#""2017-11-22T00:00:01Z""#,
    ),
    c(
        r#"timeadd("2017-11-22T00:00:00Z", "0")"#,
        r#""2017-11-22T00:00:00Z""#,
    ),
    c(
        r#"timeadd("2017-11-22T00:00:00Z", "1d")"#,
        r#"error: time: unknown unit "d" in duration "1d""#,
    ),
    c(
        r#"timeadd("2017-11-22T00:00:00Z", "10")"#,
        r#"error: time: missing unit in duration "10""#,
    ),
    c(
        r#"timeadd("2017-11-22T00:00:00Z", "")"#,
        r#"error: time: invalid duration """#,
    ),
    c(
        r#"timeadd("2017-11-22", "1h")"#,
        "error: not a valid RFC3339 timestamp",
    ),
    // timecmp: instants compared, whatever their offsets.
    c(
        r#"timecmp("2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z")"#,
        "0",
    ),
    c(
        r#"timecmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00Z")"#,
        "-1",
    ),
    c(
        r#"timecmp("2017-11-22T01:00:00Z", "2017-11-22T00:00:00Z")"#,
        "1",
    ),
    c(
        r#"timecmp("2017-11-22T01:00:00Z", "2017-11-22T00:00:00-01:00")"#,
        "0",
    ),
    c(
        r#"timecmp("2017-11-22T00:00:00.1Z", "2017-11-22T00:00:00Z")"#,
        "1",
    ),
    c(
        r#"timecmp("2017-11-22T00:00:00Z", "nope")"#,
        "error: not a valid RFC3339 timestamp",
    ),
];
