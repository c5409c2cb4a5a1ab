// A small, valid PDF for tests that sign or read PDFs.
#pragma once

#include <string>
#include <string_view>

namespace tinhso::test {

// One A4 page showing `text` (ASCII, Helvetica), with a classic cross-reference table.
std::string OnePagePdf(std::string_view text);

}  // namespace tinhso::test
