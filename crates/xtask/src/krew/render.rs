//! Fills in the krew-release-bot template (`krew/.krew.yaml`) the way the bot does
//! (rajatjindal/krew-release-bot): `{{ .TagName }}` becomes the release tag, and
//! `{{addURIAndSha "URL" .TagName }}` becomes `uri: URL` plus `sha256: <sum of the archive at
//! URL>` at the same indentation. Locally the sum comes from the archive of the same file name in
//! the dist directory instead of a download.

use std::collections::BTreeMap;

const TAG: &str = "{{ .TagName }}";
const ADD_URI_AND_SHA: &str = "{{addURIAndSha \"";
const ADD_URI_AND_SHA_END: &str = "\" .TagName }}";

/// The template with `tag` filled in; every `addURIAndSha` URL is looked up by its file name in
/// `sums` (archive file name -> sha256). Returns the text and the URLs whose archive was missing
/// (their `sha256` is left empty, which validation rejects).
pub fn render(template: &str, tag: &str, sums: &BTreeMap<String, String>) -> (String, Vec<String>) {
    let mut missing = Vec::new();
    let mut out = String::new();
    for line in template.split_inclusive('\n') {
        let Some(start) = line.find(ADD_URI_AND_SHA) else {
            out.push_str(&line.replace(TAG, tag));
            continue;
        };
        let indent = &line[..start];
        let rest = &line[start + ADD_URI_AND_SHA.len()..];
        let Some(end) = rest.find(ADD_URI_AND_SHA_END) else {
            out.push_str(&line.replace(TAG, tag));
            continue;
        };
        let url = rest[..end].replace(TAG, tag);
        let file = url.rsplit('/').next().unwrap_or_default();
        let sum = sums.get(file).cloned().unwrap_or_else(|| {
            missing.push(url.clone());
            String::new()
        });
        out.push_str(&format!("{indent}uri: {url}\n{indent}sha256: \"{sum}\"\n"));
    }
    (out, missing)
}

/// The archive file names the template downloads, with the tag filled in.
pub fn archive_names(template: &str, tag: &str) -> Vec<String> {
    template
        .lines()
        .filter_map(|line| {
            let rest = &line[line.find(ADD_URI_AND_SHA)? + ADD_URI_AND_SHA.len()..];
            let url = rest[..rest.find(ADD_URI_AND_SHA_END)?].replace(TAG, tag);
            url.rsplit('/').next().map(str::to_owned)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "spec:\n  version: {{ .TagName }}\n  platforms:\n  - selector:\n      matchLabels: {os: linux, arch: amd64}\n    {{addURIAndSha \"https://example.invalid/download/{{ .TagName }}/k_{{ .TagName }}_linux_amd64.tar.gz\" .TagName }}\n    bin: k\n";

    #[test]
    fn fills_in_the_tag_and_the_archive_sum_like_the_bot() {
        let sums = BTreeMap::from([("k_v1.2.3_linux_amd64.tar.gz".to_owned(), "ab".repeat(32))]);
        let (text, missing) = render(TEMPLATE, "v1.2.3", &sums);
        assert!(missing.is_empty());
        assert!(text.contains("  version: v1.2.3\n"), "{text}");
        assert!(
            text.contains(
                "    uri: https://example.invalid/download/v1.2.3/k_v1.2.3_linux_amd64.tar.gz\n"
            ),
            "{text}"
        );
        assert!(text.contains(&format!("    sha256: \"{}\"\n", "ab".repeat(32))), "{text}");
    }

    #[test]
    fn reports_archives_it_has_no_sum_for() {
        let (_, missing) = render(TEMPLATE, "v1.2.3", &BTreeMap::new());
        assert_eq!(missing.len(), 1);
        assert_eq!(archive_names(TEMPLATE, "v1.2.3"), ["k_v1.2.3_linux_amd64.tar.gz"]);
    }
}
