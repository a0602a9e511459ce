//! The records the scenarios start from: valid, complete, fictional.

use kluis_core::{ClientInput, Consents};

/// A complete, valid client as a practitioner enters one; `first_name` tells
/// clients of one scenario apart.
pub fn sample_client(first_name: &str) -> ClientInput {
    ClientInput {
        first_name: first_name.to_owned(),
        last_name: Some("Jansen".to_owned()),
        email: "s.jansen@example.nl".to_owned(),
        birth_year: 1988,
        phone: "+31 6 1234 5678".to_owned(),
        employer: Some("Gemeente Utrecht".to_owned()),
        care_start: "2024-01-15".to_owned(),
        care_end: None,
        remarks: "Eerste intake gepland.".to_owned(),
        consents: Consents {
            health_data_consent_date: "2024-01-10".to_owned(),
            employer_reporting_opt_in: false,
            employer_reporting_date: None,
            health_data_consent_withdrawn: None,
        },
        restricted: false,
    }
}
