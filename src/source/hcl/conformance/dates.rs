//! Time functions and the impure ones. `timestamp`, `uuid` and `bcrypt` are unknown
//! during Terraform's plan too; `plantimestamp` is known to Terraform's plan but differs
//! on every run, so it is unknown here; the time arithmetic is not computed here.

use super::{c, known, Case};

const UNTIMED: &str =
    "time arithmetic is not computed here: known after apply (functions.rs UNCOMPUTED)";

pub(super) const CASES: &[Case] = &[
    c("timestamp()", "u"),
    c("uuid()", "u"),
    c("plantimestamp()", "u"),
    c(r#"length(uuid())"#, "u"),
    c(r#""id-${uuid()}""#, "u"),
    c("timestamp() == timestamp()", "u"),
    known(
        r#"formatdate("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")"#,
        r#""02 Jan 2018 23:12 UTC""#,
        "u",
        UNTIMED,
    ),
    known(
        r#"formatdate("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z")"#,
        r#""Tuesday, 02-Jan-18 23:12:01 UTC""#,
        "u",
        UNTIMED,
    ),
    known(
        r#"formatdate("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00")"#,
        r#""Tue, 02 Jan 2018 23:12:01 -0800""#,
        "u",
        UNTIMED,
    ),
    known(
        r#"formatdate("MMM DD, YYYY", "2018-01-02T23:12:01Z")"#,
        r#""Jan 02, 2018""#,
        "u",
        UNTIMED,
    ),
    known(
        r#"formatdate("HH:mmaa", "2018-01-02T23:12:01Z")"#,
        r#""11:12pm""#,
        "u",
        UNTIMED,
    ),
    known(
        r#"formatdate("h'h'mm", "2018-01-02T23:12:01-08:00")"#,
        r#""23h12""#,
        "u",
        UNTIMED,
    ),
    known(
        r#"timeadd("2017-11-22T00:00:00Z", "10m")"#,
        r#""2017-11-22T00:10:00Z""#,
        "u",
        UNTIMED,
    ),
    known(
        r#"timeadd("2017-11-22T00:00:00Z", "-1h")"#,
        r#""2017-11-21T23:00:00Z""#,
        "u",
        UNTIMED,
    ),
    known(
        r#"timecmp("2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z")"#,
        "0",
        "u",
        UNTIMED,
    ),
    known(
        r#"timecmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00Z")"#,
        "-1",
        "u",
        UNTIMED,
    ),
    known(
        r#"timecmp("2017-11-22T01:00:00Z", "2017-11-22T00:00:00-01:00")"#,
        "0",
        "u",
        UNTIMED,
    ),
    known(
        r#"formatdate("YYYY", "not a timestamp")"#,
        "error: not a valid RFC3339 timestamp",
        "u",
        UNTIMED,
    ),
];
