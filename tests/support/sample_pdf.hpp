// A small, valid PDF for tests that sign or read PDFs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tinhso::test {

// A hand-made PDF: `objects` become objects 1, 2, … (object 1 must be the catalog), with a
// classic cross-reference table and a trailer holding /Size, /Root 1 0 R and `trailer_extra`.
std::string BuildPdf(const std::vector<std::string>& objects,
                     const std::string& trailer_extra = "");

// One A4 page showing `text` (ASCII, Helvetica), with a classic cross-reference table.
std::string OnePagePdf(std::string_view text);

}  // namespace tinhso::test
