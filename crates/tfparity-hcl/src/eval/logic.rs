//! `&&` and `||` as HCL decides them: both operands are evaluated, an operand that
//! fails counts as unknown, and it is ignored when the other operand alone decides the
//! result (`false && x.a`, `true || x.a`, `can(x.a) && x.a != null`). Operands that are
//! not bools are errors first, as in HCL. Only logic here; the evaluator dispatches.

use super::{EResult, Eval, EvalError};
use crate::expr::BinaryOperator;
use crate::value::V;

/// One operand as the short-circuit sees it.
enum Operand {
    /// A bool, or `None` for null.
    Known(Option<bool>),
    /// Known only after apply, or failed (the error kept aside).
    Unknown(Option<EvalError>),
}

impl Eval<'_> {
    /// `l && r` or `l || r`, from the results of evaluating each operand.
    pub(super) fn logical(
        &self,
        op: BinaryOperator,
        l: EResult<V>,
        r: EResult<V>,
        span: Option<std::ops::Range<usize>>,
    ) -> EResult<V> {
        // A reference to something not declared is an error of the configuration,
        // which Terraform reports before evaluating anything (as for `try`).
        for side in [&l, &r] {
            if let Err(e) = side {
                if e.what.starts_with("Reference to undeclared") {
                    return Err(e.clone());
                }
            }
        }
        let mut marked = false;
        let mut operand = |v: EResult<V>, side: &str| -> EResult<Operand> {
            let v = match v {
                Err(e) => return Ok(Operand::Unknown(Some(e))),
                Ok(v) => v,
            };
            let (v, m) = v.unmark();
            marked |= m;
            if v.is_unknown() {
                return Ok(Operand::Unknown(None));
            }
            if v == V::Null {
                return Ok(Operand::Known(None));
            }
            v.to_bool().map(|b| Operand::Known(Some(b))).ok_or_else(|| {
                self.err(
                    span.clone(),
                    format!(
                        "Invalid operand: unsuitable value for {side} operand: a bool is required, not {}",
                        v.type_name()
                    ),
                )
            })
        };
        let (l, r) = (operand(l, "left"), operand(r, "right"));
        let (l, r) = (l?, r?);
        // `&&` is decided by a false operand, `||` by a true one.
        let decides = op == BinaryOperator::Or;
        let unknown = || Ok(V::unknown().mark(marked));
        let decided = || Ok(V::Bool(decides).mark(marked));
        match (l, r) {
            (Operand::Unknown(None), Operand::Unknown(_)) => unknown(),
            (Operand::Known(Some(b)), _) | (_, Operand::Known(Some(b))) if b == decides => {
                decided()
            }
            (Operand::Unknown(e), Operand::Known(Some(_)))
            | (Operand::Known(Some(_)), Operand::Unknown(e)) => match e {
                Some(e) => Err(e),
                None => unknown(),
            },
            (Operand::Unknown(Some(e)), _) | (_, Operand::Unknown(Some(e))) => Err(e),
            (Operand::Unknown(None), _) | (_, Operand::Unknown(None)) => unknown(),
            (Operand::Known(Some(a)), Operand::Known(Some(b))) => {
                Ok(V::Bool(if decides { a || b } else { a && b }).mark(marked))
            }
            (Operand::Known(_), Operand::Known(_)) => Err(self.err(
                span,
                "Operation failed: error during operation: argument must not be null",
            )),
        }
    }
}
