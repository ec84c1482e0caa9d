//! Words and paths for the remote POSIX shell.
//!
//! Every remote step is a small `sh` script (see [`sh_c`]). Whatever the
//! user gave (arguments, directories, file names) reaches it quoted (see
//! [`quote`]), so no value is ever interpreted by the remote shell. Paths under the
//! remote home are written `"$HOME"/rest`, so the home is the remote one.

/// Quotes `word` for a POSIX shell: metron's one shell quoting
/// ([`metron::routine::shell::quote`], which is `shlex`'s): bare when it is
/// plainly safe, else quoted so that any Bourne-style shell reads it back as
/// exactly one word.
pub fn quote(word: &str) -> String {
    metron::routine::shell::quote(word).into_owned()
}

/// The command line ssh sends: `sh -c 'SCRIPT'`.
///
/// The remote login shell parses this line, so it only has to understand
/// the quotes [`quote`] writes (any Bourne-style shell does); the script
/// itself then runs under `sh` whatever the login shell is.
pub fn sh_c(script: &str) -> String {
    format!("sh -c {}", quote(script))
}

/// A path under the remote home, as a shell word.
pub fn home_path(relative: &str) -> String {
    format!("\"$HOME\"/{}", quote(relative))
}

/// A path the user gave for the remote side, as a shell word: absolute
/// paths as they are, `~/x` under the remote home, anything else relative to
/// the directory the remote step runs in.
pub fn user_path(path: &str) -> String {
    match path.strip_prefix("~/") {
        Some(rest) => home_path(rest),
        None if path == "~" => "\"$HOME\"".to_string(),
        None => quote(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `script` under the local sh and returns its stdout.
    fn sh(script: &str) -> String {
        let out = std::process::Command::new("sh").arg("-c").arg(script).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn quoted_words_survive_the_shell() {
        for word in [
            "plain",
            "two words",
            "it's",
            "$HOME",
            "a\"b",
            "`x`",
            "*",
            "",
            "new\nline",
            "\\",
            "-n",
            "a=b%c,{d}!^",
            "é ü",
            "'\"'",
        ] {
            assert_eq!(sh(&format!("printf '%s' {}", quote(word))), word, "{word:?}");
        }
        assert_eq!(quote("root@127.0.0.2:2222/x.json"), "root@127.0.0.2:2222/x.json");
    }

    #[test]
    fn sh_c_nests() {
        let script = format!("printf '%s|' {} {}", quote("a b"), quote("c'd"));
        assert_eq!(sh(&sh_c(&script)), "a b|c'd|");
    }

    #[test]
    fn paths() {
        let home = std::env::var("HOME").unwrap();
        assert_eq!(sh(&format!("printf %s {}", user_path("~/a b"))), format!("{home}/a b"));
        assert_eq!(sh(&format!("printf %s {}", user_path("~"))), home);
        assert_eq!(sh(&format!("printf %s {}", user_path("/tmp/$x"))), "/tmp/$x");
        assert_eq!(sh(&format!("printf %s {}", user_path("rel/x"))), "rel/x");
    }
}
