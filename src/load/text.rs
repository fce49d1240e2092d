//! Bytes -> text: byte order marks, UTF-8, and the GBK/GB18030 that Chinese tools still write.

use encoding_rs::Encoding;

/// Decoded text and how it was decoded.
pub struct Decoded {
    pub text: String,
    /// A readable name: "UTF-8", "UTF-8 with BOM", "GBK", "UTF-16LE with BOM" ...
    pub encoding: String,
    pub source: &'static str,
    /// Byte sequences that were not valid in the encoding and became U+FFFD.
    pub replaced: usize,
}

/// Decode `bytes`. With `forced`, that encoding is used (a BOM is still stripped); otherwise a BOM
/// decides, then valid UTF-8, then a detector primed for Chinese text. Valid UTF-8 becomes the
/// text without a copy (a byte order mark is shifted out in place): a file is held once, not twice.
pub fn decode(bytes: Vec<u8>, forced: Option<&'static Encoding>) -> Decoded {
    let bom = Encoding::for_bom(&bytes);
    let (encoding, source, skip, bytes) = match (forced, bom) {
        (Some(enc), Some((bom_enc, len))) if bom_enc == enc => (enc, "--encoding", len, bytes),
        (Some(enc), _) => (enc, "--encoding", 0, bytes),
        (None, Some((enc, len))) => (enc, "byte order mark", len, bytes),
        (None, None) => match String::from_utf8(bytes) {
            Ok(text) => {
                return Decoded {
                    text,
                    encoding: "UTF-8".to_string(),
                    source: "valid UTF-8",
                    replaced: 0,
                }
            }
            Err(e) => {
                let bytes = e.into_bytes();
                let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                detector.feed(&bytes, true);
                let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
                (guess, "detected", 0, bytes)
            }
        },
    };
    let mut name = match encoding.name() {
        // encoding_rs's GBK decoder is the GB18030 decoder, so either label reads both.
        "GBK" => "GBK".to_string(),
        other => other.to_string(),
    };
    if source == "byte order mark" || (forced.is_some() && bom.is_some_and(|(b, _)| b == encoding)) {
        name.push_str(" with BOM");
    }
    let (mut bytes, mut skip) = (bytes, skip);
    if encoding == encoding_rs::UTF_8 {
        bytes.drain(..skip);
        skip = 0;
        match String::from_utf8(bytes) {
            Ok(text) => {
                return Decoded {
                    text,
                    encoding: name,
                    source,
                    replaced: 0,
                }
            }
            Err(e) => bytes = e.into_bytes(),
        }
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[skip..]);
    let replaced = if had_errors {
        text.chars().filter(|&c| c == '\u{FFFD}').count()
    } else {
        0
    };
    let text = text.into_owned();
    Decoded {
        text,
        encoding: name,
        source,
        replaced,
    }
}

/// Look up an encoding by a label such as "gbk", "gb18030", "utf-8", "utf8", "big5".
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim();
    let normalised = match label.to_ascii_lowercase().as_str() {
        "utf8" | "utf-8-sig" | "utf8-sig" => "utf-8".to_string(),
        "gb2312" | "cp936" | "936" => "gbk".to_string(),
        other => other.to_string(),
    };
    Encoding::for_label(normalised.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped_and_named() {
        let d = decode("\u{FEFF}粉丝数,点赞".as_bytes().to_vec(), None);
        assert_eq!(d.text, "粉丝数,点赞");
        assert_eq!(d.encoding, "UTF-8 with BOM");
    }

    #[test]
    fn plain_utf8_is_taken_as_is() {
        let d = decode("账号,粉丝数\n".as_bytes().to_vec(), None);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.source, "valid UTF-8");
        assert_eq!(d.replaced, 0);
    }

    #[test]
    fn gbk_is_detected_even_in_a_short_header() {
        let (bytes, _, _) = encoding_rs::GBK.encode("粉丝数,领域\n美妆,1.2万\n");
        let d = decode(bytes.into_owned(), None);
        assert_eq!(d.encoding, "GBK");
        assert_eq!(d.text, "粉丝数,领域\n美妆,1.2万\n");
    }

    #[test]
    fn forced_encoding_wins_and_counts_bad_bytes() {
        let d = decode(b"a,b\n\xff\xfe\xfd,1\n".to_vec(), encoding_for_label("utf-8"));
        assert_eq!(d.source, "--encoding");
        assert!(d.replaced >= 1);
    }

    #[test]
    fn labels_cover_common_spellings() {
        assert_eq!(encoding_for_label("GB2312").map(|e| e.name()), Some("GBK"));
        assert_eq!(encoding_for_label("utf8").map(|e| e.name()), Some("UTF-8"));
        assert_eq!(encoding_for_label("gb18030").map(|e| e.name()), Some("gb18030"));
        assert!(encoding_for_label("klingon").is_none());
    }
}
