//! Routing a new case to a desk queue (SUP-2): ordered rules, each with the conditions it sets;
//! the first rule by position whose every condition holds names the queue, and a case no rule
//! matches goes to the default queue.

/// What routing looks at on a new case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFacts {
    pub product_line: String,
    /// ISO country code of the case.
    pub country: String,
    /// The submitter's language, when their profile has one.
    pub language: Option<String>,
    pub severity: i64,
    /// Whether the plan that pays covers round-the-clock handling.
    pub coverage_24x7: bool,
    pub company_id: i64,
    /// The PIN's code, when the case has one.
    pub pin: Option<String>,
}

/// The conditions of a rule; a condition left out holds for every case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct When {
    pub product_line: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub severity: Option<i64>,
    pub coverage_24x7: Option<bool>,
    pub company_id: Option<i64>,
    pub pin: Option<String>,
}

impl When {
    /// Whether every condition set holds for `case`; text is compared without regard to case.
    pub fn holds(&self, case: &CaseFacts) -> bool {
        let same = |want: &Option<String>, have: Option<&str>| {
            want.as_deref()
                .is_none_or(|w| have.is_some_and(|h| h.trim().eq_ignore_ascii_case(w.trim())))
        };
        same(&self.product_line, Some(&case.product_line))
            && same(&self.country, Some(&case.country))
            && same(&self.language, case.language.as_deref())
            && same(&self.pin, case.pin.as_deref())
            && self.severity.is_none_or(|s| s == case.severity)
            && self.coverage_24x7.is_none_or(|c| c == case.coverage_24x7)
            && self.company_id.is_none_or(|c| c == case.company_id)
    }

    /// Whether the rule sets no condition at all (it would catch every case).
    pub fn is_empty(&self) -> bool {
        *self == When::default()
    }
}

/// A rule: its position, the queue it names and its conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule<Q> {
    pub position: i64,
    pub queue: Q,
    pub when: When,
}

/// The queue of a new case: the first rule by position (then by order given) that holds, else
/// the default queue, else none.
pub fn route<Q: Copy>(rules: &[Rule<Q>], default: Option<Q>, case: &CaseFacts) -> Option<Q> {
    let mut ordered: Vec<&Rule<Q>> = rules.iter().collect();
    ordered.sort_by_key(|r| r.position);
    ordered
        .into_iter()
        .find(|r| r.when.holds(case))
        .map(|r| r.queue)
        .or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case() -> CaseFacts {
        CaseFacts {
            product_line: "Servers".into(),
            country: "NL".into(),
            language: Some("nl".into()),
            severity: 2,
            coverage_24x7: false,
            company_id: 7,
            pin: Some("PIN-7".into()),
        }
    }

    fn rule(position: i64, queue: u8, when: When) -> Rule<u8> {
        Rule {
            position,
            queue,
            when,
        }
    }

    #[test]
    fn each_condition_routes_on_its_own() {
        let conditions = [
            When {
                product_line: Some("servers".into()),
                ..When::default()
            },
            When {
                country: Some("nl".into()),
                ..When::default()
            },
            When {
                language: Some("NL".into()),
                ..When::default()
            },
            When {
                severity: Some(2),
                ..When::default()
            },
            When {
                coverage_24x7: Some(false),
                ..When::default()
            },
            When {
                company_id: Some(7),
                ..When::default()
            },
            When {
                pin: Some("pin-7".into()),
                ..When::default()
            },
        ];
        for when in conditions {
            assert_eq!(
                route(&[rule(1, 1, when.clone())], Some(9), &case()),
                Some(1),
                "{when:?}"
            );
        }
        let misses = [
            When {
                product_line: Some("Notebooks".into()),
                ..When::default()
            },
            When {
                country: Some("BE".into()),
                ..When::default()
            },
            When {
                language: Some("fr".into()),
                ..When::default()
            },
            When {
                severity: Some(1),
                ..When::default()
            },
            When {
                coverage_24x7: Some(true),
                ..When::default()
            },
            When {
                company_id: Some(8),
                ..When::default()
            },
            When {
                pin: Some("PIN-8".into()),
                ..When::default()
            },
        ];
        for when in misses {
            assert_eq!(
                route(&[rule(1, 1, when.clone())], Some(9), &case()),
                Some(9),
                "{when:?}"
            );
        }
    }

    #[test]
    fn the_first_rule_by_position_wins_and_all_its_conditions_must_hold() {
        let rules = [
            rule(
                20,
                2,
                When {
                    country: Some("NL".into()),
                    ..When::default()
                },
            ),
            rule(
                10,
                1,
                When {
                    country: Some("NL".into()),
                    severity: Some(1),
                    ..When::default()
                },
            ),
            rule(
                30,
                3,
                When {
                    product_line: Some("Servers".into()),
                    ..When::default()
                },
            ),
        ];
        assert_eq!(
            route(&rules, None, &case()),
            Some(2),
            "rule 10 needs severity 1 too"
        );
        let urgent = CaseFacts {
            severity: 1,
            ..case()
        };
        assert_eq!(route(&rules, None, &urgent), Some(1));
    }

    #[test]
    fn no_match_goes_to_the_default_queue_or_nowhere() {
        let rules = [rule(
            1,
            1,
            When {
                country: Some("SE".into()),
                ..When::default()
            },
        )];
        assert_eq!(route(&rules, Some(9), &case()), Some(9));
        assert_eq!(route(&rules, None, &case()), None);
        let no_language = CaseFacts {
            language: None,
            pin: None,
            ..case()
        };
        let wants = [rule(
            1,
            1,
            When {
                language: Some("nl".into()),
                ..When::default()
            },
        )];
        assert_eq!(
            route(&wants, None, &no_language),
            None,
            "an unknown language never matches"
        );
        assert!(When::default().is_empty() && !wants[0].when.is_empty());
    }
}
