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
//!
//! # Parameter values are data, never code
//!
//! A parameter value (`-L v VALUES`, `-P t MIN MAX`) is put into the command
//! line by [`fill`] so that no value can run as code, whatever the template's
//! quoting:
//!
//! - a value of only safe characters ([`is_safe_value`]: letters, digits and
//!   `_.,:/=+-@%`) means the same in every context and is put in as it is;
//! - in a line started directly (no shell), it goes into the argument words
//!   after splitting, each a literal argument;
//! - in a line a shell runs, it is passed in the environment variable
//!   [`env_name`] and the placeholder becomes a reference the shell expands
//!   as data: `"${METRON_PARAM_v}"` unquoted, `${METRON_PARAM_v}` inside
//!   double quotes; the script of a directly started `sh -c SCRIPT` is such
//!   a line too;
//! - where a shell would not expand a reference (single quotes) or would
//!   parse the value again as code (`eval`, the script of a `sh -c` the shell
//!   starts, `ssh`, arithmetic), there is no safe way in, and the template is
//!   refused with a line that says how to pass the value instead.

use std::borrow::Cow;

use super::ShellMode;

/// Words that only mean something to a shell: keywords and builtins (POSIX
/// special builtins among them) with no executable of the same name on a
/// usual system.
const SHELL_ONLY_WORDS: &[&str] = &[
    ":", "break", "continue", "times", "!", "[[", "{", "}", "alias", "bg", "case", "cd", "declare", "do", "done",
    "elif", "else", "esac", "eval", "exec", "exit", "export", "fg", "fi", "for", "function", "getopts", "hash", "if",
    "jobs", "local", "read", "readonly", "return", "select", "set", "shift", "source", "then", "time", "trap", "type",
    "typeset", "ulimit", "umask", "unalias", "unset", "until", "wait", "while", ".",
];

/// Characters that start shell syntax when they appear unquoted.
const UNQUOTED_SPECIAL: &[char] =
    &['|', '&', ';', '<', '>', '(', ')', '$', '`', '\\', '*', '?', '[', ']', '{', '}', '\n'];

/// Whether `program` is a shell: a command line that starts one with `-c`
/// hands its script to that shell, which does the expansion itself. The
/// POSIX shells and fish.
fn is_shell(program: &str) -> bool {
    POSIX_SHELLS.contains(&program) || program == "fish"
}

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
        let program = basename(words.first()?);
        (is_shell(program) && words.get(1).is_some_and(|w| w == "-c")).then_some(words)
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

/// Replaces every `{name}` in `template` with the shell-quoted `value`:
/// the text people read (a benchmark's name and command). What runs is
/// made by [`fill`].
pub fn substitute(template: &str, name: &str, value: &str) -> String {
    template.replace(&format!("{{{name}}}"), &quote(value))
}

/// Characters a parameter value may consist of to be substituted as it is:
/// none of them means anything to a shell in any quoting context.
const SAFE_VALUE_CHARS: &str = "_.,:/=+-@%";

/// Whether `value` is made only of letters, digits and `_.,:/=+-@%`, so
/// that it can be put into any command line as it is.
pub fn is_safe_value(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || SAFE_VALUE_CHARS.contains(c))
}

/// The environment variable that carries the value of parameter `name` to
/// a shell: `METRON_PARAM_` and the name, other characters than letters,
/// digits and `_` replaced by `_`.
pub fn env_name(name: &str) -> String {
    let name: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    format!("METRON_PARAM_{name}")
}

/// A command line with a parameter filled in: the line to run, and the
/// environment variable (name, value) it needs, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    /// The line to run, started as its [`ShellMode`] says.
    pub line: String,
    /// The variable the line refers to, to be set for the process.
    pub env: Option<(String, String)>,
}

/// A template whose placeholder no value could be put into safely: the
/// message says where and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UnsafePlaceholder(String);

/// Stands for the placeholder while the line is split and scanned: a
/// private-use character, a plain word character to the splitter.
const MARK: char = '\u{E000}';

/// Shells whose quoting [`fill`] understands (POSIX `sh` and its kin).
const POSIX_SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash"];

/// Words after which a shell parses text again as code: shells and `eval`,
/// `trap`, remote and privileged shells, and bash's arithmetic, which
/// evaluates `a[$(cmd)]` in a variable's value.
const REPARSERS: &[&str] = &["eval", "trap", "ssh", "su", "watch", "let", "[[", "(("];

/// Puts `value` into `template` for the parameter `name`, so that it is
/// data whatever the template's quoting (see the module documentation), for
/// a line started as `mode` says.
///
/// # Errors
/// [`UnsafePlaceholder`] where the placeholder sits in single quotes or in
/// text that is parsed again as code, and the value is not [safe](is_safe_value).
pub fn fill(template: &str, name: &str, value: &str, mode: &ShellMode) -> Result<Filled, UnsafePlaceholder> {
    let placeholder = format!("{{{name}}}");
    if !template.contains(&placeholder) || is_safe_value(value) {
        return Ok(Filled { line: template.replace(&placeholder, value), env: None });
    }
    let marked = template.replace(&placeholder, &MARK.to_string());
    let var = env_name(name);
    let refuse = |why: &str, fix: &str| {
        UnsafePlaceholder(format!(
            "{placeholder} {why} in '{template}', where a value with other characters than letters, digits and \
             _.,:/=+-@% cannot be passed safely; {fix}"
        ))
    };
    let line = match mode {
        ShellMode::Program(program) if !POSIX_SHELLS.contains(&basename(program)) => {
            return Err(refuse(&format!("is in a line for {program}"), "use --shell sh or other values"));
        }
        ShellMode::Program(_) => fill_script(&marked, &var, &refuse)?,
        ShellMode::Direct => fill_words(&shlex::split(&marked).unwrap_or_default(), &var, value, &refuse)?,
        ShellMode::Auto => match split_plain(&marked) {
            Some(words) => fill_words(&words, &var, value, &refuse)?,
            None => fill_script(&marked, &var, &refuse)?,
        },
    };
    Ok(Filled { line, env: Some((var, value.to_string())) })
}

/// A refusal, made from why the placeholder cannot be filled and what to do.
type Refuse<'a> = dyn Fn(&str, &str) -> UnsafePlaceholder + 'a;

fn basename(program: &str) -> &str {
    program.rsplit('/').next().unwrap_or(program)
}

/// A directly started line: the value goes literally into each word, except
/// into the script of a shell's `-c`, which is a shell line of its own.
/// The words are quoted back into a line that splits into the same words.
fn fill_words(words: &[String], var: &str, value: &str, refuse: &Refuse<'_>) -> Result<String, UnsafePlaceholder> {
    let mut out = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let earlier = &words[..i];
        let filled = if !word.contains(MARK) {
            word.clone()
        } else if is_script_word(earlier) {
            fill_script(word, var, refuse)?
        } else if earlier.iter().any(|w| REPARSERS.contains(&basename(w))) {
            return Err(refuse(
                "is passed to a command that runs it as code",
                "pass it as an argument of a script instead",
            ));
        } else {
            word.replace(MARK, value)
        };
        out.push(quote(&filled).into_owned());
    }
    Ok(out.join(" "))
}

/// Whether the word after `earlier` is the script of a shell's `-c`
/// (`sh -c SCRIPT`, `timeout 5 bash -ec SCRIPT`).
fn is_script_word(earlier: &[String]) -> bool {
    let Some((flag, before)) = earlier.split_last() else { return false };
    is_c_flag(flag) && before.iter().any(|w| is_shell(basename(w)))
}

/// `-c`, `-ec`, `-xc`…: a shell's flag whose next word is its script.
fn is_c_flag(word: &str) -> bool {
    word.len() > 1 && word.starts_with('-') && !word.starts_with("--") && word.contains('c')
}

/// Where a scanned character of a shell line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Unquoted,
    Double,
    Single,
    /// Inside `$( … )` or backquotes: a command of its own, unquoted.
    Substitution {
        depth: u32,
    },
    Backquote,
    /// Inside `$(( … ))`: bash evaluates values there as expressions.
    Arithmetic {
        depth: u32,
    },
}

/// A line a POSIX shell runs: each placeholder becomes a reference to `var`
/// fit for its quoting context, or the line is refused.
fn fill_script(script: &str, var: &str, refuse: &Refuse<'_>) -> Result<String, UnsafePlaceholder> {
    let mut out = String::with_capacity(script.len() + 32);
    let mut stack = vec![Context::Unquoted];
    let mut word = String::new();
    let mut command: Vec<String> = Vec::new();
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        let top = *stack.last().unwrap_or(&Context::Unquoted);
        if c == MARK {
            out.push_str(&reference(top, &command, var, refuse)?);
            continue;
        }
        out.push(c);
        match (top, c) {
            (Context::Single, '\'') => {
                stack.pop();
            }
            (Context::Single, _) => {}
            (Context::Double, '"') => {
                stack.pop();
            }
            (Context::Double, '\\') | (Context::Unquoted | Context::Substitution { .. } | Context::Backquote, '\\') => {
                if let Some(next) = chars.next_if(|&n| n != MARK) {
                    out.push(next);
                }
            }
            (_, '$') if chars.peek() == Some(&'(') => {
                out.push(chars.next().unwrap_or('('));
                if chars.next_if_eq(&'(').is_some() {
                    out.push('(');
                    stack.push(Context::Arithmetic { depth: 0 });
                } else {
                    stack.push(Context::Substitution { depth: 0 });
                }
            }
            (Context::Backquote, '`') => {
                stack.pop();
            }
            (_, '`') => stack.push(Context::Backquote),
            (Context::Double, _) => {}
            (_, '\'') => stack.push(Context::Single),
            (_, '"') => stack.push(Context::Double),
            (Context::Substitution { depth } | Context::Arithmetic { depth }, '(') => {
                set_depth(&mut stack, depth + 1);
            }
            (Context::Substitution { depth: 0 } | Context::Arithmetic { depth: 0 }, ')') => {
                if matches!(top, Context::Arithmetic { .. }) {
                    if let Some(next) = chars.next_if_eq(&')') {
                        out.push(next);
                    }
                }
                stack.pop();
                command.clear();
            }
            (Context::Substitution { depth } | Context::Arithmetic { depth }, ')') => {
                set_depth(&mut stack, depth - 1);
            }
            (_, ' ' | '\t') => end_word(&mut word, &mut command),
            (_, '(') if chars.peek() == Some(&'(') => {
                out.push(chars.next().unwrap_or('('));
                stack.push(Context::Arithmetic { depth: 0 });
            }
            (_, ';' | '|' | '&' | '\n' | '(' | ')') => {
                end_word(&mut word, &mut command);
                command.clear();
                continue;
            }
            _ => {}
        }
        if !matches!(c, ' ' | '\t') {
            word.push(c);
        }
    }
    Ok(out)
}

fn set_depth(stack: &mut [Context], new: u32) {
    if let Some(Context::Substitution { depth } | Context::Arithmetic { depth }) = stack.last_mut() {
        *depth = new;
    }
}

fn end_word(word: &mut String, command: &mut Vec<String>) {
    if !word.is_empty() {
        let w: String = word.chars().filter(|c| !matches!(c, '\'' | '"')).collect();
        command.push(w);
        word.clear();
    }
}

/// What a placeholder in `context` becomes, the words before it in its
/// command being `command`.
fn reference(
    context: Context,
    command: &[String],
    var: &str,
    refuse: &Refuse<'_>,
) -> Result<String, UnsafePlaceholder> {
    let shell_script =
        command.iter().enumerate().any(|(i, w)| is_shell(basename(w)) && command[i + 1..].iter().any(|f| is_c_flag(f)));
    if shell_script || command.iter().any(|w| REPARSERS.contains(&basename(w))) {
        return Err(refuse(
            "is in text that is run again as code (sh -c, eval, ssh…)",
            &format!("pass it as an argument instead: sh -c '… \"$1\" …' sh \"${var}\", or leave the shell out"),
        ));
    }
    match context {
        Context::Single => Err(refuse(
            "is inside single quotes",
            "remove the quotes around it (values are quoted for you) or use double quotes",
        )),
        Context::Arithmetic { .. } => Err(refuse("is in an arithmetic expression", "use plain numbers")),
        Context::Double => Ok(format!("${{{var}}}")),
        Context::Unquoted | Context::Substitution { .. } | Context::Backquote => Ok(format!("\"${{{var}}}\"")),
    }
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
        assert_eq!(words(":"), None, "a builtin needs a shell");
        assert_eq!(words("times"), None);
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

    const PAYLOADS: &[&str] =
        &["$(touch pwned)", "`touch pwned`", ";touch pwned", "';touch pwned;'", "\";touch pwned;\"", "a\ntouch pwned"];

    fn auto(template: &str, value: &str) -> Result<Filled, UnsafePlaceholder> {
        fill(template, "v", value, &ShellMode::Auto)
    }

    #[test]
    fn values_in_shell_lines_are_references_to_the_environment() {
        let f = auto("echo {v} | cat", "a b").unwrap();
        assert_eq!(f.line, r#"echo "${METRON_PARAM_v}" | cat"#);
        assert_eq!(f.env, Some(("METRON_PARAM_v".into(), "a b".into())));
        assert_eq!(auto(r#"echo "x{v}y" | cat"#, "a b").unwrap().line, r#"echo "x${METRON_PARAM_v}y" | cat"#);
        assert_eq!(auto("echo $(echo {v}) | cat", "a b").unwrap().line, r#"echo $(echo "${METRON_PARAM_v}") | cat"#);
        assert_eq!(
            auto(r#"echo "$(echo {v})" | cat"#, "a b").unwrap().line,
            r#"echo "$(echo "${METRON_PARAM_v}")" | cat"#
        );
        assert_eq!(auto("echo `echo {v}`", "a b").unwrap().line, r#"echo `echo "${METRON_PARAM_v}"`"#);
        assert_eq!(
            auto(r#"echo 'it''s' "\"" {v}; x"#, "a b").unwrap().line,
            r#"echo 'it''s' "\"" "${METRON_PARAM_v}"; x"#
        );
    }

    #[test]
    fn values_in_direct_lines_are_literal_words() {
        assert_eq!(auto("printf %s {v}", "a b").unwrap().line, "printf '%s' 'a b'");
        let f = auto("printf %s {v}", "$(touch pwned)").unwrap();
        assert_eq!(split_plain(&f.line).or_else(|| shlex::split(&f.line)).unwrap(), ["printf", "%s", "$(touch pwned)"]);
        // The script of a directly started shell is a shell line of its own.
        let f = auto("sh -c 'echo {v}'", "a;b").unwrap();
        assert_eq!(split_plain(&f.line).unwrap(), ["sh", "-c", r#"echo "${METRON_PARAM_v}""#]);
        let f = auto(r#"timeout 5 bash -ec "echo {v}""#, "a;b").unwrap();
        assert_eq!(split_plain(&f.line).unwrap()[4], r#"echo "${METRON_PARAM_v}""#);
        // Positional arguments of a script stay literal.
        let f = auto(r#"sh -c 'echo "$1"' sh {v}"#, "a;b").unwrap();
        assert_eq!(split_plain(&f.line).or_else(|| shlex::split(&f.line)).unwrap()[4], "a;b");
        let f = fill("printf %s {v}", "v", "a'b", &ShellMode::Direct).unwrap();
        assert_eq!(shlex::split(&f.line).unwrap(), ["printf", "%s", "a'b"]);
    }

    #[test]
    fn what_cannot_be_made_safe_is_refused_unless_the_value_is_safe() {
        for template in [
            "echo '{v}' | cat",
            r#"true; sh -c "echo {v}""#,
            "true; sh -c 'echo {v}'",
            "eval echo {v}",
            r#"eval "echo {v}""#,
            "echo $(( {v} + 1 ))",
            "(( x = {v} )); true",
            "ssh host 'echo {v}'",
            "ssh host echo {v}",
            r#"sh -c "echo '{v}'""#,
        ] {
            for payload in PAYLOADS {
                let err = auto(template, payload).map(|f| f.line).unwrap_err().to_string();
                assert!(err.starts_with("{v} is "), "{template}: {err}");
                assert!(!err.contains('\n'), "one line: {err}");
            }
            assert_eq!(auto(template, "0.5").unwrap().line, template.replace("{v}", "0.5"), "{template}");
        }
        let err = fill("echo {v}", "v", "a b", &ShellMode::Program("fish".into())).unwrap_err();
        assert!(err.to_string().contains("is in a line for fish"), "{err}");
    }

    #[test]
    fn safe_values_are_put_in_as_they_are() {
        assert!(is_safe_value("0.01") && is_safe_value("a-b_c/d:e,f=g+h@i%j"));
        assert!(!is_safe_value("") && !is_safe_value("a b") && !is_safe_value("~") && !is_safe_value("a'"));
        assert_eq!(auto("sleep 0.0{v}", "1").unwrap(), Filled { line: "sleep 0.01".into(), env: None });
        assert_eq!(env_name("my-var"), "METRON_PARAM_my_var");
    }

    #[test]
    fn substitution_quotes_values() {
        assert_eq!(substitute("sleep {t}", "t", "0.01"), "sleep 0.01");
        assert_eq!(substitute("echo {x} {x}", "x", "a b"), "echo 'a b' 'a b'");
        assert_eq!(substitute("echo {y}", "x", "1"), "echo {y}");
    }
}
