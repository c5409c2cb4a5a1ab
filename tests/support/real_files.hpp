// Files of the size and shape people really upload, made at test time: a phone photo, a
// multi-page scan, and PDFs of an exact size for testing limits. Fixtures of a few hundred bytes
// once hid a 1,000-character limit on uploads for two issues.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tinhso::test {

// A JPEG like a phone camera's: `width` × `height` pixels of smooth light and colour with sensor
// noise, so that it compresses as photos do (3000 × 4000 at quality 90 is about 3 MB).
std::string PhotoJpeg(int width, int height, int quality = 90, std::uint32_t seed = 1);

// A scanned document: `pages` A4 pages, each a greyscale JPEG of paper texture and lines of
// "text" at `dpi`, as a scanner's PDF (one DCT image per page). 4 pages at 200 dpi is ~5 MB.
std::string ScannedPdf(int pages, int dpi = 200, std::uint32_t seed = 1);

// A valid one-page PDF of exactly `bytes` bytes (the rest is an incompressible stream that no
// page uses), for testing size limits to the byte.
std::string PdfOfSize(std::size_t bytes, std::uint32_t seed = 1);

}  // namespace tinhso::test
