// The dossiers' events as notifications (app/notifications.cpp, through
// dossiers::EventListener), and the notification routes, on both backends.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fixture.hpp"
#include "http/contract.hpp"
#include "notify/notify.hpp"

namespace tinhso::dossiers::test {
namespace {

namespace bj = boost::json;

class DossierNotificationTest : public DossierTest {
 protected:
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
  EXPECT_EQ(ms[2].body,
            "Hồ sơ  không được giải quyết. Lý do: Giấy chứng sinh không phải bản chính");
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

}  // namespace
}  // namespace tinhso::dossiers::test
