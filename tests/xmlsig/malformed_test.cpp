// Hostile and broken XML: every case is a clear error (or a report), never a crash, a hang, or
// a read of anything outside the document.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "xmlsig/test_keys.hpp"
#include "xmlsig/xmlsig.hpp"

namespace tinhso::xmlsig {
namespace {

using test::Keys;

constexpr std::string_view kSmall =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ThongBao><NoiDung>Lịch tiếp công dân tháng 6"
    "</NoiDung></ThongBao>";

// Both entry points refuse `xml` with `reason`, in both languages.
void ExpectRefused(std::string_view xml, std::string_view reason) {
  auto verified = Verify(xml);
  ASSERT_FALSE(verified.ok()) << reason;
  EXPECT_EQ(verified.error().reason, reason) << verified.error().message_en;
  EXPECT_FALSE(verified.error().message_vi.empty());
  EXPECT_FALSE(verified.error().message_en.empty());
  auto signed_xml = SignEnveloped(xml, Keys().ec.key_der, Keys().ec.cert_der, Keys().chain);
  ASSERT_FALSE(signed_xml.ok()) << reason;
  EXPECT_EQ(signed_xml.error().reason, reason) << signed_xml.error().message_en;
}

TEST(XmlSigMalformedTest, NotXmlOrTruncated) {
  for (std::string_view bad :
       {std::string_view(""), std::string_view("hello"), std::string_view("{\"json\": true}"),
        std::string_view("<"), std::string_view("<a><b></a>"),
        std::string_view("<a>&undefined;</a>"), std::string_view("\x00\x01\x02\x03", 4),
        std::string_view("<a/><b/>")}) {
    ExpectRefused(bad, "xmlsig.malformed");
  }
  auto signed_xml = SignEnveloped(kSmall, Keys().ec.key_der, Keys().ec.cert_der, Keys().chain);
  ASSERT_TRUE(signed_xml.ok());
  for (std::size_t cut : {signed_xml->size() / 4, signed_xml->size() / 2, signed_xml->size() - 20,
                          signed_xml->size() - 1}) {
    auto v = Verify(std::string_view(*signed_xml).substr(0, cut));
    ASSERT_FALSE(v.ok()) << cut;
    EXPECT_EQ(v.error().reason, "xmlsig.malformed");
    EXPECT_NE(v.error().message_en.find("line"), std::string::npos) << v.error().message_en;
  }
}

TEST(XmlSigMalformedTest, ExternalEntitiesAreNeverRead) {
  // A file with a marker: if the parser ever read it, the marker could surface in a message or
  // in the signed output.
  const auto dir = tinhso::test::TempDir();
  test::WriteFile(dir / "secret.txt", "BI-MAT-KHONG-DUOC-DOC");
  const std::string secret = "file://" + (dir / "secret.txt").string();
  for (const std::string& xxe : std::vector<std::string>{
           "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
           "<r>&x;</r>",
           "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret + "\">]><r>&x;</r>",
           "<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + secret + "\"> %p;]><r/>",
           "<!DOCTYPE r SYSTEM \"" + secret + "\"><r/>",
           "<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/evil.dtd\"><r/>",
           "<!DOCTYPE r><r/>",
       }) {
    ExpectRefused(xxe, "xmlsig.dtd_forbidden");
    auto v = Verify(xxe);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().message_en.find("BI-MAT"), std::string::npos);
    EXPECT_EQ(v.error().detail.find("root:"), std::string::npos);
  }
}

TEST(XmlSigMalformedTest, EntityExpansionBombIsRefusedAtTheDoctype) {
  std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) {
      laughs += i == 1 ? "&lol;" : "&lol" + std::to_string(i - 1) + ";";
    }
    laughs += "\">\n";
  }
  laughs += "]>\n<lolz>&lol9;</lolz>\n";
  ExpectRefused(laughs, "xmlsig.dtd_forbidden");
}

TEST(XmlSigMalformedTest, DeepNestingIsRefused) {
  auto nested = [](int depth) {
    std::string xml;
    for (int i = 0; i < depth; ++i) xml += "<a>";
    for (int i = 0; i < depth; ++i) xml += "</a>";
    return xml;
  };
  ExpectRefused(nested(10000), "xmlsig.too_deep");
  ExpectRefused(nested(kMaxDepth + 1), "xmlsig.too_deep");
  // Unclosed, as deep as it gets within the size limit: refused at the same depth.
  std::string unclosed;
  for (int i = 0; i < 100000; ++i) unclosed += "<b>";
  ExpectRefused(unclosed, "xmlsig.too_deep");
  // As deep as allowed is fine (and simply unsigned).
  auto v = Verify(nested(kMaxDepth));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().reason, "xmlsig.no_signature");
}

TEST(XmlSigMalformedTest, BadEncodingsAreRefused) {
  for (std::string_view bad : {
           std::string_view("<r>\xC3\x28</r>"),          // a broken two-byte sequence
           std::string_view("<r>\xC0\xAF</r>"),          // an overlong '/'
           std::string_view("<r>\xED\xA0\x80</r>"),      // a UTF-16 surrogate
           std::string_view("<r>\xF4\x90\x80\x80</r>"),  // beyond U+10FFFF
           std::string_view("<r>\xFF\xFE</r>"),          //
           std::string_view("<?xml version=\"1.0\" encoding=\"x-khong-co\"?><r/>"),
           std::string_view("<r>a\x01</r>"),  // a control character
       }) {
    ExpectRefused(bad, "xmlsig.malformed");
  }
  // UTF-16 is XML all the same: it verifies (here: holds no signature) but is not signed.
  const std::string utf16("\xFF\xFE<\0r\0/\0>\0", 10);
  auto v = Verify(utf16);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().reason, "xmlsig.no_signature");
  auto s = SignEnveloped(utf16, Keys().ec.key_der, Keys().ec.cert_der, Keys().chain);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().reason, "xmlsig.encoding_unsupported");
}

TEST(XmlSigMalformedTest, TooLargeIsRefusedBeforeParsing) {
  std::string huge = "<r>";
  huge.append(kMaxDocumentBytes, 'x');
  huge += "</r>";
  auto v = Verify(huge);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(v.error().reason, "xmlsig.too_large");
}

TEST(XmlSigMalformedTest, XIncludeIsNeverProcessed) {
  constexpr std::string_view kInclude =
      "<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"file:///etc/passwd\" "
      "parse=\"text\"/></r>";
  auto signed_xml = SignEnveloped(kInclude, Keys().ec.key_der, Keys().ec.cert_der, Keys().chain);
  ASSERT_TRUE(signed_xml.ok()) << signed_xml.error().message_en;
  EXPECT_EQ(signed_xml->find("root:"), std::string::npos);
  EXPECT_NE(signed_xml->find("<xi:include href=\"file:///etc/passwd\""), std::string::npos);
  auto v = Verify(*signed_xml);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->at(0).integrity_ok);
}

TEST(XmlSigMalformedTest, BrokenSignatureElementsAreReportsNotErrors) {
  constexpr std::string_view kNs = "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"";
  for (const std::string& body : {
           std::string("<ds:Signature ") + std::string(kNs) + "/>",
           std::string("<ds:Signature ") + std::string(kNs) +
               "><ds:SignedInfo/><ds:SignatureValue/></ds:Signature>",
           std::string("<ds:Signature ") + std::string(kNs) +
               "><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/"
               "10/xml-exc-c14n#\"/><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/"
               "xmldsig-more#rsa-sha256\"/></ds:SignedInfo><ds:SignatureValue/></ds:Signature>",
       }) {
    auto v = Verify("<r>" + body + "</r>");
    ASSERT_TRUE(v.ok()) << body;
    ASSERT_EQ(v->size(), 1u);
    EXPECT_FALSE(v->at(0).integrity_ok);
    EXPECT_EQ(v->at(0).problem, "structure") << body;
  }
  // A certificate that is not one.
  auto signed_xml = SignEnveloped(kSmall, Keys().ec.key_der, Keys().ec.cert_der, Keys().chain);
  ASSERT_TRUE(signed_xml.ok());
  std::string bad_cert = *signed_xml;
  const std::size_t at = bad_cert.find("<ds:X509Certificate>") + 21;
  bad_cert.replace(at, 8, "AAAAAAAA");
  auto v = Verify(bad_cert);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->at(0).problem, "certificate");
  // More signatures than anyone needs.
  std::string many = "<r>";
  for (int i = 0; i <= kMaxSignatures; ++i) {
    many += "<ds:Signature " + std::string(kNs) + "/>";
  }
  many += "</r>";
  auto refused = Verify(many);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "xmlsig.too_many_signatures");
}

}  // namespace
}  // namespace tinhso::xmlsig
