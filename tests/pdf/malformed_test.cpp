// Hostile and broken files: each gives a clear reason code, never a crash, a hang or unbounded
// memory. With TINHSO_PDF_TEST_DUMP=<dir> every case is written out, to replay under the
// sanitizer-built fuzz target.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <set>

#include "pdf/pdf.hpp"
#include "pdf_test_util.hpp"

namespace tinhso::pdf {
namespace {

using test::BuildPdf;
using test::BuildXrefStreamPdf;

const std::string kCatalog = "<< /Type /Catalog /Pages 2 0 R >>";
const std::string kPages = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
const std::string kPage = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>";

void Dump(const std::string& name, const std::string& pdf) {
  if (const char* dir = std::getenv("TINHSO_PDF_TEST_DUMP")) {
    test::WriteFile(std::filesystem::path(dir) / ("malformed-" + name + ".pdf"), pdf);
  }
}

// Every entry point fails with `reason` on `pdf` (Inspect, ReadSignatures, PrepareSignature).
void ExpectReason(const std::string& name, const std::string& pdf, const std::string& reason) {
  SCOPED_TRACE(name);
  Dump(name, pdf);
  auto info = Inspect(pdf);
  ASSERT_FALSE(info.ok()) << name;
  EXPECT_EQ(info.error().reason, reason) << info.error().detail;
  EXPECT_FALSE(info.error().message_vi.empty());
  EXPECT_FALSE(info.error().message_en.empty());
  auto signatures = ReadSignatures(pdf);
  ASSERT_FALSE(signatures.ok());
  EXPECT_EQ(signatures.error().reason, reason) << signatures.error().detail;
  SignatureRequest request;
  auto prepared = PrepareSignature(pdf, request);
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.error().reason, reason) << prepared.error().detail;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) {
    text.replace(at, from.size(), to);
  }
  return text;
}

TEST(PdfMalformed, HandMadeFilesAreValid) {
  // The builders themselves are right, so the cases below fail for the reason they name.
  EXPECT_TRUE(Inspect(BuildPdf({kCatalog, kPages, kPage})).ok());
  auto info = Inspect(BuildXrefStreamPdf({kCatalog, kPages, kPage}));
  ASSERT_TRUE(info.ok()) << info.error().detail;
  EXPECT_TRUE(info->xref_stream);
}

TEST(PdfMalformed, TruncatedFilesNeverCrash) {
  const std::string pdf = test::CairoPdf(2);
  ExpectReason("half", pdf.substr(0, pdf.size() / 2), "pdf.truncated");
  ExpectReason("empty", "", "pdf.not_pdf");
  ExpectReason("no header", "%!PS-Adobe-3.0\n" + pdf.substr(8), "pdf.not_pdf");
  // Every cut: an error or (near the end, where only %%EOF is lost) a success; never a crash.
  const std::set<std::string> allowed = {"pdf.truncated", "pdf.xref_invalid", "pdf.malformed",
                                         "pdf.not_pdf", "pdf.bad_stream"};
  for (std::size_t cut = 0; cut < pdf.size(); cut += 37) {
    auto result = ReadSignatures(pdf.substr(0, cut));
    if (!result.ok()) {
      EXPECT_TRUE(allowed.contains(result.error().reason)) << cut << " " << result.error().reason;
    }
  }
}

TEST(PdfMalformed, BrokenCrossReferences) {
  const std::string pdf = BuildPdf({kCatalog, kPages, kPage});
  ExpectReason("missing xref", Replace(pdf, "xref\n0 4", "xxxx\n0 4"), "pdf.xref_invalid");
  ExpectReason("startxref past the end", Replace(pdf, "startxref\n", "startxref\n9999999"),
               "pdf.truncated");
  // Object 1's entry (the first "n" line) pointing into the header comment.
  const std::size_t first_entry = pdf.find("00000 n\r\n") - 11;
  std::string elsewhere = pdf;
  elsewhere.replace(first_entry, 10, "0000000010");
  ExpectReason("xref entry points elsewhere", elsewhere, "pdf.xref_invalid");
  ExpectReason("huge subsection", Replace(pdf, "xref\n0 4", "xref\n0 8000000"), "pdf.truncated");
  ExpectReason("no root", Replace(pdf, "/Root 1 0 R", "/Rooo 1 0 R"), "pdf.xref_invalid");
  // Only the free list's head may say 65536 (as Pillow and mutool write it); an object in use,
  // or 65537 anywhere, is damage.
  ASSERT_NE(pdf.find("0000000000 65535 f"), std::string::npos);
  EXPECT_TRUE(Inspect(Replace(pdf, "0000000000 65535 f", "0000000000 65536 f")).ok());
  ExpectReason("generation 65537 on object 0",
               Replace(pdf, "0000000000 65535 f", "0000000000 65537 f"), "pdf.xref_invalid");
  std::string in_use = pdf;
  in_use.replace(first_entry + 11, 5, "65536");
  ExpectReason("generation 65536 in use", in_use, "pdf.xref_invalid");

  // /Prev pointing to its own section, and two sections pointing to each other.
  std::string looped = pdf;
  const std::size_t self = looped.size();
  looped += "xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 4 /Root 1 0 R /Prev " +
            std::to_string(self) + " >>\nstartxref\n" + std::to_string(self) + "\n%%EOF\n";
  ExpectReason("prev loop", looped, "pdf.xref_invalid");
  std::string two = pdf;
  const std::size_t a = two.size();
  const std::string section_a =
      "xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 4 /Root 1 0 R /Prev ";
  const std::size_t b = a + section_a.size() + 10 + 4;  // "%010zu >>\n"
  char prev_b[16];
  std::snprintf(prev_b, sizeof prev_b, "%010zu", b);
  two += section_a + prev_b + " >>\n";
  ASSERT_EQ(two.size(), b);
  two += "xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 4 /Root 1 0 R /Prev " +
         std::to_string(a) + " >>\nstartxref\n" + std::to_string(b) + "\n%%EOF\n";
  ExpectReason("prev two-cycle", two, "pdf.xref_invalid");
}

TEST(PdfMalformed, DeepNestingIsRefused) {
  const std::string deep_array = std::string(10000, '[') + std::string(10000, ']');
  ExpectReason(
      "deep arrays",
      BuildPdf({"<< /Type /Catalog /Pages 2 0 R /Deep " + deep_array + " >>", kPages, kPage}),
      "pdf.limit_exceeded");
  std::string deep_dict;
  for (int i = 0; i < 10000; ++i) {
    deep_dict += "<< /A ";
  }
  for (int i = 0; i < 10000; ++i) {
    deep_dict += ">> ";
  }
  ExpectReason(
      "deep dictionaries",
      BuildPdf({"<< /Type /Catalog /Pages 2 0 R /Deep " + deep_dict + " >>", kPages, kPage}),
      "pdf.limit_exceeded");
  // A page tree 10 000 levels deep, each level its own object.
  std::vector<std::string> objects = {kCatalog};
  for (int i = 0; i < 10000; ++i) {
    objects.push_back("<< /Type /Pages /Kids [" + std::to_string(i + 3) + " 0 R] /Count 1 >>");
  }
  objects.push_back("<< /Type /Page /MediaBox [0 0 595 842] >>");
  ExpectReason("deep page tree", BuildPdf(objects), "pdf.limit_exceeded");
}

TEST(PdfMalformed, StructuralErrors) {
  ExpectReason("page tree loop",
               BuildPdf({kCatalog, "<< /Type /Pages /Kids [2 0 R] /Count 1 >>", kPage}),
               "pdf.malformed");
  ExpectReason("duplicate key",
               BuildPdf({"<< /Type /Catalog /Pages 2 0 R /Pages 2 0 R >>", kPages, kPage}),
               "pdf.malformed");
  ExpectReason("no media box", BuildPdf({kCatalog, kPages, "<< /Type /Page /Parent 2 0 R >>"}),
               "pdf.malformed");
  ExpectReason("rotate 45",
               BuildPdf({kCatalog, kPages,
                         "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate 45 >>"}),
               "pdf.malformed");
  ExpectReason("unterminated string",
               BuildPdf({"<< /Type /Catalog /Pages 2 0 R /X (abc >>", kPages, kPage}),
               "pdf.malformed");
  ExpectReason("bad hex string",
               BuildPdf({"<< /Type /Catalog /Pages 2 0 R /X <12G4> >>", kPages, kPage}),
               "pdf.malformed");
  ExpectReason(
      "huge integer",
      BuildPdf({"<< /Type /Catalog /Pages 2 0 R /X 99999999999999999999999 >>", kPages, kPage}),
      "pdf.malformed");
  auto encrypted = BuildPdf({kCatalog, kPages, kPage}, "/Encrypt << /Filter /Standard >>");
  ExpectReason("encrypted", encrypted, "pdf.encrypted");
  EXPECT_EQ(Inspect(encrypted).error().code, ErrorCode::kFailedPrecondition);
}

TEST(PdfMalformed, StreamsThatLie) {
  const std::string pdf = BuildXrefStreamPdf({kCatalog, kPages, kPage});
  const std::size_t at = pdf.find("/Length ") + 8;
  const std::size_t end = pdf.find(' ', at);
  const int length = std::stoi(pdf.substr(at, end - at));
  std::string longer = pdf;
  longer.replace(at, end - at, std::to_string(length + 5));
  ExpectReason("length too long", longer, "pdf.bad_stream");
  std::string shorter = pdf;
  shorter.replace(at, end - at, std::to_string(length - 3));
  ExpectReason("length too short", shorter, "pdf.bad_stream");
  std::string past_end = pdf;
  past_end.replace(at, end - at, "99999999");
  ExpectReason("length past the end", past_end, "pdf.bad_stream");
  ExpectReason("unknown filter",
               BuildXrefStreamPdf({kCatalog, kPages, kPage}, "/Filter /LZWDecode"),
               "pdf.unsupported");
  ExpectReason("corrupt flate",
               BuildXrefStreamPdf({kCatalog, kPages, kPage}, "/Filter /FlateDecode"),
               "pdf.bad_stream");
  ExpectReason("w zero",
               Replace(BuildXrefStreamPdf({kCatalog, kPages, kPage}), "/W [1 4 2]", "/W [0 0 0]"),
               "pdf.xref_invalid");
  ExpectReason("index beyond the data",
               Replace(BuildXrefStreamPdf({kCatalog, kPages, kPage}), "/W [1 4 2]",
                       "/W [1 4 2] /Index [0 4000000]"),
               "pdf.xref_invalid");
}

// zlib data that inflates to `mebibytes` MiB of zeros, built from identical fully flushed
// blocks so that making it costs almost nothing. It has no end: a reader that does not stop at
// its limit inflates all of it and then fails.
std::string ZerosDeflated(int mebibytes) {
  const std::string zeros(1 << 20, '\0');
  z_stream z{};
  deflateInit(&z, 9);
  std::string pieces[2];
  for (std::string& piece : pieces) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = static_cast<uInt>(zeros.size());
    std::string out(1 << 16, '\0');
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FULL_FLUSH);
    out.resize(out.size() - z.avail_out);
    piece = out;
  }
  deflateEnd(&z);
  std::string data = pieces[0];  // with the zlib header
  for (int i = 1; i < mebibytes; ++i) {
    data += pieces[1];
  }
  return data;
}

std::string Compress(const std::string& data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &size,
            reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()), 9);
  out.resize(size);
  return out;
}

TEST(PdfMalformed, FlateBombStopsAtTheLimit) {
  // 1 GiB of zeros behind two FlateDecode filters, under 3 KB on disk, as the cross-reference
  // stream that must be read to open the file.
  const std::string bomb = Compress(ZerosDeflated(1024));
  EXPECT_LT(bomb.size(), 3000u);
  std::string pdf = BuildPdf({kCatalog, kPages, kPage});
  pdf = pdf.substr(0, pdf.find("xref\n0 4"));
  const std::size_t xref = pdf.size();
  pdf +=
      "4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Filter [/FlateDecode "
      "/FlateDecode] /Length " +
      std::to_string(bomb.size()) + " >>\nstream\n" + bomb + "\nendstream\nendobj\nstartxref\n" +
      std::to_string(xref) + "\n%%EOF\n";
  ExpectReason("flate bomb", pdf, "pdf.limit_exceeded");
  // One layer: 64 MiB + 1 of zeros is just over the per-stream limit.
  const std::string single = Compress(std::string((64 << 20) + 1, '\0'));
  std::string pdf_single = pdf.substr(0, xref);
  pdf_single +=
      "4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
      "/Length " +
      std::to_string(single.size()) + " >>\nstream\n" + single +
      "\nendstream\nendobj\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  ExpectReason("flate over the limit", pdf_single, "pdf.limit_exceeded");
}

// What a file may decode grows with its size: 20 KB inflating to 20 MiB (under the per-stream
// and per-document caps) is a bomb for a file of 20 KB, refused as too large (413), before the
// parser spends the CPU that 20 MiB would cost. Before, it was inflated in full, and the public
// verifier answered such files 429, as if a retry could help.
TEST(PdfMalformed, DecompressionIsBoundedByTheFilesOwnSize) {
  const std::string zeros = Compress(std::string(std::size_t{20} << 20, '\0'));
  std::string pdf = BuildPdf({kCatalog, kPages, kPage});
  pdf = pdf.substr(0, pdf.find("xref\n0 4"));
  const std::size_t xref = pdf.size();
  pdf += "4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length " +
         std::to_string(zeros.size()) + " >>\nstream\n" + zeros +
         "\nendstream\nendobj\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  ASSERT_LT(pdf.size(), 64u * 1024);
  ExpectReason("20 MiB from 20 KB", pdf, "pdf.limit_exceeded");
  EXPECT_EQ(Inspect(pdf).error().code, ErrorCode::kPayloadTooLarge);
}

std::string WithField(const std::string& field) {
  return BuildPdf(
      {"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>", kPages, kPage, field});
}

TEST(PdfMalformed, WrongTextEncodings) {
  ExpectReason("lone high surrogate", WithField("<< /FT /Sig /T <FEFFD800> >>"),
               "pdf.bad_text_string");
  ExpectReason("lone low surrogate", WithField("<< /FT /Sig /T <FEFF0041DC00> >>"),
               "pdf.bad_text_string");
  ExpectReason("odd utf-16", WithField("<< /FT /Sig /T <FEFF004100> >>"), "pdf.bad_text_string");
  ExpectReason("bad utf-8", WithField("<< /FT /Sig /T <EFBBBFC328> >>"), "pdf.bad_text_string");
  ExpectReason("undefined pdfdoc byte", WithField("<< /FT /Sig /T (a\\177b) >>"),
               "pdf.bad_text_string");
  // In a signature dictionary, read by ReadSignatures.
  const std::string bad_reason =
      BuildPdf({"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>", kPages, kPage,
                "<< /FT /Sig /T (Signature1) /V 5 0 R >>",
                "<< /Type /Sig /Reason <FEFFDC00> /ByteRange [0 1 2 3] /Contents <00> >>"});
  ASSERT_TRUE(Inspect(bad_reason).ok());
  auto signatures = ReadSignatures(bad_reason);
  ASSERT_FALSE(signatures.ok());
  EXPECT_EQ(signatures.error().reason, "pdf.bad_text_string");
  // Good ones decode: PDFDocEncoding specials, UTF-16 with a surrogate pair, UTF-8 with a BOM.
  auto good = Inspect(WithField("<< /FT /Sig /T (\\200\\240) >>"));
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->fields[0].name, "•€");
  auto pair = Inspect(WithField("<< /FT /Sig /T <FEFF0110D83DDE00> >>"));
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(pair->fields[0].name, "Đ😀");
  auto utf8 = Inspect(WithField("<< /FT /Sig /T <EFBBBFC491> >>"));
  ASSERT_TRUE(utf8.ok());
  EXPECT_EQ(utf8->fields[0].name, "đ");
}

TEST(PdfMalformed, BadSignatureValuesAreReportedNotFatal) {
  const std::string pdf =
      BuildPdf({"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 6 0 R] >> >>", kPages,
                kPage, "<< /FT /Sig /T (A) /V 5 0 R >>",
                "<< /Type /Sig /ByteRange [0 10 5 99999999] /Contents <3003020100> >>",
                "<< /FT /Sig /T (B) /V << /Type /Sig /ByteRange [0 1 2] /Contents (x) >> >>"});
  auto signatures = ReadSignatures(pdf);
  ASSERT_TRUE(signatures.ok()) << signatures.error().detail;
  ASSERT_EQ(signatures->size(), 2u);
  EXPECT_FALSE((*signatures)[0].byte_range_ok);
  EXPECT_THAT((*signatures)[0].byte_range_problem, ::testing::HasSubstr("out of order"));
  EXPECT_EQ((*signatures)[0].contents, std::string("\x30\x03\x02\x01\x00", 5));
  EXPECT_FALSE((*signatures)[1].byte_range_ok);
  EXPECT_THAT((*signatures)[1].byte_range_problem, ::testing::HasSubstr("not an indirect"));
  EXPECT_FALSE(SignedBytes(pdf, (*signatures)[0]).ok());
}

TEST(PdfMalformed, DanglingReferencesDoNotCaptureTheNewWidget) {
  // Found by the fuzzer: /Fields and /Annots name objects 6 and 9, which do not exist (/Size 4).
  // The new objects must be numbered above them, or the old references would name the widget.
  const std::string pdf =
      BuildPdf({"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] >> >>", kPages,
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [9 0 R] >>"});
  SignatureRequest request;
  request.contents_capacity = 2048;
  auto prepared = PrepareSignature(pdf, request);
  ASSERT_TRUE(prepared.ok()) << prepared.error().detail;
  const std::string signed_pdf =
      EmbedSignature(*prepared, std::string("\x30\x03\x02\x01\x00", 5)).value();
  auto signatures = ReadSignatures(signed_pdf);
  ASSERT_TRUE(signatures.ok()) << signatures.error().detail;
  ASSERT_EQ(signatures->size(), 1u);
  EXPECT_TRUE((*signatures)[0].byte_range_ok);
  EXPECT_EQ((*signatures)[0].page_index, 0);
}

TEST(PdfMalformed, PageThatIsAlsoTheFormIsRefused) {
  // Found by the fuzzer: /AcroForm names the page object, which signing would rewrite twice.
  const std::string pdf = BuildPdf({"<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>", kPages,
                                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"});
  ASSERT_TRUE(Inspect(pdf).ok());
  auto prepared = PrepareSignature(pdf, SignatureRequest{});
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.error().reason, "pdf.malformed");
}

}  // namespace
}  // namespace tinhso::pdf
