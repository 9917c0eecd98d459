//! OpenMetrics text across clusters: one exposition, each family once (its `# HELP`/`# TYPE`
//! lines from the first cluster that has it, every cluster's samples together, as the format
//! requires families to be contiguous), every sample with a `context="NAME"` label first, and
//! one `# EOF` at the end. For `-o openmetrics` reports (`lastrun`): a capturing printer records
//! the text, and the fan-out merges it with [`merge`].

/// Merges `(context, exposition)` pairs.
pub fn merge(parts: &[(String, String)]) -> String {
    // family name -> (metadata lines, the context they came from), then its samples, in
    // first-seen order.
    let mut families: Vec<(String, Vec<String>, Option<String>)> = Vec::new();
    let mut samples: Vec<Vec<String>> = Vec::new();
    for (context, text) in parts {
        let mut current: Option<usize> = None;
        for line in text.lines() {
            if line == "# EOF" || line.is_empty() {
                continue;
            }
            if let Some(meta) = line.strip_prefix("# ") {
                let mut words = meta.splitn(3, ' ');
                let (_, Some(name)) = (words.next(), words.next()) else { continue };
                let index = family(&mut families, name);
                // Metadata from the first cluster that describes the family only.
                let (_, meta, owner) = &mut families[index];
                if owner.get_or_insert_with(|| context.clone()) == context {
                    meta.push(line.to_owned());
                }
                current = Some(index);
                continue;
            }
            let name_end = line.find(['{', ' ']).unwrap_or(line.len());
            let sample_name = &line[..name_end];
            let index = match current {
                Some(i) if sample_name.starts_with(families[i].0.as_str()) => i,
                _ => family(&mut families, sample_name),
            };
            samples.resize_with(families.len(), Vec::new);
            samples[index].push(with_label(line, name_end, context));
        }
    }
    samples.resize_with(families.len(), Vec::new);
    let mut out = String::new();
    for ((_, meta, _), samples) in families.iter().zip(&samples) {
        for line in meta.iter().chain(samples) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("# EOF\n");
    out
}

fn family(families: &mut Vec<(String, Vec<String>, Option<String>)>, name: &str) -> usize {
    if let Some(i) = families.iter().position(|(n, _, _)| n == name) {
        return i;
    }
    families.push((name.to_owned(), Vec::new(), None));
    families.len() - 1
}

/// `name{a="b"} 1` -> `name{context="X",a="b"} 1`; `name 1` -> `name{context="X"} 1`.
fn with_label(line: &str, name_end: usize, context: &str) -> String {
    let value = context.replace('\\', r"\\").replace('"', "\\\"").replace('\n', "\\n");
    let (name, rest) = line.split_at(name_end);
    match rest.strip_prefix('{') {
        Some(labels) if labels.starts_with('}') => format!("{name}{{context=\"{value}\"{labels}"),
        Some(labels) => format!("{name}{{context=\"{value}\",{labels}"),
        None => format!("{name}{{context=\"{value}\"}}{rest}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_stay_together_with_a_context_label_and_one_eof() {
        let a = "# HELP kuul_up Whether\n# TYPE kuul_up gauge\nkuul_up{name=\"x\"} 1\n\
                 # TYPE kuul_age gauge\nkuul_age 5\n# EOF\n";
        let b = "# HELP kuul_up Whether\n# TYPE kuul_up gauge\nkuul_up{name=\"y\"} 0\n# EOF\n";
        let merged = merge(&[("a".into(), a.into()), ("b".into(), b.into())]);
        assert_eq!(
            merged,
            "# HELP kuul_up Whether\n# TYPE kuul_up gauge\nkuul_up{context=\"a\",name=\"x\"} 1\n\
             kuul_up{context=\"b\",name=\"y\"} 0\n# TYPE kuul_age gauge\n\
             kuul_age{context=\"a\"} 5\n# EOF\n"
        );
    }

    #[test]
    fn labels_are_escaped_and_empty_label_sets_filled() {
        assert_eq!(with_label("m{} 1", 1, "a\"b"), "m{context=\"a\\\"b\"} 1");
    }
}
