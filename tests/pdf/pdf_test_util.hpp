// Helpers for the pdf tests: input PDFs made with Cairo and transformed with qpdf, CMS made
// with the openssl CLI, and poppler-utils run over the results.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "pdf/pdf.hpp"
#include "support/sample_images.hpp"
#include "support/sample_pdf.hpp"

namespace tinhso::pdf::test {

struct CommandResult {
  int status = -1;     // the exit status, -1 when it did not run
  std::string output;  // standard output and standard error
};

// Runs `command` with /bin/sh.
CommandResult Run(const std::string& command);

std::string ReadFile(const std::filesystem::path& path);
// A file of tests/pdf/data (its README says which tool made each); fails the test when missing.
std::string DataFile(const std::string& name);
void WriteFile(const std::filesystem::path& path, const std::string& bytes);

// A PDF of `pages` A4 portrait pages drawn by Cairo (classic cross-reference table), each with a
// line of text and a black rectangle near the bottom left.
std::string CairoPdf(int pages = 1);

// A file from tests/pdf/data/, written by another producer (its README says how).
std::string DataPdf(const std::string& name);

using tinhso::test::BuildPdf;

// The same with a cross-reference stream (uncompressed, /W [1 4 2]) as object n + 1.
std::string BuildXrefStreamPdf(const std::vector<std::string>& objects,
                               const std::string& stream_extra = "");

// `pdf` run through `qpdf <args>`; fails the test when qpdf fails (warnings are fine).
std::string Qpdf(const std::string& pdf, const std::string& args);

using tinhso::test::SealPng;
using tinhso::test::SignaturePng;

// A throw-away key and self-signed certificate made by the openssl CLI, and detached CMS
// SignedData (signed attributes, SHA-256) over given bytes.
class Signer {
 public:
  enum class Key { kEcdsaP256, kRsa3072 };
  explicit Signer(Key key);
  std::string Sign(const std::string& bytes) const;
  const std::filesystem::path& certificate() const { return cert_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path cert_;
  std::filesystem::path key_;
};

// Prepare, sign with `signer`, embed; fails the test on any error.
std::string SignPdf(const std::string& pdf, const SignatureRequest& request, const Signer& signer);

// pdfsig's report on `pdf`.
std::string PdfSig(const std::string& pdf);
// How many "Signature is Valid" lines pdfsig prints.
int ValidSignatureCount(const std::string& pdfsig_output);

// `qpdf --check` passes without warnings or errors.
bool QpdfCheck(const std::string& pdf, std::string* output);

// Page `page` (from 1) rendered by pdftoppm at `dpi`, as ARGB32 pixels.
struct Raster {
  int width = 0;
  int height = 0;
  std::vector<std::uint32_t> pixels;  // 0xAARRGGBB, row-major, top row first
  std::uint32_t At(int x, int y) const { return pixels[static_cast<std::size_t>(y * width + x)]; }
};
Raster Render(const std::string& pdf, int page, int dpi);

// Of the pixels inked in `a` or `b` (masks of the same area), the share inked in both: 1 when two
// renderings of a box show the same strokes at the same places.
double InkOverlap(const std::vector<bool>& a, const std::vector<bool>& b);

// Counts the pixels of `raster` inside the user-space rectangle `rect` (a page `page_height`
// points tall, rendered unrotated at `dpi`) for which `predicate(r, g, b)` holds.
template <typename Predicate>
int CountPixels(const Raster& raster, const Rect& rect, double page_height, int dpi,
                Predicate predicate) {
  const double scale = dpi / 72.0;
  int count = 0;
  const int x1 = static_cast<int>(rect.x1 * scale);
  const int x2 = static_cast<int>(rect.x2 * scale);
  const int y1 = static_cast<int>((page_height - rect.y2) * scale);
  const int y2 = static_cast<int>((page_height - rect.y1) * scale);
  for (int y = std::max(0, y1); y < std::min(raster.height, y2); ++y) {
    for (int x = std::max(0, x1); x < std::min(raster.width, x2); ++x) {
      const std::uint32_t p = raster.At(x, y);
      if (predicate(static_cast<int>((p >> 16) & 0xff), static_cast<int>((p >> 8) & 0xff),
                    static_cast<int>(p & 0xff))) {
        ++count;
      }
    }
  }
  return count;
}

}  // namespace tinhso::pdf::test
