// The demo's SMTP stand-in, spoken to by our own SMTP client: what it keeps reads back as sent
// (RFC 2047 subject, quoted-printable body), a ".invalid" recipient is refused at RCPT and the
// outbox marks that message bounced; the demo mailbox page lists everything newest first,
// escaped.
#include "notify/mailbox.hpp"

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "fixture.hpp"
#include "notify/email.hpp"

namespace tinhso::notify::test {
namespace {

class MailboxTest : public OutboxFixture {};

TEST_P(MailboxTest, TheStandInKeepsMailAndRefusesInvalidDomains) {
  auto server = DemoSmtpServer::Start();
  ASSERT_TRUE(server.ok()) << server.error().message_en;
  core::FakeClock clock(At(kStart));
  SmtpSender sender((*server)->Config(), clock);

  Recipient lan = Citizen();
  lan.phone.clear();
  const std::vector<Message> first = MustEnqueue(Accepted("dossier-7-event-1"), lan);
  lan.email = "ai-do@khong-co.invalid";
  lan.user_id = 502;
  const std::vector<Message> second = MustEnqueue(Accepted("dossier-8-event-1"), lan);
  ASSERT_EQ(first[0].channel, Channel::kEmail);
  ASSERT_EQ(second[0].channel, Channel::kEmail);
  auto report = outbox().DeliverDue({.email = &sender});
  ASSERT_TRUE(report.ok()) << report.error().message_en;
  EXPECT_EQ(report->sent, 1);
  EXPECT_EQ(report->failed, 1);

  const auto mails = (*server)->Messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_to, std::vector<std::string>{Citizen().email});
  const ReadableMail read = ReadMail(mails[0].raw);
  EXPECT_EQ(read.subject, first[0].subject);
  EXPECT_EQ(read.body, first[0].body + "\n");
  EXPECT_EQ(read.message_id, "<" + StableId(first[0].id) + "@localhost>");

  auto refused = outbox().Get(second[0].id);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, Status::kBounced);
  EXPECT_NE(refused->last_error.find("550 5.1.1"), std::string::npos) << refused->last_error;

  std::vector<DemoMailboxItem> items = {
      {std::chrono::system_clock::time_point(std::chrono::seconds(kStart)), false, "a@b.vn",
       "Cũ <b>", "thân thư", "<m1>"},
      {std::chrono::system_clock::time_point(std::chrono::seconds(kStart + 60)), true, "0912345678",
       "", "Mới nhất", "SMS1"}};
  const std::string page = DemoMailboxPage(items);
  EXPECT_LT(page.find("Mới nhất"), page.find("Cũ &lt;b&gt;")) << "newest first";
  EXPECT_EQ(page.find("<b>"), std::string::npos) << "escaped";
}

TINHSO_INSTANTIATE_BACKENDS(MailboxTest);

}  // namespace
}  // namespace tinhso::notify::test
