use super::*;
use crate::model::{Address, Environment};

#[test]
fn policies_compare_as_sets() -> crate::TestResult {
    let doc = |actions: &str, resource: &str| {
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{actions},"Resource":{resource}}}]}}"#
        );
        format!(r#"{{"policy":{}}}"#, serde_json::Value::from(policy))
    };
    let run = |a: &str, b: &str| -> crate::TestResult<usize> {
        let (ea, eb) = (
            Environment::for_tests("prod", &[("aws_x.t", a)])?,
            Environment::for_tests("staging", &[("aws_x.t", b)])?,
        );
        let names = ["prod", "staging"];
        let (ca, cb) = (Context::new(&ea, &names), Context::new(&eb, &names));
        let t = Address::parse("aws_x.t")?;
        Ok(diff(
            &Side::new(&ca, ea.get(&t).ok_or("missing")?),
            &Side::new(&cb, eb.get(&t).ok_or("missing")?),
        )
        .len())
    };
    assert_eq!(
        run(
            &doc(r#"["s3:Get","s3:Put"]"#, r#""*""#),
            &doc(r#"["s3:Put","s3:Get"]"#, r#"["*"]"#)
        )?,
        0
    );
    assert_eq!(
        run(
            &doc(r#"["s3:Get"]"#, r#""*""#),
            &doc(r#"["s3:Delete"]"#, r#""*""#)
        )?,
        1
    );
    Ok(())
}
