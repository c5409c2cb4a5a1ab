// E-mail against a real SMTP server on loopback (aiosmtpd, tests/support/smtp_sink.py): STARTTLS
// with certificate checks, AUTH, dot-stuffing, MIME UTF-8 as Python's own parser decodes it, and
// DKIM signatures as dkimpy verifies them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "notify/email.hpp"
#include "notify/fixture.hpp"
#include "notify/smtp_sink.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace tinhso::notify {
namespace {

using test::SmtpSink;
using test::Str;
namespace fs = std::filesystem;

constexpr std::string_view kSubject = "Hồ sơ H55.60.01-260310-0001 đã được tiếp nhận";
constexpr std::string_view kBody =
    "Kính gửi bà Nguyễn Thị Hoa,\n\nHồ sơ \"Đăng ký khai sinh\" đã được tiếp nhận.\n"
    "Ngày hẹn trả kết quả: 24/03/2026.\n\nTrân trọng.";

// A server certificate for 127.0.0.1 and a DKIM key, made once for the suite.
struct Keys {
  fs::path dir;
  std::string cert, key, dkim_pem, dkim_public_b64;
};

const Keys& TestKeys() {
  static const Keys keys = [] {
    Keys k;
    k.dir = tinhso::test::TempDir();
    k.cert = (k.dir / "cert.pem").string();
    k.key = (k.dir / "key.pem").string();
    auto made = tinhso::test::Shell(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + k.key +
        " -out " + k.cert + " -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1");
    if (made.exit_code != 0) throw std::runtime_error(made.out);
    const fs::path dkim = k.dir / "dkim.pem";
    made = tinhso::test::Shell(
        "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " + dkim.string());
    if (made.exit_code != 0) throw std::runtime_error(made.out);
    k.dkim_pem = tinhso::test::ReadFile(dkim);
    made = tinhso::test::Shell("openssl pkey -in " + dkim.string() +
                               " -pubout -outform DER | base64 -w0");
    if (made.exit_code != 0) throw std::runtime_error(made.out);
    k.dkim_public_b64 = made.out;
    return k;
  }();
  return keys;
}

// RFC 5322 §2.1.1: lines of at most 78 characters.
void ExpectShortLines(std::string_view head) {
  std::size_t start = 0;
  while (start < head.size()) {
    std::size_t end = head.find("\r\n", start);
    if (end == std::string::npos) end = head.size();
    EXPECT_LE(end - start, 78u) << head.substr(start, end - start);
    start = end + 2;
  }
}

class SmtpTest : public ::testing::Test {
 protected:
  std::unique_ptr<SmtpSink> StartSink(std::vector<std::string> args) {
    return std::make_unique<SmtpSink>(dir_ / ("sink" + std::to_string(++sinks_)), std::move(args));
  }
  std::vector<std::string> TlsArgs() {
    return {"--tls-cert", TestKeys().cert, "--tls-key", TestKeys().key, "--require-tls"};
  }
  SmtpConfig Config(const SmtpSink& sink) {
    SmtpConfig c;
    c.host = "127.0.0.1";
    c.port = sink.port();
    c.ca_file = TestKeys().cert;
    c.from_address = "thongbao@tinhso.test";
    c.from_name = "Cổng dịch vụ công tỉnh Thái Nguyên";
    c.helo_name = "tinhso.test";
    c.message_id_host = "tinhso.test";
    return c;
  }
  static MailMessage Mail() {
    MailMessage m;
    m.to = "hoa.nguyen@example.vn";
    m.subject = std::string(kSubject);
    m.body = std::string(kBody);
    m.message_id = "notification-7@tinhso.test";
    m.date = core::Seconds(std::chrono::seconds(1773108000));
    return m;
  }

  fs::path dir_ = tinhso::test::TempDir();
  int sinks_ = 0;
};

TEST_F(SmtpTest, DeliversOverStartTlsAndTheServerDecodesVietnamese) {
  auto sink = StartSink(TlsArgs());
  auto sent = SendMail(Config(*sink), Mail());
  ASSERT_TRUE(sent.ok()) << sent.error().reason << " " << sent.error().detail;
  EXPECT_EQ(*sent, "250 2.0.0 Ok: queued as SINK0001");
  ASSERT_TRUE(sink->WaitFor("MESSAGE 1"));
  auto ms = sink->Messages();
  ASSERT_EQ(ms.size(), 1u);
  const auto& m = ms[0];
  EXPECT_TRUE(m.at("tls").as_bool());
  EXPECT_EQ(Str(m, "mail_from"), "thongbao@tinhso.test");
  EXPECT_EQ(Str(m, "subject"), kSubject);
  EXPECT_EQ(Str(m, "body"), std::string(kBody) + "\n");
  EXPECT_EQ(Str(m, "message_id"), "<notification-7@tinhso.test>");
  EXPECT_EQ(Str(m, "from"), "Cổng dịch vụ công tỉnh Thái Nguyên <thongbao@tinhso.test>");
  EXPECT_EQ(Str(m, "content_type"), "text/plain");
  EXPECT_EQ(Str(m, "charset"), "utf-8");
  EXPECT_EQ(Str(m, "transfer_encoding"), "quoted-printable");
  // 09:00 in Vietnam, said as such.
  EXPECT_EQ(Str(m, "date"), "Tue, 10 Mar 2026 09:00:00 +0700");
  // On the wire the subject is RFC 2047 encoded-words, folded, every line short.
  const std::string head = Str(m, "raw_head");
  EXPECT_NE(head.find("Subject: =?UTF-8?B?"), std::string::npos);
  ExpectShortLines(head);
}

TEST_F(SmtpTest, Base64BodiesDecodeTheSame) {
  auto sink = StartSink(TlsArgs());
  SmtpConfig c = Config(*sink);
  c.body_encoding = SmtpConfig::BodyEncoding::kBase64;
  ASSERT_TRUE(SendMail(c, Mail()).ok());
  ASSERT_TRUE(sink->WaitFor("MESSAGE 1"));
  const auto m = sink->Messages().at(0);
  EXPECT_EQ(Str(m, "transfer_encoding"), "base64");
  EXPECT_EQ(Str(m, "body"), kBody);
}

TEST_F(SmtpTest, LinesStartingWithADotArriveIntact) {
  auto sink = StartSink(TlsArgs());
  MailMessage mail = Mail();
  mail.body = ".\n..\n. Dòng bắt đầu bằng dấu chấm\n.\nHết.";
  ASSERT_TRUE(SendMail(Config(*sink), mail).ok());
  ASSERT_TRUE(sink->WaitFor("MESSAGE 1"));
  EXPECT_EQ(Str(sink->Messages().at(0), "body"), mail.body + "\n");
}

TEST_F(SmtpTest, AnUntrustedCertificateIsRefused) {
  auto sink = StartSink(TlsArgs());
  SmtpConfig c = Config(*sink);
  c.ca_file.clear();  // the system store does not know the test certificate
  auto sent = SendMail(c, Mail());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().reason, "notify.smtp_tls");
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(sink->Messages().empty());
}

TEST_F(SmtpTest, ACertificateForAnotherHostIsRefused) {
  auto sink = StartSink(TlsArgs());
  SmtpConfig c = Config(*sink);
  c.host = "localhost";  // the certificate names 127.0.0.1 only
  auto sent = SendMail(c, Mail());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().reason, "notify.smtp_tls");
}

TEST_F(SmtpTest, NoMailInClearWhenTheServerLacksStartTls) {
  auto sink = StartSink({});
  auto sent = SendMail(Config(*sink), Mail());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().reason, "notify.smtp_no_starttls");
  SmtpConfig plain = Config(*sink);
  plain.starttls = false;  // explicitly allowed (a relay on the same machine)
  ASSERT_TRUE(SendMail(plain, Mail()).ok());
  ASSERT_TRUE(sink->WaitFor("MESSAGE 1"));
  EXPECT_FALSE(sink->Messages().at(0).at("tls").as_bool());
}

TEST_F(SmtpTest, SkippingCertificateChecksIsForLoopbackOnly) {
  auto sink = StartSink(TlsArgs());
  SmtpConfig c = Config(*sink);
  c.ca_file.clear();
  c.insecure_skip_verify = true;
  ASSERT_TRUE(SendMail(c, Mail()).ok());
  c.host = "192.0.2.25";  // TEST-NET-1: refused before any connection
  auto sent = SendMail(c, Mail());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().reason, "notify.smtp_insecure");
}

TEST_F(SmtpTest, AuthenticatesWhenConfigured) {
  auto args = TlsArgs();
  args.insert(args.end(), {"--auth", "tinhso:mat-khau-smtp"});
  auto sink = StartSink(args);
  SmtpConfig c = Config(*sink);
  c.username = "tinhso";
  c.password = "sai";
  auto refused = SendMail(c, Mail());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, "notify.smtp_auth");
  c.password = "mat-khau-smtp";
  ASSERT_TRUE(SendMail(c, Mail()).ok());
  ASSERT_TRUE(sink->WaitFor("MESSAGE 1"));
  EXPECT_TRUE(sink->Messages().at(0).at("authenticated").as_bool());
}

TEST_F(SmtpTest, ARefusedRecipientIsABounce) {
  auto args = TlsArgs();
  args.insert(args.end(), {"--reject", "khong-co@example.vn"});
  auto sink = StartSink(args);
  MailMessage m = Mail();
  m.to = "khong-co@example.vn";
  auto sent = SendMail(Config(*sink), m);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(sent.error().reason, "notify.bounced");
  EXPECT_NE(sent.error().detail.find("550"), std::string::npos);
}

TEST_F(SmtpTest, AServerThatNeverAnswersTimesOut) {
  auto args = TlsArgs();
  args.insert(args.end(), {"--hold-before", "1"});
  auto sink = StartSink(args);
  SmtpConfig c = Config(*sink);
  c.timeout = std::chrono::milliseconds(500);
  auto sent = SendMail(c, Mail());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(sent.error().reason, "notify.smtp_timeout");
}

TEST_F(SmtpTest, DkimSignaturesVerifyAndBreakWhenTheMessageChanges) {
  auto sink = StartSink(TlsArgs());
  SmtpConfig c = Config(*sink);
  c.dkim_domain = "tinhso.test";
  c.dkim_selector = "thongbao2026";
  c.dkim_private_key_pem = TestKeys().dkim_pem;
  ASSERT_TRUE(SendMail(c, Mail()).ok());
  ASSERT_TRUE(sink->WaitFor("MESSAGE 1"));
  const std::string path = Str(sink->Messages().at(0), "path");
  const std::string verify = (test::SourceDir() / "tests/support/dkim_verify.py").string() + " ";
  auto checked = tinhso::test::Shell("/usr/bin/python3 " + verify + path +
                                     " thongbao2026 tinhso.test " + TestKeys().dkim_public_b64);
  EXPECT_EQ(checked.exit_code, 0) << checked.out;
  EXPECT_EQ(checked.out, "pass\n");
  EXPECT_NE(Str(sink->Messages().at(0), "raw_head").find("c=relaxed/relaxed"), std::string::npos);
  ExpectShortLines(Str(sink->Messages().at(0), "raw_head"));

  // One changed letter of the body, and the signature no longer holds.
  std::string raw = tinhso::test::ReadFile(path);
  const auto at = raw.find("24/03/2026");
  ASSERT_NE(at, std::string::npos);
  raw[at] = '2';
  raw[at + 1] = '5';
  const fs::path tampered = dir_ / "tampered.eml";
  tinhso::test::WriteFile(tampered, raw);
  checked = tinhso::test::Shell("/usr/bin/python3 " + verify + tampered.string() +
                                " thongbao2026 tinhso.test " + TestKeys().dkim_public_b64);
  EXPECT_EQ(checked.out, "fail\n");
}

// ---- Through the outbox -----------------------------------------------------------------------

class SmtpOutboxTest : public test::OutboxFixture {};

TEST_P(SmtpOutboxTest, TheOutboxDeliversWithAStableMessageId) {
  const fs::path dir = tinhso::test::TempDir();
  SmtpSink sink(dir / "sink",
                {"--tls-cert", TestKeys().cert, "--tls-key", TestKeys().key, "--require-tls"});
  SmtpConfig c;
  c.port = sink.port();
  c.ca_file = TestKeys().cert;
  c.from_address = "thongbao@tinhso.test";
  c.message_id_host = "tinhso.test";
  SmtpSender email(c, clock_);
  Recipient r;
  r.email = "hoa.nguyen@example.vn";
  const std::int64_t id = MustEnqueue(Accepted(), r).at(0).id;
  auto report = outbox().DeliverDue({&email, nullptr});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->sent, 1);
  ASSERT_TRUE(sink.WaitFor("MESSAGE 1"));
  const auto m = sink.Messages().at(0);
  EXPECT_EQ(Str(m, "message_id"), "<notification-" + std::to_string(id) + "@tinhso.test>");
  EXPECT_EQ(Str(m, "subject"), "Hồ sơ H55.60.01-260310-0001 đã được tiếp nhận");
  const Message stored = *outbox().Get(id);
  EXPECT_EQ(stored.status, Status::kSent);
  EXPECT_EQ(stored.provider_id, "250 2.0.0 Ok: queued as SINK0001");
}

TINHSO_INSTANTIATE_BACKENDS(SmtpOutboxTest);

}  // namespace
}  // namespace tinhso::notify
