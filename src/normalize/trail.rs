//! The path being walked through an attribute value, borrowing its names, so that
//! walking allocates nothing until a path has to be kept.

use crate::model::{AttrPath, PathStep};

/// One step of a walked path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'v> {
    Attr(&'v str),
    Index(usize),
    Key(&'v str),
}

/// The owned path of a trail.
pub fn to_path(trail: &[Step<'_>]) -> AttrPath {
    AttrPath(
        trail
            .iter()
            .map(|s| match s {
                Step::Attr(a) => PathStep::Attr((*a).into()),
                Step::Index(i) => PathStep::Index(*i as i64),
                Step::Key(k) => PathStep::Key((*k).into()),
            })
            .collect(),
    )
}

/// The step for key `k` of an object reached by `trail`: an attribute when the object
/// is a block (an element of a list), a map key otherwise.
pub fn object_step<'v>(trail: &[Step<'_>], k: &'v str) -> Step<'v> {
    if matches!(trail.last(), Some(Step::Index(_))) {
        Step::Attr(k)
    } else {
        Step::Key(k)
    }
}
