//! What `serve --demo` prints after its address: the demo sign-ins and what to try, as
//! messages in the operator's language.

use crate::demo::DEMO_PASSWORD;

/// One demo sign-in, printed at start: the address and who it is, as a message with its values.
pub struct DemoLogin {
    pub email: &'static str,
    pub what: (&'static str, &'static [(&'static str, &'static str)]),
}

pub const LOGINS: &[DemoLogin] = &[
    DemoLogin {
        email: "admin@operator.test",
        what: ("demo-who-operator-admin", &[]),
    },
    DemoLogin {
        email: "engineer@operator.test",
        what: ("demo-who-engineer-all", &[]),
    },
    DemoLogin {
        email: "nora@operator.test",
        what: ("demo-who-engineer", &[("queue", "General support, Norway")]),
    },
    DemoLogin {
        email: "anna.admin@northwind.test",
        what: (
            "demo-who-company-admin",
            &[("company", "Northwind Robotics")],
        ),
    },
    DemoLogin {
        email: "bram@northwind.test",
        what: ("demo-who-member", &[("company", "Northwind Robotics")]),
    },
    DemoLogin {
        email: "ingrid@fjordline.test",
        what: (
            "demo-who-company-admin",
            &[("company", "Fjordline Logistics")],
        ),
    },
    DemoLogin {
        email: "pia@brightpath.test",
        what: (
            "demo-who-partner-admin",
            &[("company", "Brightpath Partners")],
        ),
    },
    DemoLogin {
        email: "sven@nordlys.test",
        what: (
            "demo-who-partner-admin",
            &[("company", "Nordlys Service AS")],
        ),
    },
    DemoLogin {
        email: "leo@lumen.test",
        what: (
            "demo-who-first-registrant",
            &[("company", "Lumen Analytics")],
        ),
    },
    DemoLogin {
        email: "olivia@homeoffice.test",
        what: ("demo-who-basic", &[]),
    },
];

/// Printed at start: what to try with the demo, as messages with their values.
pub const HINTS: &[(&str, &[(&str, &str)])] = &[
    (
        "demo-hint-warranty",
        &[
            ("covered", "NWR-SRV-0001"),
            ("contract", "NWR-NB-0102"),
            ("expired", "NWR-SRV-0002"),
        ],
    ),
    (
        "demo-hint-agreement",
        &[("access", "DEMO-SHARE"), ("agreement", "42000042")],
    ),
    (
        "demo-hint-cards",
        &[
            ("accepted", "4242 4242 4242 4242"),
            ("declined", "4000 0000 0000 0002"),
        ],
    ),
    (
        "demo-hint-desk-setup",
        &[("path", "/admin/desk"), ("email", "admin@operator.test")],
    ),
    (
        "demo-hint-desk",
        &[("path", "/desk"), ("email", "engineer@operator.test")],
    ),
];

/// What `serve --demo` prints after its address, in `lang`: the sign-ins and what to try.
pub fn introduction(lang: &crate::i18n::Lang) -> Vec<String> {
    let args = |values: &[(&'static str, &'static str)]| -> Vec<(&'static str, String)> {
        values.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    };
    let mut lines = vec![lang.t1("demo-sign-ins", "password", DEMO_PASSWORD)];
    for login in LOGINS {
        let (id, values) = login.what;
        lines.push(format!(
            "  {:<28} {}",
            login.email,
            lang.tn(id, &args(values))
        ));
    }
    for (id, values) in HINTS {
        lines.push(lang.tn(id, &args(values)));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of the demo's introduction is a message in each language, with its values.
    #[test]
    fn the_introduction_is_written_in_each_language() {
        for code in crate::i18n::Lang::codes() {
            let lang = crate::i18n::Lang::of_code(&code).expect("language");
            let lines = introduction(&lang);
            assert_eq!(lines.len(), 1 + LOGINS.len() + HINTS.len());
            assert!(lines[0].contains(DEMO_PASSWORD), "{code}");
            assert!(lines.iter().any(|l| l.contains("NWR-SRV-0001")), "{code}");
            assert!(
                !lines
                    .iter()
                    .any(|l| l.contains("{") || l.contains("Unknown")),
                "{code}: {lines:?}"
            );
        }
    }
}
