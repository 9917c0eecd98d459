//! Running a table of test cases ported from upstream's own tests (the Job and CronJob
//! controllers' `*_test.go`): every case is checked and every failure reported at once, each
//! under upstream's case name, so one run shows where the sandbox and Kubernetes differ.

/// Checks each of `cases` (`check` gives the differences from upstream's expected values, empty
/// when none) and fails with every case that differs; then requires `expected` cases, so a case
/// dropped from a port is noticed. `table` names upstream's test function.
pub(crate) fn assert_cases_pass<C>(
    table: &str,
    cases: &[C],
    expected: usize,
    name: impl Fn(&C) -> &str,
    check: impl Fn(&C) -> Vec<String>,
) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let differences = check(case);
            (!differences.is_empty()).then(|| format!("{}: {}", name(case), differences.join("; ")))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{table}: {} of {} failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert_eq!(cases.len(), expected, "{table}: cases ported");
}
