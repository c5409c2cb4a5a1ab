#include "support/real_files.hpp"

// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <vector>

#include "support/sample_pdf.hpp"

namespace tinhso::test {
namespace {

// Compresses rows of 8-bit samples (`components` per pixel) to a JPEG in memory.
std::string EncodeJpeg(const std::vector<unsigned char>& pixels, int width, int height,
                       int components, int quality) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  unsigned char* out = nullptr;
  unsigned long out_size = 0;
  jpeg_mem_dest(&cinfo, &out, &out_size);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = components;
  cinfo.in_color_space = components == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<unsigned char*>(pixels.data()) +
                   static_cast<std::size_t>(cinfo.next_scanline) * width * components;
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string jpeg(reinterpret_cast<const char*>(out), out_size);
  std::free(out);
  return jpeg;
}

unsigned char Clamp(double v) { return static_cast<unsigned char>(v < 0 ? 0 : v > 255 ? 255 : v); }

// One scanned A4 page: off-white paper with grain, lines of dark marks where text would be.
std::string ScanPage(int dpi, std::mt19937& random) {
  const int width = 827 * dpi / 100;  // 8.27 × 11.69 inches
  const int height = 1169 * dpi / 100;
  std::normal_distribution<double> grain(0, 9);
  std::uniform_int_distribution<int> word(dpi / 10, dpi / 2);
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height);
  const int margin = dpi;
  const int line_height = dpi / 4;
  for (int y = 0; y < height; ++y) {
    const bool in_line = y > margin && y < height - margin && (y % line_height) < line_height / 2;
    int x = 0;
    while (x < width) {
      const int run = word(random);
      const bool ink = in_line && x > margin && x < width - margin && random() % 5 != 0;
      for (int i = 0; i < run && x < width; ++i, ++x) {
        const double base = ink ? 40 : 236;
        pixels[static_cast<std::size_t>(y) * width + x] = Clamp(base + grain(random));
      }
      x += ink ? dpi / 25 : 0;  // a gap between words
    }
  }
  return EncodeJpeg(pixels, width, height, 1, 85);
}

}  // namespace

std::string PhotoJpeg(int width, int height, int quality, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::normal_distribution<double> noise(0, 14);
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const double fx = static_cast<double>(x) / width;
      const double fy = static_cast<double>(y) / height;
      const double light = 0.55 + 0.45 * std::sin(3.1 * fx + 1.7 * fy);
      unsigned char* p = &pixels[(static_cast<std::size_t>(y) * width + x) * 3];
      p[0] = Clamp(200 * light * (0.6 + 0.4 * fy) + noise(random));
      p[1] = Clamp(170 * light * (0.7 + 0.3 * fx) + noise(random));
      p[2] = Clamp(140 * light + 60 * fy + noise(random));
    }
  }
  return EncodeJpeg(pixels, width, height, 3, quality);
}

std::string ScannedPdf(int pages, int dpi, std::uint32_t seed) {
  std::mt19937 random(seed);
  // Objects: 1 catalog, 2 pages, then per page: page, contents, image.
  std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>", ""};
  std::string kids;
  const int width = 827 * dpi / 100;
  const int height = 1169 * dpi / 100;
  for (int i = 0; i < pages; ++i) {
    const int page = 3 + i * 3;
    kids += std::to_string(page) + " 0 R ";
    const std::string draw = "q 595.44 0 0 841.68 0 0 cm /Im0 Do Q";
    const std::string jpeg = ScanPage(dpi, random);
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.44 841.68] /Contents " +
                      std::to_string(page + 1) + " 0 R /Resources << /XObject << /Im0 " +
                      std::to_string(page + 2) + " 0 R >> >> >>");
    objects.push_back("<< /Length " + std::to_string(draw.size()) + " >>\nstream\n" + draw +
                      "\nendstream");
    objects.push_back("<< /Type /XObject /Subtype /Image /Width " + std::to_string(width) +
                      " /Height " + std::to_string(height) +
                      " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length " +
                      std::to_string(jpeg.size()) + " >>\nstream\n" + jpeg + "\nendstream");
  }
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>";
  return BuildPdf(objects);
}

std::string PdfOfSize(std::size_t bytes, std::uint32_t seed) {
  std::mt19937 random(seed);
  const auto build = [&](std::size_t filler) {
    std::string data(filler, '\0');
    for (char& c : data) c = static_cast<char>(random());
    const std::string stream = "BT /F1 18 Tf 72 720 Td (Test) Tj ET";
    return BuildPdf(
        {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
         "/Resources << /Font << /F1 5 0 R >> >> >>",
         "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream",
         "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
         "<< /Length " + std::to_string(filler) + " >>\nstream\n" + data + "\nendstream"});
  };
  const std::size_t empty = build(0).size();
  if (bytes < empty + 16) throw std::invalid_argument("PdfOfSize: too small for a PDF");
  // The /Length's digits and the cross-reference offsets grow with the filler: settle in steps.
  std::size_t filler = bytes - empty;
  for (int i = 0; i < 4; ++i) {
    const std::size_t size = build(filler).size();
    if (size == bytes) break;
    filler = filler + bytes - size;
  }
  std::string pdf = build(filler);
  if (pdf.size() != bytes) throw std::logic_error("PdfOfSize: could not hit the size");
  return pdf;
}

}  // namespace tinhso::test
