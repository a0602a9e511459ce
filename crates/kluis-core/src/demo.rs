//! The demo profile: a vault with fictional clients, so a newcomer sees the
//! whole product. Every name, address and number here is made up.

use crate::clients::{ClientInput, Consents};
use crate::error::CoreResult;
use crate::kluis::Kluis;
use crate::practitioner::Role;
use crate::secret::Passphrase;

/// The demo profile's passphrase; printed by `make run`. Never use it for real data.
pub const DEMO_PASSPHRASE: &str = "oranje tulpen langs de grachten 1987";
pub const DEMO_PRACTITIONER: &str = "Sanne de Vries";

struct DemoClient {
    first_name: &'static str,
    last_name: Option<&'static str>,
    birth_year: u16,
    employer: Option<&'static str>,
    care_start: &'static str,
    care_end: Option<&'static str>,
    employer_opt_in: bool,
    restricted: bool,
    remarks: &'static str,
}

const DEMO_CLIENTS: &[DemoClient] = &[
    DemoClient {
        first_name: "Daan",
        last_name: Some("Bakker"),
        birth_year: 1988,
        employer: Some("Voorbeeld Logistiek BV"),
        care_start: "2026-09-01",
        care_end: None,
        employer_opt_in: true,
        restricted: false,
        remarks: "Aangemeld via werkgever; slaapproblemen en werkdruk.",
    },
    DemoClient {
        first_name: "Fatima",
        last_name: Some("El Amrani"),
        birth_year: 1993,
        employer: None,
        care_start: "2026-10-14",
        care_end: None,
        employer_opt_in: false,
        restricted: false,
        remarks: "Voorkeur voor videoconsulten op dinsdag.",
    },
    DemoClient {
        first_name: "Joris",
        last_name: Some("van den Berg"),
        birth_year: 1979,
        employer: Some("Gemeente Fictief"),
        care_start: "2026-03-02",
        care_end: Some("2026-08-28"),
        employer_opt_in: false,
        restricted: false,
        remarks: "Traject afgerond; terugvalpreventieplan meegegeven.",
    },
    DemoClient {
        first_name: "Lotte",
        last_name: Some("Jansen"),
        birth_year: 2001,
        employer: None,
        care_start: "2026-11-03",
        care_end: None,
        employer_opt_in: false,
        restricted: false,
        remarks: "Eerste gesprek gepland; intake nog niet compleet.",
    },
    DemoClient {
        first_name: "Mehmet",
        last_name: Some("Yilmaz"),
        birth_year: 1985,
        employer: Some("Zorggroep Denkbeeld"),
        care_start: "2026-06-20",
        care_end: None,
        employer_opt_in: true,
        restricted: true,
        remarks: "Cliënt heeft beperking van verwerking gevraagd.",
    },
    DemoClient {
        first_name: "Noor",
        last_name: None,
        birth_year: 1997,
        employer: None,
        care_start: "2026-10-01",
        care_end: None,
        employer_opt_in: false,
        restricted: false,
        remarks: "Wil alleen met voornaam geregistreerd worden.",
    },
];

/// Creates the demo vault and fills it, if the profile has no vault yet.
/// Leaves the profile locked.
pub fn seed_demo_profile(kluis: &Kluis) -> CoreResult<bool> {
    if kluis.status().vault_exists {
        return Ok(false);
    }
    kluis.create_vault(
        &Passphrase::from(DEMO_PASSPHRASE),
        DEMO_PRACTITIONER,
        Role::Psychologist,
    )?;
    for (index, demo) in DEMO_CLIENTS.iter().enumerate() {
        let first = demo.first_name.to_lowercase();
        kluis.create_client(ClientInput {
            first_name: demo.first_name.to_owned(),
            last_name: demo.last_name.map(str::to_owned),
            email: format!("{first}@example.nl"),
            birth_year: demo.birth_year,
            phone: format!("06 0000 00{index:02}"),
            employer: demo.employer.map(str::to_owned),
            care_start: demo.care_start.to_owned(),
            care_end: demo.care_end.map(str::to_owned),
            remarks: demo.remarks.to_owned(),
            consents: Consents {
                health_data_consent_date: demo.care_start.to_owned(),
                employer_reporting_opt_in: demo.employer_opt_in,
                employer_reporting_date: demo.employer_opt_in.then(|| demo.care_start.to_owned()),
            },
            restricted: demo.restricted,
        })?;
    }
    kluis.lock();
    Ok(true)
}
