//! The OpenMetrics text exposition (which Prometheus' text format 0.0.4 parsers also read): a
//! tiny writer instead of the `prometheus-client` crate, because kuul prints one snapshot and
//! exits. A registry of typed metric objects would only be filled to be encoded once, and the
//! format needs no more than this: `# HELP`/`# TYPE` per family, samples with escaped label
//! values, `# EOF` at the end (OpenMetrics 1.0, "Text format"; the Prometheus parser skips that
//! line as a comment).

use std::fmt::Write as _;

/// Builds an exposition, family by family (OpenMetrics forbids interleaving them).
#[derive(Debug, Default)]
pub struct Exposition {
    text: String,
}

/// A metric type kuul exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricType {
    /// A value that goes up and down (every `lastrun` metric).
    Gauge,
}

impl Exposition {
    /// An empty exposition.
    pub fn new() -> Self {
        Exposition::default()
    }

    /// Starts a family: its HELP (escaped) and TYPE lines.
    pub fn family(&mut self, name: &str, help: &str, kind: MetricType) {
        debug_assert!(valid_name(name), "{name}");
        let kind = match kind {
            MetricType::Gauge => "gauge",
        };
        let _ = writeln!(self.text, "# HELP {name} {}", escape(help, false));
        let _ = writeln!(self.text, "# TYPE {name} {kind}");
    }

    /// One sample of the current family. Integral values print without a fraction.
    pub fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.text.push_str(name);
        if !labels.is_empty() {
            self.text.push('{');
            for (i, (key, value)) in labels.iter().enumerate() {
                if i > 0 {
                    self.text.push(',');
                }
                let _ = write!(self.text, "{key}=\"{}\"", escape(value, true));
            }
            self.text.push('}');
        }
        let _ = writeln!(self.text, " {}", number(value));
    }

    /// The text, ended by `# EOF`.
    pub fn finish(mut self) -> String {
        self.text.push_str("# EOF\n");
        self.text
    }
}

/// Escapes `\` and newlines (and `"` in label values), as both formats require.
fn escape(text: &str, quote: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '"' if quote => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

fn number(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 { "+Inf".into() } else { "-Inf".into() }
    } else if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_samples_and_eof() {
        let mut e = Exposition::new();
        e.family("kuul_x", "A help\\text\nsecond line", MetricType::Gauge);
        e.sample("kuul_x", &[("namespace", "ops"), ("cronjob", "a\"b\\c\nd")], 3.0);
        e.sample("kuul_x", &[], 1.5);
        assert_eq!(
            e.finish(),
            "# HELP kuul_x A help\\\\text\\nsecond line\n# TYPE kuul_x gauge\n\
             kuul_x{namespace=\"ops\",cronjob=\"a\\\"b\\\\c\\nd\"} 3\nkuul_x 1.5\n# EOF\n"
        );
    }

    #[test]
    fn numbers_as_the_formats_spell_them() {
        assert_eq!(number(1_700_000_000.0), "1700000000");
        assert_eq!(number(-2.0), "-2");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::INFINITY), "+Inf");
    }

    #[test]
    fn names_are_checked() {
        assert!(valid_name("kube_cronjob_next_schedule_time"));
        assert!(!valid_name("9x"));
        assert!(!valid_name("a-b"));
    }
}
