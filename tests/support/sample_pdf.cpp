#include "support/sample_pdf.hpp"

#include <cstdio>
#include <vector>

namespace tinhso::test {

// Offsets are computed as the objects are written.
std::string BuildPdf(const std::vector<std::string>& objects, const std::string& trailer_extra) {
  std::string pdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f\r\n";
  for (std::size_t offset : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n\r\n", offset);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R " +
         trailer_extra + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

std::string OnePagePdf(std::string_view text) {
  const std::string stream = "BT /F1 18 Tf 72 720 Td (" + std::string(text) + ") Tj ET";
  return BuildPdf(
      {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
       "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
       "/Resources << /Font << /F1 5 0 R >> >> >>",
       "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream",
       "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"});
}

std::string CertifiedPdf(int permission, const std::function<std::string(const std::string&)>& sign,
                         bool empty_field) {
  constexpr std::size_t kCapacity = 16384;  // CMS bytes the placeholder holds
  const std::string stream = "BT /F1 18 Tf 72 720 Td (Certified by its author) Tj ET";
  const std::string fields = empty_field ? "[5 0 R 7 0 R]" : "[5 0 R]";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields " + fields +
          " /SigFlags 3 >> /Perms << /DocMDP 6 0 R >> >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font "
      "<< /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Annots " +
          fields + " >>",
      "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream",
      "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Certification) /V 6 0 R /P 3 0 R /F 132 "
      "/Rect [0 0 0 0] >>",
      "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
      "/M (D:20261123083000+07'00') /Reference [<< /Type /SigRef /TransformMethod /DocMDP "
      "/TransformParams << /Type /TransformParams /P " +
          std::to_string(permission) + " /V /1.2 >> >>] /ByteRange [" + std::string(34, ' ') +
          "] /Contents <" + std::string(kCapacity * 2, '0') + "> >>",
  };
  if (empty_field) {
    objects.push_back(
        "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Approval) /P 3 0 R /F 4 /Rect [340 120 "
        "510 190] >>");
  }
  std::string pdf = BuildPdf(objects);
  const std::size_t range_at = pdf.find("/ByteRange [") + 12;
  const std::size_t a = pdf.find("/Contents <", range_at) + 10;
  const std::size_t b = a + kCapacity * 2 + 2;
  char numbers[64];
  const int n = std::snprintf(numbers, sizeof numbers, "0 %zu %zu %zu", a, b, pdf.size() - b);
  pdf.replace(range_at, static_cast<std::size_t>(n), numbers, static_cast<std::size_t>(n));
  const std::string cms = sign(pdf.substr(0, a) + pdf.substr(b));
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < cms.size() && i < kCapacity; ++i) {
    const auto c = static_cast<unsigned char>(cms[i]);
    pdf[a + 1 + 2 * i] = kHex[c >> 4];
    pdf[a + 2 + 2 * i] = kHex[c & 0xf];
  }
  return pdf;
}

std::string HideCertification(std::string pdf) {
  const std::string method = "/TransformMethod /DocMDP";
  const std::size_t at = pdf.find(method);
  if (at != std::string::npos) {
    pdf[at + method.size() - 1] = 'Q';
  }
  return pdf;
}

}  // namespace tinhso::test
