//! Readable documents for people outside Kluis: the copy of a client's
//! record (AVG art. 15) and the employer report. A document is a list of
//! blocks (title, headings, paragraphs, label–value fields, tables) that is
//! laid out on A4 pages and written as a PDF in memory; the caller decides
//! where the bytes go.
//!
//! The text is set in the PDF standard fonts Courier and Courier-Bold, which
//! every reader has, so nothing is embedded and the file stays small.
//! Courier's glyphs are all 0.6 em wide, which makes line breaking exact
//! without a font metrics table. Text is encoded in WinAnsiEncoding (the
//! standard fonts' encoding), which covers Dutch and the other Western
//! European languages; a character outside it is written as `?`, never
//! dropped silently. `pdftotext` reads the text back, which is how the tests
//! check what a document says.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// What a document is made of, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The document's title, once at the top.
    Title(String),
    Heading(String),
    /// Ordinary text; a line break in the text starts a new line.
    Paragraph(String),
    /// Smaller, grey text: a remark about the document itself.
    Remark(String),
    /// Pairs of a label and its value, one pair per line.
    Fields(Vec<(String, String)>),
    Table(Table),
}

/// A table whose header is repeated on every page it runs onto.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A document ready to be written as a PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The PDF's title (shown by readers in their title bar).
    pub title: String,
    /// The text at the foot of every page, before the page number.
    pub footer: String,
    /// Words of the page number in the document's language, e.g.
    /// `("Pagina", "van")` gives "Pagina 2 van 3".
    pub page_words: (String, String),
    pub blocks: Vec<Block>,
}

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN_SIDE: f32 = 56.0;
const MARGIN_TOP: f32 = 56.0;
const MARGIN_BOTTOM: f32 = 72.0;
const FOOTER_Y: f32 = 40.0;
/// Courier's advance width for every glyph, in em.
const GLYPH_EM: f32 = 0.6;
const BODY_SIZE: f32 = 10.0;
const REMARK_SIZE: f32 = 8.5;
const HEADING_SIZE: f32 = 13.0;
const TITLE_SIZE: f32 = 17.0;
const COLUMN_GAP: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular,
    Bold,
}

impl Face {
    fn resource(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"F1"),
            Face::Bold => Name(b"F2"),
        }
    }
}

/// One line of text placed on a page.
#[derive(Debug, Clone)]
struct Placed {
    face: Face,
    size: f32,
    gray: f32,
    x: f32,
    y: f32,
    text: String,
}

/// A horizontal rule placed on a page.
#[derive(Debug, Clone, Copy)]
struct Rule {
    y: f32,
}

#[derive(Debug, Default)]
struct Page {
    lines: Vec<Placed>,
    rules: Vec<Rule>,
}

/// Places lines top to bottom, starting a new page when one is full.
#[derive(Debug)]
struct Layout {
    pages: Vec<Page>,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Self {
            pages: vec![Page::default()],
            y: PAGE_HEIGHT - MARGIN_TOP,
        }
    }

    fn room_left(&self) -> f32 {
        self.y - MARGIN_BOTTOM
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = PAGE_HEIGHT - MARGIN_TOP;
    }

    /// Makes sure `height` fits on this page, or starts the next one.
    fn reserve(&mut self, height: f32) {
        if self.room_left() < height {
            self.new_page();
        }
    }

    fn page(&mut self) -> &mut Page {
        // The layout always holds at least the first page.
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn space(&mut self, height: f32) {
        self.y -= height;
    }

    fn line(&mut self, face: Face, size: f32, gray: f32, x: f32, text: String) {
        let leading = size * 1.3;
        self.reserve(leading);
        self.y -= leading;
        let y = self.y;
        self.page().lines.push(Placed {
            face,
            size,
            gray,
            x,
            y,
            text,
        });
    }

    fn rule(&mut self) {
        let y = self.y - 3.0;
        self.page().rules.push(Rule { y });
        self.y -= 6.0;
    }
}

/// How many glyphs fit across the text column at this size.
fn columns_at(size: f32) -> usize {
    let width = PAGE_WIDTH - 2.0 * MARGIN_SIDE;
    (width / (size * GLYPH_EM)).floor() as usize
}

/// Breaks text into lines of at most `width` characters: at spaces where it
/// can, inside a word only when the word alone is longer than a line. A line
/// break in the text is kept; an empty line stays an empty line.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_chars = 0usize;
        for word in paragraph.split_whitespace() {
            let mut word: Vec<char> = word.chars().collect();
            loop {
                let needed = if line_chars == 0 {
                    word.len()
                } else {
                    line_chars + 1 + word.len()
                };
                if needed <= width {
                    if line_chars > 0 {
                        line.push(' ');
                        line_chars += 1;
                    }
                    line.extend(word.iter());
                    line_chars += word.len();
                    break;
                }
                if line_chars > 0 {
                    lines.push(std::mem::take(&mut line));
                    line_chars = 0;
                    continue;
                }
                // A word longer than a whole line is cut where the line ends.
                let rest = word.split_off(width);
                lines.push(word.iter().collect());
                word = rest;
            }
        }
        lines.push(line);
    }
    lines
}

/// The byte WinAnsiEncoding gives a character, or `?` when it has none.
/// Control characters (a tab included) become a space.
fn win_ansi(character: char) -> u8 {
    let code = u32::from(character);
    match character {
        ' '..='~' => code as u8,
        '\u{a0}'..='\u{ff}' => code as u8,
        '\t' | '\r' | '\n' => b' ',
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8a,
        '‹' => 0x8b,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9a,
        '›' => 0x9b,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        _ if character.is_control() => b' ',
        _ => b'?',
    }
}

fn encode(text: &str) -> Vec<u8> {
    text.chars().map(win_ansi).collect()
}

/// The height of the text area of a page.
const TEXT_HEIGHT: f32 = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
const BODY_LEADING: f32 = BODY_SIZE * 1.3;

/// One column of a row of body text: where it starts, how it is set, and
/// its text already broken into lines.
#[derive(Debug)]
struct Column<'a> {
    x: f32,
    face: Face,
    gray: f32,
    lines: &'a [String],
}

/// Places columns side by side, line by line: the row stays on one page
/// when it fits on one, and a row taller than a page runs on to the next.
fn place_columns(layout: &mut Layout, columns: &[Column<'_>]) {
    let rows = columns
        .iter()
        .map(|column| column.lines.len())
        .max()
        .unwrap_or(0);
    if rows as f32 * BODY_LEADING <= TEXT_HEIGHT {
        layout.reserve(rows as f32 * BODY_LEADING);
    }
    for index in 0..rows {
        layout.reserve(BODY_LEADING);
        layout.y -= BODY_LEADING;
        let y = layout.y;
        for column in columns {
            if let Some(text) = column.lines.get(index) {
                layout.page().lines.push(Placed {
                    face: column.face,
                    size: BODY_SIZE,
                    gray: column.gray,
                    x: column.x,
                    y,
                    text: text.clone(),
                });
            }
        }
    }
}

fn lay_out_fields(layout: &mut Layout, fields: &[(String, String)]) {
    let columns = columns_at(BODY_SIZE);
    let label_width = fields
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0)
        .min(columns / 3);
    let value_width = columns - label_width - COLUMN_GAP;
    let value_x = MARGIN_SIDE + ((label_width + COLUMN_GAP) as f32) * BODY_SIZE * GLYPH_EM;
    for (label, value) in fields {
        let labels = wrap(label, label_width.max(1));
        let values = wrap(value, value_width);
        place_columns(
            layout,
            &[
                Column {
                    x: MARGIN_SIDE,
                    face: Face::Bold,
                    gray: 0.25,
                    lines: &labels,
                },
                Column {
                    x: value_x,
                    face: Face::Regular,
                    gray: 0.0,
                    lines: &values,
                },
            ],
        );
    }
}

/// Column widths in characters: each column as wide as its widest cell,
/// the widest columns narrowed until the table fits the text column.
fn column_widths(table: &Table, columns: usize) -> Vec<usize> {
    let count = table
        .rows
        .iter()
        .map(Vec::len)
        .chain(std::iter::once(table.header.len()))
        .max()
        .unwrap_or(0);
    if count == 0 {
        return Vec::new();
    }
    let mut widths = vec![3usize; count];
    for row in std::iter::once(&table.header).chain(table.rows.iter()) {
        for (index, cell) in row.iter().enumerate() {
            let longest_word = cell
                .split_whitespace()
                .map(|word| word.chars().count())
                .max()
                .unwrap_or(0);
            let whole = cell.chars().count();
            widths[index] = widths[index].max(whole.min(40).max(longest_word.min(20)));
        }
    }
    let available = columns.saturating_sub(COLUMN_GAP * (count - 1)).max(count);
    while widths.iter().sum::<usize>() > available {
        let Some(widest) = widths.iter_mut().max() else {
            break;
        };
        if *widest <= 4 {
            break;
        }
        *widest -= 1;
    }
    widths
}

/// A table row's cells broken into lines, one list per column.
fn wrap_row(cells: &[String], widths: &[usize]) -> Vec<Vec<String>> {
    widths
        .iter()
        .enumerate()
        .map(|(index, width)| wrap(cells.get(index).map_or("", String::as_str), *width))
        .collect()
}

fn place_row(layout: &mut Layout, wrapped: &[Vec<String>], widths: &[usize], face: Face) {
    let mut x = MARGIN_SIDE;
    let columns: Vec<Column<'_>> = wrapped
        .iter()
        .zip(widths)
        .map(|(lines, width)| {
            let column = Column {
                x,
                face,
                gray: 0.0,
                lines,
            };
            x += ((width + COLUMN_GAP) as f32) * BODY_SIZE * GLYPH_EM;
            column
        })
        .collect();
    place_columns(layout, &columns);
}

fn lay_out_table(layout: &mut Layout, table: &Table) {
    let widths = column_widths(table, columns_at(BODY_SIZE));
    if widths.is_empty() {
        return;
    }
    let header = wrap_row(&table.header, &widths);
    let place_header = |layout: &mut Layout| {
        place_row(layout, &header, &widths, Face::Bold);
        layout.rule();
    };
    // The header and at least one row stay together.
    layout.reserve(4.0 * BODY_LEADING);
    place_header(layout);
    for row in &table.rows {
        let wrapped = wrap_row(row, &widths);
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * BODY_LEADING;
        // A row that fits a page starts one of its own under the header
        // again; a taller one runs on where it is.
        if layout.room_left() < height && height <= TEXT_HEIGHT {
            layout.new_page();
            place_header(layout);
        }
        place_row(layout, &wrapped, &widths, Face::Regular);
    }
}

impl Document {
    fn lay_out(&self) -> Vec<Page> {
        let mut layout = Layout::new();
        for block in &self.blocks {
            match block {
                Block::Title(text) => {
                    for line in wrap(text, columns_at(TITLE_SIZE)) {
                        layout.line(Face::Bold, TITLE_SIZE, 0.0, MARGIN_SIDE, line);
                    }
                    layout.rule();
                    layout.space(4.0);
                }
                Block::Heading(text) => {
                    // A heading never ends a page: it keeps three lines below it.
                    layout.space(8.0);
                    layout.reserve(HEADING_SIZE * 1.3 + 3.0 * BODY_SIZE * 1.3);
                    for line in wrap(text, columns_at(HEADING_SIZE)) {
                        layout.line(Face::Bold, HEADING_SIZE, 0.0, MARGIN_SIDE, line);
                    }
                    layout.space(2.0);
                }
                Block::Paragraph(text) => {
                    for line in wrap(text, columns_at(BODY_SIZE)) {
                        layout.line(Face::Regular, BODY_SIZE, 0.0, MARGIN_SIDE, line);
                    }
                    layout.space(4.0);
                }
                Block::Remark(text) => {
                    for line in wrap(text, columns_at(REMARK_SIZE)) {
                        layout.line(Face::Regular, REMARK_SIZE, 0.35, MARGIN_SIDE, line);
                    }
                    layout.space(4.0);
                }
                Block::Fields(fields) => {
                    lay_out_fields(&mut layout, fields);
                    layout.space(4.0);
                }
                Block::Table(table) => {
                    lay_out_table(&mut layout, table);
                    layout.space(4.0);
                }
            }
        }
        layout.pages
    }

    /// The document as a PDF file's bytes.
    pub fn to_pdf(&self) -> Vec<u8> {
        let pages = self.lay_out();
        let mut pdf = Pdf::new();
        let catalog_id = Ref::new(1);
        let page_tree_id = Ref::new(2);
        let regular_id = Ref::new(3);
        let bold_id = Ref::new(4);
        let info_id = Ref::new(5);
        let first_page = 6;
        let page_ids: Vec<Ref> = (0..pages.len())
            .map(|index| Ref::new(first_page + 2 * index as i32))
            .collect();

        pdf.catalog(catalog_id).pages(page_tree_id);
        pdf.pages(page_tree_id)
            .kids(page_ids.iter().copied())
            .count(page_ids.len() as i32);
        for (id, base) in [(regular_id, "Courier"), (bold_id, "Courier-Bold")] {
            pdf.type1_font(id)
                .base_font(Name(base.as_bytes()))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        pdf.document_info(info_id)
            .title(TextStr(&self.title))
            .producer(TextStr("Kluis"));

        let total = pages.len();
        for (index, page) in pages.iter().enumerate() {
            let page_id = page_ids[index];
            let content_id = Ref::new(page_id.get() + 1);
            let mut content = Content::new();
            for rule in &page.rules {
                content
                    .set_stroke_gray(0.6)
                    .set_line_width(0.5)
                    .move_to(MARGIN_SIDE, rule.y)
                    .line_to(PAGE_WIDTH - MARGIN_SIDE, rule.y)
                    .stroke();
            }
            for line in &page.lines {
                write_line(&mut content, line);
            }
            let footer = format!(
                "{} - {} {} {} {}",
                self.footer,
                self.page_words.0,
                index + 1,
                self.page_words.1,
                total
            );
            write_line(
                &mut content,
                &Placed {
                    face: Face::Regular,
                    size: REMARK_SIZE,
                    gray: 0.35,
                    x: MARGIN_SIDE,
                    y: FOOTER_Y,
                    text: footer,
                },
            );
            let mut writer = pdf.page(page_id);
            writer
                .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
                .parent(page_tree_id)
                .contents(content_id);
            let mut resources = writer.resources();
            let mut fonts = resources.fonts();
            fonts.pair(Face::Regular.resource(), regular_id);
            fonts.pair(Face::Bold.resource(), bold_id);
            fonts.finish();
            resources.finish();
            writer.finish();
            pdf.stream(content_id, &content.finish());
        }
        pdf.finish()
    }
}

fn write_line(content: &mut Content, line: &Placed) {
    let bytes = encode(&line.text);
    content
        .set_fill_gray(line.gray)
        .begin_text()
        .set_font(line.face.resource(), line.size)
        .next_line(line.x, line.y)
        .show(Str(&bytes))
        .end_text();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_breaks_at_spaces_and_cuts_only_words_longer_than_a_line() {
        assert_eq!(wrap("een twee drie vier", 9), ["een twee", "drie vier"]);
        assert_eq!(wrap("abcdefghijkl", 5), ["abcde", "fghij", "kl"]);
        assert_eq!(wrap("a\n\nb", 10), ["a", "", "b"]);
        assert_eq!(wrap("", 10), [""]);
        for line in wrap(&"woord ".repeat(200), 80) {
            assert!(line.chars().count() <= 80, "{line}");
        }
    }

    #[test]
    fn western_european_text_is_encoded_and_the_rest_is_marked() {
        assert_eq!(encode("café ëï €"), b"caf\xe9 \xeb\xef \x80");
        assert_eq!(encode("ł😀"), b"??");
        assert_eq!(encode("a\tb"), b"a b");
    }

    #[test]
    fn tables_fit_the_text_column() {
        let table = Table {
            header: vec!["a".into(), "b".into(), "c".into()],
            rows: vec![vec!["x".repeat(60), "y".repeat(60), "z".repeat(60)]],
        };
        let widths = column_widths(&table, columns_at(BODY_SIZE));
        assert!(widths.iter().sum::<usize>() + 2 * COLUMN_GAP <= columns_at(BODY_SIZE));
    }
}
