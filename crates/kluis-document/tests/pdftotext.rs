//! What a reader gets out of a document: the PDF is read back with
//! poppler's `pdftotext` (installed by `scripts/setup.sh`), as a client's
//! PDF reader or a screen reader would.

// Test helpers outside #[test] functions panic on setup failure by design.
#![allow(clippy::expect_used)]

use std::process::Command;

use kluis_document::{Block, Document, Table};

fn text_of(document: &Document) -> String {
    let directory = tempfile::tempdir().expect("temporary directory");
    let path = directory.path().join("document.pdf");
    std::fs::write(&path, document.to_pdf()).expect("write the PDF");
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(
        output.status.success(),
        "pdftotext refused the file: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("pdftotext writes UTF-8")
}

fn document(blocks: Vec<Block>) -> Document {
    Document {
        title: "Inzage".into(),
        footer: "Kluis".into(),
        page_words: ("Pagina".into(), "van".into()),
        blocks,
    }
}

#[test]
fn every_block_reads_back_with_its_accents() {
    let text = text_of(&document(vec![
        Block::Title("Inzage in het dossier van Zoë".into()),
        Block::Heading("Gegevens".into()),
        Block::Fields(vec![
            ("Cliëntcode".into(), "C-7K3F9".into()),
            ("Geboortejaar".into(), "1988".into()),
        ]),
        Block::Paragraph("Gesprek over slaap en één afspraak; café om 8 uur.".into()),
        Block::Remark("Privé-werkaantekeningen horen niet bij het dossier.".into()),
        Block::Table(Table {
            header: vec!["Wie".into(), "Wat".into()],
            rows: vec![vec!["Anna de Vries".into(), "lezen".into()]],
        }),
    ]));
    for expected in [
        "Inzage in het dossier van Zoë",
        "Cliëntcode",
        "C-7K3F9",
        "één afspraak; café",
        "Privé-werkaantekeningen",
        "Anna de Vries",
        "Pagina 1 van 1",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

#[test]
fn long_documents_run_onto_numbered_pages_and_keep_every_word() {
    let paragraphs: Vec<Block> = (0..120)
        .map(|index| {
            Block::Paragraph(format!("Alinea {index:03} met woorden die doorlopen. ").repeat(4))
        })
        .collect();
    let rows = (0..150)
        .map(|index| vec![format!("regel-{index:03}"), "gelezen".into()])
        .collect();
    let mut blocks = paragraphs;
    blocks.push(Block::Table(Table {
        header: vec!["Kolom".into(), "Actie".into()],
        rows,
    }));
    let text = text_of(&document(blocks));
    let pages = text.matches("Pagina ").count();
    assert!(pages >= 5, "expected several pages, found {pages}:\n{text}");
    assert!(text.contains(&format!("Pagina {pages} van {pages}")));
    for index in 0..120 {
        assert!(
            text.contains(&format!("Alinea {index:03}")),
            "paragraph {index} lost"
        );
    }
    for index in 0..150 {
        assert!(
            text.contains(&format!("regel-{index:03}")),
            "row {index} lost"
        );
    }
    // The table's header is repeated on each page the table runs onto.
    assert!(text.matches("Kolom").count() >= 2);
}

#[test]
fn a_character_outside_the_fonts_is_marked_not_dropped() {
    let text = text_of(&document(vec![Block::Paragraph("Łódź 😀 einde".into())]));
    assert!(text.contains("?ód? ? einde"), "{text}");
}

#[test]
fn a_field_or_a_table_cell_longer_than_a_page_runs_on_and_keeps_every_word() {
    let long: String = (0..900).map(|index| format!("w{index:04} ")).collect();
    let text = text_of(&document(vec![
        Block::Fields(vec![("Subjectief".into(), long.clone())]),
        Block::Table(Table {
            header: vec!["Datum".into(), "Reden".into()],
            rows: vec![vec!["02-12-2026".into(), long.replace('w', "r")]],
        }),
    ]));
    for index in 0..900 {
        assert!(
            text.contains(&format!("w{index:04}")),
            "field word {index} lost"
        );
        assert!(
            text.contains(&format!("r{index:04}")),
            "cell word {index} lost"
        );
    }
    assert!(text.contains("Pagina 3 van"), "{text}");
}
