// Enveloped XML-DSig with the xmlsec1 CLI as the outside verifier and signer: what tinhso signs
// verifies in xmlsec1, what xmlsec1 signs verifies in tinhso, the document's bytes survive, and
// one changed character is caught.
#include "xmlsig/xmlsig.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "xmlsig/test_keys.hpp"

namespace tinhso::xmlsig {
namespace {

using test::Keys;
using test::Xmlsec1Verify;

constexpr std::string_view kDecision =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<QuyetDinh so='15/QĐ-UBND' ngay=\"2024-05-06\">\n"
    "  <TrichYeu>Về việc cấp phép hoạt động cơ sở in</TrichYeu>\n"
    "  <NoiDung>Điều 1. Cấp phép cho Công ty TNHH In Thái Nguyên &amp; Cộng sự.</NoiDung>\n"
    "  <GhiChu/>\n"
    "</QuyetDinh>\n";

// The shape of an edXML package (QCVN 102:2016), prefixed as the VNPT SDK writes it.
constexpr std::string_view kEdXml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<edXML:edXMLEnvelope xmlns:edXML=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">\n"
    "  <edXML:edXMLHeader>\n"
    "    <edXML:MessageHeader>\n"
    "      <edXML:From><edXML:OrganId>000.00.00.H56</edXML:OrganId>"
    "<edXML:OrganName>Ủy ban nhân dân tỉnh Thanh Hóa</edXML:OrganName></edXML:From>\n"
    "      <edXML:To><edXML:OrganId>000.00.04.G14</edXML:OrganId>"
    "<edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName></edXML:To>\n"
    "      <edXML:DocumentId>000.00.00.H56,2024/05/06,15/QĐ-UBND</edXML:DocumentId>\n"
    "      <edXML:Code><edXML:CodeNumber>15</edXML:CodeNumber>"
    "<edXML:CodeNotation>QĐ-UBND</edXML:CodeNotation></edXML:Code>\n"
    "      <edXML:PromulgationInfo><edXML:Place>Thanh Hóa</edXML:Place>"
    "<edXML:PromulgationDate>2024/05/06</edXML:PromulgationDate></edXML:PromulgationInfo>\n"
    "      <edXML:Subject>Về việc cấp phép hoạt động cơ sở in</edXML:Subject>\n"
    "      <edXML:SignerInfo><edXML:Competence>TM. Ủy ban nhân dân</edXML:Competence>"
    "<edXML:Position>Chủ tịch</edXML:Position><edXML:FullName>Đỗ Minh Tuấn</edXML:FullName>"
    "</edXML:SignerInfo>\n"
    "    </edXML:MessageHeader>\n"
    "    <edXML:TraceHeaderList><edXML:TraceHeader><edXML:OrganId>000.00.00.H56</edXML:OrganId>"
    "<edXML:Timestamp>2024/05/06 09:15:00</edXML:Timestamp></edXML:TraceHeader>"
    "<edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType></edXML:Bussiness>"
    "</edXML:TraceHeaderList>\n"
    "  </edXML:edXMLHeader>\n"
    "  <edXML:edXMLBody><edXML:edXMLManifest><edXML:Reference>"
    "<edXML:ContentId>cid:1</edXML:ContentId><edXML:ContentType>application/pdf"
    "</edXML:ContentType><edXML:AttachmentName>15-QĐ-UBND.pdf</edXML:AttachmentName>"
    "</edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>\n"
    "</edXML:edXMLEnvelope>\n";

constexpr std::string_view kExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";

std::string SignOrDie(std::string_view xml, const test::Signer& signer,
                      const SignOptions& options = {}) {
  auto signed_xml = SignEnveloped(xml, signer.key_der, signer.cert_der, Keys().chain, options);
  EXPECT_TRUE(signed_xml.ok()) << signed_xml.error().message_en << " " << signed_xml.error().detail;
  return signed_xml.ok() ? *signed_xml : std::string();
}

// The signed document without its ds:Signature element.
std::string WithoutSignature(std::string_view xml) {
  const std::size_t begin = xml.find("<ds:Signature");
  const std::size_t end = xml.find("</ds:Signature>");
  if (begin == std::string_view::npos || end == std::string_view::npos) return std::string(xml);
  return std::string(xml.substr(0, begin)) +
         std::string(xml.substr(end + std::string_view("</ds:Signature>").size()));
}

std::vector<SignatureInfo> VerifyOrDie(std::string_view xml) {
  auto v = Verify(xml);
  EXPECT_TRUE(v.ok()) << v.error().message_en;
  return v.ok() ? *v : std::vector<SignatureInfo>{};
}

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(XmlSigTest, EcdsaSignatureVerifiesInXmlsec1AndHere) {
  const std::string out = SignOrDie(kDecision, Keys().ec);
  const test::ShellRun xmlsec1 = Xmlsec1Verify(out);
  EXPECT_EQ(xmlsec1.exit_code, 0) << xmlsec1.out;
  EXPECT_NE(xmlsec1.out.find("OK"), std::string::npos) << xmlsec1.out;
  // The standard shape, for any reader.
  EXPECT_NE(out.find("<ds:Reference URI=\"\">"), std::string::npos) << out;
  EXPECT_NE(out.find("xmldsig#enveloped-signature"), std::string::npos);
  EXPECT_NE(out.find("<ds:CanonicalizationMethod Algorithm=\"" + std::string(kExcC14n)),
            std::string::npos);
  EXPECT_NE(out.find("xmldsig-more#ecdsa-sha256"), std::string::npos);
  EXPECT_NE(out.find("xmlenc#sha256"), std::string::npos);
  // RFC 2253 (last RDN first), UTF-8 as written.
  EXPECT_NE(out.find("<ds:X509SubjectName>O=Sở Tư pháp tỉnh Thái Nguyên,title=Phó Giám "
                     "đốc,CN=Nguyễn Văn An</ds:X509SubjectName>"),
            std::string::npos)
      << out;
  // Every byte of the document outside the signature is as it came, Vietnamese included.
  EXPECT_EQ(WithoutSignature(out), kDecision);
  EXPECT_NE(out.find("</ds:Signature></QuyetDinh>"), std::string::npos);

  const std::vector<SignatureInfo> found = VerifyOrDie(out);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].integrity_ok) << found[0].problem_en << " " << found[0].detail;
  EXPECT_EQ(found[0].signature_algorithm, "ECDSA-SHA256");
  EXPECT_EQ(found[0].canonicalization, kExcC14n);
  EXPECT_FALSE(found[0].uses_sha1);
  EXPECT_EQ(found[0].path, "/QuyetDinh/Signature");
  EXPECT_EQ(found[0].signer_certificate_der, Keys().ec.cert_der);
  ASSERT_EQ(found[0].other_certificates_der.size(), 1u);
  EXPECT_EQ(found[0].other_certificates_der[0], Keys().issuing_der);
}

TEST(XmlSigTest, RsaSignatureVerifiesInXmlsec1AndHere) {
  const std::string out = SignOrDie(kDecision, Keys().rsa);
  const test::ShellRun xmlsec1 = Xmlsec1Verify(out);
  EXPECT_EQ(xmlsec1.exit_code, 0) << xmlsec1.out;
  EXPECT_NE(xmlsec1.out.find("OK"), std::string::npos) << xmlsec1.out;
  EXPECT_NE(out.find("xmldsig-more#rsa-sha256"), std::string::npos);
  EXPECT_NE(out.find("O=So Tai chinh\\, tinh Thai Nguyen"), std::string::npos) << out;
  EXPECT_EQ(WithoutSignature(out), kDecision);
  const std::vector<SignatureInfo> found = VerifyOrDie(out);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].integrity_ok) << found[0].problem_en << " " << found[0].detail;
  EXPECT_EQ(found[0].signature_algorithm, "RSA-SHA256");
  EXPECT_EQ(found[0].signer_certificate_der, Keys().rsa.cert_der);
}

TEST(XmlSigTest, EdXmlSignatureGoesIntoTheHeader) {
  const std::string out = SignOrDie(kEdXml, Keys().ec, EdXmlHeader());
  EXPECT_NE(out.find("</ds:Signature></edXML:edXMLHeader>"), std::string::npos) << out;
  EXPECT_EQ(WithoutSignature(out), kEdXml);
  const test::ShellRun xmlsec1 = Xmlsec1Verify(out);
  EXPECT_EQ(xmlsec1.exit_code, 0) << xmlsec1.out;
  const std::vector<SignatureInfo> found = VerifyOrDie(out);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].integrity_ok) << found[0].problem_en << " " << found[0].detail;
  EXPECT_EQ(found[0].path, "/edXMLEnvelope/edXMLHeader/Signature");
}

TEST(XmlSigTest, EmptyParentInADefaultNamespaceGetsAnEndTag) {
  constexpr std::string_view kEnvelope =
      "<edXMLEnvelope xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"><edXMLHeader />"
      "<edXMLBody><Subject>Giấy mời họp</Subject></edXMLBody></edXMLEnvelope>";
  const std::string out = SignOrDie(kEnvelope, Keys().rsa, EdXmlHeader());
  EXPECT_NE(out.find("<edXMLHeader ><ds:Signature"), std::string::npos) << out;
  EXPECT_NE(out.find("</ds:Signature></edXMLHeader><edXMLBody>"), std::string::npos) << out;
  EXPECT_EQ(Xmlsec1Verify(out).exit_code, 0);
  const std::vector<SignatureInfo> found = VerifyOrDie(out);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].integrity_ok) << found[0].problem_en;
  // An element of the same name in another namespace is not the edXML header.
  auto elsewhere = SignEnveloped("<r><edXMLHeader/></r>", Keys().ec.key_der, Keys().ec.cert_der,
                                 Keys().chain, EdXmlHeader());
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.error().reason, "xmlsig.parent_not_found");
}

// Inputs whose bytes a re-serialising signer would change: all of them come back as they were,
// with only the signature added.
TEST(XmlSigTest, UnusualButValidInputsKeepTheirBytes) {
  std::string big = "<HoSo>\r\n<TepDinhKem>";
  for (int i = 0; i < 40000; ++i) big += "Dữ liệu số hóa thành phần hồ sơ. ";
  big += "</TepDinhKem>\r\n</HoSo>";
  for (const std::string& doc : std::vector<std::string>{
           "\xEF\xBB\xBF<r>có BOM</r>",
           "<r>\r\n  dòng Windows\r\n</r>\r\n",
           "<?xml version='1.0'?><r a=\"&gt;\" b='x>y'><![CDATA[<không phải thẻ>]]>&#x1EA1;</r  >"
           "<!-- sau gốc --><?pi cuối?>\n",
           "<p:r xmlns:p=\"urn:x\"><p:a/></p:r>",
           big,
       }) {
    const std::string out = SignOrDie(doc, Keys().ec);
    EXPECT_EQ(WithoutSignature(out), doc) << doc.substr(0, 60);
    const std::vector<SignatureInfo> found = VerifyOrDie(out);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_TRUE(found[0].integrity_ok) << doc.substr(0, 60);
    EXPECT_EQ(Xmlsec1Verify(out).exit_code, 0) << doc.substr(0, 60);
  }
}

// xmlsec1 fills a template (an unprefixed Signature, as many other tools write it) and tinhso
// checks it, finding the signer among the carried certificates.
TEST(XmlSigTest, WhatXmlsec1SignsVerifiesHere) {
  for (const test::Signer* signer : {&Keys().rsa, &Keys().ec}) {
    const std::string method = signer == &Keys().rsa ? "rsa-sha256" : "ecdsa-sha256";
    const std::string tmpl =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HoSo><MaHoSo>000.00.00.H56-240506-0001"
        "</MaHoSo><ChuHoSo>Trần Thị Bình</ChuHoSo>"
        "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo>"
        "<CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
        "<SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#" +
        method +
        "\"/><Reference URI=\"\"><Transforms><Transform "
        "Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></Transforms>"
        "<DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue/>"
        "</Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>"
        "</HoSo>\n";
    const auto dir = Keys().dir;
    test::WriteFile(dir / "tmpl.xml", tmpl);
    const test::ShellRun signed_run =
        test::Shell("xmlsec1 --sign --privkey-pem " + signer->key_pem.string() + "," +
                    signer->cert_pem.string() + "," + Keys().issuing_pem.string() + " --output " +
                    (dir / "by-xmlsec1.xml").string() + " " + (dir / "tmpl.xml").string());
    ASSERT_EQ(signed_run.exit_code, 0) << signed_run.out;
    const std::string out = test::ReadFile(dir / "by-xmlsec1.xml");
    const std::vector<SignatureInfo> found = VerifyOrDie(out);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_TRUE(found[0].integrity_ok)
        << method << ": " << found[0].problem_en << " " << found[0].detail;
    EXPECT_EQ(found[0].signer_certificate_der, signer->cert_der) << method;
    EXPECT_EQ(found[0].other_certificates_der.size(), 1u) << method;
    // And the same document with one character changed.
    const std::vector<SignatureInfo> changed =
        VerifyOrDie(Replace(out, "Trần Thị Bình", "Trần Thị Bính"));
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_FALSE(changed[0].integrity_ok);
    EXPECT_EQ(changed[0].problem, "digest");
  }
}

TEST(XmlSigTest, OneChangedCharacterBreaksIntegrity) {
  const std::string out = SignOrDie(kDecision, Keys().ec);
  // In the signed content.
  const std::string content = Replace(out, "Điều 1.", "Điều 2.");
  std::vector<SignatureInfo> found = VerifyOrDie(content);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_FALSE(found[0].integrity_ok);
  EXPECT_EQ(found[0].problem, "digest");
  EXPECT_FALSE(found[0].problem_vi.empty());
  EXPECT_EQ(found[0].signer_certificate_der, Keys().ec.cert_der) << "still says who signed";
  const test::ShellRun xmlsec1 = Xmlsec1Verify(content);
  EXPECT_NE(xmlsec1.exit_code, 0) << "xmlsec1 agrees: " << xmlsec1.out;
  // In an attribute.
  found = VerifyOrDie(Replace(out, "2024-05-06", "2024-05-07"));
  EXPECT_EQ(found.at(0).problem, "digest");
  // In SignedInfo: the digest still matches, the signature value no longer does.
  const std::string signed_info = Replace(out, "<ds:SignedInfo>", "<ds:SignedInfo Id=\"x\">");
  found = VerifyOrDie(signed_info);
  EXPECT_FALSE(found.at(0).integrity_ok);
  EXPECT_EQ(found.at(0).problem, "signature_value");
  EXPECT_NE(Xmlsec1Verify(signed_info).exit_code, 0);
  // In the signature value.
  const std::size_t value = out.find("<ds:SignatureValue>") + 25;
  std::string broken = out;
  broken[value] = broken[value] == 'A' ? 'B' : 'A';
  found = VerifyOrDie(broken);
  EXPECT_FALSE(found.at(0).integrity_ok);
  // A comment is outside what URI="" signs: still valid.
  found = VerifyOrDie(Replace(out, "<GhiChu/>", "<GhiChu/><!-- ghi chú -->"));
  EXPECT_TRUE(found.at(0).integrity_ok);
}

TEST(XmlSigTest, ACertificateThatDidNotSignIsNotTaken) {
  // The signature is ECDSA, the carried certificate RSA: the key does not fit.
  const std::string out = SignOrDie(kDecision, Keys().ec);
  const std::size_t begin = out.find("<ds:X509Certificate>");
  const std::size_t end = out.find("</ds:X509Data>");
  ASSERT_NE(begin, std::string::npos);
  const std::string rsa_only = SignOrDie(kDecision, Keys().rsa);
  const std::size_t rsa_begin = rsa_only.find("<ds:X509Certificate>");
  const std::size_t rsa_end = rsa_only.find("</ds:X509Certificate>") + 21;
  const std::string swapped =
      out.substr(0, begin) + rsa_only.substr(rsa_begin, rsa_end - rsa_begin) + out.substr(end);
  const std::vector<SignatureInfo> found = VerifyOrDie(swapped);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_FALSE(found[0].integrity_ok);
  EXPECT_EQ(found[0].signer_certificate_der, Keys().rsa.cert_der);
  // Without any certificate there is no key to check with.
  const std::string bare =
      out.substr(0, out.find("<ds:KeyInfo>")) + out.substr(out.find("</ds:KeyInfo>") + 13);
  const std::vector<SignatureInfo> none = VerifyOrDie(bare);
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].problem, "no_certificate");
  EXPECT_TRUE(none[0].signer_certificate_der.empty());
}

TEST(XmlSigTest, EverySignatureIsReported) {
  // A second enveloped signature over the whole document covers the first one too, so the first
  // no longer verifies (XML-DSig's rule, not ours): both are reported, in document order.
  const std::string once = SignOrDie(kEdXml, Keys().ec, EdXmlHeader());
  const std::string twice = SignOrDie(once, Keys().rsa, EdXmlHeader());
  const std::vector<SignatureInfo> found = VerifyOrDie(twice);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].signer_certificate_der, Keys().ec.cert_der);
  EXPECT_FALSE(found[0].integrity_ok);
  EXPECT_EQ(found[1].signer_certificate_der, Keys().rsa.cert_der);
  EXPECT_TRUE(found[1].integrity_ok) << found[1].problem_en;
}

TEST(XmlSigTest, OnlyWholeDocumentReferencesAndKnownTransformsAreAccepted) {
  const std::string out = SignOrDie(kDecision, Keys().ec);
  struct Case {
    std::string_view from, to;
  };
  for (const Case& c : {
           Case{"URI=\"\"", "URI=\"file:///etc/passwd\""},
           Case{"URI=\"\"", "URI=\"http://127.0.0.1:9/x.xml\""},
           Case{"URI=\"\"", "URI=\"#xpointer(/)\""},
           Case{"URI=\"\"", ""},
           Case{"<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
                "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>"},
           Case{"xmlenc#sha256", "xmldsig-more#md5"},
           Case{"xmldsig-more#ecdsa-sha256", "xmldsig#hmac-sha1"},
       }) {
    const std::vector<SignatureInfo> found = VerifyOrDie(Replace(out, c.from, c.to));
    ASSERT_EQ(found.size(), 1u) << c.to;
    EXPECT_FALSE(found[0].integrity_ok) << c.to;
    EXPECT_EQ(found[0].problem, "unsupported") << c.to;
    EXPECT_FALSE(found[0].problem_en.empty());
  }
}

TEST(XmlSigTest, SigningRefusesWhatItCannotSignProperly) {
  const auto& k = Keys();
  auto bad_key = SignEnveloped(kDecision, "not a key", k.ec.cert_der, k.chain);
  ASSERT_FALSE(bad_key.ok());
  EXPECT_EQ(bad_key.error().reason, "xmlsig.key_invalid");
  auto wrong_cert = SignEnveloped(kDecision, k.ec.key_der, k.rsa.cert_der, k.chain);
  ASSERT_FALSE(wrong_cert.ok());
  EXPECT_EQ(wrong_cert.error().reason, "xmlsig.certificate_invalid");
  const std::vector<std::string> junk_chain = {"junk"};
  auto bad_chain = SignEnveloped(kDecision, k.ec.key_der, k.ec.cert_der, junk_chain);
  ASSERT_FALSE(bad_chain.ok());
  EXPECT_EQ(bad_chain.error().reason, "xmlsig.certificate_invalid");
  auto latin1 = SignEnveloped("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>caf\xe9</r>",
                              k.ec.key_der, k.ec.cert_der, k.chain);
  ASSERT_FALSE(latin1.ok());
  EXPECT_EQ(latin1.error().reason, "xmlsig.encoding_unsupported");
  SignOptions missing;
  missing.parent_name = "KhongCo";
  auto no_parent = SignEnveloped(kDecision, k.ec.key_der, k.ec.cert_der, k.chain, missing);
  ASSERT_FALSE(no_parent.ok());
  EXPECT_EQ(no_parent.error().reason, "xmlsig.parent_not_found");
  auto unsigned_doc = Verify(kDecision);
  ASSERT_FALSE(unsigned_doc.ok());
  EXPECT_EQ(unsigned_doc.error().reason, "xmlsig.no_signature");
  EXPECT_FALSE(unsigned_doc.error().message_vi.empty());
}

}  // namespace
}  // namespace tinhso::xmlsig
