// A small, valid PDF for tests that sign or read PDFs.
#pragma once

#include <functional>
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

// A one-page PDF certified by its only signature (ISO 32000-1 §12.8.2.2), as an author's tool
// writes it: the signature dictionary's /Reference holds the DocMDP transform with /P
// `permission` (1, 2 or 3), the catalog's /Perms /DocMDP names it, and `sign` makes the detached
// CMS over its byte range (the whole file but /Contents). With `empty_field`, an empty signature
// field "Approval" waits on the page for a later signer (P=2's workflow).
std::string CertifiedPdf(int permission, const std::function<std::string(const std::string&)>& sign,
                         bool empty_field = false);

// `pdf` with its DocMDP transform renamed (one letter, so every offset stays), for making what
// tinhso wrote before it refused certified files: prepare the signature on this copy, then put
// the certified bytes back in front of the update before computing the byte range.
std::string HideCertification(std::string pdf);

}  // namespace tinhso::test
