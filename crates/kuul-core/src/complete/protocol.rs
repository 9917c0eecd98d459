//! The answer format kubectl reads from a plugin's completion hook (`kubectl_complete-<plugin>`),
//! which is cobra's `__complete` format: one candidate per line, optionally `name<TAB>description`,
//! and a last line `:<directive>`.
//!
//! Source: kubernetes/kubectl `pkg/cmd/plugin/plugin_completion.go` (`getPluginCompletions`
//! drops empty lines, reads the last line as `:<int>` when it parses, and ignores all output when
//! the hook exits non-zero), from kubernetes#105867; the directive numbers are cobra's
//! `ShellCompDirective` bit flags (spf13/cobra `completions.go`).

use std::fmt::Write as _;

/// One completion candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// What the shell inserts.
    pub value: String,
    /// Shown next to it by shells that show descriptions (zsh, fish, PowerShell).
    pub description: Option<String>,
}

impl Candidate {
    /// A candidate with a description (empty descriptions are dropped).
    pub fn new(value: impl Into<String>, description: impl Into<String>) -> Self {
        let description: String = description.into();
        Candidate {
            value: value.into(),
            description: (!description.trim().is_empty()).then_some(description),
        }
    }

    /// A bare candidate.
    pub fn plain(value: impl Into<String>) -> Self {
        Candidate { value: value.into(), description: None }
    }
}

/// cobra's `ShellCompDirective`: bit flags telling the shell what to do besides offering the
/// candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Directive(pub u32);

impl Directive {
    /// `ShellCompDirectiveDefault`: offer the candidates, and files when there are none.
    pub const DEFAULT: Directive = Directive(0);
    /// `ShellCompDirectiveError`: something failed; the shell offers nothing.
    pub const ERROR: Directive = Directive(1);
    /// `ShellCompDirectiveNoSpace`: don't add a space after the completion.
    pub const NO_SPACE: Directive = Directive(2);
    /// `ShellCompDirectiveNoFileComp`: never fall back to file names.
    pub const NO_FILE_COMP: Directive = Directive(4);
    /// `ShellCompDirectiveKeepOrder`: keep our order instead of sorting.
    pub const KEEP_ORDER: Directive = Directive(32);

    /// Both sets of flags.
    #[must_use]
    pub fn with(self, other: Directive) -> Directive {
        Directive(self.0 | other.0)
    }
}

/// What `__complete` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The candidates, in order.
    pub candidates: Vec<Candidate>,
    /// The directive for the shell.
    pub directive: Directive,
}

impl Completion {
    /// Candidates and no file-name fallback: what most of our positions want.
    pub fn of(candidates: Vec<Candidate>) -> Self {
        Completion { candidates, directive: Directive::NO_FILE_COMP }
    }

    /// Nothing to offer, and no file names either.
    pub fn nothing() -> Self {
        Completion::of(Vec::new())
    }

    /// The text kubectl reads: `value[\tdescription]` lines, then `:<directive>`. Tabs and
    /// newlines inside a value or description would break the line format, so they become
    /// spaces.
    pub fn render(&self) -> String {
        let mut text = String::new();
        for candidate in &self.candidates {
            text.push_str(&one_line(&candidate.value));
            if let Some(description) = &candidate.description {
                text.push('\t');
                text.push_str(&one_line(description));
            }
            text.push('\n');
        }
        let _ = writeln!(text, ":{}", self.directive.0);
        text
    }
}

fn one_line(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_cobra_lines_with_the_directive_last() {
        let completion = Completion::of(vec![
            Candidate::new("trigger", "Create a Job now"),
            Candidate::plain("prune"),
        ]);
        assert_eq!(completion.render(), "trigger\tCreate a Job now\nprune\n:4\n");
    }

    #[test]
    fn no_candidates_is_just_the_directive() {
        assert_eq!(Completion::nothing().render(), ":4\n");
    }

    #[test]
    fn tabs_and_newlines_cannot_break_the_format() {
        let completion = Completion::of(vec![Candidate::new("a\tb", "line one\nline two")]);
        assert_eq!(completion.render(), "a b\tline one line two\n:4\n");
    }

    #[test]
    fn directives_combine_as_bit_flags() {
        assert_eq!(Directive::NO_FILE_COMP.with(Directive::NO_SPACE), Directive(6));
    }
}
