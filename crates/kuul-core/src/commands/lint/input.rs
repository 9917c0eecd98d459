//! Reading manifests: `-f FILE|DIR|-` (repeatable), `-R` for directories, YAML multi-document
//! streams and JSON, `kind: List` (and `*List`) expanded, as `kubectl apply -f` reads them
//! (kubectl's `FileVisitor`: a directory contributes its `.json`, `.yaml` and `.yml` files,
//! recursively only with `-R`).

use std::io::Read;
use std::path::{Path, PathBuf};

use super::node::{Node, Value, parse_documents};

/// How stdin is named in reports.
pub(crate) const STDIN: &str = "<stdin>";

/// One Kubernetes object read from a file, with the file it came from.
#[derive(Debug)]
pub(crate) struct Loaded {
    /// The file as given (`manifests/a.yaml`), or `<stdin>`.
    pub(crate) file: String,
    /// The object (its nodes carry their lines).
    pub(crate) object: Node,
}

/// A file that could not be read, or holds something that is not a Kubernetes object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LoadError {
    pub(crate) file: String,
    /// 1-based (0: the file as a whole).
    pub(crate) line: u32,
    pub(crate) message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// Everything read from `paths`.
#[derive(Debug, Default)]
pub(crate) struct Input {
    pub(crate) objects: Vec<Loaded>,
    pub(crate) errors: Vec<LoadError>,
}

/// Reads every path (`-` is `stdin`), in order; a directory's files sorted by name.
pub(crate) fn load(paths: &[String], recursive: bool, stdin: &mut dyn Read) -> Input {
    let mut input = Input::default();
    for path in paths {
        if path == "-" {
            let mut text = String::new();
            match stdin.read_to_string(&mut text) {
                Ok(_) => add_text(&mut input, STDIN, &text),
                Err(e) => input.errors.push(LoadError {
                    file: STDIN.to_owned(),
                    line: 0,
                    message: format!("cannot read: {e}"),
                }),
            }
            continue;
        }
        let p = Path::new(path);
        if p.is_dir() {
            let mut files = Vec::new();
            if let Err(e) = walk(p, recursive, &mut files) {
                input.errors.push(LoadError { file: path.clone(), line: 0, message: e });
            }
            files.sort();
            if files.is_empty() {
                input.errors.push(LoadError {
                    file: path.clone(),
                    line: 0,
                    message: format!(
                        "no .yaml, .yml or .json files{}",
                        if recursive { "" } else { " (use -R for subdirectories)" }
                    ),
                });
            }
            for file in files {
                add_file(&mut input, &file.display().to_string());
            }
        } else {
            add_file(&mut input, path);
        }
    }
    input
}

fn walk(dir: &Path, recursive: bool, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read directory: {e}"))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot read directory: {e}"))?.path();
        if path.is_dir() {
            if recursive {
                walk(&path, recursive, files)?;
            }
        } else if path.file_name().is_some_and(|n| n == super::config::FILE_NAME) {
            // The settings file is YAML too, but not a manifest.
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        {
            files.push(path);
        }
    }
    Ok(())
}

fn add_file(input: &mut Input, file: &str) {
    match std::fs::read(file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => add_text(input, file, &text),
            Err(_) => input.errors.push(LoadError {
                file: file.to_owned(),
                line: 0,
                message: "not UTF-8 text (not YAML or JSON)".to_owned(),
            }),
        },
        Err(e) => input.errors.push(LoadError {
            file: file.to_owned(),
            line: 0,
            message: format!("cannot read: {e}"),
        }),
    }
}

/// Parses one stream and adds its objects (or one error saying why not).
pub(crate) fn add_text(input: &mut Input, file: &str, text: &str) {
    let docs = match parse_documents(text) {
        Ok(docs) => docs,
        Err(failure) => {
            input.errors.push(LoadError {
                file: file.to_owned(),
                line: failure.line,
                message: format!("not valid YAML or JSON: {}", failure.message),
            });
            return;
        }
    };
    if docs.is_empty() {
        input.errors.push(LoadError {
            file: file.to_owned(),
            line: 0,
            message: "holds no Kubernetes objects".to_owned(),
        });
        return;
    }
    for doc in docs {
        add_object(input, file, doc);
    }
}

fn add_object(input: &mut Input, file: &str, doc: Node) {
    let kind = doc.get("kind").and_then(Node::as_str);
    let is_object = matches!(doc.value, Value::Map(_))
        && kind.is_some()
        && doc.get("apiVersion").and_then(Node::as_str).is_some();
    if !is_object {
        input.errors.push(LoadError {
            file: file.to_owned(),
            line: doc.line,
            message: "not a Kubernetes object (it needs apiVersion and kind)".to_owned(),
        });
        return;
    }
    // kubectl treats `List` and every `<Kind>List` with `items` as a list of objects.
    if kind.is_some_and(|k| k.ends_with("List"))
        && let Some(items) = doc.get("items")
        && matches!(items.value, Value::Seq(_))
    {
        let Value::Map(entries) = doc.value else { return };
        for (key, value) in entries {
            if key == "items"
                && let Value::Seq(items) = value.value
            {
                for item in items {
                    add_object(input, file, item);
                }
            }
        }
        return;
    }
    input.objects.push(Loaded { file: file.to_owned(), object: doc });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_text(text: &str) -> Input {
        let mut input = Input::default();
        add_text(&mut input, "t.yaml", text);
        input
    }

    #[test]
    fn lists_are_expanded_and_documents_kept_apart() {
        let input = from_text(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1\n  kind: CronJob\n  metadata: {name: a}\n- apiVersion: batch/v1\n  kind: Job\n  metadata: {name: b}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        );
        assert_eq!(input.errors, []);
        let names: Vec<_> =
            input.objects.iter().map(|o| o.object.at("metadata.name").unwrap().line).collect();
        assert_eq!(names, [6, 9, 13]);
    }

    #[test]
    fn not_yaml_or_not_objects_is_an_error_with_a_line() {
        let input = from_text("kind: CronJob\n  bad: indent\n: :\n");
        assert_eq!(input.errors.len(), 1, "{:?}", input.errors);
        assert!(input.errors[0].message.starts_with("not valid YAML"), "{:?}", input.errors);
        let input = from_text("just some words\n");
        assert!(input.errors[0].message.contains("not a Kubernetes object"));
        assert_eq!(input.errors[0].line, 1);
        let input = from_text("# only a comment\n");
        assert_eq!(input.errors[0].message, "holds no Kubernetes objects");
    }

    #[test]
    fn directories_need_r_for_subdirectories() {
        let dir = tempfile::tempdir().unwrap();
        let cj = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\n";
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("a.yaml"), cj).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        std::fs::write(dir.path().join("sub/b.json"), r#"{"apiVersion":"batch/v1","kind":"Job"}"#)
            .unwrap();
        let path = dir.path().display().to_string();
        let flat = load(std::slice::from_ref(&path), false, &mut std::io::empty());
        assert_eq!((flat.objects.len(), flat.errors.len()), (1, 0));
        let deep = load(&[path], true, &mut std::io::empty());
        assert_eq!((deep.objects.len(), deep.errors.len()), (2, 0));
        let stdin = load(&["-".to_owned()], false, &mut cj.as_bytes());
        assert_eq!(stdin.objects[0].file, STDIN);
        let missing = load(&["/no/such.yaml".to_owned()], false, &mut std::io::empty());
        assert!(missing.errors[0].message.starts_with("cannot read"));
    }
}
