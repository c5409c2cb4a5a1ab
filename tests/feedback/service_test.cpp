// Feedback (phản ánh, kiến nghị) on both backends: stored with its audit entry, refused with a
// message naming what is missing, limited per address and hour, read by officers only.
#include <gtest/gtest.h>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "core/parse.hpp"
#include "feedback/feedback.hpp"
#include "support/actors.hpp"
#include "support/database.hpp"

namespace tinhso::feedback {
namespace {

using test::Person;

Input Suggestion(std::string subject) {
  return {.kind = Kind::kSuggestion,
          .name = "  Nguyễn Thị Lan ",
          .contact = "lan.nguyen@example.vn",
          .subject = std::move(subject),
          .content = "Đề nghị mở cửa bộ phận một cửa sáng thứ Bảy.",
          .dossier_ref = "HS000012"};
}

class FeedbackTest : public test::BackendTest {
 protected:
  core::FakeClock clock_{*core::ParseTimestamp("2026-11-23T09:00:00+07:00")};
  auth::Policy policy_;
};

TEST_P(FeedbackTest, StoredAuditedAndReadByOfficers) {
  Service svc(db(), clock_, policy_);
  auto sent = svc.Send(Suggestion("Giờ tiếp nhận"), core::Actor{}, "203.0.113.7");
  ASSERT_TRUE(sent.ok()) << sent.error().message_en;
  EXPECT_EQ(sent->name, "Nguyễn Thị Lan");
  clock_.Advance(std::chrono::minutes(1));
  auto second = svc.Send(Suggestion("Phí bản sao"), Person("citizen", 8), "203.0.113.8");
  ASSERT_TRUE(second.ok());

  auto page = svc.List(10, 0, Person("reception", 6));
  ASSERT_TRUE(page.ok()) << page.error().message_en;
  ASSERT_EQ(page->total, 2);
  EXPECT_EQ(page->items[0].subject, "Phí bản sao");  // newest first
  EXPECT_EQ(page->items[0].user_id, 8);
  EXPECT_EQ(page->items[1].kind, Kind::kSuggestion);
  EXPECT_EQ(page->items[1].dossier_ref, "HS000012");
  EXPECT_EQ(page->items[1].user_id, 0);
  EXPECT_EQ(svc.List(10, 0, Person("citizen", 8)).error().code, ErrorCode::kPermissionDenied);

  audit::Filter f;
  f.action_prefix = "feedback.";
  auto entries = audit::List(db(), f);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ(entries->back().object_id, std::to_string(sent->id));
}

TEST_P(FeedbackTest, RefusalsNameWhatIsMissing) {
  Service svc(db(), clock_, policy_);
  Input no_contact = Suggestion("Giờ tiếp nhận");
  no_contact.contact = "gọi tôi";
  auto r = svc.Send(no_contact, core::Actor{}, "203.0.113.7");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "feedback.invalid");
  EXPECT_EQ(r.error().message_vi, "Nhập thư điện tử hoặc số điện thoại để nhận trả lời");
  Input phone = Suggestion("Giờ tiếp nhận");
  phone.contact = "0912 345 678";
  EXPECT_TRUE(svc.Send(phone, core::Actor{}, "203.0.113.7").ok());
  Input short_text = Suggestion("Giờ tiếp nhận");
  short_text.content = "Chậm.";
  EXPECT_EQ(svc.Send(short_text, core::Actor{}, "203.0.113.7").error().reason, "feedback.invalid");
}

TEST_P(FeedbackTest, FivePerAddressAndHour) {
  Service svc(db(), clock_, policy_);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        svc.Send(Suggestion("Lần " + std::to_string(i)), core::Actor{}, "203.0.113.7").ok());
  }
  auto sixth = svc.Send(Suggestion("Lần 6"), core::Actor{}, "203.0.113.7");
  ASSERT_FALSE(sixth.ok());
  EXPECT_EQ(sixth.error().reason, "feedback.too_many");
  EXPECT_TRUE(svc.Send(Suggestion("Máy khác"), core::Actor{}, "203.0.113.9").ok());
  clock_.Advance(std::chrono::minutes(61));
  EXPECT_TRUE(svc.Send(Suggestion("Một giờ sau"), core::Actor{}, "203.0.113.7").ok());
}

TINHSO_INSTANTIATE_BACKENDS(FeedbackTest);

}  // namespace
}  // namespace tinhso::feedback
