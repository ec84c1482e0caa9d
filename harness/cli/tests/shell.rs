//! `metron completions` and `metron man`, checked with the real bash and man.

use assert_cmd::Command;

fn output_of(args: &[&str]) -> String {
    let out = Command::cargo_bin("metron").unwrap().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn bash_loads_the_completion_script() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("metron.bash");
    std::fs::write(&script, output_of(&["completions", "bash"])).unwrap();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("source '{}' && complete -p metron", script.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("metron"));
}

#[test]
fn the_manual_page_renders() {
    let page = output_of(&["man"]);
    assert!(page.contains(".TH metron"), "not roff: {}", &page[..page.len().min(200)]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("metron.1");
    std::fs::write(&file, &page).unwrap();
    // `man -l` where man is installed (it is on Debian's images), else groff.
    let rendered = std::process::Command::new("man")
        .args(["-l", "-P", "cat"])
        .arg(&file)
        .env("MANWIDTH", "80")
        .output()
        .or_else(|_| std::process::Command::new("groff").args(["-man", "-Tutf8"]).arg(&file).output())
        .expect("man or groff to render the page");
    let text = String::from_utf8_lossy(&rendered.stdout);
    assert!(rendered.status.success(), "{}", String::from_utf8_lossy(&rendered.stderr));
    assert!(text.contains("--precision") || text.contains("precision"), "{text}");
}
