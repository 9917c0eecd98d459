//! kubectl's `-o jsonpath=TEMPLATE`: literal text mixed with `{...}` actions, as in
//! k8s.io/client-go/util/jsonpath (`{.items[*].name}`, `{"\n"}`, `{range .items[*]}...{end}`,
//! filters such as `{.items[?(@.verdict=="MISSED")].name}`). The path expressions themselves are
//! evaluated by jsonpath-rust; this module only parses kubectl's template layer around them and
//! prints results the way kubectl does (strings bare, other values as JSON, space-separated).

use jsonpath_rust::parser::model::JpQuery;
use jsonpath_rust::parser::parse_json_path;
use jsonpath_rust::query::js_path_process;
use serde_json::Value;

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    source: String,
    nodes: Vec<Node>,
}

impl PartialEq for Template {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Path(JpQuery),
    Range(JpQuery, Vec<Node>),
}

impl Template {
    /// Parses a kubectl JSONPath template; errors name what is wrong.
    pub fn parse(source: &str) -> Result<Self, String> {
        let mut stack: Vec<(Option<JpQuery>, Vec<Node>)> = vec![(None, Vec::new())];
        let mut rest = source;
        while !rest.is_empty() {
            let Some(open) = rest.find('{') else {
                push(&mut stack, Node::Text(rest.to_owned()));
                break;
            };
            if open > 0 {
                push(&mut stack, Node::Text(rest[..open].to_owned()));
            }
            let action_and_after = &rest[open + 1..];
            let close = find_action_end(action_and_after)
                .ok_or_else(|| format!("unclosed action in template \"{source}\""))?;
            let action = action_and_after[..close].trim();
            rest = &action_and_after[close + 1..];
            if action == "end" {
                let (Some(query), body) = stack.pop().unwrap_or((None, Vec::new())) else {
                    return Err(format!("{{end}} without {{range}} in template \"{source}\""));
                };
                push(&mut stack, Node::Range(query, body));
            } else if let Some(path) = action.strip_prefix("range ") {
                stack.push((Some(compile(path.trim())?), Vec::new()));
            } else if let Some(literal) = string_literal(action) {
                push(&mut stack, Node::Text(literal));
            } else {
                push(&mut stack, Node::Path(compile(action)?));
            }
        }
        if stack.len() != 1 {
            return Err(format!("{{range}} without {{end}} in template \"{source}\""));
        }
        let nodes = stack.pop().map(|(_, nodes)| nodes).unwrap_or_default();
        Ok(Template { source: source.to_owned(), nodes })
    }

    /// Renders the template over `data`.
    pub fn render(&self, data: &Value) -> String {
        let mut out = String::new();
        render_nodes(&self.nodes, data, &mut out);
        out
    }
}

fn push(stack: &mut [(Option<JpQuery>, Vec<Node>)], node: Node) {
    if let Some((_, nodes)) = stack.last_mut() {
        nodes.push(node);
    }
}

/// Index of the `}` closing an action, skipping braces inside quoted strings.
fn find_action_end(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(_), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(q), c) if c == q && !escaped => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '}') => return Some(i),
            _ => {}
        }
        escaped = false;
    }
    None
}

/// `"\n"` and friends: kubectl's quoted literal actions.
fn string_literal(action: &str) -> Option<String> {
    let inner = action.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    Some(out)
}

/// kubectl paths are relative to the current object (`.items`, `[0]`, `@.x`); JSONPath wants `$`.
fn compile(path: &str) -> Result<JpQuery, String> {
    let absolute = if path.starts_with('$') {
        path.to_owned()
    } else if let Some(relative) = path.strip_prefix('@') {
        format!("${relative}")
    } else if path.starts_with('.') || path.starts_with('[') {
        format!("${path}")
    } else {
        format!("$.{path}")
    };
    parse_json_path(&absolute).map_err(|e| format!("invalid jsonpath \"{path}\": {e}"))
}

fn render_nodes(nodes: &[Node], data: &Value, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Path(query) => {
                let values = js_path_process(query, data).unwrap_or_default();
                let rendered: Vec<String> = values.into_iter().map(|r| scalar(r.val())).collect();
                out.push_str(&rendered.join(" "));
            }
            Node::Range(query, body) => {
                for item in js_path_process(query, data).unwrap_or_default() {
                    render_nodes(body, item.val(), out);
                }
            }
        }
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report() -> Value {
        json!({"observedAt": "2025-03-01T10:00:00Z", "items": [
            {"name": "backup", "verdict": "OK", "activeRuns": 0},
            {"name": "deploy", "verdict": "MISSED", "activeRuns": 1},
        ]})
    }

    fn render(template: &str) -> String {
        Template::parse(template).unwrap().render(&report())
    }

    #[test]
    fn plain_paths_and_wildcards() {
        assert_eq!(render("{.items[*].name}"), "backup deploy");
        assert_eq!(render("{.observedAt}"), "2025-03-01T10:00:00Z");
        assert_eq!(render("{.items[1].activeRuns}"), "1");
    }

    #[test]
    fn literal_text_and_quoted_literals() {
        assert_eq!(render("at {.observedAt}{\"\\n\"}"), "at 2025-03-01T10:00:00Z\n");
    }

    #[test]
    fn range_iterates_relative_to_each_item() {
        assert_eq!(
            render("{range .items[*]}{.name}={.verdict}{\"\\n\"}{end}"),
            "backup=OK\ndeploy=MISSED\n"
        );
    }

    #[test]
    fn filters_as_kubectl_writes_them() {
        assert_eq!(render("{.items[?(@.verdict==\"MISSED\")].name}"), "deploy");
    }

    #[test]
    fn missing_keys_print_nothing_like_kubectl_default() {
        assert_eq!(render("{.nope}"), "");
    }

    #[test]
    fn malformed_templates_are_errors() {
        assert!(Template::parse("{.items").is_err());
        assert!(Template::parse("{range .items[*]}{.name}").is_err());
        assert!(Template::parse("{end}").is_err());
        assert!(Template::parse("{.items[?(@.x==]}").is_err());
    }
}
