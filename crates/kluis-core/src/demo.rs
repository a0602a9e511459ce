//! The demo profile: a vault with fictional clients, so a newcomer sees the
//! whole product. Every name, address and number here is made up.

use chrono::Duration;

use crate::error::{CoreError, CoreResult};
use crate::profile::Profile;
use crate::record::clients::{ClientInput, Consents};
use crate::record::consults::{
    ConsultInput, ConsultKind, ConsultStatus, Recurrence, RecurrenceFrequency, today_in_amsterdam,
};
use crate::record::notes::{NewNote, NoteSection, NoteTemplate, Visibility};
use crate::record::practitioner::{Practitioner, Role};
use crate::vault::secret::Passphrase;

/// The demo profile's passphrase; printed by `make run`. Never use it for real data.
pub const DEMO_PASSPHRASE: &str = "oranje tulpen langs de grachten 1987";
pub const DEMO_PRACTITIONER: &str = "Sanne de Vries";
/// The demo practitioner's id, which the demo's central store is told by
/// `scripts/demo-store.sh`.
pub const DEMO_PRACTITIONER_ID: &str = "demo-sanne-de-vries";

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

/// Creates the demo vault and fills it, if the profile has no vault yet; a
/// demo vault made before the clinical record existed gets its agenda and
/// notes. Leaves the profile locked. Returns whether anything was added.
pub fn seed_demo_profile(kluis: &Profile) -> CoreResult<bool> {
    let passphrase = Passphrase::from(DEMO_PASSPHRASE);
    if kluis.status().vault_exists {
        kluis.unlock(&passphrase)?;
        let seeded = if kluis
            .agenda_week(&today_in_amsterdam().to_string())?
            .days
            .iter()
            .all(|day| day.consults.is_empty())
        {
            seed_record(kluis).map(|()| true)
        } else {
            Ok(false)
        };
        kluis.lock();
        return seeded;
    }
    kluis.create_vault_for(
        &passphrase,
        Practitioner::with_id(DEMO_PRACTITIONER_ID, DEMO_PRACTITIONER, Role::Psychologist)?,
    )?;
    let seeded = seed_clients(kluis).and_then(|()| seed_record(kluis));
    kluis.lock();
    seeded.map(|()| true)
}

fn seed_clients(kluis: &Profile) -> CoreResult<()> {
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
                health_data_consent_withdrawn: None,
            },
            restricted: demo.restricted,
        })?;
    }
    Ok(())
}

fn sections(template: NoteTemplate, texts: &[&str]) -> Vec<NoteSection> {
    template
        .section_keys()
        .iter()
        .zip(texts.iter().chain(std::iter::repeat(&"")))
        .map(|(key, text)| NoteSection {
            key: (*key).to_owned(),
            text: (*text).to_owned(),
        })
        .collect()
}

/// A day of consults today, a weekly series ahead, and last week's consults
/// with signed notes, an addendum, a check-in and a private draft. Dates are
/// relative to today, so the demo always shows a working day.
fn seed_record(kluis: &Profile) -> CoreResult<()> {
    let clients = kluis.list_clients()?;
    let client = |first_name: &str| {
        clients
            .iter()
            .find(|client| client.first_name == first_name)
            .map(|client| client.id.clone())
            .ok_or(CoreError::NotFound("demo client"))
    };
    let today = today_in_amsterdam();
    let day = |offset: i64| (today + Duration::days(offset)).to_string();
    let plan = |first_name: &str,
                kind: ConsultKind,
                offset: i64,
                time: &str,
                recurrence: Option<Recurrence>| {
        kluis.plan_consult(ConsultInput {
            client_ids: vec![client(first_name)?],
            kind,
            date: day(offset),
            time: time.to_owned(),
            duration_minutes: if kind == ConsultKind::SelfCheckIn {
                15
            } else {
                50
            },
            link: (kind == ConsultKind::Video)
                .then(|| "https://video.voorbeeld.nl/kamer/demo".to_owned()),
            recurrence,
        })
    };

    plan("Daan", ConsultKind::Video, 0, "09:00", None)?;
    plan("Lotte", ConsultKind::Video, 0, "11:00", None)?;
    plan("Noor", ConsultKind::SelfCheckIn, 0, "13:30", None)?;
    plan(
        "Fatima",
        ConsultKind::Phone,
        0,
        "15:00",
        Some(Recurrence {
            frequency: RecurrenceFrequency::Weekly,
            count: 6,
        }),
    )?;

    let last_week = plan("Daan", ConsultKind::Video, -7, "09:00", None)?;
    kluis.set_consult_status(&last_week[0].id, ConsultStatus::Completed)?;
    let note = kluis.create_note(NewNote {
        client_id: client("Daan")?,
        consult_id: Some(last_week[0].id.clone()),
        template: NoteTemplate::Soap,
        visibility: Visibility::CareTeam,
    })?;
    kluis.save_draft(
        &note.id,
        sections(
            NoteTemplate::Soap,
            &[
                "Slaapt sinds twee weken slecht door piekeren over werkdruk; voelt zich opgejaagd.",
                "Oogt vermoeid, spreekt snel, goed contact. Geen aanwijzingen voor crisis.",
                "Stressklachten passend bij langdurige werkdruk; slaapproblemen onderhouden het.",
                "Slaapdagboek bijhouden, ademhalingsoefening twee keer per dag, over een week evalueren.",
            ],
        ),
    )?;
    kluis.sign_note(&note.id)?;
    kluis.add_addendum(
        &note.id,
        "Aanvulling na telefonisch contact",
        "Cliënt meldt dat de bedrijfsarts op de hoogte is.",
    )?;

    let missed = plan("Fatima", ConsultKind::Phone, -6, "10:00", None)?;
    kluis.set_consult_status(&missed[0].id, ConsultStatus::NoShow)?;

    // Three check-ins whose WHO-5 scores rise (36, 52, 68), so the graph on
    // Lotte's timeline has a line to show.
    for texts in [
        [
            "Slaapt slecht, vaak wakker rond vier uur.",
            "Weinig beweging sinds de tentamens.",
            "Onregelmatig, veel snacks.",
            "Hoge spanning, piekert veel.",
            "Slaapdagboek bijhouden.",
            "2",
            "1",
            "2",
            "1",
            "3",
        ],
        [
            "Zes uur slaap, iets vaster ritme.",
            "Wandelt twee keer per week.",
            "Ontbijt vaker.",
            "Spanning wat minder.",
            "Wandelen uitbreiden naar drie keer.",
            "3",
            "2",
            "3",
            "2",
            "3",
        ],
        [
            "Gemiddeld zes uur slaap, wisselend ritme.",
            "Wandelt drie keer per week een half uur.",
            "Ontbijt vaak overgeslagen.",
            "Tentamenweek geeft veel spanning.",
            "Vaste bedtijd proberen; volgende check-in over twee weken.",
            "3",
            "3",
            "4",
            "3",
            "4",
        ],
    ] {
        let check_in = kluis.create_note(NewNote {
            client_id: client("Lotte")?,
            consult_id: None,
            template: NoteTemplate::LifestyleCheckIn,
            visibility: Visibility::CareTeam,
        })?;
        kluis.save_draft(
            &check_in.id,
            sections(NoteTemplate::LifestyleCheckIn, &texts),
        )?;
        kluis.sign_note(&check_in.id)?;
    }

    let draft = kluis.create_note(NewNote {
        client_id: client("Fatima")?,
        consult_id: None,
        template: NoteTemplate::Free,
        visibility: Visibility::Private,
    })?;
    kluis.save_draft(
        &draft.id,
        sections(
            NoteTemplate::Free,
            &["Werkaantekening: vragen naar de verhuizing en de steun van haar zus."],
        ),
    )?;
    Ok(())
}
