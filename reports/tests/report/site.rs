//! `write_site`: one directory with `index.html`.

use metron_report::{render_html, write_site, ReportError};

use crate::common;

#[test]
fn writes_index_html_into_a_new_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site").join("nested");
    let runs = [common::fixed_report()];
    let path = write_site(&runs, &dir).unwrap();
    assert_eq!(path, dir.join("index.html"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), render_html(&runs).unwrap());
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("index.html")], "no partial file left behind");
}

#[test]
fn an_unwritable_directory_is_one_line_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let err = write_site(&[common::fixed_report()], &file.join("site")).unwrap_err();
    assert!(matches!(err, ReportError::Io { .. }));
    assert_eq!(err.to_string(), format!("cannot write {}", file.join("site").display()));
    let source = std::error::Error::source(&err).expect("the OS error").to_string();
    assert!(!source.is_empty() && !source.contains('\n'), "{source}");
}
