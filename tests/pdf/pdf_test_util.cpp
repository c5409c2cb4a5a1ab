#include "pdf_test_util.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/temp_dir.hpp"

namespace tinhso::pdf::test {
namespace {

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string Quote(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

}  // namespace

CommandResult Run(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    result.output.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string DataFile(const std::string& name) {
  const char* root = std::getenv("TINHSO_SOURCE_DIR");
  const std::filesystem::path path =
      std::filesystem::path(root != nullptr ? root : ".") / "tests" / "pdf" / "data" / name;
  std::string bytes = ReadFile(path);
  EXPECT_FALSE(bytes.empty()) << path << " is missing (TINHSO_SOURCE_DIR names the checkout)";
  return bytes;
}

void WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string DataPdf(const std::string& name) {
  const char* root = std::getenv("TINHSO_SOURCE_DIR");
  const std::filesystem::path path =
      std::filesystem::path(root != nullptr ? root : ".") / "tests" / "pdf" / "data" / name;
  EXPECT_TRUE(std::filesystem::exists(path)) << path;
  return ReadFile(path);
}

std::string CairoPdf(int pages) {
  std::string pdf;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(AppendToString, &pdf, 595, 842);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "");
  cairo_t* cr = cairo_create(surface);
  for (int i = 0; i < pages; ++i) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "DejaVu Serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 14);
    cairo_move_to(cr, 72, 100);
    cairo_show_text(cr, ("Trang " + std::to_string(i + 1)).c_str());
    cairo_rectangle(cr, 72, 700, 100, 50);  // near the bottom left (Cairo's y goes down)
    cairo_fill(cr);
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_destroy(surface);
  return pdf;
}

std::string BuildXrefStreamPdf(const std::vector<std::string>& objects,
                               const std::string& stream_extra) {
  std::string pdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  offsets.push_back(xref);
  std::string rows;
  rows += std::string("\x00\x00\x00\x00\x00\xFF\xFF", 7);
  for (std::size_t offset : offsets) {
    rows += '\x01';
    for (int shift = 24; shift >= 0; shift -= 8) {
      rows += static_cast<char>((offset >> shift) & 0xff);
    }
    rows += std::string("\x00\x00", 2);
  }
  const std::size_t size = objects.size() + 2;
  pdf += std::to_string(size - 1) + " 0 obj\n<< /Type /XRef /Size " + std::to_string(size) +
         " /W [1 4 2] /Root 1 0 R /Length " + std::to_string(rows.size()) + " " + stream_extra +
         " >>\nstream\n" + rows + "\nendstream\nendobj\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  return pdf;
}

std::string Qpdf(const std::string& pdf, const std::string& args) {
  const std::filesystem::path dir = tinhso::test::TempDir();
  WriteFile(dir / "in.pdf", pdf);
  const CommandResult result =
      Run("qpdf " + Quote(dir / "in.pdf") + " " + args + " " + Quote(dir / "out.pdf"));
  // 0: success; 3: success with warnings.
  EXPECT_TRUE(result.status == 0 || result.status == 3) << args << "\n" << result.output;
  return ReadFile(dir / "out.pdf");
}

Signer::Signer(Key key) : dir_(tinhso::test::TempDir()) {
  cert_ = dir_ / "cert.pem";
  key_ = dir_ / "key.pem";
  const std::string algorithm =
      key == Key::kEcdsaP256 ? "-newkey ec -pkeyopt ec_paramgen_curve:P-256" : "-newkey rsa:3072";
  const CommandResult made = Run("openssl req -x509 " + algorithm + " -nodes -days 30 -subj " +
                                 "'/CN=Nguyen Van A/O=UBND tinh Thai Nguyen/C=VN' -keyout " +
                                 Quote(key_) + " -out " + Quote(cert_));
  EXPECT_EQ(made.status, 0) << made.output;
}

std::string Signer::Sign(const std::string& bytes) const {
  const std::filesystem::path dir = tinhso::test::TempDir();
  WriteFile(dir / "data", bytes);
  const CommandResult signed_data =
      Run("openssl cms -sign -binary -outform DER -md sha256 -signer " + Quote(cert_) + " -inkey " +
          Quote(key_) + " -in " + Quote(dir / "data") + " -out " + Quote(dir / "cms.der"));
  EXPECT_EQ(signed_data.status, 0) << signed_data.output;
  return ReadFile(dir / "cms.der");
}

std::string SignPdf(const std::string& pdf, const SignatureRequest& request, const Signer& signer) {
  auto prepared = PrepareSignature(pdf, request);
  EXPECT_TRUE(prepared.ok()) << prepared.error().reason << " " << prepared.error().detail;
  if (!prepared.ok()) {
    return {};
  }
  auto embedded = EmbedSignature(*prepared, signer.Sign(prepared->BytesToSign()));
  EXPECT_TRUE(embedded.ok()) << embedded.error().reason << " " << embedded.error().detail;
  // TINHSO_PDF_TEST_DUMP=<dir> keeps every signed file, to look at by hand.
  if (const char* dump = std::getenv("TINHSO_PDF_TEST_DUMP"); dump != nullptr && embedded.ok()) {
    static int count = 0;
    WriteFile(std::filesystem::path(dump) / ("signed-" + std::to_string(++count) + ".pdf"),
              *embedded);
  }
  return embedded.ok() ? *embedded : std::string();
}

std::string PdfSig(const std::string& pdf) {
  const std::filesystem::path dir = tinhso::test::TempDir();
  WriteFile(dir / "signed.pdf", pdf);
  // -nocert: integrity only; the throw-away certificate is trusted by nobody.
  return Run("pdfsig -nocert " + Quote(dir / "signed.pdf")).output;
}

int ValidSignatureCount(const std::string& output) {
  int count = 0;
  for (std::size_t at = output.find("Signature is Valid"); at != std::string::npos;
       at = output.find("Signature is Valid", at + 1)) {
    ++count;
  }
  return count;
}

bool QpdfCheck(const std::string& pdf, std::string* output) {
  const std::filesystem::path dir = tinhso::test::TempDir();
  WriteFile(dir / "check.pdf", pdf);
  const CommandResult result = Run("qpdf --check " + Quote(dir / "check.pdf"));
  *output = result.output;
  return result.status == 0 &&
         result.output.find("No syntax or stream encoding errors") != std::string::npos;
}

double InkOverlap(const std::vector<bool>& a, const std::vector<bool>& b) {
  std::size_t both = 0;
  std::size_t either = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    both += a[i] && b[i];
    either += a[i] || b[i];
  }
  return either == 0 ? 0.0 : static_cast<double>(both) / static_cast<double>(either);
}

Raster Render(const std::string& pdf, int page, int dpi) {
  const std::filesystem::path dir = tinhso::test::TempDir();
  WriteFile(dir / "page.pdf", pdf);
  const std::string number = std::to_string(page);
  const CommandResult result =
      Run("pdftoppm -png -r " + std::to_string(dpi) + " -f " + number + " -l " + number +
          " -singlefile " + Quote(dir / "page.pdf") + " " + Quote(dir / "page"));
  EXPECT_EQ(result.status, 0) << result.output;
  Raster raster;
  cairo_surface_t* image = cairo_image_surface_create_from_png((dir / "page.png").c_str());
  if (cairo_surface_status(image) == CAIRO_STATUS_SUCCESS) {
    cairo_surface_flush(image);
    raster.width = cairo_image_surface_get_width(image);
    raster.height = cairo_image_surface_get_height(image);
    const int stride = cairo_image_surface_get_stride(image);
    const unsigned char* data = cairo_image_surface_get_data(image);
    raster.pixels.resize(static_cast<std::size_t>(raster.width * raster.height));
    for (int y = 0; y < raster.height; ++y) {
      const auto* row = reinterpret_cast<const std::uint32_t*>(data + y * stride);
      for (int x = 0; x < raster.width; ++x) {
        raster.pixels[static_cast<std::size_t>(y * raster.width + x)] = row[x];
      }
    }
  } else {
    ADD_FAILURE() << "pdftoppm gave no PNG";
  }
  cairo_surface_destroy(image);
  return raster;
}

}  // namespace tinhso::pdf::test
