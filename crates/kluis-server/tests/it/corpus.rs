//! An adversarial corpus over HTTP against a running store: every crafted
//! body is answered 4xx with an error body of the exact code, the answer
//! echoes nothing that was sent, and the store serves a real device after.

use kluis_protocol::{ErrorBody, ErrorCode};
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;

use crate::support::Backend;
use crate::sync::care_team;
use kluis_testkit::on_both_back_ends;

/// Sent inside every crafted body where a value can be: no answer may hold it.
const MARKER: &str = "Geheim-7513-Noor";

struct Case {
    name: &'static str,
    method: reqwest::Method,
    path: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    status: u16,
    code: ErrorCode,
}

fn json_case(
    name: &'static str,
    path: &'static str,
    body: String,
    status: u16,
    code: ErrorCode,
) -> Case {
    Case {
        name,
        method: reqwest::Method::POST,
        path,
        content_type: "application/json",
        body: body.into_bytes(),
        status,
        code,
    }
}

fn pull_body(cursor: &str, limit: &str) -> String {
    format!(r#"{{"protocol_version":2,"cursor":{cursor},"limit":{limit}}}"#)
}

/// A push of one client whose `remarks` is `remarks` (already JSON-escaped)
/// and whose first name carries the marker.
fn push_client(first_name: &str, remarks: &str) -> String {
    format!(
        r#"{{"protocol_version":2,"operations":[{{"op_id":"6a2f1c3e-1b7d-4a8e-9f00-000000000001","action":{{"type":"upsert","base_version":null,"record":{{"record_kind":"client","id":"client-9","client_code":"C-99999","first_name":"{first_name}","last_name":null,"email":"x@example.nl","birth_year":1990,"phone":"06","employer":null,"care_start":"2026-01-01","care_end":null,"remarks":"{remarks}","health_data_consent_date":"2026-01-01","employer_reporting_opt_in":false,"employer_reporting_date":null,"restricted":false}}}}}}]}}"#
    )
}

fn corpus() -> Vec<Case> {
    use ErrorCode::{Invalid, MalformedRequest, TooLarge};
    let deep = format!(
        r#"{{"protocol_version":2,"operations":{}{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let many_operations = format!(
        r#"{{"protocol_version":2,"operations":[{}]}}"#,
        (0..501)
            .map(|index| format!(
                r#"{{"op_id":"6a2f1c3e-1b7d-4a8e-9f00-{index:012}","action":{{"type":"delete","target":{{"kind":"consult","id":"{MARKER}"}},"base_version":1}}}}"#
            ))
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut invalid_utf8 = push_client(MARKER, "ok").into_bytes();
    let position = invalid_utf8
        .windows(2)
        .position(|pair| pair == b"ok")
        .expect("remarks");
    invalid_utf8[position] = 0xff;
    let oversized_section = push_client(MARKER, &"x".repeat(50_001));
    let audit = |field: &str| {
        format!(
            r#"{{"protocol_version":2,"entries":[{{"chain_id":"vault-1","seq":1,"id":"e1","occurred_at":"2026-11-25T09:00:00Z","actor_id":"anna","actor_name":"{field}","actor_role":"psychologist","on_behalf_of":null,"action":"read","client_id":null,"record_part":"client","record_id":null,"outcome":"success","prev_hash":"{zero}","hash":"{zero}"}}]}}"#,
            zero = "0".repeat(64)
        )
    };
    vec![
        json_case(
            "nesting deeper than 128",
            "/v1/push",
            deep,
            400,
            MalformedRequest,
        ),
        json_case(
            "a negative cursor",
            "/v1/pull",
            pull_body("-1", "10"),
            400,
            MalformedRequest,
        ),
        json_case(
            "a fractional cursor",
            "/v1/pull",
            pull_body("1.5", "10"),
            400,
            MalformedRequest,
        ),
        json_case(
            "1e400",
            "/v1/pull",
            pull_body("1e400", "10"),
            400,
            MalformedRequest,
        ),
        json_case(
            "u64::MAX + 1",
            "/v1/pull",
            pull_body("18446744073709551616", "10"),
            400,
            MalformedRequest,
        ),
        json_case(
            "a cursor above i64::MAX",
            "/v1/pull",
            pull_body("9223372036854775808", "10"),
            400,
            Invalid,
        ),
        json_case("limit 0", "/v1/pull", pull_body("0", "0"), 400, Invalid),
        json_case(
            "limit 1001",
            "/v1/pull",
            pull_body("0", "1001"),
            400,
            Invalid,
        ),
        json_case("501 operations", "/v1/push", many_operations, 400, TooLarge),
        json_case(
            "a duplicate key",
            "/v1/pull",
            r#"{"protocol_version":2,"cursor":0,"cursor":5,"limit":10}"#.to_owned(),
            400,
            MalformedRequest,
        ),
        Case {
            name: "invalid UTF-8",
            method: reqwest::Method::POST,
            path: "/v1/push",
            content_type: "application/json",
            body: invalid_utf8,
            status: 400,
            code: MalformedRequest,
        },
        json_case(
            "a lone surrogate",
            "/v1/push",
            push_client(&format!("{MARKER}\\ud800"), "ok"),
            400,
            MalformedRequest,
        ),
        json_case(
            "a raw control character",
            "/v1/push",
            push_client(&format!("{MARKER}\u{1f}"), "ok"),
            400,
            MalformedRequest,
        ),
        json_case(
            "an escaped NUL in a name",
            "/v1/push",
            push_client(&format!("{MARKER}\\u0000"), "ok"),
            400,
            Invalid,
        ),
        json_case(
            "an escaped 0x1f in a text",
            "/v1/push",
            push_client(MARKER, "regel\\u001fregel"),
            400,
            Invalid,
        ),
        json_case(
            "an oversized section",
            "/v1/push",
            oversized_section,
            400,
            TooLarge,
        ),
        json_case(
            "an unknown field",
            "/v1/pull",
            format!(r#"{{"protocol_version":2,"cursor":0,"limit":10,"{MARKER}":1}}"#),
            400,
            MalformedRequest,
        ),
        Case {
            name: "the wrong content type",
            method: reqwest::Method::POST,
            path: "/v1/pull",
            content_type: "text/plain",
            body: pull_body("0", "10").into_bytes(),
            status: 400,
            code: MalformedRequest,
        },
        Case {
            name: "the wrong method",
            method: reqwest::Method::GET,
            path: "/v1/push",
            content_type: "application/json",
            body: Vec::new(),
            status: 405,
            code: MalformedRequest,
        },
        Case {
            name: "the wrong method on the access log",
            method: reqwest::Method::PUT,
            path: "/v1/audit",
            content_type: "application/json",
            body: audit(MARKER).into_bytes(),
            status: 405,
            code: MalformedRequest,
        },
        json_case(
            "an access-log entry with a NUL",
            "/v1/audit",
            audit(&format!("{MARKER}\\u0000")),
            400,
            Invalid,
        ),
        json_case(
            "an access-log entry with a raw unit separator",
            "/v1/audit",
            audit(&format!("{MARKER}\u{1f}")),
            400,
            MalformedRequest,
        ),
        json_case(
            "an access-log entry whose hash is wrong",
            "/v1/audit",
            audit(MARKER),
            400,
            Invalid,
        ),
        json_case(
            "an access log nested too deep",
            "/v1/audit",
            format!(
                r#"{{"protocol_version":2,"entries":{}{}}}"#,
                "[".repeat(200),
                "]".repeat(200)
            ),
            400,
            MalformedRequest,
        ),
    ]
}

async fn every_crafted_request_gets_its_exact_error_and_echoes_nothing<S: Backend>() {
    let (store, anna, _lotte, _bram) = care_team::<S>().await;
    for case in corpus() {
        let answer = anna
            .client
            .request(case.method.clone(), store.url(case.path))
            .header("content-type", case.content_type)
            .body(case.body)
            .send()
            .await
            .expect("an answer");
        let status = answer.status().as_u16();
        let text = answer.text().await.expect("a body");
        assert_eq!(status, case.status, "{}: {text}", case.name);
        let body: ErrorBody = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("{}: not an error body ({error}): {text}", case.name));
        assert_eq!(body.code, case.code, "{}: {text}", case.name);
        assert!(
            !text.contains(MARKER),
            "{} echoes what was sent: {text}",
            case.name
        );
        // serde's messages give a position ("at line 1 column 80") and quote
        // what they choke on; the store's own words do neither.
        assert!(!text.contains(" column "), "{}: {text}", case.name);
    }
    assert_eq!(
        anna.pull(0).await.changes.len(),
        1,
        "the store keeps serving the device"
    );
}

on_both_back_ends!(every_crafted_request_gets_its_exact_error_and_echoes_nothing);
