//! `cargo xtask man [--out DIR]`: man pages from the clap definition (clap_mangen), one for
//! `kubectl-kuul` and one per visible subcommand (`kubectl-kuul-trigger.1`, ...), with the
//! kubectl flags on every page since they are global.

use std::path::Path;

use crate::Result;

/// Every page, as (file name, roff text).
pub fn pages() -> Result<Vec<(String, Vec<u8>)>> {
    let mut root = kuul_core::cli::command();
    // Building propagates the global flags (and the version) to the subcommands.
    root.build();
    let mut pages = vec![("kubectl-kuul.1".to_owned(), render(root.clone(), "kubectl-kuul")?)];
    for sub in root.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = format!("kubectl-kuul-{}", sub.get_name());
        let page = sub.clone().bin_name(format!("kubectl kuul {}", sub.get_name()));
        pages.push((format!("{name}.1"), render(page, &name)?));
    }
    Ok(pages)
}

fn render(command: clap::Command, title: &str) -> Result<Vec<u8>> {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(command).title(title.to_owned()).render(&mut buffer)?;
    Ok(buffer)
}

/// Writes every page into `dir`.
pub fn write(dir: &Path) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, page) in pages()? {
        std::fs::write(dir.join(&name), page)?;
        written.push(name);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_page_per_mission_subcommand_with_its_examples() {
        let pages = pages().unwrap();
        for sub in kuul_core::cli::SUBCOMMANDS {
            let name = format!("kubectl-kuul-{sub}.1");
            let (_, page) =
                pages.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("{name}"));
            let text = String::from_utf8_lossy(page);
            assert!(text.starts_with(".ie") || text.contains(".TH"), "{name} is not roff");
            assert!(text.contains("namespace"), "{name} lacks the global kubectl flags");
        }
        let lastrun = &pages.iter().find(|(n, _)| n == "kubectl-kuul-lastrun.1").unwrap().1;
        assert!(String::from_utf8_lossy(lastrun).contains("Examples"), "after_help is rendered");
        assert!(!pages.iter().any(|(n, _)| n.contains("__complete")));
    }
}
