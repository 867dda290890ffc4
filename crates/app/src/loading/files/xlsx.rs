//! Reading the first sheet of an XLSX upload in bounded memory, whatever the file declares.
//!
//! An XLSX file is a zip of XML parts, and both layers can lie: a 1.5 KB sheet that declares the
//! range A1:XFD1048576 makes a range-based reader allocate for every cell of it, a shared-string
//! table that declares a billion entries makes it reserve them, and a few megabytes of zip can
//! inflate to gigabytes. So before calamine sees the file, every part is inflated once into
//! nothing, counting: parts other than worksheets (held in memory by the reader) must stay small,
//! worksheets (streamed) must stay under a ceiling, and no single tag or text may exceed what the
//! XML reader would then buffer. The sheet is then read cell by cell on a thread of its own and
//! handed over row by row through a small channel, so the caller's row cap stops the reading.

use super::{Parsed, RowSource, check_headers, header_name, to_value};
use crate::error::{AppError, AppResult};
use calamine::{Data, DataRef, DataType, Reader, Xlsx};
use std::io::{Cursor, Read};
use std::sync::mpsc;

/// At most this many parts in the zip.
const MAX_PARTS: usize = 1_000;
/// A part the reader keeps in memory (workbook, styles, shared strings, relations): inflated size.
const MAX_PART_BYTES: u64 = 8 * 1024 * 1024;
/// All such parts together.
const MAX_HELD_BYTES: u64 = 24 * 1024 * 1024;
/// A worksheet, which is streamed: inflated size (bounds the time spent, not the memory).
const MAX_SHEET_BYTES: u64 = 512 * 1024 * 1024;
/// Every part together, inflated: zip entries may share their compressed data, so a thousand
/// small entries can each inflate to the sheet limit.
const MAX_TOTAL_BYTES: u64 = 640 * 1024 * 1024;
/// The longest run between two XML delimiters: one text or one tag, what the XML reader buffers.
const MAX_RUN: u64 = 1024 * 1024;
/// The shared-string count a file may declare (the reader reserves that many entries).
const MAX_SHARED_STRINGS: u64 = 500_000;
/// Columns read per row; cells further right are ignored.
const MAX_COLUMNS: usize = 512;

fn unreadable() -> AppError {
    AppError::unprocessable("unreadable_file")
}

fn too_large() -> AppError {
    AppError::unprocessable("file_too_large")
}

/// What a part is to the reader, by its name as the reader looks names up (any case, either
/// slash): held in memory whole, or a worksheet streamed cell by cell.
#[derive(PartialEq)]
enum Part {
    SharedStrings,
    Held,
    Streamed,
}

fn part_kind(name: &str) -> Part {
    let name = name.to_ascii_lowercase().replace('\\', "/");
    if name.ends_with("sharedstrings.xml") {
        Part::SharedStrings
    } else if name.ends_with("styles.xml") || name.ends_with("workbook.xml") {
        Part::Held
    } else if name.contains("worksheets/") && name.ends_with(".xml") {
        Part::Streamed
    } else {
        Part::Held
    }
}

/// Inflates every part of the zip once, checking the limits above; the first refusal wins.
fn check(bytes: &[u8]) -> AppResult<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    if zip.len() > MAX_PARTS {
        return Err(too_large());
    }
    let (mut held, mut total) = (0u64, 0u64);
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|_| unreadable())?;
        let kind = part_kind(&part.name().map_err(|_| unreadable())?);
        let limit = match kind {
            Part::Streamed => MAX_SHEET_BYTES,
            Part::SharedStrings | Part::Held => MAX_PART_BYTES,
        };
        // A shared-string table is kept whole (at most `MAX_PART_BYTES`) to read its count.
        let mut kept = Vec::new();
        let (mut size, mut run) = (0u64, 0u64);
        loop {
            let n = part.read(&mut buf).map_err(|_| unreadable())?;
            if n == 0 {
                break;
            }
            size += n as u64;
            total += n as u64;
            if size > limit || total > MAX_TOTAL_BYTES {
                return Err(too_large());
            }
            if kind == Part::SharedStrings {
                kept.extend_from_slice(&buf[..n]);
            }
            for b in &buf[..n] {
                if *b == b'<' || *b == b'>' {
                    run = 0;
                } else {
                    run += 1;
                    if run > MAX_RUN {
                        return Err(too_large());
                    }
                }
            }
        }
        if kind != Part::Streamed {
            held += size;
            if held > MAX_HELD_BYTES {
                return Err(too_large());
            }
        }
        if kind == Part::SharedStrings
            && declared_count(&kept).is_some_and(|n| n > MAX_SHARED_STRINGS)
        {
            return Err(too_large());
        }
    }
    Ok(())
}

/// The `uniqueCount` the first `sst` element of a shared-string part declares (any prefix,
/// any spacing), read as the reader reads it; a value too long for a number counts as huge.
fn declared_count(xml: &[u8]) -> Option<u64> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                let value = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "uniqueCount")?
                    .value
                    .into_owned();
                let digits: Vec<u8> = value
                    .bytes()
                    .skip_while(|b| b.is_ascii_whitespace() || *b == b'+')
                    .take_while(u8::is_ascii_digit)
                    .collect();
                return match std::str::from_utf8(&digits).ok()?.parse::<u64>() {
                    Ok(n) => Some(n),
                    Err(_) if digits.is_empty() => None,
                    Err(_) => Some(u64::MAX),
                };
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

fn cell_text(cell: DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s,
        DataRef::SharedString(s) => s.to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(_) | DataRef::DateTimeIso(_) => {
            cell.as_date().map(|d| d.to_string()).unwrap_or_default()
        }
        other => Data::from(other).to_string(),
    }
}

/// What the reading thread sends: the header check first, then numbered rows.
enum Message {
    Header(AppResult<()>),
    Row(usize, Parsed),
}

/// Runs `wait`, which blocks on the reading thread, so that on a multi-threaded runtime the
/// other tasks of this worker move elsewhere meanwhile.
fn waiting<T>(wait: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(wait)
        }
        _ => wait(),
    }
}

/// Reads the first sheet on a thread of its own, which checks the file first; waits for the
/// header's verdict.
pub(super) fn rows(required: &'static [&'static str], bytes: Vec<u8>) -> AppResult<RowSource> {
    let (send, receive) = mpsc::sync_channel(64);
    std::thread::Builder::new()
        .name("xlsx-reader".into())
        .spawn(move || read(required, bytes, &send))
        .map_err(|e| AppError::internal(e.to_string()))?;
    match waiting(|| receive.recv()) {
        Ok(Message::Header(Ok(()))) => {}
        Ok(Message::Header(Err(e))) => return Err(e),
        Ok(Message::Row(..)) | Err(_) => return Err(unreadable()),
    }
    Ok(Box::new(
        std::iter::from_fn(move || waiting(|| receive.recv().ok())).map_while(|m| match m {
            Message::Row(row, parsed) => Some((row, parsed)),
            Message::Header(_) => None,
        }),
    ))
}

/// The reading thread: checks the file, sends the header's verdict, then every row that has a
/// value, and stops when the file ends, a cell cannot be read, or the receiver has gone.
fn read(required: &'static [&'static str], bytes: Vec<u8>, send: &mpsc::SyncSender<Message>) {
    if let Err(e) = check(&bytes) {
        let _ = send.send(Message::Header(Err(e)));
        return;
    }
    let opened = calamine::open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes));
    let Ok(mut workbook) = opened else {
        let _ = send.send(Message::Header(Err(unreadable())));
        return;
    };
    let Some(name) = workbook.sheet_names().first().cloned() else {
        let _ = send.send(Message::Header(Err(unreadable())));
        return;
    };
    let Ok(mut cells) = workbook.worksheet_cells_reader(&name) else {
        let _ = send.send(Message::Header(Err(unreadable())));
        return;
    };
    // Cells arrive in row order; a row is complete when a cell of a later row appears.
    let mut headers: Option<Vec<String>> = None;
    let mut current: Option<(u32, Vec<String>)> = None;
    loop {
        let next = match cells.next_cell() {
            Ok(next) => next,
            Err(_) => {
                let message = match headers {
                    None => Message::Header(Err(unreadable())),
                    Some(_) => Message::Row(0, Err((String::new(), "unreadable_file"))),
                };
                let _ = send.send(message);
                return;
            }
        };
        let position = next.as_ref().map(|c| c.get_position());
        let finished = match (&current, position) {
            (Some((row, _)), Some((r, _))) => *row != r,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if finished && let Some((row, values)) = current.take() {
            match &headers {
                None => {
                    let names: Vec<String> = values.iter().map(|v| header_name(v)).collect();
                    let verdict = check_headers(required, &names);
                    let refused = verdict.is_err();
                    if send.send(Message::Header(verdict)).is_err() || refused {
                        return;
                    }
                    headers = Some(names);
                }
                Some(names) => {
                    if values.iter().any(|v| !v.trim().is_empty()) {
                        let parsed = to_value(names, &values);
                        if send.send(Message::Row(row as usize + 1, parsed)).is_err() {
                            return;
                        }
                    }
                }
            }
        }
        let Some(cell) = next else { break };
        let (row, column) = cell.get_position();
        let values = &mut current.get_or_insert_with(|| (row, Vec::new())).1;
        let column = column as usize;
        if column < MAX_COLUMNS {
            if values.len() <= column {
                values.resize(column + 1, String::new());
            }
            values[column] = cell_text(cell.get_value().clone());
        }
    }
    if headers.is_none() {
        let _ = send.send(Message::Header(check_headers(required, &[])));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_counts() {
        assert_eq!(
            declared_count(br#"<?xml?><sst xmlns="x" count="3" uniqueCount="2">"#),
            Some(2)
        );
        assert_eq!(
            declared_count(br#"<sst uniqueCount="99999999999999999999999">"#),
            Some(u64::MAX)
        );
        assert_eq!(declared_count(b"<sst>"), None);
        assert_eq!(
            declared_count(br#"<!-- x --><x:sst xmlns:x="m" uniqueCount = "1000000000000000">"#),
            Some(1_000_000_000_000_000)
        );
        assert!(part_kind("XL\\SharedStrings.XML") == Part::SharedStrings);
        assert!(part_kind("xl/worksheets/sharedStrings.xml") == Part::SharedStrings);
        assert!(part_kind("xl/worksheets/sheet1.xml") == Part::Streamed);
    }
}
