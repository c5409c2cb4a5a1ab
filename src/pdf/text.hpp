// Internal to src/pdf: PDF text strings (§7.9.2.2) and dates (§7.9.4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tinhso::pdf::internal {

// A text string's bytes as UTF-8: UTF-16BE after FE FF (language escapes removed), UTF-8 after
// EF BB BF (PDF 2.0), PDFDocEncoding otherwise. Errors: pdf.bad_text_string for an odd UTF-16
// length, an unpaired surrogate, invalid UTF-8 or a byte PDFDocEncoding leaves undefined.
Result<std::string> DecodeTextString(std::string_view bytes);

// Valid UTF-8 (checked by the caller) as a text string: unchanged when it is printable ASCII,
// otherwise UTF-16BE with its byte order mark (how Vietnamese must be written).
std::string EncodeTextString(std::string_view utf8);

// "D:20261123083000+07'00'": `utc_seconds` in Vietnam time (UTC+7, no daylight saving).
std::string PdfDate(std::int64_t utc_seconds);
// "23/11/2026 08:30:00 +07:00", the time printed on visible signatures.
std::string DisplayTime(std::int64_t utc_seconds);
// A PDF date as UTC seconds; nullopt when it is not one. Missing parts default as §7.9.4 says.
std::optional<std::int64_t> ParsePdfDate(std::string_view text);

}  // namespace tinhso::pdf::internal
