//! Lists as files people open in a spreadsheet: CSV (UTF-8 with a byte-order mark, so Excel
//! reads the Chinese) and XLSX, an Office Open XML workbook of one sheet written here as a
//! stored (uncompressed) ZIP: the format needs five small XML parts and a CRC-32, not a crate.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// A table: the header row and the rows, every cell text.
pub struct Table {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn csv_cell(s: &str, out: &mut String) {
    // A cell that a spreadsheet would take for a formula is quoted with a leading apostrophe.
    let formula = s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err();
    if formula || s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        if formula {
            out.push('\'');
        }
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// RFC 4180 CSV, CRLF line ends, with a BOM.
pub fn csv(t: &Table) -> String {
    let mut out = String::from("\u{feff}");
    for row in std::iter::once(&t.header).chain(t.rows.iter()) {
        for (i, c) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_cell(c, &mut out);
        }
        out.push_str("\r\n");
    }
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, e) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
        *e = c;
    }
    let mut crc = 0xFFFF_FFFFu32;
    for b in data {
        crc = table[((crc ^ u32::from(*b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc ^ 0xFFFF_FFFF
}

/// A ZIP archive of stored entries.
fn zip(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let local = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0x0800u16.to_le_bytes()); // flags: UTF-8 names
            v.extend_from_slice(&0u16.to_le_bytes()); // stored
            v.extend_from_slice(&0u16.to_le_bytes()); // time
            v.extend_from_slice(&0x21u16.to_le_bytes()); // date: 1980-01-01
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        local(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        local(&mut central);
        central.extend_from_slice(&0u16.to_le_bytes()); // comment
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 does not allow are left out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// "A", "B", … "Z", "AA", … for a zero-based column.
fn column(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

/// A plain decimal (not a code with leading zeros, which stays text).
fn number(s: &str) -> bool {
    !s.is_empty()
        && s.len() < 16
        && !(s.starts_with('0') && s.len() > 1 && !s.starts_with("0."))
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && s.parse::<f64>().is_ok()
}

/// An XLSX workbook of one sheet: the header row bold-free, numbers as numbers, the rest as
/// inline strings.
pub fn xlsx(t: &Table) -> Vec<u8> {
    let mut sheet = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    for (r, row) in std::iter::once(&t.header).chain(t.rows.iter()).enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, v) in row.iter().enumerate() {
            let at = format!("{}{}", column(c), r + 1);
            if r > 0 && number(v) {
                sheet.push_str(&format!("<c r=\"{at}\"><v>{v}</v></c>"));
            } else {
                sheet.push_str(&format!("<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>", xml_text(v)));
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let name: String = xml_text(&t.name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect::<String>());
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".to_vec()),
        ("_rels/.rels", b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_vec()),
        ("xl/workbook.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"{}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>", if name.is_empty() { "Sheet1".to_owned() } else { name }).into_bytes()),
        ("xl/_rels/workbook.xml.rels", b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".to_vec()),
        ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
    ];
    zip(&files)
}

/// The file as a download named `stem.csv` or `stem.xlsx`.
pub fn download(t: &Table, stem: &str, format: &str) -> Response {
    let (body, mime, ext): (Vec<u8>, &'static str, &str) = match format {
        "xlsx" => (xlsx(t), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        _ => (csv(t).into_bytes(), "text/csv; charset=utf-8", "csv"),
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{stem}.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "报关单".into(),
            header: vec!["编号".into(), "金额".into(), "备注".into()],
            rows: vec![vec!["0110".into(), "60250.00".into(), "a, \"b\"\n=1+1".into()]],
        }
    }

    #[test]
    fn csv_quotes_what_needs_quoting_and_defuses_formulas() {
        let c = csv(&table());
        assert!(c.starts_with('\u{feff}'));
        assert!(c.contains("0110,60250.00,\"a, \"\"b\"\"\n=1+1\"\r\n"), "{c:?}");
        let mut t = table();
        t.rows[0][2] = "=HYPERLINK(\"x\")".into();
        assert!(csv(&t).contains("\"'=HYPERLINK(\"\"x\"\")\""));
    }

    #[test]
    fn the_workbook_is_a_zip_whose_sheet_keeps_codes_as_text_and_numbers_as_numbers() {
        let x = xlsx(&table());
        assert!(x.starts_with(b"PK\x03\x04"));
        let text = String::from_utf8_lossy(&x);
        assert!(text.contains("<t xml:space=\"preserve\">0110</t>"), "a code keeps its leading zero");
        assert!(text.contains("<c r=\"B2\"><v>60250.00</v></c>"));
        assert!(text.contains("sheet name=\"报关单\""));
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!((column(0), column(25), column(26), column(27)), ("A".into(), "Z".into(), "AA".into(), "AB".into()));
    }
}
