// The dossiers' events as notifications (app/notifications.cpp, through
// dossiers::EventListener), and the notification routes, on both backends.
#include "app/notifications.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fixture.hpp"
#include "http/contract.hpp"
#include "notify/email.hpp"
#include "notify/notify.hpp"

namespace tinhso::dossiers::test {
namespace {

namespace bj = boost::json;

constexpr std::string_view kSecret = "bi-mat-chung-cua-cong-sms";

// Hands every message to the gateway, which answers with its own id.
class GatewaySender final : public notify::Sender {
 public:
  Result<std::string> Send(const notify::Message& m) override {
    return "SMS" + std::to_string(1000 + m.id);
  }
};

class DossierNotificationTest : public DossierTest {
 protected:
  app::Config MakeConfig() const override {
    app::Config c;
    c.receipt_secret = std::string(kSecret);
    return c;
  }
  // A receipt route called as the gateway or the mail server would: the body signed (or not).
  Result<http::Response> PostReceipt(const http::test::Contract& contract, std::string path,
                                     std::string body, std::string signature) {
    http::Request r;
    r.method = http::Method::kPost;
    r.path = std::move(path);
    r.body = std::move(body);
    r.headers = {{"x-tinhso-signature", std::move(signature)}};
    auto answer = http::test::Invoke(app_->router(), r, core::Actor{});
    EXPECT_EQ(contract.Check(r, answer), "");
    return answer;
  }
  void DeliverAll() {
    GatewaySender gateway;
    auto report = app_->outbox().DeliverDue({.email = &gateway, .sms = &gateway});
    ASSERT_TRUE(report.ok()) << report.error().message_en;
  }
  std::vector<notify::Message> Messages(std::int64_t dossier_id) {
    auto ms = app_->outbox().ListForDossier(dossier_id);
    EXPECT_TRUE(ms.ok());
    return ms.ok() ? *ms : std::vector<notify::Message>{};
  }
  static std::vector<std::string> Keys(const std::vector<notify::Message>& ms) {
    std::vector<std::string> out;
    for (const auto& m : ms) {
      out.push_back(m.template_key + "/" + std::string(notify::ChannelName(m.channel)));
    }
    return out;
  }
};

TEST_P(DossierNotificationTest, SubmissionAndAcceptanceTellTheApplicantInTheirTransactions) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  // The applicant has a phone and an account (no e-mail): an SMS and an in-app message.
  EXPECT_EQ(Keys(Messages(d->id)),
            (std::vector<std::string>{"submission_received/sms", "submission_received/inapp"}));
  const auto reception = Officer(commune_, {"reception"}, 11);
  auto accepted = svc.Transition(d->id, Act("accept", d->version), reception);
  ASSERT_TRUE(accepted.ok()) << accepted.error().message_en;
  const auto ms = Messages(d->id);
  ASSERT_EQ(ms.size(), 4u);
  EXPECT_EQ(ms[2].template_key, "accepted");
  EXPECT_EQ(ms[2].address, "0912345678");
  EXPECT_EQ(ms[2].body, "Hồ sơ " + accepted->code + " đã được tiếp nhận. Hẹn trả kết quả ngày " +
                            core::FormatVietnamDateTime(*accepted->due_at) + ".");
  EXPECT_EQ(ms[3].recipient_user_id, 500);
  EXPECT_EQ(ms[3].status, notify::Status::kDelivered);

  // A transition that fails leaves no message behind.
  auto stale = svc.Transition(d->id, Act("reject", d->version), reception);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(Messages(d->id).size(), 4u);
}

// The reference and the link in the submission's message find the dossier in the public lookup
// before it has its code (before, "#<id>" and a bare lookup page found nothing).
TEST_P(DossierNotificationTest, TheSubmissionMessageCarriesWhatTheLookupTakes) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  const auto ms = Messages(d->id);
  ASSERT_FALSE(ms.empty());
  const std::string reference = Reference(d->id);
  EXPECT_NE(ms[0].body.find("Mã tra cứu: " + reference), std::string::npos) << ms[0].body;
  EXPECT_NE(ms[0].body.find("?ma=" + reference + "&k=" + d->lookup_secret), std::string::npos)
      << ms[0].body;
  EXPECT_TRUE(svc.Lookup(reference, d->lookup_secret, "203.0.113.7").ok());
}

// A dossier read from its row carries the procedure's code only: the notifier names the
// procedure from the catalog ("Đã nhận hồ sơ ." and 'hồ sơ ""' were sent without it).
TEST_P(DossierNotificationTest, TheSubmissionReceivedNamesTheProcedure) {
  auto d = app_->dossiers().Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(d.ok()) << d.error().message_en;
  const auto ms = Messages(d->id);
  ASSERT_FALSE(ms.empty());
  for (const auto& m : ms) {
    EXPECT_NE(m.body.find("Đăng ký khai sinh"), std::string::npos) << m.body;
  }
}

TEST_P(DossierNotificationTest, ARejectionSaysWhy) {
  auto& svc = app_->dossiers();
  auto d = svc.Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(d.ok());
  auto t = Act("reject", d->version);
  t.items = {"Giấy chứng sinh không phải bản chính"};
  ASSERT_TRUE(svc.Transition(d->id, t, Officer(commune_, {"reception"}, 11)).ok());
  const auto ms = Messages(d->id);
  ASSERT_EQ(ms.size(), 4u);
  EXPECT_EQ(ms[2].template_key, "rejected");
  // Refused at reception, it has no code: the message names its reference (it said "Hồ sơ  ").
  EXPECT_EQ(ms[2].body, "Hồ sơ " + Reference(d->id) +
                            " không được giải quyết. Lý do: Giấy chứng sinh không phải bản chính");
}

TEST_P(DossierNotificationTest, TheRoutesServeApplicantsOfficersAndAdministrators) {
  const http::test::Contract contract(app_->router());
  auto& svc = app_->dossiers();
  auto d = svc.Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(d.ok());

  // The applicant's own list.
  auto mine = contract.Call(http::Method::kGet, "/api/v1/notifications", "", {}, Citizen());
  ASSERT_TRUE(mine.ok()) << mine.error().message_en;
  auto items = bj::parse(mine->body).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("template_key").as_string(), "submission_received");
  const std::int64_t id = items[0].at("id").as_int64();
  auto read =
      contract.Call(http::Method::kPost, "/api/v1/notifications/" + std::to_string(id) + "/read",
                    "", {}, Citizen());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status, 204);

  // An officer of the agency sees the dossier's messages with their status; another agency's
  // does not.
  const std::string path = "/api/v1/dossiers/" + std::to_string(d->id) + "/notifications";
  auto seen = contract.Call(http::Method::kGet, path, "", {}, Officer(commune_, {"reception"}, 11));
  ASSERT_TRUE(seen.ok()) << seen.error().message_en;
  items = bj::parse(seen->body).at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("status").as_string(), "queued");
  auto other =
      contract.Call(http::Method::kGet, path, "", {}, Officer(other_commune_, {"reception"}, 12));
  EXPECT_FALSE(other.ok());

  // The administrator's templates: list, edit with a preview of the SMS segments, reset.
  core::Actor admin = core::SystemActor();
  auto list = contract.Call(http::Method::kGet, "/api/v1/notification-templates", "", {}, admin);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(bj::parse(list->body).at("items").as_array().size(),
            notify::EventKinds().size() * 3 * 2);
  auto preview = contract.Call(http::Method::kPost, "/api/v1/notification-templates/preview",
                               R"({"event_key":"accepted","channel":"sms","language":"vi",
          "body":"Hồ sơ {{code}} đã được tiếp nhận, hẹn trả ngày {{appointment_date}}."})",
                               {}, admin);
  ASSERT_TRUE(preview.ok()) << preview.error().message_en;
  const auto p = bj::parse(preview->body).as_object();
  EXPECT_EQ(p.at("body").as_string(),
            "Hồ sơ H55.60.01-260310-0001 đã được tiếp nhận, hẹn trả ngày 24/03/2026 17:00.");
  EXPECT_EQ(p.at("sms").at("encoding").as_string(), "ucs2");
  EXPECT_EQ(p.at("sms").at("segments").as_int64(), 2);
  EXPECT_EQ(p.at("sms_unaccented").at("encoding").as_string(), "gsm7");
  EXPECT_EQ(p.at("sms_unaccented").at("segments").as_int64(), 1);
  auto bad = contract.Call(http::Method::kPost, "/api/v1/notification-templates/preview",
                           R"({"event_key":"accepted","channel":"sms","language":"vi",
                               "body":"Hồ sơ {{ma_ho_so}}"})",
                           {}, admin);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason, "notify.unknown_placeholder");
  auto saved = contract.Call(http::Method::kPut, "/api/v1/notification-templates/accepted/sms/vi",
                             R"({"body":"Hồ sơ {{code}}: hẹn {{appointment_date}}."})", {}, admin);
  ASSERT_TRUE(saved.ok()) << saved.error().message_en;
  EXPECT_TRUE(bj::parse(saved->body).at("customised").as_bool());
  auto reset = contract.Call(http::Method::kDelete,
                             "/api/v1/notification-templates/accepted/sms/vi", "", {}, admin);
  ASSERT_TRUE(reset.ok());
  EXPECT_FALSE(bj::parse(reset->body).at("customised").as_bool());
}

TINHSO_INSTANTIATE_BACKENDS(DossierNotificationTest);

// The SMS gateway's receipt, signed with the shared secret, marks the message delivered; an
// unsigned or wrongly signed one changes nothing; a receipt for no message of ours is 404.
TEST_P(DossierNotificationTest, ASignedSmsReceiptMarksTheMessageDelivered) {
  const http::test::Contract contract(app_->router());
  auto d = app_->dossiers().Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(d.ok());
  DeliverAll();
  notify::Message sms = Messages(d->id)[0];
  ASSERT_EQ(sms.channel, notify::Channel::kSms);
  ASSERT_EQ(sms.status, notify::Status::kSent);
  const std::string path = "/api/v1/notification-receipts/sms";
  const std::string body = R"({"message_id":")" + sms.provider_id + R"(","client_ref":")" +
                           notify::StableId(sms.id) + R"(","status":"delivered","detail":""})";

  auto unsigned_ = PostReceipt(contract, path, body, "");
  ASSERT_FALSE(unsigned_.ok());
  EXPECT_EQ(unsigned_.error().reason, "notify.bad_signature");
  auto forged = PostReceipt(contract, path, body, notify::ReceiptSignature("doan-mo", body));
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(Messages(d->id)[0].status, notify::Status::kSent);

  auto taken = PostReceipt(contract, path, body, notify::ReceiptSignature(kSecret, body));
  ASSERT_TRUE(taken.ok()) << taken.error().message_en;
  EXPECT_EQ(taken->status, 204);
  sms = Messages(d->id)[0];
  EXPECT_EQ(sms.status, notify::Status::kDelivered);
  EXPECT_EQ(sms.delivered_at, clock_.Now());

  const std::string unknown = R"({"message_id":"SMS-khong-co","status":"failed"})";
  auto missing = PostReceipt(contract, path, unknown, notify::ReceiptSignature(kSecret, unknown));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

// A bounce as the mail system writes it (RFC 3464, Postfix's wording) for an e-mail we sent
// marks it bounced, with the status and diagnostic; a "delayed" report changes nothing yet.
TEST_P(DossierNotificationTest, ABounceReportMarksTheEmailBounced) {
  const http::test::Contract contract(app_->router());
  SubmitInput in = BirthRegistration();
  in.applicant.email = "khong-ton-tai@example.vn";
  auto d = app_->dossiers().Submit(in, Citizen());
  ASSERT_TRUE(d.ok());
  DeliverAll();
  const notify::Message email = Messages(d->id)[0];
  ASSERT_EQ(email.channel, notify::Channel::kEmail);
  ASSERT_EQ(email.status, notify::Status::kSent);
  const auto dsn = [&](std::string_view action) {
    return "From: MAILER-DAEMON@mail.thainguyen.gov.vn (Mail Delivery System)\r\n"
           "Subject: Undelivered Mail Returned to Sender\r\n"
           "To: thongbao@thainguyen.gov.vn\r\n"
           "Message-Id: <20261207093012.4F1A2@mail.thainguyen.gov.vn>\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: multipart/report; report-type=delivery-status;\r\n"
           "\tboundary=\"4F1A2.1765099812/mail.thainguyen.gov.vn\"\r\n"
           "\r\n"
           "This is a MIME-encapsulated message.\r\n"
           "\r\n"
           "--4F1A2.1765099812/mail.thainguyen.gov.vn\r\n"
           "Content-Description: Notification\r\n"
           "Content-Type: text/plain; charset=us-ascii\r\n"
           "\r\n"
           "I'm sorry to have to inform you that your message could not\r\n"
           "be delivered to one or more recipients.\r\n"
           "\r\n"
           "--4F1A2.1765099812/mail.thainguyen.gov.vn\r\n"
           "Content-Description: Delivery report\r\n"
           "Content-Type: message/delivery-status\r\n"
           "\r\n"
           "Reporting-MTA: dns; mail.thainguyen.gov.vn\r\n"
           "Arrival-Date: Mon,  7 Dec 2026 16:30:11 +0700 (ICT)\r\n"
           "\r\n"
           "Final-Recipient: rfc822; khong-ton-tai@example.vn\r\n"
           "Original-Recipient: rfc822;khong-ton-tai@example.vn\r\n"
           "Action: " +
           std::string(action) +
           "\r\n"
           "Status: 5.1.1\r\n"
           "Remote-MTA: dns; mx.example.vn\r\n"
           "Diagnostic-Code: smtp; 550 5.1.1 <khong-ton-tai@example.vn>: Recipient\r\n"
           "    address rejected: User unknown in virtual mailbox table\r\n"
           "\r\n"
           "--4F1A2.1765099812/mail.thainguyen.gov.vn\r\n"
           "Content-Description: Undelivered Message Headers\r\n"
           "Content-Type: text/rfc822-headers\r\n"
           "\r\n"
           "From: =?UTF-8?Q?C=E1=BB=95ng?= <thongbao@thainguyen.gov.vn>\r\n"
           "To: khong-ton-tai@example.vn\r\n"
           "Message-ID: <" +
           notify::StableId(email.id) +
           "@thainguyen.gov.vn>\r\n"
           "\r\n"
           "--4F1A2.1765099812/mail.thainguyen.gov.vn--\r\n";
  };
  const std::string path = "/api/v1/notification-receipts/email";
  const std::string delayed = dsn("delayed");
  auto later = PostReceipt(contract, path, delayed, notify::ReceiptSignature(kSecret, delayed));
  ASSERT_TRUE(later.ok()) << later.error().message_en;
  EXPECT_EQ(Messages(d->id)[0].status, notify::Status::kSent);

  const std::string failed = dsn("failed");
  auto bounced = PostReceipt(contract, path, failed, notify::ReceiptSignature(kSecret, failed));
  ASSERT_TRUE(bounced.ok()) << bounced.error().message_en << " " << bounced.error().detail;
  const notify::Message now = Messages(d->id)[0];
  EXPECT_EQ(now.status, notify::Status::kBounced);
  EXPECT_EQ(now.last_error,
            "5.1.1 smtp; 550 5.1.1 <khong-ton-tai@example.vn>: Recipient address rejected: User "
            "unknown in virtual mailbox table");

  const std::string other = "Subject: hello\r\n\r\nhi\r\n";
  auto not_dsn = PostReceipt(contract, path, other, notify::ReceiptSignature(kSecret, other));
  ASSERT_FALSE(not_dsn.ok());
  EXPECT_EQ(not_dsn.error().reason, "notify.not_a_dsn");
}

// Preferences per event and channel: what one turns off is kept as suppressed, the rest goes.
TEST_P(DossierNotificationTest, PreferencesChooseChannelsPerEvent) {
  const http::test::Contract contract(app_->router());
  auto got =
      contract.Call(http::Method::kGet, "/api/v1/notification-preferences", "", {}, Citizen());
  ASSERT_TRUE(got.ok()) << got.error().message_en;
  auto items = bj::parse(got->body).at("items").as_array();
  EXPECT_EQ(items.size(), notify::EventKinds().size() * 3);
  for (const auto& i : items) EXPECT_TRUE(i.at("enabled").as_bool());

  auto put = contract.Call(http::Method::kPut, "/api/v1/notification-preferences",
                           R"({"items":[{"event_key":"submission_received","channel":"sms",
                               "enabled":false}]})",
                           {}, Citizen());
  ASSERT_TRUE(put.ok()) << put.error().message_en;
  int off = 0;
  const bj::value answer = bj::parse(put->body);
  for (const auto& i : answer.at("items").as_array()) {
    off += i.at("enabled").as_bool() ? 0 : 1;
  }
  EXPECT_EQ(off, 1);
  auto bad = contract.Call(
      http::Method::kPut, "/api/v1/notification-preferences",
      R"({"items":[{"event_key":"khong_co","channel":"sms","enabled":false}]})", {}, Citizen());
  ASSERT_FALSE(bad.ok());

  auto d = app_->dossiers().Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(d.ok());
  auto ms = Messages(d->id);
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(ms[0].channel, notify::Channel::kSms);
  EXPECT_EQ(ms[0].status, notify::Status::kSuppressed);
  EXPECT_EQ(ms[1].status, notify::Status::kDelivered);  // in-app
  // Another event still goes by SMS.
  auto accepted = app_->dossiers().Transition(d->id, Act("accept", d->version),
                                              Officer(commune_, {"reception"}, 11));
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(Messages(d->id)[2].status, notify::Status::kQueued);
}

// Officers hear of new work in their agency's queue and of dossiers about to be late, once per
// arrival and once per due date, in-app and by e-mail.
TEST_P(DossierNotificationTest, OfficersHearOfNewWorkAndOfDossiersDueSoonOnce) {
  AddUser(core::ActorKind::kOfficer, "motcua.chodon", commune_, {"reception"}, "Hoàng Thu Hà");
  AddUser(core::ActorKind::kOfficer, "motcua.banglang", other_commune_, {"reception"});
  AddUser(core::ActorKind::kOfficer, "tuphap.chodon", commune_, {"officer"}, "Ma Văn Tú");
  auto reception = app_->accounts().FindByLogin("motcua.chodon");
  auto officer = app_->accounts().FindByLogin("tuphap.chodon");
  ASSERT_TRUE(reception.ok() && officer.ok());
  // Arrivals only first (a short procedure is due within days of its acceptance).
  const app::OfficerNotices notices(db(), app_->outbox(), app_->dossiers(), app_->accounts(),
                                    app_->catalog(), app_->calendar().Working(),
                                    {.due_soon_working_days = 0});
  const auto officer_messages = [&](std::int64_t dossier, std::string_view key) {
    std::vector<notify::Message> out;
    for (const auto& m : Messages(dossier)) {
      if (m.template_key == key) out.push_back(m);
    }
    return out;
  };

  auto d = app_->dossiers().Submit(BirthRegistration(), Citizen());
  ASSERT_TRUE(d.ok());
  auto scan = notices.Scan(clock_.Now());
  ASSERT_TRUE(scan.ok()) << scan.error().message_en;
  EXPECT_EQ(scan->arrivals, 1);
  auto arrived = officer_messages(d->id, "officer_new_work");
  ASSERT_EQ(arrived.size(), 1u);  // reception of Chợ Đồn, in-app (the account has no e-mail)
  EXPECT_EQ(arrived[0].recipient_user_id, reception->id);
  EXPECT_EQ(arrived[0].channel, notify::Channel::kInApp);
  EXPECT_NE(arrived[0].body.find("Đăng ký khai sinh"), std::string::npos) << arrived[0].body;
  ASSERT_TRUE(notices.Scan(clock_.Now()).ok());
  EXPECT_EQ(officer_messages(d->id, "officer_new_work").size(), 1u) << "told once";

  // Accepted: the dossier moves to the officers' step of the commune.
  auto accepted = app_->dossiers().Transition(d->id, Act("accept", d->version),
                                              Officer(commune_, {"reception"}, reception->id));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message_en;
  ASSERT_TRUE(notices.Scan(clock_.Now()).ok());
  arrived = officer_messages(d->id, "officer_new_work");
  ASSERT_EQ(arrived.size(), 2u);
  EXPECT_EQ(arrived[1].recipient_user_id, officer->id);
  EXPECT_TRUE(officer_messages(d->id, "officer_due_soon").empty());

  // Two working days before the appointment: due soon, told once.
  ASSERT_TRUE(accepted->due_at.has_value());
  const app::OfficerNotices due_soon(db(), app_->outbox(), app_->dossiers(), app_->accounts(),
                                     app_->catalog(), app_->calendar().Working(),
                                     {.due_soon_working_days = 2});
  const auto& cal = app_->calendar().Working();
  clock_.Set(cal.EndOfWorkingDay(cal.AddWorkingDays(cal.LocalDate(*accepted->due_at), -3)) +
             std::chrono::hours(1));
  scan = due_soon.Scan(clock_.Now());
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->due_soon, 0) << "three working days before: not yet";
  clock_.Set(cal.EndOfWorkingDay(cal.AddWorkingDays(cal.LocalDate(*accepted->due_at), -2)) -
             std::chrono::hours(1));
  scan = due_soon.Scan(clock_.Now());
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->due_soon, 1);
  auto due = officer_messages(d->id, "officer_due_soon");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].recipient_user_id, officer->id);
  EXPECT_NE(due[0].body.find(core::FormatVietnamDateTime(*accepted->due_at)), std::string::npos);
  ASSERT_TRUE(due_soon.Scan(clock_.Now()).ok());
  EXPECT_EQ(officer_messages(d->id, "officer_due_soon").size(), 1u) << "once per due date";
}

// An upstream alert of the gateway reaches the administrators (in-app, e-mail, SMS to their
// accounts' addresses) and nobody else, once per alert raised.
TEST_P(DossierNotificationTest, TheGatewaysAlertsReachTheAdministratorsOnce) {
  auth::NewUser admin;
  admin.kind = core::ActorKind::kAdmin;
  admin.login = "quantri.lgsp";
  admin.full_name = "Lục Văn Quang";
  admin.email = "quang@stttt.backan.gov.vn";
  admin.phone = "0912000111";
  admin.roles = {"admin"};
  admin.password = "mat-khau-du-dai";
  auto created = app_->accounts().Create(admin, core::SystemActor());
  ASSERT_TRUE(created.ok()) << created.error().message_en;
  AddUser(core::ActorKind::kOfficer, "motcua.chodon", commune_, {"reception"});
  auto officer = app_->accounts().FindByLogin("motcua.chodon");
  ASSERT_TRUE(officer.ok());

  const std::vector<gateway::Alert> raised = {{.service = "csdl-dancu",
                                               .kind = "error_rate",
                                               .value = 0.125,
                                               .threshold = 0.05,
                                               .calls = 240,
                                               .since_ms = 1'763'900'000'000},
                                              {.service = "hotich",
                                               .kind = "latency",
                                               .value = 2000,
                                               .threshold = 1000,
                                               .calls = 80,
                                               .since_ms = 1'763'900'000'000}};
  auto told = app::TellAdministrators(db(), app_->outbox(), app_->accounts(), raised);
  ASSERT_TRUE(told.ok()) << told.error().message_en;
  EXPECT_EQ(*told, 6) << "two alerts, three channels each";

  auto inapp = app_->outbox().ListInApp(created->id);
  ASSERT_TRUE(inapp.ok());
  ASSERT_EQ(inapp->size(), 2u);
  std::string bodies;
  for (const auto& m : *inapp) bodies += m.subject + "\n" + m.body + "\n";
  // In-app: the e-mail's subject and the SMS's text, in the account's language (Vietnamese).
  EXPECT_NE(bodies.find("dịch vụ csdl-dancu lỗi 13 % lời gọi (ngưỡng 5 %)"), std::string::npos)
      << bodies;
  EXPECT_NE(bodies.find("hotich trả lời chậm, p95 2000 ms (ngưỡng 1000 ms)"), std::string::npos)
      << bodies;
  auto officer_inapp = app_->outbox().ListInApp(officer->id);
  ASSERT_TRUE(officer_inapp.ok());
  EXPECT_TRUE(officer_inapp->empty()) << "an officer without the admin role hears nothing";

  // The same alerts again (another process judged the same window): nobody is told twice.
  ASSERT_TRUE(app::TellAdministrators(db(), app_->outbox(), app_->accounts(), raised).ok());
  EXPECT_EQ(app_->outbox().ListInApp(created->id)->size(), 2u);
  // A later occurrence of the same alert is news again.
  auto later = raised;
  later.resize(1);
  later[0].since_ms += 3'600'000;
  ASSERT_TRUE(app::TellAdministrators(db(), app_->outbox(), app_->accounts(), later).ok());
  EXPECT_EQ(app_->outbox().ListInApp(created->id)->size(), 3u);
}

}  // namespace
}  // namespace tinhso::dossiers::test
