//! Shell syntax: deciding whether a command line needs a shell, splitting it
//! into words when it does not, and quoting values substituted into it.
//!
//! Starting a shell costs a millisecond or more, which is noise on top of
//! what the user wants to measure. So in `--shell auto` mode a command line
//! that is only words and quotes (`grep -F 'a b' file`) is executed directly,
//! and only one that uses the shell's language (pipes, redirections, `;`,
//! `$VAR`, globs, builtins) goes through `sh -c`, with the shell's own
//! start-up time measured and subtracted.
//!
//! The splitter is written here rather than taken from `shlex` because the
//! decision needs to know *which* characters were quoted: `shlex::split`
//! reads `a|b` as one word and `$HOME` literally, and forgets the quoting that
//! tells `'*'` from `*`. Quoting of substituted values does use `shlex`.

use std::borrow::Cow;

/// Words that only mean something to a shell: keywords and builtins with no
/// executable of the same name on a usual system.
const SHELL_ONLY_WORDS: &[&str] = &[
    "!", "[[", "{", "}", "alias", "bg", "case", "cd", "declare", "do", "done", "elif", "else", "esac", "eval", "exec",
    "exit", "export", "fg", "fi", "for", "function", "getopts", "hash", "if", "jobs", "local", "read", "readonly",
    "return", "select", "set", "shift", "source", "then", "time", "trap", "type", "typeset", "ulimit", "umask",
    "unalias", "unset", "until", "wait", "while", ".",
];

/// Characters that start shell syntax when they appear unquoted.
const UNQUOTED_SPECIAL: &[char] =
    &['|', '&', ';', '<', '>', '(', ')', '$', '`', '\\', '*', '?', '[', ']', '{', '}', '\n'];

/// Programs that are shells: a command line that starts one with `-c`
/// hands its script to that shell, which does the expansion itself.
const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "fish"];

/// Splits `command` into words if it uses no shell syntax, removing quotes
/// as `sh` would; returns `None` when only a shell can run it (or when the
/// quotes are unbalanced, which the shell will then report).
///
/// One exception makes the common benchmark of a shell loop work as meant:
/// `sh -c "i=0; while [ $i -lt 9 ]; do i=$((i+1)); done"` explicitly starts a
/// shell, and the `$` inside the double quotes is for *that* shell. Passing
/// the line through another `sh -c` would expand `$i` too early (to an empty
/// string), so a line whose first word is a shell and second is `-c` is split
/// with double-quoted text kept literally.
pub fn split_plain(command: &str) -> Option<Vec<String>> {
    split_words(command, false).or_else(|| {
        let words = split_words(command, true)?;
        let program = words.first()?.rsplit('/').next()?;
        (SHELLS.contains(&program) && words.get(1).is_some_and(|w| w == "-c")).then_some(words)
    })
}

/// The splitter. With `literal_double_quotes`, `$`, `` ` `` and `\` inside
/// double quotes are kept as they are instead of requiring a shell.
fn split_words(command: &str, literal_double_quotes: bool) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        ch => word.push(ch),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '$' | '`' | '\\' if !literal_double_quotes => return None,
                        // Inside double quotes a backslash escapes only these.
                        '\\' => match chars.peek() {
                            Some(&next @ ('"' | '\\' | '$' | '`')) => {
                                chars.next();
                                word.push(next);
                            }
                            _ => word.push('\\'),
                        },
                        ch => word.push(ch),
                    }
                }
            }
            c if UNQUOTED_SPECIAL.contains(&c) => return None,
            '#' | '~' if !in_word => return None,
            '=' if words.is_empty() => return None, // VAR=value cmd
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    match words.first() {
        None => None,
        Some(first) if SHELL_ONLY_WORDS.contains(&first.as_str()) => None,
        Some(_) => Some(words),
    }
}

/// Quotes `value` for a POSIX shell so that it stays one word: `a b` becomes
/// `'a b'`, plain values stay as they are.
pub fn quote(value: &str) -> Cow<'_, str> {
    // shlex refuses only NUL bytes, which no command line can carry anyway;
    // for those fall back to single quotes, and the spawn will report the NUL.
    shlex::try_quote(value).unwrap_or_else(|_| Cow::Owned(format!("'{}'", value.replace('\'', r"'\''"))))
}

/// Replaces every `{name}` in `template` with the shell-quoted `value`.
pub fn substitute(template: &str, name: &str, value: &str) -> String {
    template.replace(&format!("{{{name}}}"), &quote(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Option<Vec<&str>> {
        split_plain(s).map(|w| w.leak().iter().map(|s| s.as_str()).collect())
    }

    #[test]
    fn plain_commands_split_without_a_shell() {
        assert_eq!(words("sleep 0.02"), Some(vec!["sleep", "0.02"]));
        assert_eq!(words("  grep -F 'a b'   file "), Some(vec!["grep", "-F", "a b", "file"]));
        assert_eq!(words(r#"echo "x y"z''"#), Some(vec!["echo", "x yz"]));
        assert_eq!(words("printf '%s|$x;' *"), None, "unquoted glob");
        assert_eq!(words("printf '%s|$x;'"), Some(vec!["printf", "%s|$x;"]));
        assert_eq!(words("a=b"), None, "an assignment is shell syntax");
        assert_eq!(words("cmd a=b"), Some(vec!["cmd", "a=b"]));
        assert_eq!(words("x#y"), Some(vec!["x#y"]));
    }

    #[test]
    fn shell_syntax_needs_a_shell() {
        for cmd in [
            "ls | wc -l",
            "echo a > /tmp/x",
            "true; false",
            "echo $HOME",
            "echo \"$HOME\"",
            "echo `date`",
            "ls *.rs",
            "cd /tmp",
            "FOO=1 env",
            "echo ~",
            "sleep 1 &",
            "a && b",
            "echo 'unbalanced",
            "# comment",
            "",
            "   ",
            r#"echo "$i" | sh -c "echo $x""#,
        ] {
            assert_eq!(split_plain(cmd), None, "{cmd:?} should need a shell");
        }
    }

    #[test]
    fn an_explicit_shell_gets_its_script_unexpanded() {
        let script = "i=0; while [ $i -lt 2 ]; do i=$((i+1)); done";
        assert_eq!(words(&format!("sh -c \"{script}\"")), Some(vec!["sh", "-c", script]));
        assert_eq!(words(&format!("/bin/bash -c \"{script}\" extra")), Some(vec!["/bin/bash", "-c", script, "extra"]));
        assert_eq!(words(r#"sh -c "echo \"a\" \$b c\d""#), Some(vec!["sh", "-c", r#"echo "a" $b c\d"#]));
        assert_eq!(words("python3 -c \"print($x)\""), None, "not a shell");
        assert_eq!(words("sh \"$x\""), None, "no -c");
    }

    #[test]
    fn quoting_keeps_values_one_word() {
        assert_eq!(quote("0.01"), "0.01");
        assert_eq!(quote("a b"), "'a b'");
        let tricky = "it's; rm -rf $HOME";
        let cmd = format!("printf %s {}", quote(tricky));
        // What a shell would see: three words, the last one exactly `tricky`.
        let parsed = shlex::split(&cmd).unwrap();
        assert_eq!(parsed, vec!["printf", "%s", tricky]);
    }

    #[test]
    fn substitution_quotes_values() {
        assert_eq!(substitute("sleep {t}", "t", "0.01"), "sleep 0.01");
        assert_eq!(substitute("echo {x} {x}", "x", "a b"), "echo 'a b' 'a b'");
        assert_eq!(substitute("echo {y}", "x", "1"), "echo {y}");
    }
}
