//! Every message id the templates use exists in the English Fluent file.

use std::collections::BTreeSet;
use std::path::Path;

fn ids_in_templates(dir: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("templates") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            ids_in_templates(&path, found);
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("template");
        for marker in ["c.t(\"", "c.t1(\"", "m::input(c, \""] {
            for part in text.split(marker).skip(1) {
                let id: String = part.split('"').next().unwrap_or_default().to_owned();
                let id = if marker.starts_with("m::input") {
                    part.split('"').nth(2).unwrap_or_default().to_owned()
                } else {
                    id
                };
                found.insert(id);
            }
        }
    }
}

#[test]
fn every_template_message_exists_in_english() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ids = BTreeSet::new();
    ids_in_templates(&root.join("templates"), &mut ids);
    let ftl = std::fs::read_to_string(root.join("../app/locales/en-US/main.ftl")).expect("ftl");
    let defined: BTreeSet<&str> = ftl
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim()))
        .collect();
    let missing: Vec<&String> = ids
        .iter()
        .filter(|id| !defined.contains(id.as_str()))
        .collect();
    assert!(ids.len() > 100, "found {} ids", ids.len());
    assert!(
        missing.is_empty(),
        "message ids used in templates but missing in main.ftl: {missing:?}"
    );
}
