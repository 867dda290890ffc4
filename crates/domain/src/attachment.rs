//! Attachment rules (CAS-6): at most 3 files at creation, 2 MB each, 6 MB together, and only
//! these types — checked by what the bytes are, not only by the name.

pub const MAX_FILES_AT_CREATION: usize = 3;
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
pub const MAX_TOTAL_BYTES: usize = 6 * 1024 * 1024;
/// A case holds at most this many files, of at most `MAX_CASE_BYTES` together, however many
/// times files are added after it opened.
pub const MAX_FILES_PER_CASE: i64 = 20;
pub const MAX_CASE_BYTES: i64 = 40 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Jpg,
    Png,
    Gif,
    Bmp,
    Pdf,
    Doc,
    Docx,
    Zip,
    Txt,
    Xml,
}

impl FileType {
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Jpg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Gif => "image/gif",
            FileType::Bmp => "image/bmp",
            FileType::Pdf => "application/pdf",
            FileType::Doc => "application/msword",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Zip => "application/zip",
            FileType::Txt => "text/plain; charset=utf-8",
            FileType::Xml => "application/xml",
        }
    }
}

/// Why one file is refused; the code is what the API sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooLarge,
    TypeNotAllowed,
    Empty,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::TooLarge => "attachment_too_large",
            Refusal::TypeNotAllowed => "attachment_type_not_allowed",
            Refusal::Empty => "attachment_empty",
        }
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// The type of a file from its name and its first bytes; both must agree.
pub fn check(name: &str, bytes: &[u8]) -> Result<FileType, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge);
    }
    let by_content = |t: FileType| -> bool {
        match t {
            FileType::Jpg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            FileType::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            FileType::Gif => bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a"),
            FileType::Bmp => bytes.starts_with(b"BM"),
            FileType::Pdf => bytes.starts_with(b"%PDF-"),
            FileType::Doc => bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
            FileType::Docx | FileType::Zip => {
                bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
            }
            FileType::Txt => is_text(bytes),
            FileType::Xml => {
                is_text(bytes)
                    && bytes.iter().find(|b| {
                        !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF
                    }) == Some(&b'<')
            }
        }
    };
    let claimed = match extension(name).as_str() {
        "jpg" | "jpeg" => FileType::Jpg,
        "png" => FileType::Png,
        "gif" => FileType::Gif,
        "bmp" => FileType::Bmp,
        "pdf" => FileType::Pdf,
        "doc" => FileType::Doc,
        "docx" => FileType::Docx,
        "zip" => FileType::Zip,
        "txt" | "log" => FileType::Txt,
        "xml" => FileType::Xml,
        _ => return Err(Refusal::TypeNotAllowed),
    };
    if by_content(claimed) {
        Ok(claimed)
    } else {
        Err(Refusal::TypeNotAllowed)
    }
}

/// Text: valid UTF-8 without NUL or other control bytes but tab, newline and carriage return.
fn is_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|s| {
        s.chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
    })
}

/// A file name safe to store and to send back: the last path part, at most 150 characters,
/// without control characters, quotes, or the invisible marks that reorder or hide text
/// (`invoice\u{202E}fdp.exe` shows as `invoiceexe.pdf`).
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_invisible_mark(*c) && !matches!(c, '"' | ';'))
        .take(150)
        .collect();
    if cleaned.trim().is_empty() {
        "attachment".into()
    } else {
        cleaned.trim().to_owned()
    }
}

/// Bidirectional overrides and isolates, direction marks, zero-width characters and the BOM.
fn is_invisible_mark(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_marks_that_disguise_them() {
        assert_eq!(clean_name("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(clean_name("a\u{0}b\u{7}\u{2066}c.txt"), "abc.txt");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("\u{200B}"), "attachment");
    }

    #[test]
    fn types_by_content_and_name() {
        assert_eq!(
            check("photo.JPG", &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2]),
            Ok(FileType::Jpg)
        );
        assert_eq!(check("scan.pdf", b"%PDF-1.7\n..."), Ok(FileType::Pdf));
        assert_eq!(check("logs.zip", b"PK\x03\x04rest"), Ok(FileType::Zip));
        assert_eq!(check("report.docx", b"PK\x03\x04rest"), Ok(FileType::Docx));
        assert_eq!(
            check("server.log", b"2026-01-01 error: disk 3\n"),
            Ok(FileType::Txt)
        );
        assert_eq!(
            check("config.xml", b"\xEF\xBB\xBF<?xml version=\"1.0\"?><a/>"),
            Ok(FileType::Xml)
        );
        assert_eq!(
            check("setup.txt", b"MZ\x90\x00\x03\x00\x00\x00"),
            Err(Refusal::TypeNotAllowed),
            "a renamed executable"
        );
        assert_eq!(
            check("photo.png", b"%PDF-1.7"),
            Err(Refusal::TypeNotAllowed),
            "name and content disagree"
        );
        assert_eq!(check("tool.exe", b"MZ"), Err(Refusal::TypeNotAllowed));
        assert_eq!(check("empty.txt", b""), Err(Refusal::Empty));
        assert_eq!(
            check("big.txt", &vec![b'a'; MAX_FILE_BYTES + 1]),
            Err(Refusal::TooLarge)
        );
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("C:\\Users\\me\\dump.txt"), "dump.txt");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\"b;c\n.txt"), "abc.txt");
        assert_eq!(clean_name("   "), "attachment");
    }
}
